"""Account pages: sign up, sign in (rate-limited), sign out, the inbox and the audit log. The
account page is in account.py, the profile editor in moderation.py. Also what base.html shows on
every feature's page: who is signed in (`account_of`, installed as a template global from
features.py)."""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select
from sqlalchemy.orm.exc import DetachedInstanceError

from triplehelix.accounts import deps, service
from triplehelix.accounts.deps import CsrfChecked, CurrentUser, OptionalUser
from triplehelix.accounts.models import User
from triplehelix.accounts.pages import language
from triplehelix.accounts.service import audit, email_flows, security, sso
from triplehelix.accounts.service.inbox import list_messages, mark_read
from triplehelix.accounts.service.permissions import require_admin
from triplehelix.deps import SessionDep
from triplehelix.errors import ConflictError, PermissionDeniedError, ValidationError
from triplehelix.web import (
    client_ip,
    field_errors,
    local_target,
    redirect,
    render,
    set_cookie,
)

router = APIRouter(tags=["accounts"], include_in_schema=False)
DEMO_PASSWORD = service.DEMO_PASSWORD


def account_of(request: Request) -> dict[str, object] | None:
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


def csrf_cookie_headers(scope: MutableMapping[str, Any]) -> list[tuple[bytes, bytes]]:
    """For a kept page (the response cache): the CSRF cookie `render` sets for this request, if
    the visitor has no valid one yet."""
    request = Request(scope)
    token = deps.csrf_token(request)
    if not getattr(request.state, "new_csrf", ""):
        return []
    response = HTMLResponse()
    set_cookie(request, response, deps.CSRF_COOKIE, token)
    return [(k, v) for k, v in response.raw_headers if k == b"set-cookie"]


def _demo_users(session: SessionDep) -> list[User]:
    return list(session.scalars(select(User).where(User.is_demo.is_(True)).order_by(User.email)))


def signed_in(request: Request, session: SessionDep, user: User, target: str) -> Response:
    key = service.start_session(session, user)
    session.commit()
    response = redirect(local_target(target, "/account"))
    cookie = security.signer(request.app.state.settings, "session").sign(key).decode()
    set_cookie(request, response, deps.SESSION_COOKIE, cookie, max_age=service.SESSION_DAYS * 86400)
    language.remember(response, user)  # the account's language holds from the first page on
    return response


def signin_page(
    request: Request, session: SessionDep, status_code: int = 200, error: str = "",
    next: str = "/account", email: str = "",
) -> Response:  # fmt: skip
    return render(
        request, "accounts/signin.html", user=None, status_code=status_code, error=error, next=next,
        email=email, demo=_demo_users(session), demo_password=DEMO_PASSWORD,
        sso=sso.enabled(request.app.state.settings),
    )  # fmt: skip


@router.get("/signin", response_class=HTMLResponse)
def signin_form(request: Request, session: SessionDep, next: str = "/account") -> Response:
    return signin_page(request, session, next=next)


@router.post("/signin", dependencies=[CsrfChecked])
def signin(
    request: Request,
    session: SessionDep,
    email: str = Form(""),
    password: str = Form(""),
    next: str = Form("/account"),
) -> Response:
    try:
        user = service.authenticate(session, email, password, client_ip(request))
    except PermissionDeniedError as exc:
        session.commit()  # keep the failed attempt: it counts towards the limit
        status = 429 if isinstance(exc, service.RateLimitedError) else 401
        return signin_page(request, session, status, str(exc), next, email)
    return signed_in(request, session, user, next)


@router.get("/signup", response_class=HTMLResponse)
def signup_form(request: Request, user: OptionalUser) -> Response:
    return render(request, "accounts/signup.html", user=user)


@router.post("/signup", dependencies=[CsrfChecked])
def signup(
    request: Request,
    session: SessionDep,
    email: str = Form(""),
    password: str = Form(""),
    name: str = Form(""),
    organisation: str = Form(""),
) -> Response:
    try:
        service.allow_signup(session, client_ip(request))
        email_flows.sign_up(session, request.app.state.settings, email, password, name,
                            organisation)  # fmt: skip
    except (ValidationError, ConflictError, PermissionDeniedError) as exc:
        session.rollback()
        return render(
            request,
            "accounts/signup.html",
            user=None,
            status_code=429 if isinstance(exc, service.RateLimitedError) else 422,
            error=str(exc),
            errors=field_errors(exc.problems),
            email=email,
            display_name=name,
            organisation=organisation,
        )
    session.commit()
    # The same answer whether the address was new or known (its owner got a mail instead).
    return render(request, "accounts/check_email.html", user=None, email=email.strip().lower())


@router.post("/signout", dependencies=[CsrfChecked])
def signout(request: Request, session: SessionDep) -> Response:
    key = deps.session_key(request)
    if key:
        service.end_session(session, key)
        session.commit()
    response = redirect("/")
    response.delete_cookie(deps.SESSION_COOKIE, path="/")
    return response


@router.get("/inbox", response_class=HTMLResponse)
def inbox(request: Request, user: CurrentUser, session: SessionDep) -> Response:
    messages = list_messages(session, user)
    unread = {m.id for m in messages if not m.read}
    mark_read(session, user)
    session.commit()
    return render(request, "accounts/inbox.html", user=user, messages=messages, unread=unread)


@router.get("/admin/audit", response_class=HTMLResponse)
def audit_log(
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    entity: str | None = None,
    entity_id: str | None = None,
) -> Response:
    """Every change, newest first: who, when, what, and the fields before and after."""
    require_admin(user)
    entries = audit.audit_entries(session, entity or None, entity_id or None)
    rows = [(e, audit.changed_fields(e.before, e.after)) for e in entries]
    return render(request, "accounts/audit.html", user=user, rows=rows, entity=entity or "",
                  entity_id=entity_id or "")  # fmt: skip
