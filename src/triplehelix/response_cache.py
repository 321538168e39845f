"""Anonymous GET responses kept in memory, for the routes marked `@cached(scopes)`.

A response is kept when an anonymous visitor's GET (no Authorization header, no cookie but the
CSRF and language ones) of a marked route answers 200 without setting any other cookie and
without the visitor's CSRF token in its body. It is keyed by scheme, host, path, query,
language and today's date (a page may print the date: the printable report), and stored with
the data stamps (`triplehelix.stamps`) of its scopes as they were read *before* the route ran.
Every eligible request reads the stamps once (one small query); a kept response is served only
while they are unchanged, so a write, committed by any worker process or command, is seen by the
very next request. Concurrent first requests for one key wait for the first one's response
instead of computing it again. A page that hands out the CSRF cookie (`fresh_cookies`) still
does so on a kept response, with a token of the visitor's own.
"""

from __future__ import annotations

import asyncio
import re
from collections import OrderedDict
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from fastapi.routing import iter_route_contexts
from sqlalchemy import create_engine
from sqlalchemy.engine import Engine
from starlette._utils import get_route_path
from starlette.requests import cookie_parser
from starlette.routing import compile_path

from triplehelix import stamps
from triplehelix.accounts.deps import CSRF_COOKIE
from triplehelix.i18n.middleware import COOKIE as LANG_COOKIE

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
Headers = list[tuple[bytes, bytes]]
F = TypeVar("F", bound=Callable[..., Any])

HARMLESS_COOKIES = frozenset({CSRF_COOKIE, LANG_COOKIE})
MAX_ENTRIES = 2048
MAX_BYTES = 64 * 1024 * 1024  # all entries together
MAX_ENTRY = 2 * 1024 * 1024


def cached(*scopes: str) -> Callable[[F], F]:
    """Mark a route whose anonymous GET response may be kept: for one URL and language it
    depends on nothing else of the request, and on the data only through tables of `scopes`."""
    unknown = set(scopes) - set(stamps.SCOPES)
    if unknown or not scopes:
        raise ValueError(f"scopes must be some of {stamps.SCOPES}, not {sorted(unknown)}")

    def mark(endpoint: F) -> F:
        endpoint.cache_scopes = tuple(sorted(scopes))  # type: ignore[attr-defined]
        return endpoint

    return mark


@dataclass(frozen=True)
class Entry:
    stamps: tuple[tuple[str, int | None], ...]  # per scope of the route, as read before it ran
    status: int
    headers: Headers
    body: bytes
    mints_csrf: bool  # the route hands out the CSRF cookie to a visitor without one


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return bytes(value).decode("latin-1")
    return None


def _cookies(scope: Scope) -> dict[str, str]:
    raw = _header(scope, b"cookie")
    return cookie_parser(raw) if raw else {}


def _anonymous_get(scope: Scope) -> bool:
    return (
        scope["type"] == "http"
        and scope["method"] == "GET"
        and _header(scope, b"authorization") is None
        and set(_cookies(scope)) <= HARMLESS_COOKIES
    )


