"""Account services: create users, grant roles and qualifications, sign in with rate limiting,
browser sessions and personal API tokens. No web or CLI code here."""

from __future__ import annotations

import re
import secrets
from datetime import timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from triplehelix.accounts import audit, security
from triplehelix.accounts.models import (
    ROLES,
    ApiToken,
    LoginAttempt,
    Qualification,
    RoleGrant,
    User,
    UserSession,
    utcnow,
)
from triplehelix.directory.models import Facility, Organisation
from triplehelix.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError

MIN_PASSWORD = 10
DEMO_PASSWORD = "demo-password-2026"  # shown on the sign-in page; demo accounts only
SESSION_DAYS = 14
# Failed sign-ins allowed per window, per email address and per client address.
RATE_WINDOW = timedelta(minutes=15)
MAX_FAILS_PER_EMAIL = 5
MAX_FAILS_PER_IP = 20
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class RateLimitedError(PermissionDeniedError):
    """Too many failed sign-ins; try again later."""


def normal_email(email: str) -> str:
    email = email.strip().lower()
    if not _EMAIL.match(email):
        raise ValidationError(f"email: {email!r} is not an email address")
    return email


def _check_scope(session: Session, role: str, scope: str) -> str:
    if role not in ROLES:
        raise ValidationError(f"role: {role!r} is not one of {', '.join(ROLES)}")
    if role == "editor" and session.get(Organisation, scope) is None:
        raise ValidationError(f"organisation: {scope!r} is not a known organisation")
    if role == "manager" and session.get(Facility, scope) is None:
        raise ValidationError(f"facility: {scope!r} is not a known facility")
    return scope if role in ("editor", "manager") else ""


def create_user(
    session: Session,
    email: str,
    password: str,
    name: str = "",
    organisation_id: str | None = None,
    is_demo: bool = False,
) -> User:
    email = normal_email(email)
    if len(password) < MIN_PASSWORD:
        raise ValidationError(f"password: use at least {MIN_PASSWORD} characters")
    if organisation_id and session.get(Organisation, organisation_id) is None:
        raise ValidationError(f"organisation: {organisation_id!r} is not a known organisation")
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        raise ConflictError(f"email: an account for {email} already exists")
    user = User(
        email=email,
        name=name.strip(),
        password_hash=security.hash_password(password),
        organisation_id=organisation_id or None,
        is_demo=is_demo,
    )
    session.add(user)
    session.flush()
    audit.record(session, None, "create", "user", user.id, None, {"email": email})
    return user


def get_user(session: Session, email: str) -> User:
    user = session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise NotFoundError(f"no account for {email}")
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


def grant_qualification(session: Session, actor: User | None, user: User, name: str) -> None:
    name = name.strip()
    if not name:
        raise ValidationError("qualification: give a name")
    if any(q.name == name for q in user.qualifications):
        return
    granted_by = actor.id if actor else None
    user.qualifications.append(Qualification(name=name, granted_by=granted_by))
    audit.record(session, actor, "qualify", "user", user.id, None, {"qualification": name})


def _recent_failures(session: Session, column: InstrumentedAttribute[str], value: str) -> int:
    since = utcnow() - RATE_WINDOW
    query = select(func.count()).select_from(LoginAttempt).where(
        column == value, LoginAttempt.at >= since, LoginAttempt.success.is_(False)
    )  # fmt: skip
    return int(session.scalar(query) or 0)


def authenticate(session: Session, email: str, password: str, ip: str) -> User:
    """The user for these credentials; every attempt is logged and failures are rate-limited."""
    email = email.strip().lower()
    if (
        _recent_failures(session, LoginAttempt.email, email) >= MAX_FAILS_PER_EMAIL
        or _recent_failures(session, LoginAttempt.ip, ip) >= MAX_FAILS_PER_IP
    ):
        raise RateLimitedError("too many failed sign-ins; wait 15 minutes and try again")
    user = session.scalar(select(User).where(User.email == email))
    ok = security.verify_password(user.password_hash if user else None, password)
    session.add(LoginAttempt(email=email, ip=ip, success=ok))
    if not ok or user is None:
        raise PermissionDeniedError("wrong email or password")
    return user


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
    return session.get(User, found.user_id)


def end_session(session: Session, key: str) -> None:
    session.execute(delete(UserSession).where(UserSession.key_hash == security.token_hash(key)))


def create_token(session: Session, user: User, name: str = "") -> str:
    """A new personal API token; only its hash is stored, so this is the one time it is seen."""
    token = security.new_token()
    session.add(ApiToken(user_id=user.id, token_hash=security.token_hash(token), name=name))
    audit.record(session, user, "create", "api_token", user.id, None, {"name": name})
    return token


def user_for_token(session: Session, token: str) -> User | None:
    query = select(User).join(ApiToken).where(ApiToken.token_hash == security.token_hash(token))
    return session.scalar(query)


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.email)))
