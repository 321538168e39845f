"""An account's language: chosen on the account page, kept on the user, and put in the `lang`
cookie on sign-in (password and single sign-on) and on change, so every page follows it.

`None` means "follow the browser": the cookie is removed and Accept-Language decides again.
"""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from triplehelix.accounts.deps import CsrfChecked, CurrentUser
from triplehelix.accounts.models import User
from triplehelix.accounts.pages.account import account_page
from triplehelix.deps import SessionDep
from triplehelix.errors import ValidationError
from triplehelix.i18n import available_locales
from triplehelix.i18n import gettext as _
from triplehelix.i18n.middleware import COOKIE, COOKIE_MAX_AGE
from triplehelix.web import field_errors, redirect

router = APIRouter(tags=["accounts"], include_in_schema=False)


def set_language(session: Session, user: User, locale: str | None) -> str | None:
    """Store the account's language ("" or None: follow the browser); an unknown one is refused."""
    chosen = (locale or "").strip() or None
    if chosen is not None and chosen not in available_locales():
        raise ValidationError(
            _("locale: must be one of %(choices)s, got %(value)r")
            % {"choices": ", ".join(available_locales()), "value": chosen}
        )
    user.locale = chosen
    session.flush()
    return chosen


def remember(response: Response, user: User, forget: bool = False) -> None:
    """Put the account's language in the `lang` cookie. Without a preference the cookie is left
    as it is (a choice made before signing in holds), or with `forget` removed (the browser's)."""
    if user.locale and user.locale in available_locales():
        response.set_cookie(COOKIE, user.locale, max_age=COOKIE_MAX_AGE, path="/", samesite="lax")
    elif forget:
        response.delete_cookie(COOKIE, path="/")


@router.post("/account/language", dependencies=[CsrfChecked])
def change_language(
    request: Request, user: CurrentUser, session: SessionDep, locale: str = Form("")
) -> Response:
    try:
        set_language(session, user, locale)
    except ValidationError as exc:
        session.rollback()
        errors = field_errors(exc.problems)
        return account_page(request, user, session, 422, language_errors=errors, locale=locale)
    session.commit()
    response: RedirectResponse = redirect("/account#language")
    remember(response, user, forget=True)
    return response
