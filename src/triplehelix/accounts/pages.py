"""Account pages: sign up, sign in, sign out, the account page (tokens, calendar link), inbox."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["accounts"])
