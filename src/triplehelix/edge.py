"""The edge of the web app: one error body for every refusal, one guard for every input.

`EdgeGuard` refuses NUL and other control characters in the path, the query and form or JSON
bodies before any route runs (422 naming the field), and bodies over `MAX_BODY` (413). The error
handlers give every API refusal the same JSON shape (`ErrorBody`) — domain errors, validation
errors, HTTP errors — and pages a readable error page; a database that stays locked past the busy
timeout answers 503 with Retry-After, a value the database cannot hold 422, never a 500.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import parse_qsl, unquote

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from sqlalchemy.exc import DataError, OperationalError
from starlette.exceptions import HTTPException

from triplehelix.errors import DomainError, http_status
from triplehelix.fields import control_character
from triplehelix.i18n import gettext as _
from triplehelix.i18n import lazy_gettext

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

MAX_BODY = 1_048_576  # bytes; the largest form (a profile) is far smaller
RETRY_AFTER = "2"  # seconds; a long write lets requests through between its batches
FORM = "application/x-www-form-urlencoded"


class ErrorItem(BaseModel):
    loc: list[str | int]
    msg: str
    type: str


class ErrorBody(BaseModel):
    """Every API refusal: `detail` for people, `problems` one line each, `errors` by field."""

    detail: str
    problems: list[str]
    errors: list[ErrorItem]


def _where(loc: list[str | int]) -> str:
    return ".".join(str(p) for p in loc if p not in ("query", "body", "path", "form"))


def error_body(detail: str, errors: list[ErrorItem]) -> dict[str, Any]:
    problems = [f"{_where(e.loc)}: {e.msg}" if _where(e.loc) else e.msg for e in errors]
    return ErrorBody(detail=detail, problems=problems or [detail], errors=errors).model_dump()


def _is_api(scope: Scope) -> bool:
    return str(scope.get("path", "")).startswith("/api")


def refusal(
    request: Request, status: int, detail: str, errors: list[ErrorItem],
    headers: dict[str, str] | None = None,
) -> Response:  # fmt: skip
    """The API's JSON error body, or the readable error page for a page."""
    if _is_api(request.scope):
        return JSONResponse(error_body(detail, errors), status_code=status, headers=headers)
    from triplehelix.web import render

    message = "; ".join(error_body(detail, errors)["problems"])
    response = render(request, "error.html", status_code=status, status=status, message=message)
    response.headers.update(headers or {})
    return response


async def domain_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, DomainError)
    kind = type(exc).__name__.removesuffix("Error").lower()
    errors = [ErrorItem(loc=[], msg=p, type=kind) for p in exc.problems]
    return refusal(request, http_status(exc), str(exc), errors)


def validation_items(exc: RequestValidationError) -> list[ErrorItem]:
    return [
        ErrorItem(loc=[p if isinstance(p, int) else str(p) for p in e["loc"]], msg=e["msg"],
                  type=str(e["type"]))
        for e in exc.errors()
    ]  # fmt: skip


