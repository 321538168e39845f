"""The web application: wires settings, database, static files and what every feature adds to the
web side (`triplehelix.features`)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles

from triplehelix import __version__, apidocs, edge, edge_openapi, features
from triplehelix.accounts.pages import csrf_cookie_headers
from triplehelix.config import Settings, get_settings
from triplehelix.db import make_engine, session_factory
from triplehelix.headers import SecurityHeaders
from triplehelix.i18n.middleware import LocaleMiddleware
from triplehelix.matching.service.index import use_document_sources
from triplehelix.readiness import Readiness
from triplehelix.response_cache import ResponseCache
from triplehelix.web import templates


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    readiness = Readiness(features.warm_steps())

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

    install_features(app)
    return app


def install_features(app: FastAPI) -> None:
    """What the features add to the web side (`triplehelix.features`): their routers, template
    globals and filters, the directory pages' sections and the matching index's documents."""
    for router in features.routers():
        app.include_router(router)
    app.include_router(apidocs.router)
    templates.env.globals.update(features.template_globals())
    templates.env.filters.update(features.template_filters())
    app.state.sections = features.sections()
    use_document_sources(features.document_sources)
