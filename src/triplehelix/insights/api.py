"""JSON twins of the insight views under /api/insights: the numbers behind every picture."""

from __future__ import annotations

from fastapi import APIRouter, Query

from triplehelix.deps import SessionDep
from triplehelix.fields import HistoryYear
from triplehelix.insights import service
from triplehelix.insights.schemas import CoveragePublic, GrowthPublic, MapPublic, NetworkPublic
from triplehelix.response_cache import cached

router = APIRouter(prefix="/api/insights", tags=["insights"])


@router.get("/coverage", response_model=CoveragePublic)
@cached("directory")
def coverage(
    session: SessionDep,
    cluster: str | None = None,
    city: str | None = None,
    municipality: str | None = None,
    domain: str | None = None,
) -> CoveragePublic:
    """One grid per domain in scope: its value-chain stages (rows) by its second axis (columns:
    modality for life sciences, helix for space and drones), with the gaps in words."""
    return service.coverage(
        session, cluster=cluster, city=city, municipality=municipality, domain=domain
    )


@router.get("/growth", response_model=GrowthPublic)
@cached("directory")
def growth(
    session: SessionDep, cluster: str | None = None, since: HistoryYear | None = None
) -> GrowthPublic:
    """Organisations founded and moved in, and events per kind, per year (and cumulative)."""
    return service.growth(session, cluster=cluster, first_year=since)


@router.get("/network", response_model=NetworkPublic)
@cached("directory")
def network(
    session: SessionDep, kind: list[str] | None = Query(None), cluster: str | None = None
) -> NetworkPublic:
    """The relation graph with degree, betweenness, communities and bridges."""
    return service.network(session, kinds=kind, cluster=cluster)


@router.get("/map", response_model=MapPublic)
@cached("directory")
def region_map(
    session: SessionDep, cluster: str | None = None, municipality: str | None = None
) -> MapPublic:
    """Organisations per municipality and where each is drawn on the map."""
    return service.region_map(session, cluster=cluster, municipality=municipality)
