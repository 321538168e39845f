"""The filters of the directory's listings, one model per listing for its page and its API route.

Each is a FastAPI query-parameter model (`Annotated[OrganisationFilters, Query()]`): every field
is a query parameter, a repeated one means "any of these values", and the API documents each
field. What the page's form sends differently (a blank for "not given", check boxes, values the
service names when it refuses them, in the reader's language) is declared in the page's
subclass; what the API types more strictly, in the API's. Paging (`page` on a page, `limit` and
`offset` in the API) is the route's own.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from triplehelix import fields

Sort = Literal["relevance", "name", "founded", "-founded"]
Shared = Literal["yes", "no", "unknown"]


class OrganisationFilters(BaseModel):
    """The facets of /organisations and /api/organisations."""

    kind: list[str] = []
    cluster: list[str] = []
    city: list[str] = []
    stage: list[str] = []
    modality: list[str] = []
    domain: list[str] = []
    municipality: list[str] = Field(
        [], description="CBS municipality code (GM0537) or a place name."
    )
    partner: list[str] = Field(
        [], description="Partner role in the region's partnership, or `any`."
    )


class OrganisationQuery(OrganisationFilters):
    q: fields.SearchText | None = Field(None, description="Words that must all occur.")
    sort: Sort | None = Field(None, description="Default: relevance with q, else name.")
    region: Literal["in", "out", "all"] = Field(
        "all", description="In the region, outside it, or all."
    )


class OrganisationPageQuery(OrganisationFilters):
    q: str | None = None
    sort: str | None = None  # the default order is "" in the form's choice
    # A pair of check boxes: one of in/out filters, both (or none) is all.
    region: list[str] = []

    def region_scope(self) -> str:
        regions = set(self.region) - {"all"}
        return regions.pop() if len(regions) == 1 else "all"


class FacilityFilters(BaseModel):
    """The facets of /facilities and /api/facilities."""

    q: str | None = None
    kind: list[str] = []
    owner: list[str] = []
    cluster: list[str] = []


class FacilityQuery(FacilityFilters):
    shared: list[Shared] = []


class FacilityPageQuery(FacilityFilters):
    shared: list[str] = []


class EventFilters(BaseModel):
    """The filters of /events and /api/events."""

    kind: list[str] = []
    organisation: str | None = Field(None, description="Organisation id.")
    q: str | None = Field(None, description="Search words; best match first.")


class EventQuery(EventFilters):
    year_from: fields.HistoryYear | None = Field(None, description="First year, inclusive.")
    year_to: fields.HistoryYear | None = Field(None, description="Last year, inclusive.")


class EventPageQuery(EventFilters):
    # The year boxes of the form send "" when left empty; that means no bound.
    year_from: str | None = None
    year_to: str | None = None
