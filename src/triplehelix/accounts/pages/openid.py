"""Single sign-on pages: /signin/sso sends the browser to the OpenID provider (state and nonce
kept in a short-lived signed cookie) and /signin/sso/callback completes the sign-in."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request
from fastapi.responses import Response

from triplehelix.accounts.pages import signed_in, signin_page
from triplehelix.accounts.service import security, sso
from triplehelix.deps import SessionDep
from triplehelix.errors import DomainError, http_status
from triplehelix.i18n import gettext as _
from triplehelix.web import local_target, redirect, set_cookie

router = APIRouter(tags=["accounts"], include_in_schema=False)
COOKIE = "th_sso"


def _callback(request: Request) -> str:
    return f"{request.app.state.settings.base_url}/signin/sso/callback"


@router.get("/signin/sso")
def sso_start(request: Request, session: SessionDep, next: str = "/account") -> Response:
    settings = request.app.state.settings
    try:
        begun = sso.start(settings, _callback(request))
    except DomainError as exc:
        return signin_page(request, session, http_status(exc), str(exc), next)
    memo = json.dumps({"state": begun.state, "nonce": begun.nonce,
                       "next": local_target(next, "/account")})  # fmt: skip
    response = redirect(begun.url)
    set_cookie(request, response, COOKIE, security.signer(settings, "sso").sign(memo).decode(),
               max_age=600)  # fmt: skip
    return response


@router.get("/signin/sso/callback")
def sso_callback(
    request: Request, session: SessionDep, code: str = "", state: str = "", error: str = ""
) -> Response:
    settings = request.app.state.settings
    memo = json.loads(security.unsign(settings, "sso", request.cookies.get(COOKIE, "")) or "{}")
    try:
        if error or not code:
            reason = error or _("no code")
            raise sso.SsoError(
                _("the sign-in service did not sign you in (%(reason)s)") % {"reason": reason}
            )
        if not memo or not security.same(state, str(memo.get("state", ""))):
            raise sso.SsoError(_("this sign-in was not started here or took too long; try again"))
        claims = sso.finish(settings, _callback(request), code, str(memo["nonce"]))
        user = sso.sign_in(session, settings, claims)
    except DomainError as exc:
        session.rollback()
        return signin_page(request, session, http_status(exc), str(exc), "/account")
    response = signed_in(request, session, user, str(memo.get("next", "/account")))
    response.delete_cookie(COOKIE, path="/")
    return response
