"""Factories for the booking tests: an organisation with a facility, people with roles."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from triplehelix.accounts import service as accounts
from triplehelix.accounts.models import User
from triplehelix.directory.models import Facility, Organisation
from triplehelix.facilities import service
from triplehelix.facilities.models import Resource

PASSWORD = "correct horse battery"


def make_facility(
    session: Session, facility_id: str = "acme-cleanroom", owner: str = "acme"
) -> Facility:
    if session.get(Organisation, owner) is None:
        session.add(Organisation(id=owner, name=owner.title(), kind="company"))
    facility = Facility(id=facility_id, name=f"{owner.title()} cleanroom", owner_id=owner,
                        kind="cleanroom", details="ISO 7 cleanroom", shared=True)  # fmt: skip
    session.add(facility)
    session.flush()
    return facility


def make_user(session: Session, email: str, role: str = "member", scope: str = "",
              organisation_id: str | None = None) -> User:  # fmt: skip
    user = accounts.create_user(session, email, PASSWORD, organisation_id=organisation_id)
    accounts.grant_role(session, None, user, role, scope)
    session.flush()
    return user


def make_resource(
    session: Session, facility_id: str = "acme-cleanroom", **rules: object
) -> Resource:
    return service.add_resource(session, None, facility_id, str(rules.pop("name", "Bay 1")),
                                service.ResourceRules(**rules))  # type: ignore[arg-type]  # fmt: skip


def slot(hours_ahead: float = 48, minutes: int = 60) -> tuple[datetime, datetime]:
    start = (datetime.now(UTC) + timedelta(hours=hours_ahead)).replace(
        minute=0, second=0, microsecond=0
    )
    return start, start + timedelta(minutes=minutes)
