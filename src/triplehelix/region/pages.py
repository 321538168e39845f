"""The /municipalities pages: one per municipality of the region, printable as its report."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from triplehelix.deps import SessionDep
from triplehelix.insights import service as insights
from triplehelix.insights.pages import inline_svg
from triplehelix.region import service
from triplehelix.region.schemas.gazetteer import get_gazetteer
from triplehelix.response_cache import cached
from triplehelix.web import render

router = APIRouter(include_in_schema=False)


def municipality_page(code: str | None) -> str | None:
    """The page of a region municipality, for links from organisation pages."""
    gaz = get_gazetteer()
    return f"/municipalities/{code}" if code and gaz.is_region_municipality(code) else None


def municipality_name(code: str | None) -> str | None:
    return get_gazetteer().name(code)


def region_municipalities() -> list[tuple[str, str]]:
    gaz = get_gazetteer()
    pairs = [(c, gaz.name(c) or c) for c in gaz.region_municipalities]
    return sorted(pairs, key=lambda p: p[1])


@router.get("/municipalities", response_class=HTMLResponse)
@cached("directory")
def municipalities(request: Request, session: SessionDep) -> HTMLResponse:
    return render(request, "region/municipalities.html", items=service.list_municipalities(session))


@router.get("/municipalities/{code}", response_class=HTMLResponse)
def municipality(request: Request, session: SessionDep, code: str) -> HTMLResponse:
    detail = service.get_municipality(session, code)
    coverage = insights.coverage(session, municipality=detail.code)
    return render(
        request,
        "region/municipality.html",
        m=detail,
        data=coverage,
        coverage_svg=inline_svg("coverage", coverage) if coverage.domains else "",
        growth=insights.growth(session, municipality=detail.code),
        map_svg=inline_svg("map", insights.region_map(session, municipality=detail.code)),
    )
