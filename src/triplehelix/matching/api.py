"""JSON API of matchmaking: GET /api/match and similar organisations."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from triplehelix.matching import service
from triplehelix.matching.deps import IndexDep
from triplehelix.matching.schemas import MatchItem, MatchResult

router = APIRouter(prefix="/api", tags=["matching"])
Values = Annotated[list[str], Query()]


@router.get("/match", response_model=MatchResult)
def match(
    index: IndexDep,
    q: Annotated[str, Query(description="The need, in plain words.")],
    limit: Annotated[int, Query(ge=1, le=service.MAX_LIMIT)] = 10,
    kind: Values = [],  # noqa: B006 - FastAPI copies defaults per request
    cluster: Values = [],  # noqa: B006
    city: Values = [],  # noqa: B006
    stage: Values = [],  # noqa: B006
    modality: Values = [],  # noqa: B006
    shared: Annotated[bool, Query(description="Only facilities open to others.")] = False,
    type: Values = [],  # noqa: B006
    region: Annotated[
        Literal["in", "all"],
        Query(description="in: only organisations in the region; all: outside parties too."),
    ] = "all",
) -> Response:
    """Matches above the floor, nearest non-matches, what the region lacks, and a team."""
    filters = service.MatchFilters(
        kind=kind, cluster=cluster, city=city, stage=stage, modality=modality,
        shared_only=shared, types=frozenset(type), region_only=region == "in",
    )  # fmt: skip
    result = service.match_need(index, q, limit, filters)
    # Serialised once, as built: returning the model would have FastAPI validate the whole
    # result again against `response_model` (which stays, for the API's documentation).
    return Response(result.model_dump_json(), media_type="application/json")


@router.get("/organisations/{organisation_id}/similar", response_model=list[MatchItem])
def similar(
    index: IndexDep, organisation_id: str, limit: Annotated[int, Query(ge=1, le=20)] = 5
) -> list[MatchItem]:
    """Organisations whose profiles read most like this one's."""
    return service.similar_organisations(index, organisation_id, limit)
