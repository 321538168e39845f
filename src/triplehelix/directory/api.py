"""JSON API of the directory: organisations, facilities, events and the taxonomy, read-only.

Thin routes over `directory.service`; query parameters are validated here, by the listings'
filter models in `directory.schemas.filters` (a bad value is a 422 naming the parameter), and
again by the service, which the CLI and pages share.
"""

from __future__ import annotations

from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import RedirectResponse

from triplehelix import fields
from triplehelix.deps import SessionDep
from triplehelix.directory import service
from triplehelix.directory.schemas import (
    EventList,
    FacilityDetail,
    FacilityList,
    OrganisationDetail,
    OrganisationList,
)
from triplehelix.directory.schemas.filters import EventQuery, FacilityQuery, OrganisationQuery
from triplehelix.directory.service.facets import MAX_LIMIT
from triplehelix.response_cache import cached
from triplehelix.taxonomy import get_taxonomy

router = APIRouter(prefix="/api", tags=["directory"])

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Page size.")]
Offset = Annotated[fields.Offset, Query(description="Results to skip.")]
Listing = TypeVar("Listing", OrganisationList, FacilityList, EventList)


def within_pages(request: Request, result: Listing) -> Listing:
    """A page past the end is a 404 that says where the last page starts (and links it)."""
    if not result.total or result.offset < result.total:
        return result
    last = (result.total - 1) // result.limit * result.limit
    url = request.url.include_query_params(offset=last)
    raise HTTPException(
        404,
        detail=f"offset: {result.offset} is past the end of the {result.total} results;"
        f" the last page starts at offset={last}",
        headers={"Link": f'<{url}>; rel="last"'},
    )


@router.get("/organisations", response_model=OrganisationList)
@cached("directory")
def organisations(
    request: Request,
    session: SessionDep,
    filters: Annotated[OrganisationQuery, Query()],
    limit: Limit = 20,
    offset: Offset = 0,
) -> OrganisationList:
    """Search and filter organisations; facets count values with the other filters applied."""
    result = service.list_organisations(
        session,
        filters.q,
        filters.kind,
        filters.cluster,
        filters.city,
        filters.stage,
        filters.modality,
        filters.sort,
        limit,
        offset,
        domain=filters.domain,
        municipality=filters.municipality,
        partner=filters.partner,
        region=filters.region,
    )
    return within_pages(request, result)


@router.get(
    "/organisations/{organisation_id}",
    response_model=OrganisationDetail,
    responses={301: {"description": "The organisation was merged into another; follow Location."}},
)
@cached("directory")
def organisation(session: SessionDep, organisation_id: str) -> Any:
    """One organisation with facilities, relations in both directions, events and sources."""
    survivor = service.merged_into(session, organisation_id)
    if survivor is not None:
        return RedirectResponse(f"/api/organisations/{survivor}", status_code=301)
    return service.get_organisation(session, organisation_id)


@router.get("/facilities", response_model=FacilityList)
@cached("directory")
def facilities(
    request: Request,
    session: SessionDep,
    filters: Annotated[FacilityQuery, Query()],
    limit: Limit = 50,
    offset: Offset = 0,
) -> FacilityList:
    """Search and filter the shared-infrastructure catalogue."""
    result = service.list_facilities(
        session,
        filters.q,
        filters.kind,
        filters.owner,
        filters.cluster,
        list(filters.shared),
        limit,
        offset,
    )
    return within_pages(request, result)


@router.get("/facilities/{facility_id}", response_model=FacilityDetail)
@cached("directory")
def facility(session: SessionDep, facility_id: str) -> FacilityDetail:
    return service.get_facility(session, facility_id)


@router.get("/events", response_model=EventList)
@cached("directory")
def events(
    request: Request,
    session: SessionDep,
    filters: Annotated[EventQuery, Query()],
    limit: Limit = 100,
    offset: Offset = 0,
) -> EventList:
    """The timeline, newest first; with `q`, the best match first."""
    result = service.list_events(
        session,
        filters.kind,
        filters.year_from,
        filters.year_to,
        filters.organisation,
        limit,
        offset,
        filters.q,
    )
    return within_pages(request, result)


@router.get("/taxonomy")
def taxonomy() -> dict[str, Any]:
    """Every scheme of the taxonomy with its codes, labels and synonyms.

    Codes are stable; `label` is in the request's language (`?lang=` or Accept-Language) and
    `labels` holds every language's."""
    return get_taxonomy().as_dict()
