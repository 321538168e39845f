"""Each request's language: `?lang=`, the `lang` cookie, or the browser's Accept-Language.

A `?lang=` choice is remembered in the cookie, so the language switch on every page is a plain link
and URLs stay the same. Responses say which language they are in (Content-Language) and that they
vary by the request's language headers.
"""

from __future__ import annotations

from http.cookies import SimpleCookie
from urllib.parse import parse_qs

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from triplehelix.i18n import available_locales, negotiate, set_locale

COOKIE = "lang"
COOKIE_MAX_AGE = 365 * 24 * 3600


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return str(value.decode("latin-1"))
    return None


def _cookie(scope: Scope) -> str | None:
    raw = _header(scope, b"cookie")
    if not raw:
        return None
    try:
        jar: SimpleCookie = SimpleCookie(raw)
    except Exception:  # a malformed Cookie header is the browser's problem, not a 500
        return None
    morsel = jar.get(COOKIE)
    return morsel.value if morsel else None


def _query_choice(scope: Scope) -> str | None:
    query = scope.get("query_string", b"").decode("latin-1")
    values = parse_qs(query).get("lang")
    return values[-1] if values else None


class LocaleMiddleware:
    """Pure ASGI middleware: sets the locale before the app runs, in the request's own context."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        chosen, stored = _query_choice(scope), _cookie(scope)
        locale = negotiate(chosen, stored, None, _header(scope, b"accept-language"))
        set_locale(locale)
        scope.setdefault("state", {})["locale"] = locale
        remember = chosen in available_locales() and chosen != stored

        async def with_language(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.append((b"content-language", locale.encode()))
                headers.append((b"vary", b"Accept-Language, Cookie"))
                if remember:
                    cookie = f"{COOKIE}={locale}; Max-Age={COOKIE_MAX_AGE}; Path=/; SameSite=Lax"
                    headers.append((b"set-cookie", cookie.encode()))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_language)
