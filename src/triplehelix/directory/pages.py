"""HTML pages of the directory: home, organisations, facilities and the timeline.

Each page is a thin call to `directory.service` and a template under `templates/directory/`.
Every filter state is its own URL (plain links and GET forms, no JavaScript needed). Other
features add to the organisation and facility pages through `*_CONTEXT_HOOKS` ("module:function"
taking the request, the session and the record, returning extra template variables) and the
template `matching/_similar.html`, included in the page's `similar` block when it exists.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from datetime import date
from importlib import import_module
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
from triplehelix.directory.jsonld import jsonld_page
from triplehelix.errors import ValidationError
from triplehelix.i18n import babel_locale, lazy_gettext
from triplehelix.i18n import gettext as _
from triplehelix.i18n.format import format_date
from triplehelix.response_cache import cached
from triplehelix.web import render, templates

router = APIRouter(include_in_schema=False)

ORGANISATION_CONTEXT_HOOKS: list[str] = ["triplehelix.matching.pages:similar_context"]
# The same for the facility page: the booking feature lists the facility's bookable resources.
FACILITY_CONTEXT_HOOKS: list[str] = ["triplehelix.facilities.pages:facility_context"]
PAGE_SIZE = 20
EVENTS_PAGE_SIZE = 60
Values = Annotated[list[str], Query()]
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


templates.env.globals["facet_links"] = _facet_links
templates.env.globals["facet_titles"] = FACET_TITLES
templates.env.filters["partial_date"] = partial_date
templates.env.filters["org_link"] = org_link


def _pages(total: int, size: int, page: int) -> dict[str, int]:
    return {"page": page, "pages": max(1, math.ceil(total / size)), "size": size}


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
    q: str | None = None,
    kind: Values = [],  # noqa: B006 - FastAPI copies list defaults per request
    cluster: Values = [],  # noqa: B006
    city: Values = [],  # noqa: B006
    stage: Values = [],  # noqa: B006
    modality: Values = [],  # noqa: B006
    sort: str | None = None,
    page: Page = 1,
    domain: Values = [],  # noqa: B006
    municipality: Values = [],  # noqa: B006
    partner: Values = [],  # noqa: B006
    region: Values = [],  # noqa: B006
) -> HTMLResponse:
    # The region facet is a pair of check boxes: one of in/out filters, both (or none) is all.
    regions = set(region) - {"all"}
    result = service.list_organisations(
        session, q, kind, cluster, city, stage, modality, sort or None,
        limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE,
        domain=domain, municipality=municipality, partner=partner,
        region=regions.pop() if len(regions) == 1 else "all",
    )  # fmt: skip
    return render(
        request,
        "directory/organisations.html",
        result=result,
        q=q or "",
        sort=sort or ("relevance" if (q or "").strip() else "name"),
        sorts=SORT_LABELS,
        paging=_pages(result.total, PAGE_SIZE, page),
    )


def _extra_context(
    request: Request, session: Session, record: Any, hooks: list[str]
) -> dict[str, Any]:
    extra: dict[str, Any] = {}
    for spec in hooks:
        module, _, attr = spec.partition(":")
        extra.update(getattr(import_module(module), attr)(request, session, record))
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
        **_extra_context(request, session, org, ORGANISATION_CONTEXT_HOOKS),
    )


@router.get("/facilities", response_class=HTMLResponse)
@cached("directory")
def facilities(
    request: Request,
    session: SessionDep,
    q: str | None = None,
    kind: Values = [],  # noqa: B006
    owner: Values = [],  # noqa: B006
    cluster: Values = [],  # noqa: B006
    shared: Values = [],  # noqa: B006
    page: Page = 1,
) -> HTMLResponse:
    result = service.list_facilities(
        session, q, kind, owner, cluster, shared, PAGE_SIZE, (page - 1) * PAGE_SIZE
    )
    return render(
        request,
        "directory/facilities.html",
        result=result,
        q=q or "",
        paging=_pages(result.total, PAGE_SIZE, page),
    )


@router.get("/facilities/{facility_id}", response_class=HTMLResponse)
@cached("directory")
def facility(request: Request, session: SessionDep, facility_id: str) -> HTMLResponse:
    fac = service.get_facility(session, facility_id)
    extra = _extra_context(request, session, fac, FACILITY_CONTEXT_HOOKS)
    return render(request, "directory/facility.html", fac=fac, **extra)


@router.get("/events", response_class=HTMLResponse)
@cached("directory")
def events(
    request: Request,
    session: SessionDep,
    kind: Values = [],  # noqa: B006
    year_from: str | None = None,
    year_to: str | None = None,
    organisation: str | None = None,
    page: Page = 1,
    q: str | None = None,
) -> HTMLResponse:
    # The year boxes of the form send "" when left empty; that means no bound.
    first, last = _year("year_from", year_from), _year("year_to", year_to)
    result = service.list_events(
        session, kind, first, last, organisation or None,
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
        paging=_pages(result.total, EVENTS_PAGE_SIZE, page),
    )
