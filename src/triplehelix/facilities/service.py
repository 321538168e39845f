"""Resource services: add and change bookable resources and their rules (validated, audited),
and list resources and bookings."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session

from triplehelix.accounts import audit
from triplehelix.accounts.models import User
from triplehelix.accounts.permissions import require_manager
from triplehelix.directory.models import Facility, Organisation
from triplehelix.errors import NotFoundError, ValidationError
from triplehelix.facilities.models import ACCESS, Booking, Resource

_CLOCK = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$|^24:00$")


@dataclass
class ResourceRules:
    """Everything a manager sets on a resource; the defaults suit an instrument booked by hour."""

    description: str = ""
    min_minutes: int = 30
    max_minutes: int = 480
    notice_minutes: int = 0
    horizon_days: int = 90
    opens: str = "00:00"
    closes: str = "24:00"
    open_days: str = "1234567"
    timezone: str = "Europe/Amsterdam"
    approval_required: bool = False
    access: str = "any"
    access_organisations: list[str] = field(default_factory=list)
    qualification: str = ""


def rules_problems(session: Session, rules: ResourceRules) -> list[str]:
    problems = []
    if not 1 <= rules.min_minutes <= rules.max_minutes:
        problems.append("min_minutes: must be at least 1 and at most max_minutes")
    if rules.notice_minutes < 0 or rules.horizon_days < 1:
        problems.append("notice_minutes/horizon_days: notice >= 0 and horizon >= 1 day")
    for name in ("opens", "closes"):
        if not _CLOCK.match(getattr(rules, name)):
            problems.append(f"{name}: use HH:MM (00:00-24:00)")
    if not problems and rules.opens >= rules.closes:
        problems.append("closes: must be after opens")
    if not rules.open_days or set(rules.open_days) - set("1234567"):
        problems.append("open_days: ISO weekday digits 1 (Monday) to 7 (Sunday), e.g. 12345")
    try:
        ZoneInfo(rules.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        problems.append(f"timezone: {rules.timezone!r} is not a known time zone")
    if rules.access not in ACCESS:
        problems.append(f"access: one of {', '.join(ACCESS)}")
    if rules.access == "qualification" and not rules.qualification.strip():
        problems.append("qualification: name the qualification bookers must hold")
    for org in rules.access_organisations:
        if session.get(Organisation, org) is None:
            problems.append(f"access_organisations: {org!r} is not a known organisation")
    return problems


def _apply(resource: Resource, rules: ResourceRules) -> None:
    values = asdict(rules)
    values["access_organisations"] = " ".join(rules.access_organisations)
    values["open_days"] = "".join(sorted(set(rules.open_days)))
    for key, value in values.items():
        setattr(resource, key, value)


def resource_snapshot(resource: Resource) -> dict[str, object]:
    keys = ["facility_id", "name", *ResourceRules.__dataclass_fields__]
    return {key: getattr(resource, key) for key in keys}


def add_resource(
    session: Session, actor: User | None, facility_id: str, name: str,
    rules: ResourceRules | None = None, is_demo: bool = False,
) -> Resource:  # fmt: skip
    """Add a bookable resource (actor None: the command line, trusted)."""
    if session.get(Facility, facility_id) is None:
        raise NotFoundError(f"facility_id: no facility {facility_id!r}")
    if actor is not None:
        require_manager(actor, facility_id)
    rules = rules or ResourceRules()
    problems = ([] if name.strip() else ["name: give the resource a name"]) + rules_problems(
        session, rules
    )
    if problems:
        raise ValidationError("; ".join(problems), problems)
    resource = Resource(facility_id=facility_id, name=name.strip(), is_demo=is_demo)
    _apply(resource, rules)
    session.add(resource)
    session.flush()
    audit.record(
        session, actor, "create", "resource", resource.id, None, resource_snapshot(resource)
    )
    return resource


def update_resource(
    session: Session, actor: User, resource: Resource, rules: ResourceRules
) -> None:
    require_manager(actor, resource.facility_id)
    problems = rules_problems(session, rules)
    if problems:
        raise ValidationError("; ".join(problems), problems)
    before = resource_snapshot(resource)
    _apply(resource, rules)
    audit.record(
        session, actor, "update", "resource", resource.id, before, resource_snapshot(resource)
    )


def rules_of(resource: Resource) -> ResourceRules:
    values = {k: getattr(resource, k) for k in ResourceRules.__dataclass_fields__}
    values["access_organisations"] = resource.organisation_ids()
    return ResourceRules(**values)


def list_resources(session: Session, facility_id: str | None = None) -> list[Resource]:
    query = select(Resource).order_by(Resource.facility_id, Resource.name)
    if facility_id:
        query = query.where(Resource.facility_id == facility_id)
    return list(session.scalars(query))


def list_bookings(
    session: Session, resource_id: int | None = None, user: User | None = None,
    status: str | None = None, facility_ids: set[str] | None = None, limit: int = 500,
) -> list[Booking]:  # fmt: skip
    query = select(Booking).join(Resource).order_by(Booking.start_at).limit(limit)
    if resource_id is not None:
        query = query.where(Booking.resource_id == resource_id)
    if user is not None:
        query = query.where(Booking.user_id == user.id)
    if status:
        query = query.where(Booking.status == status)
    if facility_ids is not None:
        query = query.where(Resource.facility_id.in_(facility_ids))
    return list(session.scalars(query))
