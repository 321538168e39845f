"""The web application: wires settings, database, static files and every feature's routers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import import_module, resources

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles

from triplehelix import __version__, edge, edge_openapi
from triplehelix.accounts.web import csrf_cookie_headers
from triplehelix.config import Settings, get_settings
from triplehelix.db import make_engine, session_factory
from triplehelix.headers import SecurityHeaders
from triplehelix.i18n.middleware import LocaleMiddleware
from triplehelix.readiness import Readiness
from triplehelix.response_cache import ResponseCache

# Each feature contributes routers; API routers first so /api paths never hit a page route.
ROUTERS = [
    "triplehelix.directory.api:router",
    "triplehelix.insights.api:router",
    "triplehelix.facilities.api:router",
    "triplehelix.matching.api:router",
    "triplehelix.marketplace.api:router",
    "triplehelix.marketplace.insight_pages:router",
    "triplehelix.directory.pages:router",
    "triplehelix.insights.pages:router",
    "triplehelix.resolution.pages:router",
    "triplehelix.accounts.pages:router",
    "triplehelix.facilities.pages:router",
    "triplehelix.facilities.manage_pages:router",
    "triplehelix.matching.pages:router",
    "triplehelix.region.api:router",
    "triplehelix.region.pages:router",
    "triplehelix.apidocs:router",
    "triplehelix.accounts.account_pages:router",
    "triplehelix.accounts.admin_pages:router",
    "triplehelix.accounts.email_pages:router",
    "triplehelix.accounts.sso_pages:router",
    "triplehelix.accounts.moderation_pages:router",
    "triplehelix.mail.pages:router",
    "triplehelix.marketplace.pages:router",
    "triplehelix.accounts.language:router",
]


def _include(app: FastAPI, spec: str) -> None:
    module, _, name = spec.partition(":")
    app.include_router(getattr(import_module(module), name))


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    readiness = Readiness()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if settings.warm:
            readiness.start(app.state.sessions, settings)
        else:
            readiness.done.set()
        yield

    app = FastAPI(
        lifespan=lifespan,
        title="triplehelix",
        version=__version__,
        description="Directory, matchmaking, shared infrastructure and insight for a region.",
        docs_url=None,  # served offline by triplehelix.apidocs
        redoc_url=None,
    )
    engine = make_engine(settings.database_url, busy_timeout=settings.busy_timeout)
    app.state.settings = settings
    app.state.readiness = readiness
    app.state.engine = engine
    app.state.sessions = session_factory(engine)
    static = resources.files("triplehelix").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    for error, handler in edge.HANDLERS:
        app.add_exception_handler(error, handler)
    # Innermost: anonymous GETs of marked routes, answered from memory while the data is the same.
    app.add_middleware(ResponseCache, fresh_cookies=csrf_cookie_headers)
    app.add_middleware(edge.EdgeGuard)
    edge_openapi.install(app)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(LocaleMiddleware)

    @app.get("/healthz", tags=["meta"])
    def healthz() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    @app.get("/readyz", tags=["meta"])
    def readyz() -> JSONResponse:
        """200 once the first requests' needs (matching index, insight views) are built; 503
        with Retry-After before."""
        status, body = app.state.readiness.status()
        headers = {"Retry-After": "1"} if status == 503 else None
        return JSONResponse(body, status_code=status, headers=headers)

    for spec in ROUTERS:
        _include(app, spec)
    return app
