"""JSON API of the directory: organisations, facilities, events and the taxonomy, read-only.

Thin routes over `directory.service`; query parameters are validated here (a bad value is a
422 naming the parameter) and again by the service, which the CLI and pages share.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import RedirectResponse

from triplehelix import fields
from triplehelix.deps import SessionDep
from triplehelix.directory import service
from triplehelix.directory.facets import MAX_LIMIT
from triplehelix.directory.schemas import (
    EventList,
    FacilityDetail,
    FacilityList,
    OrganisationDetail,
    OrganisationList,
)
from triplehelix.taxonomy import get_taxonomy

router = APIRouter(prefix="/api", tags=["directory"])

Values = Annotated[list[str], Query()]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Page size.")]
Offset = Annotated[fields.Offset, Query(description="Results to skip.")]
Year = fields.HistoryYear
Sort = Literal["relevance", "name", "founded", "-founded"]


@router.get("/organisations", response_model=OrganisationList)
def organisations(
    session: SessionDep,
    q: Annotated[fields.SearchText | None, Query(description="Words that must all occur.")] = None,
    kind: Values = [],  # noqa: B006 - FastAPI copies list defaults per request
    cluster: Values = [],  # noqa: B006
    city: Values = [],  # noqa: B006
    stage: Values = [],  # noqa: B006
    modality: Values = [],  # noqa: B006
    sort: Annotated[Sort | None, Query(description="Default: relevance with q, else name.")] = (
        None
    ),
    limit: Limit = 20,
    offset: Offset = 0,
) -> OrganisationList:
    """Search and filter organisations; facets count values with the other filters applied."""
    return service.list_organisations(
        session, q, kind, cluster, city, stage, modality, sort, limit, offset
    )


@router.get(
    "/organisations/{organisation_id}",
    response_model=OrganisationDetail,
    responses={301: {"description": "The organisation was merged into another; follow Location."}},
)
def organisation(session: SessionDep, organisation_id: str) -> Any:
    """One organisation with facilities, relations in both directions, events and sources."""
    survivor = service.merged_into(session, organisation_id)
    if survivor is not None:
        return RedirectResponse(f"/api/organisations/{survivor}", status_code=301)
    return service.get_organisation(session, organisation_id)


@router.get("/facilities", response_model=FacilityList)
def facilities(
    session: SessionDep,
    q: str | None = None,
    kind: Values = [],  # noqa: B006
    owner: Values = [],  # noqa: B006
    cluster: Values = [],  # noqa: B006
    shared: Annotated[list[Literal["yes", "no", "unknown"]], Query()] = [],  # noqa: B006
    limit: Limit = 50,
    offset: Offset = 0,
) -> FacilityList:
    """Search and filter the shared-infrastructure catalogue."""
    return service.list_facilities(session, q, kind, owner, cluster, list(shared), limit, offset)


@router.get("/facilities/{facility_id}", response_model=FacilityDetail)
def facility(session: SessionDep, facility_id: str) -> FacilityDetail:
    return service.get_facility(session, facility_id)


@router.get("/events", response_model=EventList)
def events(
    session: SessionDep,
    kind: Values = [],  # noqa: B006
    year_from: Annotated[Year | None, Query(description="First year, inclusive.")] = None,
    year_to: Annotated[Year | None, Query(description="Last year, inclusive.")] = None,
    organisation: Annotated[str | None, Query(description="Organisation id.")] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> EventList:
    """The timeline, newest first."""
    return service.list_events(session, kind, year_from, year_to, organisation, limit, offset)


@router.get("/taxonomy")
def taxonomy() -> dict[str, Any]:
    """Every scheme of the taxonomy with its codes, labels and synonyms."""
    return get_taxonomy().as_dict()
