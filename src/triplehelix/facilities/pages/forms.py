"""Form helpers shared by the facility pages: flash confirmations after a redirect, and parsing
typed values into the `field: what is wrong` problems that `web.field_errors` puts beside their
fields."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from urllib.parse import quote, unquote

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse

from triplehelix.accounts.models import User
from triplehelix.errors import ValidationError
from triplehelix.i18n import gettext as _
from triplehelix.web import redirect, render

FLASH = "flash"


def done(url: str, message: str) -> RedirectResponse:
    """Redirect and say on the next page what just happened."""
    response = redirect(url)
    response.set_cookie(FLASH, quote(message), max_age=120, httponly=True, samesite="lax", path="/")
    return response


def show(
    request: Request, template: str, user: User | None, status_code: int = 200, **context: Any
) -> HTMLResponse:
    """A page with the pending flash confirmation (shown once)."""
    flash = unquote(request.cookies.get(FLASH, ""))
    response = render(request, template, user=user, status_code=status_code, flash=flash, **context)
    if flash:
        response.delete_cookie(FLASH, path="/")
    return response


def moment(text: str, field: str) -> datetime:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise ValidationError(f"{field}: " + _("give a date and a time")) from None


def day(text: str, field: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationError(f"{field}: " + _("give a date as YYYY-MM-DD")) from None


def whole(text: str, field: str, label: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        message = _("%(label)s takes a whole number") % {"label": str(label)}
        raise ValidationError(f"{field}: {message}") from None
