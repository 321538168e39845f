"""JSON API of matchmaking: GET /api/match and similar organisations."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from triplehelix.matching import service
from triplehelix.matching.deps import IndexDep
from triplehelix.matching.schemas import MatchItem, MatchQuery, MatchResult

router = APIRouter(prefix="/api", tags=["matching"])


@router.get("/match", response_model=MatchResult)
def match(
    index: IndexDep,
    q: Annotated[str, Query(description="The need, in plain words.")],
    filters: Annotated[MatchQuery, Query()],
    limit: Annotated[int, Query(ge=1, le=service.MAX_LIMIT)] = 10,
) -> Response:
    """Matches above the floor, nearest non-matches, what the region lacks, and a team."""
    wanted = service.MatchFilters.of(filters, filters.region, filters.type)
    result = service.match_need(index, q, limit, wanted)
    # Serialised once, as built: returning the model would have FastAPI validate the whole
    # result again against `response_model` (which stays, for the API's documentation).
    return Response(result.model_dump_json(), media_type="application/json")


@router.get("/organisations/{organisation_id}/similar", response_model=list[MatchItem])
def similar(
    index: IndexDep, organisation_id: str, limit: Annotated[int, Query(ge=1, le=20)] = 5
) -> list[MatchItem]:
    """Organisations whose profiles read most like this one's."""
    return service.similar_organisations(index, organisation_id, limit)
