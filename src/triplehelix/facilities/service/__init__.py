"""Resource services: add and change bookable resources and their rules (validated, audited),
get a resource, and list resources and bookings."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session

from triplehelix.accounts.models import User
from triplehelix.accounts.service import audit
from triplehelix.accounts.service.permissions import require_manager
from triplehelix.db import utcnow
from triplehelix.directory.models import Facility, Organisation
from triplehelix.errors import ConflictError, NotFoundError, ValidationError
from triplehelix.facilities.models import ACCESS, Booking, Resource
from triplehelix.i18n import gettext as _
from triplehelix.i18n import lazy_gettext

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
    cancel_hours: int = 0


MAX_HORIZON_DAYS = 730
MAX_BOOKING_MINUTES = 14 * 24 * 60
MAX_CANCEL_HOURS = 30 * 24

# What each rule is called on the form; messages use these words, never the field ids.
LABELS = {
    "name": lazy_gettext("Name"),
    "min_minutes": lazy_gettext("Shortest booking"),
    "max_minutes": lazy_gettext("Longest booking"),
    "notice_minutes": lazy_gettext("Notice"),
    "horizon_days": lazy_gettext("Horizon"),
    "cancel_hours": lazy_gettext("Cancellation deadline"),
    "opens": lazy_gettext("Opens"),
    "closes": lazy_gettext("Closes"),
    "open_days": lazy_gettext("Open days"),
    "timezone": lazy_gettext("Time zone"),
    "access": lazy_gettext("Who may book"),
    "access_organisations": lazy_gettext("Organisations"),
    "qualification": lazy_gettext("Qualification"),
}


def _bounds_problems(rules: ResourceRules) -> list[str]:
    problems = []
    if not 1 <= rules.min_minutes <= MAX_BOOKING_MINUTES:
        problems.append(
            "min_minutes: "
            + _("the shortest booking must be 1 to %(n)s minutes") % {"n": MAX_BOOKING_MINUTES}
        )
    if not 1 <= rules.max_minutes <= MAX_BOOKING_MINUTES:
        problems.append(
            "max_minutes: "
            + _("the longest booking must be 1 to %(n)s minutes (14 days)")
            % {"n": MAX_BOOKING_MINUTES}
        )
    elif rules.min_minutes > rules.max_minutes:
        problems.append(
            "max_minutes: " + _("the longest booking must not be shorter than the shortest")
        )
    if not 1 <= rules.horizon_days <= MAX_HORIZON_DAYS:
        problems.append(
            "horizon_days: " + _("the horizon must be 1 to %(n)s days") % {"n": MAX_HORIZON_DAYS}
        )
    if not 0 <= rules.notice_minutes <= rules.horizon_days * 24 * 60:
        problems.append(
            "notice_minutes: " + _("the notice must be 0 or more minutes, within the horizon")
        )
    if not 0 <= rules.cancel_hours <= MAX_CANCEL_HOURS:
        problems.append(
            "cancel_hours: "
            + _("the cancellation deadline must be 0 to %(n)s hours") % {"n": MAX_CANCEL_HOURS}
        )
    return problems


def resource_rules_problems(session: Session, rules: ResourceRules) -> list[str]:
    """What is wrong with the rules a manager set on a resource, each naming the field."""
    problems = _bounds_problems(rules)
    for name in ("opens", "closes"):
        if not _CLOCK.match(getattr(rules, name)):
            problems.append(
                f"{name}: "
                + _("%(label)s takes a time as HH:MM, 00:00 to 24:00")
                % {"label": str(LABELS[name]).lower()}
            )
    if not problems and rules.opens >= rules.closes:
        problems.append("closes: " + _("closing time must be after opening time"))
    if not rules.open_days or set(rules.open_days) - set("1234567"):
        problems.append("open_days: " + _("tick at least one day"))
    try:
        ZoneInfo(rules.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        problems.append(
            "timezone: " + _("%(zone)s is not a known time zone") % {"zone": repr(rules.timezone)}
        )
    if rules.access not in ACCESS:
        problems.append("access: " + _("choose who may book"))
    if rules.access == "qualification" and not rules.qualification.strip():
        problems.append("qualification: " + _("name the qualification bookers must hold"))
    if rules.access == "organisations" and not rules.access_organisations:
        problems.append("access_organisations: " + _("pick at least one organisation"))
    for org in rules.access_organisations:
        if session.get(Organisation, org) is None:
            problems.append(
                "access_organisations: "
                + _("%(organisation)s is not a known organisation") % {"organisation": repr(org)}
            )
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
        raise NotFoundError("facility_id: " + _("no facility %(id)s") % {"id": repr(facility_id)})
    if actor is not None:
        require_manager(actor, facility_id)
    rules = rules or ResourceRules()
    unnamed = [] if name.strip() else ["name: " + _("give the resource a name")]
    problems = unnamed + resource_rules_problems(session, rules)
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
    session: Session, actor: User, resource: Resource, rules: ResourceRules, name: str | None = None
) -> None:
    require_manager(actor, resource.facility_id)
    name = resource.name if name is None else name.strip()
    unnamed = [] if name else ["name: " + _("give the resource a name")]
    problems = unnamed + resource_rules_problems(session, rules)
    if problems:
        raise ValidationError("; ".join(problems), problems)
    before = resource_snapshot(resource)
    resource.name = name
    _apply(resource, rules)
    audit.record(
        session, actor, "update", "resource", resource.id, before, resource_snapshot(resource)
    )


def retire_resource(session: Session, actor: User, resource: Resource) -> None:
    """Take a resource out of the catalogue; its bookings and history stay."""
    require_manager(actor, resource.facility_id)
    if resource.retired_at is not None:
        raise ConflictError(
            _("%(resource)s is already retired") % {"resource": repr(resource.name)}
        )

    before = resource_snapshot(resource)
    resource.retired_at = utcnow()
    audit.record(
        session, actor, "retire", "resource", resource.id, before, resource_snapshot(resource)
    )


def get_resource(session: Session, resource_id: int) -> Resource:
    resource = session.get(Resource, resource_id)
    if resource is None:
        raise NotFoundError("resource_id: " + _("no resource %(id)s") % {"id": resource_id})
    return resource


def facility_timezone(session: Session, facility_id: str) -> str:
    """The time zone a new resource of the facility keeps its hours in: that of the facility's
    resources (a facility has no zone of its own), else the default of `ResourceRules`."""
    query = select(Resource.timezone).where(Resource.facility_id == facility_id)
    zone = session.scalars(query.order_by(Resource.id).limit(1)).first()
    return zone or ResourceRules.timezone


def rules_of(resource: Resource) -> ResourceRules:
    values = {k: getattr(resource, k) for k in ResourceRules.__dataclass_fields__}
    values["access_organisations"] = resource.organisation_ids()
    return ResourceRules(**values)


def get_facility(session: Session, facility_id: str) -> Facility:
    """The facility whose resources these are; an unknown id is a NotFoundError naming it."""
    facility = session.get(Facility, facility_id)
    if facility is None:
        raise NotFoundError(_("no facility %(id)s") % {"id": repr(facility_id)})
    return facility


def list_resources(
    session: Session, facility_id: str | None = None, retired: bool = False
) -> list[Resource]:
    """Resources by facility and name (of one facility, given its id), live ones unless
    `retired`: the one query the catalogue, the facility's pages and its API read."""
    query = select(Resource).order_by(Resource.facility_id, Resource.name)
    if not retired:
        query = query.where(Resource.retired_at.is_(None))
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
