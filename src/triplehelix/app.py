"""The web application: wires settings, database, static files and every feature's routers."""

from __future__ import annotations

from importlib import import_module, resources

from fastapi import FastAPI, Request
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles

from triplehelix import __version__
from triplehelix.config import Settings, get_settings
from triplehelix.db import make_engine, session_factory
from triplehelix.errors import DomainError, ValidationError, http_status

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
    "triplehelix.matching.pages:router",
    "triplehelix.mail.pages:router",
    "triplehelix.marketplace.pages:router",
]


def _include(app: FastAPI, spec: str) -> None:
    module, _, name = spec.partition(":")
    app.include_router(getattr(import_module(module), name))


async def _domain_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, DomainError)
    status = http_status(exc)
    if not request.url.path.startswith("/api"):
        from triplehelix.web import render

        return render(request, "error.html", status_code=status, status=status, message=str(exc))
    body: dict[str, object] = {"detail": str(exc)}
    if isinstance(exc, ValidationError):
        body["problems"] = exc.problems
    return JSONResponse(body, status_code=status)


async def _bad_request(request: Request, exc: Exception) -> Response:
    """Pages answer bad query values with a readable page naming the field; the API with JSON."""
    assert isinstance(exc, RequestValidationError)
    if request.url.path.startswith("/api"):
        return await request_validation_exception_handler(request, exc)
    from triplehelix.web import render

    problems = [
        f"{'.'.join(str(p) for p in err['loc'] if p not in ('query', 'body'))}: {err['msg']}"
        for err in exc.errors()
    ]
    return render(request, "error.html", status_code=422, status=422, message="; ".join(problems))


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    app = FastAPI(
        title="triplehelix",
        version=__version__,
        description="Directory, matchmaking, shared infrastructure and insight for a region.",
    )
    engine = make_engine(settings.database_url)
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessions = session_factory(engine)
    static = resources.files("triplehelix").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(RequestValidationError, _bad_request)

    @app.get("/healthz", tags=["meta"])
    def healthz() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    for spec in ROUTERS:
        _include(app, spec)
    return app
