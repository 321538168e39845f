"""Account services: create users, grant roles and qualifications, sign in with rate limiting,
browser sessions and personal API tokens. No web or CLI code here."""

from __future__ import annotations

import math
import re
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from triplehelix.accounts.models import (
    ROLES,
    ApiToken,
    LoginAttempt,
    Qualification,
    RoleGrant,
    User,
    UserSession,
)
from triplehelix.accounts.service import audit, security, throttle
from triplehelix.accounts.service.passwords import check_password
from triplehelix.accounts.service.permissions import require_admin
from triplehelix.accounts.service.throttle import Policy
from triplehelix.db import utcnow
from triplehelix.directory.models import Facility, Organisation
from triplehelix.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from triplehelix.i18n import gettext as _
from triplehelix.i18n import ngettext

DEMO_PASSWORD = "demo-password-2026"  # shown on the sign-in page; demo accounts only
SESSION_DAYS = 14
TOKEN_DAYS = 90  # default lifetime of a personal API token
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_WINDOW = timedelta(minutes=15)
# Password checks: per account at one address, per address, per account (distributed attacks);
# then sign-ups per address. Past the free budget each attempt waits twice as long as the last.
PER_PAIR = Policy(free=5, base_seconds=2, cap_seconds=900, window=_WINDOW)
PER_ADDRESS = Policy(free=50, base_seconds=2, cap_seconds=300, window=_WINDOW)
PER_ACCOUNT = Policy(free=20, base_seconds=2, cap_seconds=300, window=_WINDOW)
SIGNUPS = Policy(free=5, base_seconds=60, cap_seconds=3600, window=timedelta(hours=1))


class RateLimitedError(PermissionDeniedError):
    """Too many attempts; try again after the wait the message names."""


def _limited(wait: float) -> RateLimitedError:
    seconds = math.ceil(wait)
    return RateLimitedError(
        ngettext(
            "too many attempts; try again in %(n)s second",
            "too many attempts; try again in %(n)s seconds",
            seconds,
        )
        % {"n": seconds}
    )


def _unknown_organisation(organisation_id: str) -> str:
    return _("%(id)s is not a known organisation") % {"id": repr(organisation_id)}


def normal_email(email: str) -> str:

    email = email.strip().lower()
    if not _EMAIL.match(email):
        raise ValidationError(
            "email: " + _("%(email)s is not an email address") % {"email": repr(email)}
        )
    return email


def _check_scope(session: Session, role: str, scope: str) -> str:
    if role not in ROLES:
        message = _("%(role)s is not one of %(roles)s") % {
            "role": repr(role), "roles": ", ".join(ROLES)
        }  # fmt: skip
        raise ValidationError(f"role: {message}")
    if role == "editor" and session.get(Organisation, scope) is None:
        raise ValidationError("organisation: " + _unknown_organisation(scope))
    if role == "manager" and session.get(Facility, scope) is None:
        message = _("%(id)s is not a known facility") % {"id": repr(scope)}
        raise ValidationError(f"facility: {message}")
    return scope if role in ("editor", "manager") else ""


def create_user(
    session: Session,
    email: str,
    password: str,
    name: str = "",
    organisation_id: str | None = None,
    is_demo: bool = False,
) -> User:
    """A new account. `organisation_id` comes only from trusted callers (the region office's
    command line, demo data) and counts as verified; people who sign up ask for it instead."""
    email = normal_email(email)
    check_password(password, email, name)
    if organisation_id and session.get(Organisation, organisation_id) is None:
        raise ValidationError("organisation: " + _unknown_organisation(organisation_id))
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        raise ConflictError(
            "email: " + _("an account for %(email)s already exists") % {"email": email}
        )
    user = User(
        email=email,
        name=name.strip(),
        password_hash=security.hash_password(password),
        organisation_id=organisation_id or None,
        affiliation_via="admin" if organisation_id else None,
        is_demo=is_demo,
    )
    session.add(user)
    session.flush()
    audit.record(session, None, "create", "user", user.id, None, {"email": email})
    return user


def create_sso_user(session: Session, email: str, name: str = "") -> User:
    """An account that signs in only through single sign-on (its password cannot be guessed)."""
    email = normal_email(email)
    user = User(email=email, name=name.strip()[:200],
                password_hash=security.hash_password(secrets.token_urlsafe(32)))  # fmt: skip
    session.add(user)
    session.flush()
    audit.record(session, None, "create", "user", user.id, None, {"email": email, "via": "sso"})
    return user


def get_user(session: Session, email: str) -> User:
    user = session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise NotFoundError(_("no account for %(email)s") % {"email": email})
    return user


def grant_role(
    session: Session, actor: User | None, user: User, role: str, scope: str = ""
) -> None:
    """Grant a role (actor None: the command line, trusted). `member` needs no grant."""
    scope = _check_scope(session, role, scope)
    if role == "member" or any(g.role == role and g.scope == scope for g in user.roles):
        return
    user.roles.append(RoleGrant(role=role, scope=scope))
    audit.record(session, actor, "grant", "user", user.id, None, {"role": role, "scope": scope})


