"""FastAPI dependencies for accounts: the signed-in user of a page (cookie session), the user of
an API call (bearer token), and the CSRF check every form post goes through."""

from __future__ import annotations

import secrets
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, HTTPException, Request
from sqlalchemy.orm import Session

from triplehelix.accounts import service
from triplehelix.accounts.models import User
from triplehelix.accounts.service import security
from triplehelix.deps import SessionDep
from triplehelix.errors import PermissionDeniedError
from triplehelix.i18n import gettext as _

SESSION_COOKIE = "th_session"
CSRF_COOKIE = "th_csrf"
CSRF_FIELD = "csrf_token"


def session_key(request: Request) -> str | None:
    raw = request.cookies.get(SESSION_COOKIE)
    return security.unsign(request.app.state.settings, "session", raw) if raw else None


def optional_user(request: Request, session: SessionDep) -> User | None:
    key = session_key(request)
    user = service.user_for_session(session, key) if key else None
    request.state.account_user = user  # base.html shows who is signed in without asking again
    return user


def current_user(request: Request, user: Annotated[User | None, Depends(optional_user)]) -> User:
    if user is None:
        target = quote(request.url.path + (f"?{request.url.query}" if request.url.query else ""))
        location = {"Location": f"/signin?next={target}"}
        raise HTTPException(303, _("sign in first"), headers=location)
    return user


def api_user(request: Request, session: SessionDep) -> User:
    return token_user(session, _bearer(request))


async def api_token(request: Request) -> str:
    """An API call's bearer token, read on the event loop; the route checks it with
    `token_user` in its own thread (one thread trip less than `ApiUser`, for hot routes)."""
    return _bearer(request)


def _bearer(request: Request) -> str:
    scheme, _sep, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def token_user(session: Session, token: str) -> User:
    """The owner of a personal API token, or 401."""
    user = service.user_for_token(session, token) if token else None
    if user is None:
        raise HTTPException(
            401, _("give a personal API token: Authorization: Bearer TOKEN"),

            headers={"WWW-Authenticate": "Bearer"},
        )  # fmt: skip
    return user


def csrf_token(request: Request) -> str:
    """This browser's CSRF token (double-submit: a signed cookie echoed in every form)."""
    request.state.csrf_read = True  # the response cache hands a cookie-less visitor one too
    existing = request.cookies.get(CSRF_COOKIE)
    settings = request.app.state.settings
    if existing and security.unsign(settings, "csrf", existing):
        return existing
    minted: str = (
        getattr(request.state, "new_csrf", "")
        or security.signer(settings, "csrf").sign(secrets.token_urlsafe(16)).decode()
    )
    request.state.new_csrf = minted
    return minted


async def check_csrf(request: Request) -> None:
    form = await request.form()
    sent = str(form.get(CSRF_FIELD, ""))
    cookie = request.cookies.get(CSRF_COOKIE, "")
    signed = (
        bool(cookie) and security.unsign(request.app.state.settings, "csrf", cookie) is not None
    )
    if not sent or not signed or not security.same(sent, cookie):
        raise PermissionDeniedError(
            _("the form expired or came from another site; reload the page")
        )


OptionalUser = Annotated[User | None, Depends(optional_user)]
CurrentUser = Annotated[User, Depends(current_user)]
ApiUser = Annotated[User, Depends(api_user)]
ApiToken = Annotated[str, Depends(api_token)]
CsrfChecked = Depends(check_csrf)
