"""JSON API of the municipalities: the figures of each of the region's municipalities."""

from __future__ import annotations

from fastapi import APIRouter

from triplehelix.deps import SessionDep
from triplehelix.region import service
from triplehelix.region.schemas import MunicipalityDetail, MunicipalitySummary
from triplehelix.response_cache import cached

router = APIRouter(prefix="/api", tags=["region"])


@router.get("/municipalities", response_model=list[MunicipalitySummary])
@cached("directory")
def municipalities(session: SessionDep) -> list[MunicipalitySummary]:
    """The region's municipalities with their organisation counts (in total and by domain)."""
    return service.list_municipalities(session)


@router.get("/municipalities/{code}", response_model=MunicipalityDetail)
def municipality(session: SessionDep, code: str) -> MunicipalityDetail:
    """One municipality (CBS code such as GM0537, or its name): counts by domain, kind and
    cluster, its own record, organisations and facilities; 404 for a place outside the region."""
    return service.get_municipality(session, code)
