"""Rendering helpers for account-aware pages: every page gets the signed-in user and a CSRF token,
and the CSRF cookie is set on the response when it was just minted."""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy.orm.exc import DetachedInstanceError

from triplehelix.accounts import deps, service
from triplehelix.accounts.labels import audit_label, code_label, field_label
from triplehelix.accounts.models import User
from triplehelix.web import render, templates


def _secure(request: Request) -> bool:
    setting = request.app.state.settings.secure_cookies
    return request.url.scheme == "https" if setting == "auto" else setting in {"1", "true", "yes"}


def set_cookie(request: Request, response: HTMLResponse | RedirectResponse, name: str,
               value: str, max_age: int | None = None) -> None:  # fmt: skip
    response.set_cookie(name, value, max_age=max_age, httponly=True, samesite="lax",
                        secure=_secure(request), path="/")  # fmt: skip


def page(request: Request, template: str, user: User | None, status_code: int = 200,
         **context: Any) -> HTMLResponse:  # fmt: skip
    token = deps.csrf_token(request)
    response = render(
        request, template, status_code=status_code, user=user, csrf_token=token, **context
    )
    if getattr(request.state, "new_csrf", ""):
        set_cookie(request, response, deps.CSRF_COOKIE, token)
    return response


def csrf_cookie_headers(scope: MutableMapping[str, Any]) -> list[tuple[bytes, bytes]]:
    """For a kept page (the response cache): the CSRF cookie `page` sets for this request, if
    the visitor has no valid one yet."""
    request = Request(scope)
    token = deps.csrf_token(request)
    if not getattr(request.state, "new_csrf", ""):
        return []
    response = HTMLResponse()
    set_cookie(request, response, deps.CSRF_COOKIE, token)
    return [(k, v) for k, v in response.raw_headers if k == b"set-cookie"]


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


def _account_of(request: Request) -> dict[str, object] | None:
    """For base.html on any feature's page: who is signed in (None when no one is). The user the
    route's own dependency resolved, else looked up once and kept for the rest of the request."""
    state = request.state
    token = request.cookies.get(deps.CSRF_COOKIE, "")
    user: User | None = getattr(state, "account_user", None)
    if user is not None:
        try:
            return {"email": user.email, "demo": user.is_demo, "csrf": token}
        except DetachedInstanceError:  # an error page, after the route's session rolled back
            pass
    elif hasattr(state, "account_user"):
        return None
    key = deps.session_key(request)
    if not key:
        return None
    with request.app.state.sessions() as session:
        user = state.account_user = service.user_for_session(session, key)
        return None if user is None else {"email": user.email, "demo": user.is_demo, "csrf": token}


templates.env.globals["account_of"] = _account_of
templates.env.globals["code_label"] = code_label
templates.env.globals["field_label"] = field_label
templates.env.filters["code_label"] = code_label
templates.env.filters["field_label"] = field_label
templates.env.globals["audit_label"] = audit_label
