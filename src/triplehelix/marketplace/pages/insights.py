"""The marketplace section of the insight pages (`/insights/marketplace`) and its JSON
(`/api/insights/marketplace`), kept apart from the insights package so each grows on its own."""

from __future__ import annotations

from datetime import date

from babel.dates import format_skeleton
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel

from triplehelix.deps import SessionDep
from triplehelix.i18n import current_locale
from triplehelix.i18n.format import FORMAT_LOCALES
from triplehelix.marketplace.service.signals import demand_signals
from triplehelix.matching.deps import IndexDep
from triplehelix.web import render

router = APIRouter(tags=["insights"])


class Count(BaseModel):
    code: str
    label: str
    count: int


class UnmatchedRequest(BaseModel):
    id: int
    type: str
    title: str
    organisation: str


class DemandPublic(BaseModel):
    posts_by_type: list[Count]
    posts_by_domain: list[Count]
    introductions_per_month: dict[str, int]
    introductions: int
    cross_cluster_introductions: int
    unmatched_requests: list[UnmatchedRequest]


@router.get("/api/insights/marketplace", response_model=DemandPublic)
def demand(session: SessionDep, index: IndexDep) -> DemandPublic:
    """Demand signals: posts by type and domain, introductions per month and across clusters,
    and the published requests no organisation in the region matches."""
    s = demand_signals(session, index)
    return DemandPublic(
        posts_by_type=[Count(code=c, label=lab, count=n) for c, lab, n in s.by_type],
        posts_by_domain=[Count(code=c, label=lab, count=n) for c, lab, n in s.by_domain],
        introductions_per_month=dict(s.introductions_per_month),
        introductions=s.introductions,
        cross_cluster_introductions=s.cross_cluster,
        unmatched_requests=[
            UnmatchedRequest(id=p.id, type=p.type, title=p.title, organisation=p.organisation_id)
            for p in s.unmatched
        ],
    )


@router.get("/insights/marketplace", response_class=HTMLResponse, include_in_schema=False)
def demand_page(request: Request, session: SessionDep, index: IndexDep) -> Response:
    signals = demand_signals(session, index)

    def rows(counted: list[tuple[str, str, int]]) -> list[dict[str, object]]:
        return [{"value": c, "label": label, "count": n} for c, label, n in counted]

    from triplehelix.insights.service import coverage

    # the supply side, every domain's gap sentences, beside the demand side
    supply_gaps = [gap for grid in coverage(session).domains for gap in grid.gaps]
    return render(request, "marketplace/insights.html", signals=signals, view="marketplace",
                  type_rows=rows(signals.by_type), domain_rows=rows(signals.by_domain),
                  supply_gaps=supply_gaps,
                  month_rows=[(month_name(m), n) for m, n in signals.introductions_per_month],
                  )  # fmt: skip


def month_name(month: str) -> str:
    """ "2026-11" as the request's language writes a month: "November 2026", "november 2026"."""
    year, number = (int(part) for part in month.split("-"))
    locale = FORMAT_LOCALES.get(current_locale(), current_locale())
    return format_skeleton("yMMMM", date(year, number, 1), locale=locale)
