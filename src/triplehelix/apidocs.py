"""Interactive API documentation (/docs, /redoc) served from assets installed with the app.

FastAPI's own pages load Swagger UI and ReDoc from a CDN, so they are blank offline. The same
scripts ship inside the `fastapi-offline` package (installed from PyPI at set-up, never
committed here); these routes serve them from that package, and the pages name no other host.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse

router = APIRouter(include_in_schema=False)
ASSETS = "/docs-assets"
FILES = ("swagger-ui-bundle.js", "swagger-ui.css", "redoc.standalone.js", "favicon.png")
# ReDoc's bundle hard-codes a CDN logo; the policy keeps the browser from even asking for it.
POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline';"
    " img-src 'self' data:; font-src 'self' data:; worker-src 'self' blob:; connect-src 'self'"
)


def assets_folder() -> Path:
    return Path(str(resources.files("fastapi_offline").joinpath("static")))


@router.get(ASSETS + "/{name}")
def asset(name: str) -> FileResponse:
    if name not in FILES:
        raise HTTPException(404, f"no documentation asset {name!r}")
    return FileResponse(assets_folder() / name, headers={"Cache-Control": "max-age=86400"})


def _local_only(page: HTMLResponse) -> HTMLResponse:
    """FastAPI's page, kept to this server, saying its language (Swagger UI and ReDoc speak
    English whatever the site's language)."""
    body = bytes(page.body).replace(b"<html>", b'<html lang="en">', 1)
    return HTMLResponse(body, headers={"Content-Security-Policy": POLICY})


@router.get("/docs", response_class=HTMLResponse)
def swagger(request: Request) -> HTMLResponse:
    return _local_only(
        get_swagger_ui_html(
            openapi_url=request.app.openapi_url,
            title=f"{request.app.title} — API",
            swagger_js_url=f"{ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS}/favicon.png",
        )
    )


@router.get("/redoc", response_class=HTMLResponse)
def redoc(request: Request) -> HTMLResponse:
    return _local_only(
        get_redoc_html(
            openapi_url=request.app.openapi_url,
            title=f"{request.app.title} — API",
            redoc_js_url=f"{ASSETS}/redoc.standalone.js",
            redoc_favicon_url=f"{ASSETS}/favicon.png",
            with_google_fonts=False,
        )
    )
