"""HTML pages of the directory: home, organisations, facilities and the timeline.

Each page is a thin call to `directory.service` and a template under `templates/directory/`.
Every filter state is its own URL (plain links and GET forms, no JavaScript needed). Other
features add sections to the organisation and facility pages: their `sections` in
`triplehelix.features` (template variables and a partial the page includes).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from babel import dates as babel_dates
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup
from sqlalchemy.orm import Session

from triplehelix import fields
from triplehelix.deps import SessionDep
from triplehelix.directory import service
from triplehelix.directory.schemas.filters import (
    EventPageQuery,
    FacilityPageQuery,
    OrganisationPageQuery,
)
from triplehelix.directory.service.jsonld import jsonld_page
from triplehelix.errors import ValidationError
from triplehelix.i18n import babel_locale, lazy_gettext
from triplehelix.i18n import gettext as _
from triplehelix.i18n.format import format_date
from triplehelix.response_cache import cached
from triplehelix.web import paging, render

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 20
EVENTS_PAGE_SIZE = 60
Page = Annotated[fields.PageNumber, Query()]
SORT_LABELS = {
    "relevance": lazy_gettext("Best match"),
    "name": lazy_gettext("Name"),
    "-founded": lazy_gettext("Newest first"),
    "founded": lazy_gettext("Oldest first"),
}
FACET_TITLES = {
    "kind": lazy_gettext("Kind"),
    "cluster": lazy_gettext("Cluster"),
    "city": lazy_gettext("City"),
    "stage": lazy_gettext("Value-chain stage"),
    "modality": lazy_gettext("Modality"),
    "owner": lazy_gettext("Owner"),
    "shared": lazy_gettext("Access"),
    "domain": lazy_gettext("Domain"),
    "municipality": lazy_gettext("Municipality"),
    "partner": lazy_gettext("Key Region partners"),
    "region": lazy_gettext("In the region"),
}


def _facet_links(
    request: Request, facets: Mapping[str, Iterable[Any]]
) -> dict[str, dict[str, str]]:
    """For every facet value, the URL that switches it on or off (back on page one).

    Computed in one pass per page: with five facets of up to forty values, building each link
    through the generic `url_with` was the larger part of rendering the listing.
    """
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "page"]
    links: dict[str, dict[str, str]] = {}
    for name, values in facets.items():
        others = urlencode([(k, v) for k, v in params if k != name])
        current = [v for k, v in params if k == name]
        links[name] = {}
        for item in values:
            value = item if isinstance(item, str) else item.value
            chosen = [v for v in current if v != value] if value in current else [*current, value]
            query = "&".join(p for p in (others, urlencode([(name, v) for v in chosen])) if p)
            links[name][value] = f"{request.url.path}?{query}" if query else request.url.path
    return links


def partial_date(value: str | None) -> str:
    """An event's date as stored ("2019", "2019-05" or "2019-05-14") in the request's language:
    a year stays a year, a month reads "May 2019" / "mei 2019", a day as `format_date`."""
    text = (value or "").strip()
    parts = text.split("-")
    if not all(p.isdigit() for p in parts) or not 1 <= len(parts) <= 3 or len(parts[0]) != 4:
        return text
    try:
        day = date(
            int(parts[0]),
            int(parts[1]) if len(parts) > 1 else 1,
            int(parts[2]) if len(parts) > 2 else 1,
        )
    except ValueError:
        return text
    if len(parts) == 1:
        return parts[0]
    if len(parts) == 2:
        return babel_dates.format_skeleton("yMMMM", day, locale=babel_locale())
    return format_date(day)


def org_link(ref: Any) -> Markup:
    """A link to an organisation page from a code-and-label reference, escaped."""
    return Markup('<a href="/organisations/{}">{}</a>').format(ref.code, ref.label)


def _year(field: str, text: str | None) -> int | None:
    text = (text or "").strip()
    if not text:
        return None
    if not text.isdigit():
        raise ValidationError(
            _("%(field)s: expected a year such as 2020, got %(value)r")
            % {"field": field, "value": text}
        )
    return int(text)


@router.get("/", response_class=HTMLResponse)
@cached("directory")
def home(request: Request, session: SessionDep) -> HTMLResponse:
    return render(request, "directory/home.html", figures=service.home_figures(session))


@router.get("/organisations", response_class=HTMLResponse)
@cached("directory")
def organisations(
    request: Request,
    session: SessionDep,
    filters: Annotated[OrganisationPageQuery, Query()],
    page: Page = 1,
) -> HTMLResponse:
    q, sort = filters.q, filters.sort
    result = service.list_organisations(
        session, q, filters.kind, filters.cluster, filters.city, filters.stage, filters.modality,
        sort or None, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE,
        domain=filters.domain, municipality=filters.municipality, partner=filters.partner,
        region=filters.region_scope(),
    )  # fmt: skip
    return render(
        request,
        "directory/organisations.html",
        result=result,
        q=q or "",
        sort=sort or ("relevance" if (q or "").strip() else "name"),
        sorts=SORT_LABELS,
        paging=paging(result.total, PAGE_SIZE, page),
    )


def _sections(request: Request, session: Session, page: str, record: Any) -> dict[str, Any]:
    """What other features add to the page (`app.state.sections`, from triplehelix.features):
    their template variables, and their partials as `sections` for the template to include."""
    extra: dict[str, Any] = {"sections": []}
    for context, template in request.app.state.sections[page]:
        extra.update(context(request, session, record))
        extra["sections"].append(template)
    return extra


@router.get("/organisations/{organisation_id}", response_class=HTMLResponse)
@cached("directory")
def organisation(request: Request, session: SessionDep, organisation_id: str) -> Response:
    survivor = service.merged_into(session, organisation_id)
    if survivor is not None:
        return RedirectResponse(f"/organisations/{survivor}", status_code=301)
    org = service.get_organisation(session, organisation_id)
    base_url = request.app.state.settings.base_url  # never the Host header
    return render(
        request,
        "directory/organisation.html",
        org=org,
        jsonld=jsonld_page(org, base_url),
        **_sections(request, session, "organisation", org),
    )


@router.get("/facilities", response_class=HTMLResponse)
@cached("directory")
def facilities(
    request: Request,
    session: SessionDep,
    filters: Annotated[FacilityPageQuery, Query()],
    page: Page = 1,
) -> HTMLResponse:
    result = service.list_facilities(
        session, filters.q, filters.kind, filters.owner, filters.cluster, filters.shared,
        PAGE_SIZE, (page - 1) * PAGE_SIZE,
    )  # fmt: skip
    return render(
        request,
        "directory/facilities.html",
        result=result,
        q=filters.q or "",
        paging=paging(result.total, PAGE_SIZE, page),
    )


@router.get("/facilities/{facility_id}", response_class=HTMLResponse)
@cached("directory")
def facility(request: Request, session: SessionDep, facility_id: str) -> HTMLResponse:
    fac = service.get_facility(session, facility_id)
    extra = _sections(request, session, "facility", fac)
    return render(request, "directory/facility.html", fac=fac, **extra)


@router.get("/events", response_class=HTMLResponse)
@cached("directory")
def events(
    request: Request,
    session: SessionDep,
    filters: Annotated[EventPageQuery, Query()],
    page: Page = 1,
) -> HTMLResponse:
    first, last = _year("year_from", filters.year_from), _year("year_to", filters.year_to)
    organisation, q = filters.organisation, filters.q
    result = service.list_events(
        session, filters.kind, first, last, organisation or None,
        EVENTS_PAGE_SIZE, (page - 1) * EVENTS_PAGE_SIZE, q,
    )  # fmt: skip
    return render(
        request,
        "directory/events.html",
        result=result,
        year_from=first,
        year_to=last,
        organisation=organisation or "",
        q=q or "",
        paging=paging(result.total, EVENTS_PAGE_SIZE, page),
    )
