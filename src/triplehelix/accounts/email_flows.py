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

from triplehelix.accounts import affiliation, audit, security, service
from triplehelix.accounts.models import AffiliationRequest, EmailToken, User, UserSession, utcnow
from triplehelix.accounts.passwords import check_password
from triplehelix.config import Settings
from triplehelix.directory.models import Organisation
from triplehelix.errors import ValidationError
from triplehelix.mail import Mail, MailError, send_mail

LIFETIME = {"verify": timedelta(hours=48), "reset": timedelta(hours=1)}
_log = logging.getLogger(__name__)


def _mail(settings: Settings, to: str, subject: str, body: str) -> None:
    """Send, and keep going when the server is down (the message stays in the outbox)."""
    try:
        send_mail(settings, Mail(to=(to,), subject=subject, body=body))
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
        raise ValidationError("link: this link has expired or was already used; ask for a new one")
    taken = session.execute(update(EmailToken).where(
        EmailToken.id == found.id, EmailToken.used_at.is_(None)).values(used_at=now))  # fmt: skip
    user = session.get(User, found.user_id)
    if getattr(taken, "rowcount", 0) != 1 or user is None:
        raise ValidationError("link: this link has expired or was already used; ask for a new one")
    return user


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
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        warn_existing(settings, email)
        return None
    user = service.create_user(session, email, password, name)
    if organisation.strip():  # asked for, not granted: someone (or the e-mail link) verifies it
        affiliation.request_affiliation(session, user, organisation)
    send_verification(session, settings, user)
    return user


def send_verification(session: Session, settings: Settings, user: User) -> None:
    raw = _issue(session, user, "verify")
    link = f"{settings.base_url}/account/verify?token={raw}"
    _mail(settings, user.email, "Confirm your e-mail address",
          f"Open this link within 48 hours to confirm your address:\n\n{link}\n\n"
          "If you did not sign up, ignore this message.")  # fmt: skip


def warn_existing(settings: Settings, email: str) -> None:
    """Someone signed up with an address that has an account: tell its owner, nobody else."""
    _mail(settings, email, "Someone tried to sign up with your address",
          "An account for this address exists already. If this was you, sign in or reset "
          f"your password at {settings.base_url}/reset-password.\n"
          "If not, you can ignore this message.")  # fmt: skip


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


def request_reset(session: Session, settings: Settings, email: str) -> None:
    """Mail a reset link when the address has an account; the caller answers the same either way."""
    user = session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None or user.disabled_at is not None:
        return
    raw = _issue(session, user, "reset")
    _mail(settings, user.email, "Reset your password",
          f"Open this link within an hour to choose a new password:\n\n"
          f"{settings.base_url}/reset-password/new?token={raw}\n\n"
          "If you did not ask for this, ignore this message; your password stays as it "
          "is.")  # fmt: skip


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


def mail_decision(session: Session, settings: Settings, request: AffiliationRequest) -> None:
    """Tell the person by e-mail what was decided about their affiliation request."""
    user = session.get(User, request.user_id)
    org = session.get(Organisation, request.organisation_id)
    if user is None or request.status not in ("approved", "rejected"):
        return
    name = org.name if org else request.organisation_id
    verdict = "approved" if request.status == "approved" else "declined"
    _mail(settings, user.email, f"Your affiliation with {name} was {verdict}",
          f"Your request to be counted as a member of {name} was {verdict}.\n\n"
          f"Your account: {settings.base_url}/account")  # fmt: skip