class ResponseCache:
    """Pure ASGI middleware; it must sit inside LocaleMiddleware (it keys by the locale)."""

    def __init__(self, app: ASGIApp, fresh_cookies: Callable[[Scope], Headers]) -> None:
        self.app, self.fresh_cookies = app, fresh_cookies
        self.entries: OrderedDict[tuple[object, ...], Entry] = OrderedDict()
        self.size = 0
        self.hits = self.fills = 0  # for tests and diagnostics
        self._flights: dict[tuple[object, ...], asyncio.Event] = {}
        self._engine: Engine | None = None  # the stamp reads' own connection
        self._patterns: list[re.Pattern[str]] | None = None  # the marked routes' paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        locale = scope.get("state", {}).get("locale")
        if locale is None or not _anonymous_get(scope) or not self._marked(scope):
            await self.app(scope, receive, send)
            return
        current = self._stamps(scope)
        if current is None:
            await self.app(scope, receive, send)
            return
        key = (scope["scheme"], _header(scope, b"host"), scope.get("root_path", ""),
               scope["path"], scope.get("query_string", b""), locale,
               date.today())  # fmt: skip
        entry = self._valid(key, current)
        flight = self._flights.get(key)
        if entry is None and flight is not None:
            await flight.wait()  # the first request of this key is computing it
            entry = self._valid(key, current)
        if entry is not None:
            self.hits += 1
            await self._replay(entry, scope, send)
            return
        if flight is not None:
            await self.app(scope, receive, send)
            return
        self._flights[key] = asyncio.Event()
        try:
            await self._fill(key, current, scope, receive, send)
        finally:
            self._flights.pop(key).set()

    def _marked(self, scope: Scope) -> bool:
        """Whether a marked route's path matches (other requests pass by without a stamp read
        or waiting for each other); what is kept is still decided by the route that answered."""
        if self._patterns is None:
            routes = iter_route_contexts(scope["app"].routes)
            gets = [r for r in routes if r.path_format and "GET" in (r.methods or ())]
            marked = [str(r.path_format) for r in gets if hasattr(r.endpoint, "cache_scopes")]
            self._patterns = [compile_path(path)[0] for path in marked]
        path = get_route_path(scope)
        return any(p.match(path) for p in self._patterns)

    def _stamps(self, scope: Scope) -> dict[str, int] | None:
        """The data stamps, read on the event loop over one connection of the cache's own: the
        request threads' pool may be empty under load, and waiting for it here would stop the
        loop (every request, and shutdown)."""
        try:
            with self._stamp_engine(scope["app"].state.engine).connect() as connection:
                return stamps.read(connection)
        except Exception:  # no stamps (a database being migrated): answer without the cache
            return None

    def _stamp_engine(self, engine: Engine) -> Engine:
        url = engine.url
        if url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"):
            return engine  # an in-memory database lives in its own engine's connection
        if self._engine is None or self._engine.url != engine.url:
            # No pre-ping: it would double the round trips on the loop. A connection the server
            # dropped fails the read (that request goes past the cache) and is replaced.
            self._engine = create_engine(engine.url, pool_size=1, max_overflow=0)
        return self._engine

    def _valid(self, key: tuple[object, ...], current: dict[str, int]) -> Entry | None:
        entry = self.entries.get(key)
        if entry is None or any(current.get(s) != stamp for s, stamp in entry.stamps):
            return None
        self.entries.move_to_end(key)
        return entry

    async def _replay(self, entry: Entry, scope: Scope, send: Send) -> None:
        headers = [*entry.headers, *(self.fresh_cookies(scope) if entry.mints_csrf else [])]
        await send({"type": "http.response.start", "status": entry.status, "headers": headers})
        await send({"type": "http.response.body", "body": entry.body, "more_body": False})

    async def _fill(
        self, key: tuple[object, ...], current: dict[str, int], scope: Scope, receive: Receive,
        send: Send,
    ) -> None:  # fmt: skip
        start: Message = {}
        chunks: list[bytes] = []

        async def keep(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(bytes(message.get("body", b"")))
            await send(message)

        await self.app(scope, receive, keep)
        entry = self._entry(scope, start, b"".join(chunks), current)
        if entry is not None:
            self._store(key, entry)

    def _entry(
        self, scope: Scope, start: Message, body: bytes, current: dict[str, int]
    ) -> Entry | None:
        """What may be kept of a response: None unless every rule in the docstring holds."""
        scopes = getattr(scope.get("endpoint"), "cache_scopes", None)
        if scopes is None or start.get("status") != 200 or len(body) > MAX_ENTRY:
            return None
        state = scope.get("state", {})
        minted = state.get("new_csrf", "")
        token = minted or _cookies(scope).get(CSRF_COOKIE, "")
        if state.get("csrf_read") and token and token.encode() in body:
            return None  # the page shows this visitor's own CSRF token
        headers: Headers = []
        for name, value in start.get("headers", []):
            if name.lower() == b"set-cookie":
                if not (minted and value.startswith(f"{CSRF_COOKIE}={minted};".encode())):
                    return None
                continue
            headers.append((bytes(name), bytes(value)))
        kept = tuple((s, current.get(s)) for s in scopes)
        return Entry(kept, 200, headers, body, bool(state.get("csrf_read")))

    def _store(self, key: tuple[object, ...], entry: Entry) -> None:
        old = self.entries.pop(key, None)
        self.size -= len(old.body) if old else 0
        self.entries[key] = entry
        self.size += len(entry.body)
        self.fills += 1
        while len(self.entries) > MAX_ENTRIES or self.size > MAX_BYTES:
            _, dropped = self.entries.popitem(last=False)
            self.size -= len(dropped.body)
