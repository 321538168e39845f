"""The account page: roles, the affiliation (verified or asked for), personal API tokens with
expiry and revoke, and the secret calendar link with rotation."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from triplehelix.accounts import service
from triplehelix.accounts.deps import CsrfChecked, CurrentUser
from triplehelix.accounts.service import access, affiliation
from triplehelix.accounts.service.membership import held_qualifications, member_organisation
from triplehelix.accounts.service.permissions import role_names, scopes
from triplehelix.deps import SessionDep
from triplehelix.directory.models import Organisation
from triplehelix.errors import DomainError, http_status
from triplehelix.web import field_errors, redirect, render

router = APIRouter(tags=["accounts"], include_in_schema=False)


def account_page(
    request: Request, user: CurrentUser, session: SessionDep, status_code: int = 200,
    **extra: object,
) -> Response:  # fmt: skip
    """The account page; a refused form of it comes back with `extra` (its errors, as typed)."""
    settings = request.app.state.settings
    member_of = member_organisation(user)
    pending = affiliation.pending_of(session, user)
    held = held_qualifications(user)
    return render(
        request, "accounts/account.html", user=user, status_code=status_code,
        roles=role_names(user),
        qualifications=[(q, q.name in held) for q in user.qualifications],
        editable=sorted(scopes(user, "editor")),
        member_of=session.get(Organisation, member_of) if member_of else None,
        pending=pending,
        pending_org=session.get(Organisation, pending.organisation_id) if pending else None,
        tokens=service.list_tokens(session, user),
        feed_url=f"{settings.base_url}/api/calendar/{access.calendar_key(settings, user)}.ics",
        **extra,
    )  # fmt: skip


@router.get("/account", response_class=HTMLResponse)
def account(request: Request, user: CurrentUser, session: SessionDep) -> Response:
    return account_page(request, user, session)


@router.post("/account/tokens", dependencies=[CsrfChecked], response_class=HTMLResponse)
def new_token(
    request: Request, user: CurrentUser, session: SessionDep, name: str = Form(""),
    days: str = Form(str(service.TOKEN_DAYS)),
) -> Response:  # fmt: skip
    try:
        lifetime = int(days) if days.strip().isdigit() else -1
        token = service.create_token(session, user, name.strip() or "web", lifetime)
    except DomainError as exc:
        session.rollback()
        return account_page(request, user, session, http_status(exc), token_error=str(exc),
                        token_errors=field_errors(exc.problems),
                        token_typed={"name": name, "days": days})  # fmt: skip
    session.commit()
    return account_page(request, user, session, new_token=token)


@router.post("/account/tokens/{token_id}/revoke", dependencies=[CsrfChecked])
def revoke_token(token_id: int, user: CurrentUser, session: SessionDep) -> Response:
    service.revoke_token(session, user, token_id, user)
    session.commit()
    return redirect("/account#tokens")


@router.post("/account/calendar/rotate", dependencies=[CsrfChecked])
def rotate_calendar(user: CurrentUser, session: SessionDep) -> Response:
    access.rotate_calendar(session, user, user)
    session.commit()
    return redirect("/account#calendar")


@router.post("/account/affiliation", dependencies=[CsrfChecked], response_class=HTMLResponse)
def request_affiliation(
    request: Request, user: CurrentUser, session: SessionDep, organisation: str = Form("")
) -> Response:
    try:
        affiliation.request_affiliation(session, user, organisation)
    except DomainError as exc:
        session.rollback()
        return account_page(request, user, session, http_status(exc), affiliation_error=str(exc),
                        affiliation_errors=field_errors(exc.problems),
                        organisation=organisation)  # fmt: skip
    session.commit()
    return redirect("/account#affiliation")
