"""Taking access back: disable or re-enable an account, withdraw a role or a qualification,
and rotate the secret calendar link. Each change is audited; the command line acts as None."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from sqlalchemy import delete
from sqlalchemy.orm import Session

from triplehelix.accounts.models import User, UserSession
from triplehelix.accounts.service import audit, security
from triplehelix.accounts.service.labels import code_label
from triplehelix.config import Settings
from triplehelix.db import utcnow
from triplehelix.errors import NotFoundError, ValidationError
from triplehelix.i18n import gettext as _


def expiry_date(text: str) -> datetime | None:
    """A qualification's expiry typed as YYYY-MM-DD (the start of that day, UTC); "" is none."""
    if not text.strip():
        return None
    try:
        return datetime.combine(date.fromisoformat(text.strip()), time(), UTC)
    except ValueError as exc:
        message = _("%(text)s is not a date YYYY-MM-DD") % {"text": repr(text)}
        raise ValidationError(f"expires: {message}") from exc


def set_disabled(session: Session, actor: User | None, user: User, disabled: bool) -> None:
    """A disabled account cannot sign in, its sessions end and its tokens stop working."""
    if actor is not None and actor.id == user.id and disabled:
        raise ValidationError("user: " + _("you cannot disable your own account"))
    before = {"disabled": user.disabled_at is not None}
    user.disabled_at = utcnow() if disabled else None
    if disabled:
        session.execute(delete(UserSession).where(UserSession.user_id == user.id))
    audit.record(session, actor, "disable" if disabled else "enable", "user", user.id, before,
                 {"disabled": disabled})  # fmt: skip


def revoke_role(
    session: Session, actor: User | None, user: User, role: str, scope: str = ""
) -> None:
    grant = next((g for g in user.roles if g.role == role and g.scope == scope), None)
    if grant is None:
        named = code_label(role)
        label = _("%(role)s of %(scope)s") % {"role": named, "scope": scope} if scope else named
        message = _("%(email)s does not hold %(role)s") % {"email": user.email, "role": label}
        raise NotFoundError(f"role: {message}")
    user.roles.remove(grant)
    audit.record(session, actor, "revoke", "user", user.id, {"role": role, "scope": scope}, None)


def withdraw_qualification(session: Session, actor: User | None, user: User, name: str) -> None:
    found = next((q for q in user.qualifications if q.name == name.strip()), None)
    if found is None:
        message = _("%(email)s does not hold %(role)s") % {"email": user.email, "role": repr(name)}
        raise NotFoundError(f"qualification: {message}")
    user.qualifications.remove(found)
    audit.record(session, actor, "withdraw", "user", user.id, {"qualification": found.name}, None)


def calendar_key(settings: Settings, user: User) -> str:
    """The secret part of a person's calendar link: their id and link version, signed."""
    return security.signer(settings, "calendar").sign(f"{user.id}.{user.calendar_version}").decode()


def user_for_calendar(session: Session, settings: Settings, key: str) -> User:
    value = security.unsign(settings, "calendar", key) or ""
    user_id, _sep, version = value.partition(".")
    user = session.get(User, int(user_id)) if user_id.isdigit() else None
    if user is None or user.disabled_at is not None or version != str(user.calendar_version):
        raise NotFoundError(_("no such calendar feed"))

    return user


def rotate_calendar(session: Session, actor: User | None, user: User) -> None:
    """A new calendar link; every earlier link stops working at once."""
    user.calendar_version += 1
    audit.record(session, actor, "rotate", "calendar_link", user.id, None,
                 {"version": user.calendar_version})  # fmt: skip
