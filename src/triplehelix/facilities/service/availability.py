"""When resources are busy and free: per facility for the API and the week view, and "what is
free" across every provider for a time window (the booking catalogue's resources)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from triplehelix.errors import ValidationError
from triplehelix.facilities.models import Booking, Resource
from triplehelix.facilities.schemas import Availability, ResourceAvailability, Slot, rules
from triplehelix.facilities.service import get_facility, list_resources
from triplehelix.i18n import gettext as _

MAX_WINDOW = timedelta(days=62)


def check_window(
    start: datetime, end: datetime, zone: str = "Europe/Amsterdam"
) -> tuple[datetime, datetime]:
    start, end = rules.as_aware(start, zone), rules.as_aware(end, zone)
    if end <= start:
        raise ValidationError("to: " + _("must be after from"))
    if end - start > MAX_WINDOW:
        raise ValidationError("to: " + _("at most %(n)s days after from") % {"n": MAX_WINDOW.days})
    return rules.utc(start), rules.utc(end)


def bookings_between(
    session: Session, resource_ids: list[int], start: datetime, end: datetime,
    statuses: tuple[str, ...] = ("confirmed", "pending"),
) -> list[Booking]:  # fmt: skip
    if not resource_ids:
        return []
    query = (
        select(Booking)
        .where(
            Booking.resource_id.in_(resource_ids),
            Booking.status.in_(statuses),
            Booking.start_at < end,
            Booking.end_at > start,
        )
        .order_by(Booking.start_at)
    )
    return list(session.scalars(query))


def resource_availability(
    resource: Resource, bookings: list[Booking], start: datetime, end: datetime
) -> ResourceAvailability:
    mine = [b for b in bookings if b.resource_id == resource.id]
    busy = [Slot(start=b.start_at, end=b.end_at, status=b.status, kind=b.kind) for b in mine]
    held = [(b.start_at, b.end_at) for b in mine if b.status == "confirmed"]
    free = rules.subtract(rules.open_intervals(resource, start, end), held)
    return ResourceAvailability(
        id=resource.id, name=resource.name, busy=busy,
        free=[Slot(start=rules.utc(a), end=rules.utc(b)) for a, b in free],
    )  # fmt: skip


def facility_availability(
    session: Session, facility_id: str, start: datetime, end: datetime
) -> Availability:
    get_facility(session, facility_id)
    start, end = check_window(start, end)
    # Retired resources too: their bookings still hold their slots.
    resources = list_resources(session, facility_id, retired=True)
    bookings = bookings_between(session, [r.id for r in resources], start, end)
    return Availability(
        facility_id=facility_id, start=start, end=end,
        resources=[resource_availability(r, bookings, start, end) for r in resources],
    )  # fmt: skip


def free_resources(session: Session, start: datetime, end: datetime) -> list[Resource]:
    """Resources open for the whole window and with no confirmed booking in it."""
    start, end = check_window(start, end)
    resources = list_resources(session)
    taken = {
        b.resource_id
        for b in bookings_between(session, [r.id for r in resources], start, end, ("confirmed",))
    }
    return [
        r for r in resources
        if r.id not in taken and rules.open_intervals(r, start, end) == [(start, end)]
    ]  # fmt: skip


def catalogue_resources(
    session: Session, window: tuple[datetime, datetime] | None = None
) -> dict[str, list[Resource]]:
    """The resources the booking catalogue lists, by facility: every live one or, for a time
    window, those free for the whole of it."""
    found = list_resources(session) if window is None else free_resources(session, *window)
    by_facility: dict[str, list[Resource]] = {}
    for resource in found:
        by_facility.setdefault(resource.facility_id, []).append(resource)
    return by_facility