async def bad_request(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    items = validation_items(exc)
    return refusal(request, 422, "; ".join(error_body("", items)["problems"]), items)


async def http_error(request: Request, exc: Exception) -> Response:
    """HTTP errors from dependencies (401 without a token); pages keep their redirects."""
    assert isinstance(exc, HTTPException)
    if not _is_api(request.scope) and (exc.status_code < 400 or exc.headers):
        return Response(status_code=exc.status_code, headers=dict(exc.headers or {}))
    detail = _http_detail(exc.status_code, str(exc.detail))
    item = ErrorItem(loc=[], msg=detail, type="http")
    return refusal(request, exc.status_code, detail, [item], dict(exc.headers or {}))


# Starlette's own reasons ("Not Found") in the request's language; other details are ours.
HTTP_DETAILS = {
    404: ("Not Found", lazy_gettext("There is no page at this address.")),
    405: ("Method Not Allowed", lazy_gettext("This address does not take that kind of request.")),
}


def _http_detail(status: int, detail: str) -> str:
    standard = HTTP_DETAILS.get(status)
    return str(standard[1]) if standard and detail == standard[0] else detail


async def database_error(request: Request, exc: Exception) -> Response:
    """A lock held past the busy timeout is 503 (try again); a value too big for a column 422."""
    if isinstance(exc, OperationalError) and "locked" in str(exc.orig).lower():
        item = ErrorItem(loc=[], msg=_("the database is busy; try again in a moment"), type="busy")
        return refusal(request, 503, item.msg, [item], {"Retry-After": RETRY_AFTER})
    if isinstance(exc, DataError | OverflowError):
        item = ErrorItem(loc=[], msg=_("a value is out of range"), type="out_of_range")
        return refusal(request, 422, item.msg, [item])
    raise exc


HANDLERS: list[tuple[type[Exception], Callable[[Request, Exception], Awaitable[Response]]]] = [
    (DomainError, domain_error),
    (RequestValidationError, bad_request),
    (HTTPException, http_error),
    (OperationalError, database_error),
    (DataError, database_error),
    (OverflowError, database_error),
]


def _text_problem(where: list[str | int], value: str) -> ErrorItem | None:
    bad = control_character(value)
    if bad is None:
        return None
    return ErrorItem(
        loc=where,
        msg=_("must not contain control characters (%(found)s)") % {"found": bad},
        type="control",
    )


def _json_problem(where: list[str | int], value: Any) -> ErrorItem | None:
    if isinstance(value, str):
        return _text_problem(where, value)
    if not isinstance(value, dict | list):
        return None
    items: Any = value.items() if isinstance(value, dict) else enumerate(value)
    for key, item in items:
        found = _text_problem([*where, key], key) if isinstance(key, str) else None
        found = found or _json_problem([*where, key], item)
        if found:
            return found
    return None


def _pairs_problem(kind: str, pairs: list[tuple[str, str]]) -> ErrorItem | None:
    for key, value in pairs:
        found = _text_problem([kind, key], key) or _text_problem([kind, key], value)
        if found:
            return found
    return None


def _body_problem(content_type: str, body: bytes) -> ErrorItem | None:
    text = body.decode("utf-8", errors="replace")
    if content_type.startswith(FORM):
        return _pairs_problem("body", parse_qsl(text, keep_blank_values=True))
    try:
        data = json.loads(text)
    except ValueError:
        return None  # the route's own parsing names the problem
    return _json_problem(["body"], data)


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", []):
        if key == name:
            return bytes(value).decode("latin-1")
    return ""


class EdgeGuard:
    """ASGI middleware: refuse control characters and oversized bodies before any route runs."""

    def __init__(self, app: ASGIApp, max_body: int = MAX_BODY) -> None:
        self.app, self.max_body = app, max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        query = bytes(scope.get("query_string", b"")).decode("latin-1")
        problem = _text_problem(["path"], unquote(str(scope.get("path", "")))) or _pairs_problem(
            "query", parse_qsl(query, keep_blank_values=True)
        )
        content_type = _header(scope, b"content-type")
        body: bytes | None = None
        if problem is None and (content_type.startswith(FORM) or "json" in content_type):
            body = await self._read(receive)
            if body is None:
                await self._refuse(scope, send, 413, _("the request body is too large"))
                return
            problem = _body_problem(content_type, body)
        if problem is not None:
            await self._refuse(scope, send, 422, problem.msg, [problem])
            return
        await self.app(scope, receive if body is None else _replay(body, receive), send)

    async def _read(self, receive: Receive) -> bytes | None:
        chunks, size = [], 0
        while True:
            message = await receive()
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)

    async def _refuse(
        self, scope: Scope, send: Send, status: int, detail: str,
        errors: list[ErrorItem] | None = None,
    ) -> None:  # fmt: skip
        item = ErrorItem(loc=[], msg=detail, type="too_large")
        response = refusal(Request(scope), status, detail, errors or [item])

        async def nothing() -> Message:
            return {"type": "http.disconnect"}

        await response(scope, nothing, send)


def _replay(body: bytes, then: Receive) -> Receive:
    """Hand the app the body already read, then the client's own messages (disconnect)."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return await then()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive
