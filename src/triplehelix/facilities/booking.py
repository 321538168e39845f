"""The booking service: request, approve, decline, cancel, block for maintenance, and the
guarantee that two confirmed bookings of one resource never overlap.

The guarantee holds under concurrency on both databases. SQLite: the check and the write happen
inside one `BEGIN IMMEDIATE` transaction, which serialises writers. PostgreSQL: the exclusion
constraint from migration 0002 refuses the second of two racing inserts; its violation becomes a
ConflictError naming the slot, just like the check that usually finds the conflict first.
Callers commit right after a call here, so a success is only reported once it is stored.
"""

from __future__ import annotations

import threading
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import event, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from triplehelix.accounts import audit
from triplehelix.accounts.membership import held_qualifications, member_organisation
from triplehelix.accounts.models import RoleGrant, User, utcnow
from triplehelix.accounts.permissions import manages_facility, require_manager
from triplehelix.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from triplehelix.facilities import rules
from triplehelix.facilities.models import Booking, Resource

EXCLUSION_VIOLATION = "23P01"


def get_resource(session: Session, resource_id: int) -> Resource:
    resource = session.get(Resource, resource_id)
    if resource is None:
        raise NotFoundError(f"resource_id: no resource {resource_id}")
    return resource


def get_booking(session: Session, booking_id: int) -> Booking:
    booking = session.get(Booking, booking_id)
    if booking is None:
        raise NotFoundError(f"no booking {booking_id}")
    return booking


def snapshot(booking: Booking) -> dict[str, object]:
    return {
        "resource_id": booking.resource_id,
        "user_id": booking.user_id,
        "kind": booking.kind,
        "status": booking.status,
        "start": booking.start_at.isoformat(),
        "end": booking.end_at.isoformat(),
        "note": booking.note,
        "reason": booking.reason,
    }


def describe_slot(booking: Booking, zone: str) -> str:
    tz = ZoneInfo(zone)
    start, end = booking.start_at.astimezone(tz), booking.end_at.astimezone(tz)
    what = "blocked for maintenance" if booking.kind == "maintenance" else "already booked"
    return (
        f"{booking.resource.name!r} is {what} from {start:%Y-%m-%d %H:%M} to "
        f"{end:%Y-%m-%d %H:%M} ({zone}, booking {booking.id})"
    )


def _write_lock(session: Session) -> None:
    """On SQLite take the database write lock now, so the check below and the write are one.

    Threads of this process first queue on a lock of their own: SQLite's busy handler polls with
    growing sleeps, which gives long latency tails under contention; other processes still wait
    on the database lock itself (busy_timeout).
    """
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return
    raw = connection.connection.driver_connection
    if raw is None or raw.in_transaction:
        return
    lock = _LOCKS.setdefault(str(connection.engine.url), threading.Lock())
    lock.acquire()
    session.info["write_lock"] = lock
    event.listen(session, "after_transaction_end", _release, once=True)
    try:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    except BaseException:
        _release(session)
        raise


_LOCKS: dict[str, threading.Lock] = {}


def _release(session: Session, *_: object) -> None:
    lock = session.info.pop("write_lock", None)
    if lock is not None:
        lock.release()


def _conflict(
    session: Session, resource: Resource, start: datetime, end: datetime
) -> Booking | None:
    query = (
        select(Booking)
        .where(
            Booking.resource_id == resource.id,
            Booking.status == "confirmed",
            Booking.start_at < end,
            Booking.end_at > start,
        )
        .order_by(Booking.start_at)
        .limit(1)
    )
    return session.scalar(query)


def _hold(session: Session, booking: Booking, resource: Resource) -> None:
    """Store `booking` as confirmed, or raise ConflictError naming the slot that is taken."""
    _write_lock(session)
    taken = _conflict(session, resource, booking.start_at, booking.end_at)
    if taken is None:
        booking.status = "confirmed"
        if session.get_bind().dialect.name == "sqlite":  # the write lock is held: no race
            session.add(booking)
            session.flush()
            return
        span = (booking.start_at, booking.end_at)
        try:
            session.add(booking)
            session.flush()
            return
        except IntegrityError as exc:  # a concurrent booking won the race for this slot
            if getattr(exc.orig, "sqlstate", None) != EXCLUSION_VIOLATION:
                raise
            # The request fails as a whole, so roll it all back (cheaper than a savepoint).
            session.rollback()
        taken = _conflict(session, resource, *span)
    raise ConflictError(
        describe_slot(taken, resource.timezone) if taken else "that slot was just taken"
    )


def _managers(session: Session, resource: Resource) -> set[int]:
    query = select(RoleGrant.user_id).where(
        RoleGrant.role == "manager", RoleGrant.scope == resource.facility_id
    )
    return set(session.scalars(query))


def request_booking(
    session: Session, user: User, resource_id: int, start: datetime, end: datetime, note: str = ""
) -> Booking:
    """Book a slot: confirmed at once, or pending when the resource needs a manager's approval."""
    resource = get_resource(session, resource_id)
    start = rules.utc(rules.as_aware(start, resource.timezone))
    end = rules.utc(rules.as_aware(end, resource.timezone))
    manager = manages_facility(user, resource.facility_id)
    held = held_qualifications(user) if resource.access == "qualification" else set()
    member_of = member_organisation(user)
    refusal = None if manager else rules.access_refusal(resource, member_of, held)
    if refusal:
        raise PermissionDeniedError(refusal)
    problems = rules.rule_problems(resource, start, end, utcnow())
    if problems:
        raise ValidationError("; ".join(problems), problems)
    booking = Booking(
        resource=resource, user_id=user.id, organisation_id=member_of,
        kind="booking", start_at=start, end_at=end, note=note.strip(),
    )  # fmt: skip
    if resource.approval_required and not manager:
        booking.status = "pending"
        session.add(booking)
        session.flush()
        asks = f"{user.email} asks for {_span(booking, resource)}"
        subject = f"Approval needed: {resource.name}"
        audit.notify(session, _managers(session, resource), subject, asks, "/bookings/manage")
    else:
        _hold(session, booking, resource)
        audit.notify(session, {user.id}, f"Confirmed: {resource.name}",
                     _span(booking, resource), "/bookings")  # fmt: skip
    audit.record(session, user, "create", "booking", booking.id, None, snapshot(booking))
    return booking


def _span(booking: Booking, resource: Resource) -> str:
    tz = ZoneInfo(resource.timezone)
    start, end = booking.start_at.astimezone(tz), booking.end_at.astimezone(tz)
    return f"{start:%a %Y-%m-%d %H:%M}-{end:%H:%M} ({resource.timezone})"


def _pending(session: Session, manager: User, booking_id: int) -> Booking:
    booking = get_booking(session, booking_id)
    require_manager(manager, booking.resource.facility_id)
    if booking.status != "pending":
        raise ConflictError(f"booking {booking_id} is {booking.status}, not pending")
    return booking


def approve_booking(session: Session, manager: User, booking_id: int) -> Booking:
    _write_lock(session)
    booking = _pending(session, manager, booking_id)
    before = snapshot(booking)
    _hold(session, booking, booking.resource)
    booking.decided_by = manager.id
    audit.record(session, manager, "approve", "booking", booking.id, before, snapshot(booking))
    audit.notify(session, {booking.user_id} if booking.user_id else set(),
                 f"Approved: {booking.resource.name}", _span(booking, booking.resource),
                 "/bookings")  # fmt: skip
    return booking


def decline_booking(session: Session, manager: User, booking_id: int, reason: str) -> Booking:
    if not reason.strip():
        raise ValidationError("reason: say why the booking is declined")
    booking = _pending(session, manager, booking_id)
    before = snapshot(booking)
    booking.status, booking.reason, booking.decided_by = "declined", reason.strip(), manager.id
    audit.record(session, manager, "decline", "booking", booking.id, before, snapshot(booking))
    audit.notify(session, {booking.user_id} if booking.user_id else set(),
                 f"Declined: {booking.resource.name}",
                 f"{_span(booking, booking.resource)}: {booking.reason}", "/bookings")  # fmt: skip
    return booking


def cancel_booking(session: Session, user: User, booking_id: int) -> Booking:
    """The booker (or a manager of the facility) cancels a pending or confirmed booking."""
    booking = get_booking(session, booking_id)
    manager = manages_facility(user, booking.resource.facility_id)
    if booking.user_id != user.id and not manager:
        raise PermissionDeniedError("only the booker or a facility manager may cancel a booking")
    if booking.status not in ("pending", "confirmed"):
        raise ConflictError(f"booking {booking_id} is already {booking.status}")
    if booking.end_at <= utcnow():
        raise ConflictError(f"booking {booking_id} is over; it can no longer be cancelled")
    before = snapshot(booking)
    booking.status = "cancelled"
    audit.record(session, user, "cancel", "booking", booking.id, before, snapshot(booking))
    others = ({booking.user_id} if booking.user_id else set()) | _managers(
        session, booking.resource
    )
    audit.notify(session, others - {user.id}, f"Cancelled: {booking.resource.name}",
                 f"{_span(booking, booking.resource)} by {user.email}", "/bookings")  # fmt: skip
    return booking


def block_maintenance(
    session: Session, manager: User, resource_id: int, start: datetime, end: datetime, reason: str
) -> Booking:
    """A maintenance window holds the slot like a booking; it ignores the booking rules."""
    resource = get_resource(session, resource_id)
    require_manager(manager, resource.facility_id)
    start = rules.utc(rules.as_aware(start, resource.timezone))
    end = rules.utc(rules.as_aware(end, resource.timezone))
    if end <= start:
        raise ValidationError("end: must be after start")
    block = Booking(resource=resource, user_id=manager.id, kind="maintenance",
                    start_at=start, end_at=end, reason=reason.strip() or "maintenance")  # fmt: skip
    _hold(session, block, resource)
    audit.record(session, manager, "block", "booking", block.id, None, snapshot(block))
    return block
