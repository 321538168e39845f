"""Server-rendered pages: one Jinja2 environment over src/triplehelix/templates, the one `render`
every page goes through, and the helpers every feature's pages share (cookies, redirects, safe
targets, the client's address, a refused form's errors by field)."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from importlib import resources
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape

from triplehelix import i18n
from triplehelix.accounts import deps
from triplehelix.accounts.models import User
from triplehelix.i18n import format as i18n_format
from triplehelix.taxonomy import get_taxonomy

# `field: what is wrong`; a field may be dotted (identifiers.kvk) or numbered (rate-3).
_FIELD = re.compile(r"[A-Za-z_][\w.-]*")

templates = Jinja2Templates(directory=str(resources.files("triplehelix").joinpath("templates")))


def _label(scheme: str, code: str) -> str:
    return get_taxonomy().label(scheme, code)


def _url_with(request: Request, **changes: Any) -> str:
    """The current URL with some query parameters replaced (None removes one)."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k not in changes]
    for key, value in changes.items():
        if value is None:
            continue
        values = value if isinstance(value, list | tuple) else [value]
        params += [(key, str(v)) for v in values]
    query = urlencode(params)
    return f"{request.url.path}?{query}" if query else request.url.path


# Templates ship inside the package and never change under a running server.
templates.env.auto_reload = False
# {{ _("...") }}, {% trans %} and ngettext in templates follow the request's locale (newstyle:
# translated text is autoescaped and takes %(name)s placeholders as keyword arguments).
templates.env.add_extension("jinja2.ext.i18n")
templates.env.install_gettext_callables(  # type: ignore[attr-defined]
    i18n.gettext, i18n.ngettext, newstyle=True, pgettext=i18n.pgettext
)
templates.env.globals["current_locale"] = i18n.current_locale
templates.env.globals["available_locales"] = i18n.available_locales
templates.env.globals["language_name"] = i18n.language_name
templates.env.filters.update(
    format_date=i18n_format.format_date,
    format_datetime=i18n_format.format_datetime,
    format_time=i18n_format.format_time,
    format_number=i18n_format.format_number,
    format_percent=i18n_format.format_percent,
    format_list=i18n_format.format_list,
)
templates.env.globals["label"] = _label
templates.env.globals["url_with"] = _url_with


class _CsrfToken:
    """A page's CSRF token for its forms, minted only when a form on the page shows it, so a page
    without a form sets no cookie."""

    def __init__(self, request: Request) -> None:
        self._request = request

    def __str__(self) -> str:
        return deps.csrf_token(self._request)

    def __html__(self) -> Markup:
        return escape(str(self))


def render(
    request: Request, name: str, status_code: int = 200, *, user: User | None = None, **context: Any
) -> HTMLResponse:
    """Every page: the template with `user` (the signed-in user the route has, or None) and
    `csrf_token`; the CSRF cookie is set when the page minted the token it shows."""
    context = {"user": user, "csrf_token": _CsrfToken(request)} | context
    response = templates.TemplateResponse(request, name, context, status_code=status_code)
    if minted := getattr(request.state, "new_csrf", ""):
        set_cookie(request, response, deps.CSRF_COOKIE, minted)
    return response


def paging(total: int, size: int, page: int) -> dict[str, int]:
    """What the `pager` macro needs: this page, the number of pages (at least 1) and their size."""
    return {"page": page, "pages": max(1, math.ceil(total / size)), "size": size}


def _secure(request: Request) -> bool:
    setting = request.app.state.settings.secure_cookies
    return request.url.scheme == "https" if setting == "auto" else setting in {"1", "true", "yes"}


def set_cookie(request: Request, response: HTMLResponse | RedirectResponse, name: str,
               value: str, max_age: int | None = None) -> None:  # fmt: skip
    response.set_cookie(name, value, max_age=max_age, httponly=True, samesite="lax",
                        secure=_secure(request), path="/")  # fmt: skip


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def local_target(target: str, default: str) -> str:
    """`target` when it is a path on this site, else `default`: never `//host`, `/\\host`,
    a scheme or control characters, so `back=` and `next=` cannot send anyone elsewhere."""
    ok = (
        target.startswith("/")
        and not target.startswith(("//", "/\\"))
        and not any(ord(c) < 32 or c == "\\" for c in target)
    )
    return target if ok else default


def client_ip(request: Request) -> str:
    """The client's address; X-Forwarded-For counts only when the peer is a trusted proxy, and
    then the right-most address that is not itself a trusted proxy."""
    peer = request.client.host if request.client else "-"
    trusted = set(request.app.state.settings.trusted_proxies)
    if peer not in trusted:
        return peer
    hops = [h.strip() for h in request.headers.get("x-forwarded-for", "").split(",") if h.strip()]
    for hop in reversed(hops):
        if hop not in trusted:
            return hop
    return peer


def field_errors(problems: Iterable[str], unnamed: str = "_") -> dict[str, str]:
    """A refused form's problems (`field: what is wrong`) by the field each names, capitalised,
    for templates/_field.html to show beside each field; a problem naming no field goes under
    `unnamed` ("_": the form as a whole). The form comes back with status 4xx and every value
    as typed."""
    out: dict[str, str] = {}
    for problem in problems:
        field, sep, text = problem.partition(": ")
        key = field if sep and _FIELD.fullmatch(field) else unnamed
        message = (text if sep and key == field else problem).strip()
        message = message[:1].upper() + message[1:]
        out[key] = f"{out[key]} {message}" if key in out else message
    return out
