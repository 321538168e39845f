"""The region office in the browser: users (disable, roles, affiliation, qualifications with
expiry), the affiliation-request queue (also for organisation editors) and reverting a profile
edit from the audit log. Thin: every action is one call to a service that audits it."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select

from triplehelix.accounts import service
from triplehelix.accounts.deps import CsrfChecked, CurrentUser
from triplehelix.accounts.models import ROLES, User
from triplehelix.accounts.service import access, affiliation, email_flows
from triplehelix.accounts.service.membership import held_qualifications
from triplehelix.accounts.service.moderation import revert_edit
from triplehelix.accounts.service.permissions import require_admin, scopes
from triplehelix.deps import SessionDep
from triplehelix.errors import (
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
    http_status,
)
from triplehelix.i18n import gettext as _
from triplehelix.web import field_errors, redirect, render

router = APIRouter(tags=["admin"], include_in_schema=False)


def _user(session: SessionDep, admin: User, user_id: int) -> User:
    require_admin(admin)
    user = session.get(User, user_id)
    if user is None:
        raise NotFoundError(_("no user %(id)s") % {"id": user_id})
    return user


@router.get("/admin/users", response_class=HTMLResponse)
def users(request: Request, user: CurrentUser, session: SessionDep, q: str = "") -> Response:
    require_admin(user)
    query = select(User).order_by(User.email).limit(500)
    if q.strip():
        query = query.where(User.email.contains(q.strip().lower()))
    people = list(session.scalars(query))
    return render(request, "accounts/admin_users.html", user=user, people=people, q=q)


def _user_page(
    request: Request, admin: User, session: SessionDep, person: User, status_code: int = 200,
    error: str = "", action: str = "", errors: dict[str, str] | None = None,
    typed: dict[str, str] | None = None,
) -> Response:  # fmt: skip
    """A person's page; a refused action's form comes back with its errors and values."""
    held = held_qualifications(person)
    return render(
        request, "accounts/admin_user.html", user=admin, status_code=status_code, person=person,
        roles=ROLES[1:], error=error, tokens=service.list_tokens(session, person),
        errors={action: errors or {}}, typed={action: typed or {}},
        qualifications=[(q, q.name in held) for q in person.qualifications],
        pending=affiliation.pending_of(session, person),
    )  # fmt: skip


@router.get("/admin/users/{user_id}", response_class=HTMLResponse)
def user_page(request: Request, user_id: int, user: CurrentUser, session: SessionDep) -> Response:
    return _user_page(request, user, session, _user(session, user, user_id))


def _act(request: Request, admin: User, session: SessionDep, user_id: int, action: str,
         form: dict[str, str]) -> Response:  # fmt: skip
    person = _user(session, admin, user_id)
    try:
        _apply(session, admin, person, action, form)
    except (ValidationError, NotFoundError) as exc:
        session.rollback()
        return _user_page(request, admin, session, person, http_status(exc), str(exc), action,
                          field_errors(exc.problems), form)  # fmt: skip
    session.commit()
    return redirect(f"/admin/users/{user_id}")


def _apply(
    session: SessionDep, admin: User, person: User, action: str, form: dict[str, str]
) -> None:
    if action in ("disable", "enable"):
        access.set_disabled(session, admin, person, action == "disable")
    elif action == "grant":
        service.grant_role(session, admin, person, form["role"], form["scope"].strip())
    elif action == "revoke":
        access.revoke_role(session, admin, person, form["role"], form["scope"])
    elif action == "qualify":
        service.grant_qualification(
            session, admin, person, form["name"], access.expiry_date(form["expires"])
        )
    elif action == "withdraw":
        access.withdraw_qualification(session, admin, person, form["name"])
    elif action == "affiliate":
        organisation = form["organisation"].strip() or None
        affiliation.set_affiliation(session, admin, person, organisation, "admin")
    elif action == "revoke-token":
        service.revoke_token(session, admin, int(form["token"]), person)
    else:
        raise NotFoundError(_("no admin action %(action)s") % {"action": repr(action)})


@router.post(
    "/admin/users/{user_id}/{action}", dependencies=[CsrfChecked], response_class=HTMLResponse
)
def user_action(
    request: Request, user_id: int, action: str, user: CurrentUser, session: SessionDep,
    role: str = Form(""), scope: str = Form(""), name: str = Form(""), expires: str = Form(""),
    organisation: str = Form(""), token: str = Form("0"),
) -> Response:  # fmt: skip
    form = {"role": role, "scope": scope, "name": name, "expires": expires,
            "organisation": organisation, "token": token if token.isdigit() else "0"}  # fmt: skip
    return _act(request, user, session, user_id, action, form)


@router.get("/admin/affiliations", response_class=HTMLResponse)
def affiliations(request: Request, user: CurrentUser, session: SessionDep) -> Response:
    """Open requests this person may decide: all for a region admin, their own for an editor."""
    if not (scopes(user, "editor") or scopes(user, "admin")):
        raise PermissionDeniedError(_("only an organisation editor or a region admin may do this"))
    return render(request, "accounts/admin_affiliations.html", user=user,
                  requests=affiliation.pending_for(session, user))  # fmt: skip


@router.post("/admin/affiliations/{request_id}/{verdict}", dependencies=[CsrfChecked])
def decide(
    request: Request, request_id: int, verdict: str, user: CurrentUser, session: SessionDep
) -> Response:
    if verdict not in ("approve", "reject"):
        raise NotFoundError(
            _("no decision %(verdict)s: approve or reject") % {"verdict": repr(verdict)}
        )
    decided = affiliation.decide_affiliation(session, user, request_id, verdict == "approve")
    session.commit()
    email_flows.mail_decision(session, request.app.state.settings, decided)
    return redirect("/admin/affiliations")


@router.post("/admin/audit/{entry_id}/revert", dependencies=[CsrfChecked])
def revert(entry_id: int, user: CurrentUser, session: SessionDep) -> Response:
    org = revert_edit(session, user, entry_id)
    session.commit()
    return redirect(f"/admin/audit?entity=organisation&entity_id={org.id}")
