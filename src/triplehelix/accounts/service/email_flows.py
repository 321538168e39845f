"""Account e-mail: confirming an address (which also verifies a pending affiliation when the
address is on the organisation's domain), resetting a forgotten password, and telling people
about affiliation decisions. Links carry single-use tokens that expire; only hashes are stored.
Answers never reveal whether an address has an account: both cases send a mail to the address."""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from triplehelix.accounts import service
from triplehelix.accounts.models import AffiliationRequest, EmailToken, User, UserSession
from triplehelix.accounts.service import affiliation, audit, security
from triplehelix.accounts.service.passwords import check_password
from triplehelix.config import Settings
from triplehelix.db import utcnow
from triplehelix.directory.models import Organisation
from triplehelix.errors import ValidationError
from triplehelix.i18n import current_locale
from triplehelix.i18n import gettext as _
from triplehelix.mail import Mail, MailError, send_mail, written_for

LIFETIME = {"verify": timedelta(hours=48), "reset": timedelta(hours=1)}
_log = logging.getLogger(__name__)


def _mail(settings: Settings, to: str, subject: str, body: str) -> None:
    """Send, and keep going when the server is down (the message stays in the outbox). Called
    inside `written_for(...)`: the message is labelled with the language it was written in."""
    try:
        send_mail(settings, Mail(to=(to,), subject=subject, body=body, language=current_locale()))
    except MailError as exc:
        _log.warning("mail to %s kept in the outbox: %s", to, exc)


def _issue(session: Session, user: User, purpose: str) -> str:
    raw = secrets.token_urlsafe(32)
    session.add(EmailToken(user_id=user.id, purpose=purpose, token_hash=security.token_hash(raw),
                           expires_at=utcnow() + LIFETIME[purpose]))  # fmt: skip
    return raw


def _use(session: Session, raw: str, purpose: str) -> User:
    """The user of a live token, which is used up by this call (atomically: one winner)."""
    now = utcnow()
    query = select(EmailToken).where(
        EmailToken.token_hash == security.token_hash(raw), EmailToken.purpose == purpose
    )
    found = session.scalar(query)
    if found is None or found.used_at is not None or found.expires_at <= now:
        raise ValidationError("link: " + _expired_link())
    taken = session.execute(update(EmailToken).where(
        EmailToken.id == found.id, EmailToken.used_at.is_(None)).values(used_at=now))  # fmt: skip
    user = session.get(User, found.user_id)
    if getattr(taken, "rowcount", 0) != 1 or user is None:
        raise ValidationError("link: " + _expired_link())
    return user


def _expired_link() -> str:
    return _("this link has expired or was already used; ask for a new one")


def sign_up(
    session: Session, settings: Settings, email: str, password: str, name: str = "",
    organisation: str = "",
) -> User | None:  # fmt: skip
    """A new account (None when the address has one: its owner is told instead). Everything
    is checked first, so a bad form gets the same answer whether the address is known or not."""
    email = service.normal_email(email)
    check_password(password, email, name)
    if organisation.strip():
        affiliation.organisation_of(session, organisation)
    existing = session.scalar(select(User).where(User.email == email))
    if existing is not None:
        warn_existing(settings, email, existing)
        return None
    user = service.create_user(session, email, password, name)
    if organisation.strip():  # asked for, not granted: someone (or the e-mail link) verifies it
        affiliation.request_affiliation(session, user, organisation)
    send_verification(session, settings, user)
    return user


def send_verification(
    session: Session, settings: Settings, user: User, locale: str | None = None
) -> None:
    """Mail the confirmation link, in `locale` or else the recipient's language."""
    raw = _issue(session, user, "verify")
    link = f"{settings.base_url}/account/verify?token={raw}"
    with written_for(user, locale):
        body = _(
            "Open this link within 48 hours to confirm your address:\n\n%(link)s\n\n"
            "If you did not sign up, ignore this message."
        ) % {"link": link}
        _mail(settings, user.email, _("Confirm your e-mail address"), body)


def warn_existing(
    settings: Settings, email: str, owner: User | None = None, locale: str | None = None
) -> None:
    """Someone signed up with an address that has an account: tell its owner, nobody else."""
    with written_for(owner, locale):
        body = _(
            "An account for this address exists already. If this was you, sign in or reset "
            "your password at %(link)s.\nIf not, you can ignore this message."
        ) % {"link": f"{settings.base_url}/reset-password"}
        _mail(settings, email, _("Someone tried to sign up with your address"), body)


def confirm_email(session: Session, raw: str) -> User:
    """Mark the address confirmed; a pending request for an organisation whose domain the
    address is on becomes a verified membership (via e-mail)."""
    user = _use(session, raw, "verify")
    user.email_verified_at = user.email_verified_at or utcnow()
    audit.record(session, user, "verify", "user", user.id, None, {"email": user.email})
    pending = affiliation.pending_of(session, user)
    org = session.get(Organisation, pending.organisation_id) if pending else None
    if pending and org and affiliation.email_matches(session, org, user.email):
        pending.status, pending.decided_at = "approved", utcnow()
        affiliation.set_affiliation(session, user, user, org.id, "email")
    return user


def request_reset(
    session: Session, settings: Settings, email: str, locale: str | None = None
) -> None:
    """Mail a reset link when the address has an account; the caller answers the same either way."""
    user = session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None or user.disabled_at is not None:
        return
    raw = _issue(session, user, "reset")
    with written_for(user, locale):
        body = _(
            "Open this link within an hour to choose a new password:\n\n%(link)s\n\n"
            "If you did not ask for this, ignore this message; your password stays as it is."
        ) % {"link": f"{settings.base_url}/reset-password/new?token={raw}"}
        _mail(settings, user.email, _("Reset your password"), body)


def reset_password(session: Session, raw: str, password: str) -> User:
    """Set a new password with a reset link; every session and other reset link ends."""
    token_hash = security.token_hash(raw)
    found = session.scalar(select(EmailToken.user_id).where(EmailToken.token_hash == token_hash))
    owner = session.get(User, found) if found is not None else None
    if owner is not None:
        check_password(password, owner.email, owner.name)  # before the link is used up
    user = _use(session, raw, "reset")
    user.password_hash = security.hash_password(password)
    user.email_verified_at = user.email_verified_at or utcnow()  # the link proved the address
    session.execute(delete(UserSession).where(UserSession.user_id == user.id))
    session.execute(update(EmailToken).where(
        EmailToken.user_id == user.id, EmailToken.purpose == "reset",
        EmailToken.used_at.is_(None)).values(used_at=utcnow()))  # fmt: skip
    audit.record(session, user, "reset_password", "user", user.id, None, None)
    return user


def mail_decision(
    session: Session, settings: Settings, request: AffiliationRequest, locale: str | None = None
) -> None:
    """Tell the person by e-mail, in their language, what was decided about their request."""
    user = session.get(User, request.user_id)
    org = session.get(Organisation, request.organisation_id)
    if user is None or request.status not in ("approved", "rejected"):
        return
    values = {
        "name": org.name if org else request.organisation_id,
        "link": f"{settings.base_url}/account",
    }
    with written_for(user, locale):
        if request.status == "approved":
            subject = _("Your affiliation with %(name)s was approved") % values
            body = _(
                "Your request to be counted as a member of %(name)s was approved.\n\n"
                "Your account: %(link)s"
            )
        else:
            subject = _("Your affiliation with %(name)s was declined") % values
            body = _(
                "Your request to be counted as a member of %(name)s was declined.\n\n"
                "Your account: %(link)s"
            )
        _mail(settings, user.email, subject, body % values)
