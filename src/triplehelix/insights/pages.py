"""The /insights pages, their pictures (SVG, PNG) and tables (CSV), thin over the service."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import date
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from matplotlib.figure import Figure
from pydantic import BaseModel
from sqlalchemy.orm import Session

from triplehelix.config import Settings
from triplehelix.deps import SessionDep
from triplehelix.directory.service.stats import directory_counts
from triplehelix.i18n import available_locales, current_locale, use_locale
from triplehelix.insights import service
from triplehelix.insights.service import charts, csv_rows
from triplehelix.insights.service.chartkit import figure_bytes
from triplehelix.response_cache import cached
from triplehelix.web import render

router = APIRouter(tags=["insight pages"], include_in_schema=False)
MEDIA = {"svg": "image/svg+xml", "png": "image/png", "csv": "text/csv; charset=utf-8"}


def _params(request: Request) -> dict[str, Any]:
    q = request.query_params
    return {
        "cluster": q.get("cluster") or None,
        "city": q.get("city") or None,
        "municipality": q.get("municipality") or None,
        "domain": q.get("domain") or None,
        "kinds": q.getlist("kind") or None,
    }


def _data(view: str, session: Session, p: dict[str, Any]) -> BaseModel:
    if view == "coverage":
        return service.coverage(
            session,
            cluster=p["cluster"],
            city=p["city"],
            municipality=p["municipality"],
            domain=p["domain"],
        )
    if view == "growth":
        return service.growth(session, cluster=p["cluster"], municipality=p["municipality"])
    if view == "network":
        return service.network(session, kinds=p["kinds"], cluster=p["cluster"])
    return service.region_map(session, cluster=p["cluster"], municipality=p["municipality"])


def _figure(view: str, data: Any) -> Figure:
    drawers: dict[str, Callable[[Any], Figure]] = {
        "coverage": charts.coverage_chart,
        "growth": charts.growth_chart,
        "network": charts.network_chart,
        "map": charts.map_chart,
    }
    return drawers[view](data)


ROWS: dict[str, Callable[[Any], csv_rows.Rows]] = {
    "coverage": csv_rows.coverage_rows,
    "growth": csv_rows.growth_rows,
    "network": csv_rows.network_rows,
    "map": csv_rows.map_rows,
}


_PICTURES: OrderedDict[str, bytes] = OrderedDict()
_PICTURES_LOCK = threading.Lock()
PICTURE_CACHE_SIZE = 64


def picture(view: str, fmt: str, data: BaseModel) -> bytes:
    """Drawing takes a second or more; the bytes are cached by the exact numbers they show and
    the language their words are in."""
    key = f"{view}.{fmt}.{current_locale()}:{data.model_dump_json()}"
    digest = hashlib.sha256(key.encode()).hexdigest()
    with _PICTURES_LOCK:
        if digest in _PICTURES:
            _PICTURES.move_to_end(digest)
            return _PICTURES[digest]
    body = figure_bytes(_figure(view, data), fmt)
    with _PICTURES_LOCK:
        _PICTURES[digest] = body
        while len(_PICTURES) > PICTURE_CACHE_SIZE:
            _PICTURES.popitem(last=False)
    return body


def inline_svg(view: str, data: Any) -> str:
    """An SVG for embedding in a page: without the XML prologue, so cell links work in place."""
    text = picture(view, "svg", data).decode()
    # SVG 2 links: plain href is what HTML-embedded SVG and CSS selectors understand everywhere.
    return text[text.index("<svg") :].replace("<a xlink:href=", "<a href=")


def warm_views(session: Session, settings: Settings) -> None:
    """Readiness step: the insight views' inputs (coverage, growth, network, map) at their default
    scope, and the pictures the pages draw from them, in every language (both are cached per
    language)."""
    for locale in available_locales():
        with use_locale(locale):
            views = {
                "coverage": service.coverage(session),
                "growth": service.growth(session),
                "network": service.network(session),
                "map": service.region_map(session),
            }
            for view, data in views.items():
                inline_svg(view, data)


def _download(view: str, fmt: str) -> Callable[..., Response]:
    def endpoint(request: Request, session: SessionDep) -> Response:
        data = _data(view, session, _params(request))
        if fmt == "csv":
            body: bytes | str = csv_rows.to_csv(ROWS[view](data))
            headers = {"Content-Disposition": f'attachment; filename="{view}.csv"'}
            return Response(body, media_type=MEDIA[fmt], headers=headers)
        return Response(picture(view, fmt, data), media_type=MEDIA[fmt])

    endpoint.__name__ = f"insights_{view}_{fmt}"
    return endpoint


for _view in ROWS:
    for _fmt in MEDIA:
        router.add_api_route(f"/insights/{_view}.{_fmt}", _download(_view, _fmt), methods=["GET"])


def _page(request: Request, name: str, view: str, **context: Any) -> HTMLResponse:
    query = request.url.query
    return render(
        request,
        f"insights/{name}.html",
        view=view,
        query=f"?{query}" if query else "",
        options=service.filter_options(),
        params=_params(request),
        **context,
    )


@router.get("/insights", response_class=HTMLResponse)
@cached("directory")
def index(request: Request, session: SessionDep) -> HTMLResponse:
    data = service.coverage(session)
    return _page(request, "index", "index", coverage=data, counts=directory_counts(session))


@router.get("/insights/coverage", response_class=HTMLResponse)
@cached("directory")
def coverage_page(
    request: Request,
    session: SessionDep,
    cluster: str | None = None,
    city: str | None = None,
    municipality: str | None = None,
    domain: str | None = None,
) -> HTMLResponse:
    data = service.coverage(
        session,
        cluster=cluster or None,
        city=city or None,
        municipality=municipality or None,
        domain=domain or None,
    )
    return _page(request, "coverage", "coverage", data=data, svg=inline_svg("coverage", data))


@router.get("/insights/growth", response_class=HTMLResponse)
@cached("directory")
def growth_page(request: Request, session: SessionDep, cluster: str | None = None) -> HTMLResponse:
    return _page(request, "growth", "growth", data=service.growth(session, cluster=cluster or None))


@router.get("/insights/network", response_class=HTMLResponse)
@cached("directory")
def network_page(
    request: Request,
    session: SessionDep,
    kind: list[str] | None = Query(None),
    cluster: str | None = None,
) -> HTMLResponse:
    data = service.network(session, kinds=kind or None, cluster=cluster or None)
    return _page(request, "network", "network", data=data)


@router.get("/insights/map", response_class=HTMLResponse)
@cached("directory")
def map_page(request: Request, session: SessionDep, cluster: str | None = None) -> HTMLResponse:
    return _page(request, "map", "map", data=service.region_map(session, cluster=cluster or None))


@router.get("/insights/report", response_class=HTMLResponse)
@cached("directory")  # (it prints today's date: kept answers are keyed by the date too)
def report_page(request: Request, session: SessionDep) -> HTMLResponse:
    info = service.data_info(session)
    return _page(
        request,
        "report",
        "report",
        coverage=service.coverage(session),
        growth=service.growth(session),
        network=service.network(session),
        region=service.region_map(session),
        counts=directory_counts(session),
        info=info,
        dataset=info.dataset,
        generated=date.fromisoformat(info.generated),
        accessed=date.fromisoformat(info.accessed) if info.accessed else None,
    )
