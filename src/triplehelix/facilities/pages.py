"""Pages of shared infrastructure."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["facilities"])
