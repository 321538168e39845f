"""Pages behind the links in account e-mail: confirm an address, ask for and set a new password,
send the confirmation again. A link opens a page with a button; only the button's POST uses the
token up, so mail scanners that fetch links do not spend it."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from triplehelix.accounts.deps import CsrfChecked, CurrentUser, OptionalUser
from triplehelix.accounts.service import email_flows
from triplehelix.deps import SessionDep
from triplehelix.errors import ValidationError
from triplehelix.web import redirect, render

router = APIRouter(tags=["accounts"], include_in_schema=False)


@router.get("/account/verify", response_class=HTMLResponse)
def verify_form(request: Request, user: OptionalUser, token: str = "") -> Response:
    return render(request, "accounts/verify.html", user=user, token=token)


@router.post("/account/verify", dependencies=[CsrfChecked], response_class=HTMLResponse)
def verify(
    request: Request, user: OptionalUser, session: SessionDep, token: str = Form("")
) -> Response:
    try:
        confirmed = email_flows.confirm_email(session, token)
    except ValidationError as exc:
        session.rollback()
        return render(request, "accounts/verify.html", user=user, status_code=422, error=str(exc))
    session.commit()
    return render(request, "accounts/verify.html", user=user, confirmed=confirmed,
                  member_of=confirmed.organisation_id)  # fmt: skip


@router.post("/account/verify/resend", dependencies=[CsrfChecked])
def resend(request: Request, user: CurrentUser, session: SessionDep) -> Response:
    email_flows.send_verification(session, request.app.state.settings, user)
    session.commit()
    return redirect("/account?sent=1#affiliation")


@router.get("/reset-password", response_class=HTMLResponse)
def reset_request_form(request: Request, user: OptionalUser) -> Response:
    return render(request, "accounts/reset_request.html", user=user)


@router.post("/reset-password", dependencies=[CsrfChecked], response_class=HTMLResponse)
def reset_request(
    request: Request, session: SessionDep, user: OptionalUser, email: str = Form("")
) -> Response:
    email_flows.request_reset(session, request.app.state.settings, email)
    session.commit()
    # Never say whether the address has an account.
    return render(request, "accounts/reset_request.html", user=user, sent=True, email=email.strip())


@router.get("/reset-password/new", response_class=HTMLResponse)
def reset_form(request: Request, user: OptionalUser, token: str = "") -> Response:
    return render(request, "accounts/reset.html", user=user, token=token)


@router.post("/reset-password/new", dependencies=[CsrfChecked], response_class=HTMLResponse)
def reset(
    request: Request, session: SessionDep, user: OptionalUser, token: str = Form(""),
    password: str = Form(""),
) -> Response:  # fmt: skip
    try:
        email_flows.reset_password(session, token, password)
    except ValidationError as exc:
        session.rollback()
        return render(request, "accounts/reset.html", user=user, status_code=422, error=str(exc),
                      token=token)  # fmt: skip
    session.commit()
    return redirect("/signin?reset=1")