def grant_qualification(
    session: Session, actor: User | None, user: User, name: str,
    expires_at: datetime | None = None,
) -> None:  # fmt: skip
    """Grant (or renew with a new expiry) a named qualification; None: does not expire."""
    name = name.strip()
    if not name:
        raise ValidationError("qualification: " + _("give a name"))
    if expires_at is not None and expires_at <= utcnow():
        raise ValidationError("expires: " + _("give a date in the future"))
    found = next((q for q in user.qualifications if q.name == name), None)
    before = {"qualification": name, "expires": _iso(found.expires_at)} if found else None
    if found is None:
        found = Qualification(name=name, granted_by=actor.id if actor else None)
        user.qualifications.append(found)
    found.expires_at = expires_at
    after = {"qualification": name, "expires": _iso(expires_at)}
    audit.record(session, actor, "qualify", "user", user.id, before, after)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _engine(session: Session) -> Engine:
    bind = session.get_bind()
    return bind if isinstance(bind, Engine) else bind.engine


def authenticate(
    session: Session, email: str, password: str, ip: str, now: datetime | None = None
) -> User:
    """The user for these credentials. A password is checked only after a check was reserved
    for the account at this address, for the address and for the account (see throttle.py).
    The counters are written on their own connection: call this before `session` writes."""
    email, now = email.strip().lower(), now or utcnow()
    engine = _engine(session)
    for key, policy in ((f"pair:{email}|{ip}", PER_PAIR), (f"address:{ip}", PER_ADDRESS),
                        (f"account:{email}", PER_ACCOUNT)):  # fmt: skip
        wait = throttle.reserve(engine, key, policy, now)
        if wait:
            raise _limited(wait)
    user = session.scalar(select(User).where(User.email == email))
    ok = security.verify_password(user.password_hash if user else None, password)
    session.add(LoginAttempt(email=email, ip=ip, success=ok, at=now))
    if not ok or user is None:
        raise PermissionDeniedError(_("wrong email or password"))
    throttle.clear(engine, f"pair:{email}|{ip}")
    if user.disabled_at is not None:
        raise PermissionDeniedError(_("this account is disabled; ask the region office"))
    return user


def allow_signup(session: Session, ip: str, now: datetime | None = None) -> None:
    """Count one sign-up from this address; raise RateLimitedError past the limit."""
    wait = throttle.reserve(_engine(session), f"signup:{ip}", SIGNUPS, now or utcnow())
    if wait:
        raise _limited(wait)


def start_session(session: Session, user: User) -> str:
    """A new browser session; returns the raw key for the (signed) cookie."""
    key = secrets.token_urlsafe(32)
    expires = utcnow() + timedelta(days=SESSION_DAYS)
    session.add(UserSession(user_id=user.id, key_hash=security.token_hash(key), expires_at=expires))
    return key


def user_for_session(session: Session, key: str) -> User | None:
    found = session.scalar(
        select(UserSession).where(UserSession.key_hash == security.token_hash(key))
    )
    if found is None or found.expires_at < utcnow():
        return None
    user = session.get(User, found.user_id)
    return user if user is not None and user.disabled_at is None else None


def end_session(session: Session, key: str) -> None:
    session.execute(delete(UserSession).where(UserSession.key_hash == security.token_hash(key)))


def create_token(session: Session, user: User, name: str = "", days: int = TOKEN_DAYS) -> str:
    """A new personal API token; only its hash is stored, so this is the one time it is seen."""
    if not 1 <= days <= 366:
        raise ValidationError("days: " + _("a token lives between 1 and 366 days"))
    token = security.new_token()
    expires = utcnow() + timedelta(days=days)
    row = ApiToken(user_id=user.id, token_hash=security.token_hash(token), name=name,
                   expires_at=expires)  # fmt: skip
    session.add(row)
    session.flush()
    audit.record(session, user, "create", "api_token", row.id, None,
                 {"name": name, "user": user.email, "expires": expires.isoformat()})  # fmt: skip
    return token


def user_for_token(session: Session, token: str) -> User | None:
    """The owner of a live token (not revoked, not expired, account enabled); notes the use."""
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == security.token_hash(token)))
    now = utcnow()
    if row is None or row.revoked_at is not None or (row.expires_at and row.expires_at <= now):
        return None
    user = session.get(User, row.user_id)
    if user is None or user.disabled_at is not None:
        return None
    if row.last_used_at is None or now - row.last_used_at > timedelta(minutes=1):
        row.last_used_at = now  # at most one write a minute per token
        session.commit()
    return user


def list_tokens(session: Session, user: User) -> list[ApiToken]:
    query = select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())
    return list(session.scalars(query))


def revoke_token(session: Session, actor: User | None, token_id: int, owner: User) -> ApiToken:
    """Revoke one token of `owner` (the owner themselves, an admin, or the command line)."""
    row = session.get(ApiToken, token_id)
    if row is None or row.user_id != owner.id:
        raise NotFoundError(
            _("no API token %(id)s for %(email)s") % {"id": token_id, "email": owner.email}
        )
    if actor is not None and actor.id != owner.id:
        require_admin(actor)
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        audit.record(session, actor, "revoke", "api_token", row.id, {"revoked": None},
                     {"revoked": row.revoked_at.isoformat(), "user": owner.email})  # fmt: skip
    return row


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.email)))
