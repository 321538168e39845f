"""JSON API of the directory: organisations, facilities, events and the taxonomy, read-only.

Thin routes over `directory.service`; query parameters are validated here (a bad value is a
422 naming the parameter) and again by the service, which the CLI and pages share.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, TypeVar

from fastapi import APIRouter, HTTPException, Query, Request
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
from triplehelix.response_cache import cached
from triplehelix.taxonomy import get_taxonomy

router = APIRouter(prefix="/api", tags=["directory"])

Values = Annotated[list[str], Query()]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Page size.")]
Offset = Annotated[fields.Offset, Query(description="Results to skip.")]
Year = fields.HistoryYear
Sort = Literal["relevance", "name", "founded", "-founded"]
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
    domain: Values = [],  # noqa: B006
    municipality: Annotated[
        list[str], Query(description="CBS municipality code (GM0537) or a place name.")
    ] = [],  # noqa: B006
    partner: Annotated[
        list[str], Query(description="Partner role in the region's partnership, or `any`.")
    ] = [],  # noqa: B006
    region: Annotated[
        Literal["in", "out", "all"], Query(description="In the region, outside it, or all.")
    ] = "all",
) -> OrganisationList:
    """Search and filter organisations; facets count values with the other filters applied."""
    result = service.list_organisations(
        session,
        q,
        kind,
        cluster,
        city,
        stage,
        modality,
        sort,
        limit,
        offset,
        domain=domain,
        municipality=municipality,
        partner=partner,
        region=region,
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
    q: str | None = None,
    kind: Values = [],  # noqa: B006
    owner: Values = [],  # noqa: B006
    cluster: Values = [],  # noqa: B006
    shared: Annotated[list[Literal["yes", "no", "unknown"]], Query()] = [],  # noqa: B006
    limit: Limit = 50,
    offset: Offset = 0,
) -> FacilityList:
    """Search and filter the shared-infrastructure catalogue."""
    result = service.list_facilities(session, q, kind, owner, cluster, list(shared), limit, offset)
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
    kind: Values = [],  # noqa: B006
    year_from: Annotated[Year | None, Query(description="First year, inclusive.")] = None,
    year_to: Annotated[Year | None, Query(description="Last year, inclusive.")] = None,
    organisation: Annotated[str | None, Query(description="Organisation id.")] = None,
    limit: Limit = 100,
    offset: Offset = 0,
    q: Annotated[str | None, Query(description="Search words; best match first.")] = None,
) -> EventList:
    """The timeline, newest first; with `q`, the best match first."""
    result = service.list_events(session, kind, year_from, year_to, organisation, limit, offset, q)
    return within_pages(request, result)


@router.get("/taxonomy")
def taxonomy() -> dict[str, Any]:
    """Every scheme of the taxonomy with its codes, labels and synonyms.

    Codes are stable; `label` is in the request's language (`?lang=` or Accept-Language) and
    `labels` holds every language's."""
    return get_taxonomy().as_dict()
