"""The booking service: request, approve, decline, cancel, block for maintenance, and the
guarantee that two confirmed bookings of one resource never overlap.

The guarantee holds under concurrency on both databases. SQLite: the check and the write happen
in one transaction that holds the write lock from its start (`writelock.hold`). PostgreSQL: the
exclusion constraint from migration 0002 refuses the second of two racing inserts; its violation
becomes a ConflictError naming the slot, just like the check that usually finds the conflict
first.
A new booking confirmed at once is committed here (`confirm_booking`, through `writelock.run`);
after every other call callers commit right away, so a success is only reported once stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from triplehelix import writelock
from triplehelix.accounts.models import AuditEntry, Message, RoleGrant, User
from triplehelix.accounts.service import audit, inbox
from triplehelix.accounts.service.labels import code_label
from triplehelix.accounts.service.membership import held_qualifications, member_organisation
from triplehelix.accounts.service.permissions import manages_facility, require_manager
from triplehelix.db import utcnow
from triplehelix.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from triplehelix.facilities.models import Booking, Resource, local_span
from triplehelix.facilities.schemas import rules
from triplehelix.facilities.service import get_resource, pricing, waitlist
from triplehelix.fields import PROJECT_CODE_MAX
from triplehelix.i18n import gettext as _
from triplehelix.i18n import ngettext

EXCLUSION_VIOLATION = "23P01"
# Two requests waiting on the same winner then wait on each other's tentative row; PostgreSQL
# aborts one as a deadlock. Either way a concurrent booking holds the slot: a conflict, not a 5xx.
LOST_RACE = {EXCLUSION_VIOLATION, "40P01"}


def get_booking(session: Session, booking_id: int) -> Booking:
    booking = session.get(Booking, booking_id)
    if booking is None:
        raise NotFoundError(_("no booking %(id)s") % {"id": booking_id})
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
    values = {
        "resource": repr(booking.resource.name),
        "span": local_span(booking.start_at, booking.end_at, zone),
        "zone": zone,
        "id": booking.id,
    }
    if booking.kind == "maintenance":
        return (
            _("%(resource)s is blocked for maintenance from %(span)s (%(zone)s, booking %(id)s)")
            % values
        )
    return _("%(resource)s is already booked from %(span)s (%(zone)s, booking %(id)s)") % values


class HeldError(ConflictError):
    """The slot is held: by `holder` (a booking or a maintenance block), or by a concurrent
    request that won the race (`holder` None)."""

    def __init__(self, message: str, holder: Booking | None) -> None:
        super().__init__(message)
        self.holder = holder

    @property
    def by_booking(self) -> bool:
        """Another member's booking holds it (a place on the waiting list can be had)."""
        return self.holder is not None and self.holder.kind != "maintenance"


def conflict(
    session: Session, resource: Resource, start: datetime, end: datetime
) -> Booking | None:
    """The earliest confirmed booking of `resource` that overlaps [start, end), if any."""
    session.flush()  # as a query through the session would: the check sees its changes
    taken = (
        session.connection()
        .execute(_CONFLICT, {"resource": resource.id, "start": start, "end": end})
        .scalar()
    )
    return None if taken is None else session.get(Booking, taken)


# Prepared once: under the write lock the check must be quick (writelock).
_CONFLICT = (
    select(Booking.__table__.c.id)
    .where(
        Booking.__table__.c.resource_id == bindparam("resource"),
        Booking.__table__.c.status == "confirmed",
        Booking.__table__.c.start_at < bindparam("end"),
        Booking.__table__.c.end_at > bindparam("start"),
    )
    .order_by(Booking.__table__.c.start_at)
    .limit(1)
)


def _hold(session: Session, booking: Booking, resource: Resource) -> None:
    """Store `booking` as confirmed, or raise ConflictError naming the slot that is taken."""
    writelock.hold(session)
    taken = conflict(session, resource, booking.start_at, booking.end_at)
    if taken is None:
        booking.status = "confirmed"
        span = (booking.start_at, booking.end_at)
        try:
            session.add(booking)
            session.flush()
            return
        except (IntegrityError, OperationalError) as exc:  # a concurrent booking won the race
            if getattr(exc.orig, "sqlstate", None) not in LOST_RACE:
                raise  # (SQLite: the write lock is held, so no race)
            # The request fails as a whole, so roll it all back (cheaper than a savepoint).
            session.rollback()
        taken = conflict(session, resource, *span)
    raise _held(resource, taken)


def _held(resource: Resource, taken: Booking | None) -> HeldError:
    return HeldError(
        describe_slot(taken, resource.timezone) if taken else _("that slot was just taken"), taken
    )


@dataclass(frozen=True)
class _Taken:
    booking_id: int


def confirm_booking(session: Session, user: User, booking: Booking) -> Booking:
    """Store a prepared booking as confirmed, with its audit entry and the booker's inbox
    message, and commit it; or raise HeldError naming the slot that is taken. On SQLite it is
    written together with the other bookings waiting for the write lock (`writelock.run`):
    prepared here, so that under the lock only the check and the inserts remain."""
    resource = booking.resource
    booking.resource_id, booking.status = resource.id, "confirmed"
    row = writelock.values_of(booking)
    entry = writelock.values_of(audit.entry(user, "create", "booking", "", None, snapshot(booking)))
    messages = [writelock.values_of(m) for m in _confirmed_message(session, user, booking)]
    span = {"resource": resource.id, "start": booking.start_at, "end": booking.end_at}

    def store(s: Session) -> int | _Taken:
        connection = s.connection()
        taken = connection.execute(_CONFLICT, span).scalar()
        if taken is not None:
            return _Taken(taken)
        booking_id = writelock.insert_values(connection, Booking, row)
        writelock.insert_values(connection, AuditEntry,
                                {**entry, "entity_id": str(booking_id)})  # fmt: skip
        for message in messages:
            writelock.insert_values(connection, Message, message)
        return booking_id

    try:
        stored = writelock.run(session, store)
    except (IntegrityError, OperationalError) as exc:  # PostgreSQL: a concurrent booking won
        if getattr(exc.orig, "sqlstate", None) not in LOST_RACE:
            raise
        taken = conflict(session, resource, booking.start_at, booking.end_at)
        raise _held(resource, taken) from exc
    if isinstance(stored, _Taken):
        raise _held(resource, session.get(Booking, stored.booking_id))
    made = session.get(Booking, stored)
    assert made is not None  # committed by `run`
    return made


def _confirmed_message(session: Session, user: User, booking: Booking) -> list[Message]:
    """The booker's inbox message for a booking confirmed at once, unsaved."""
    resource = booking.resource
    return inbox.compose(session, {user.id},
                         lambda: _("Confirmed: %(resource)s") % {"resource": resource.name},
                         lambda: _span(booking, resource), "/bookings")  # fmt: skip


def _managers(session: Session, resource: Resource) -> set[int]:
    query = select(RoleGrant.user_id).where(
        RoleGrant.role == "manager", RoleGrant.scope == resource.facility_id
    )
    return set(session.scalars(query))


def prepare_booking(
    session: Session, user: User, resource: Resource, start: datetime, end: datetime,
    note: str = "", project_code: str = "",
) -> Booking:  # fmt: skip
    """A checked, unsaved booking: access, the rules and the price (the cost it carries)."""
    if resource.retired_at is not None:
        raise ConflictError(
            _("%(resource)s is retired and takes no new bookings")
            % {"resource": repr(resource.name)}
        )
    start = rules.utc(rules.as_aware(start, resource.timezone))
    end = rules.utc(rules.as_aware(end, resource.timezone))
    manager = manages_facility(user, resource.facility_id)
    held = held_qualifications(user) if resource.access == "qualification" else set()
    member_of = member_organisation(user)
    refusal = None if manager else rules.access_refusal(resource, member_of, held)
    if refusal:
        raise PermissionDeniedError(refusal)
    problems = rules.booking_rule_problems(resource, start, end, utcnow())
    if len(project_code.strip()) > PROJECT_CODE_MAX:
        problems.append("project_code: " + _("at most %(n)s characters") % {"n": PROJECT_CODE_MAX})
    if problems:
        raise ValidationError("; ".join(problems), problems)
    tier, cost = pricing.cost_of(session, resource, member_of, start, end)
    return Booking(
        resource=resource, user_id=user.id, organisation_id=member_of,
        kind="booking", start_at=start, end_at=end, note=note.strip(),
        project_code=project_code.strip(), tier=tier, cost_cents=cost,
    )  # fmt: skip


def place_booking(session: Session, user: User, booking: Booking, notify: bool = True) -> None:
    """Store a prepared booking: confirmed at once, or pending when a manager must approve."""
    resource = booking.resource
    if resource.approval_required and not manages_facility(user, resource.facility_id):
        booking.status = "pending"
        session.add(booking)
        session.flush()
        if notify:
            inbox.notify(session, _managers(session, resource),
                         lambda: _("Approval needed: %(resource)s") % {"resource": resource.name},
                         lambda: _("%(email)s asks for %(span)s")
                         % {"email": user.email, "span": _span(booking, resource)},
                         "/bookings/manage")  # fmt: skip
    else:
        _hold(session, booking, resource)
        if notify:
            session.add_all(_confirmed_message(session, user, booking))
    audit.record(session, user, "create", "booking", booking.id, None, snapshot(booking))


def request_booking(
    session: Session, user: User, resource_id: int, start: datetime, end: datetime,
    note: str = "", project_code: str = "",
) -> Booking:  # fmt: skip
    """Book a slot: confirmed at once, or pending when the resource needs a manager's approval."""
    resource = get_resource(session, resource_id)
    booking = prepare_booking(session, user, resource, start, end, note, project_code)
    if resource.approval_required and not manages_facility(user, resource.facility_id):
        place_booking(session, user, booking)
        return booking
    return confirm_booking(session, user, booking)


def _span(booking: Booking, resource: Resource) -> str:
    return f"{booking.when()} ({resource.timezone})"


def _pending(session: Session, manager: User, booking_id: int) -> Booking:
    booking = get_booking(session, booking_id)
    require_manager(manager, booking.resource.facility_id)
    if booking.status != "pending":
        raise ConflictError(
            _("booking %(id)s is %(status)s, not pending")
            % {"id": booking_id, "status": code_label(booking.status)}
        )
    return booking


def approve_booking(
    session: Session, manager: User, booking_id: int,
    move_to: tuple[datetime, datetime] | None = None,
) -> Booking:  # fmt: skip
    """Approve a request, optionally moved to another slot; a conflict names the next free one."""
    writelock.hold(session)
    booking = _pending(session, manager, booking_id)
    resource = booking.resource
    before = snapshot(booking)
    if move_to is not None:
        booking.start_at = rules.utc(rules.as_aware(move_to[0], resource.timezone))
        booking.end_at = rules.utc(rules.as_aware(move_to[1], resource.timezone))
        if booking.end_at <= booking.start_at:
            raise ValidationError("end: " + _("the end must be after the start"))
        booking.cost_cents = pricing.cost_of(session, resource, booking.organisation_id,
                                             booking.start_at, booking.end_at)[1]  # fmt: skip
    taken = conflict(session, resource, booking.start_at, booking.end_at)
    if taken is not None:
        free = next_free_slot(
            session, resource, booking.start_at, booking.end_at - booking.start_at
        )
        offer = (
            _("The next free slot of the same length is %(span)s.")
            % {"span": local_span(*free, resource.timezone)}
            if free
            else _("There is no free slot of that length within the horizon.")
        )
        raise SlotTakenError(describe_slot(taken, resource.timezone) + ". " + offer, free)
    _hold(session, booking, resource)
    booking.decided_by = manager.id
    audit.record(session, manager, "approve", "booking", booking.id, before, snapshot(booking))
    moved = move_to is not None
    inbox.notify(session, {booking.user_id} if booking.user_id else set(),
                 lambda: _("Approved: %(resource)s") % {"resource": resource.name},
                 lambda: _span(booking, resource)
                 + (" " + _("(moved by the manager)") if moved else ""),
                 "/bookings")  # fmt: skip
    return booking


class SlotTakenError(ConflictError):
    """The slot is taken; `free` is the next free slot of the same length (or None)."""

    def __init__(self, message: str, free: tuple[datetime, datetime] | None) -> None:
        super().__init__(message)
        self.free = free


def next_free_slot(
    session: Session, resource: Resource, after: datetime, length: timedelta
) -> tuple[datetime, datetime] | None:
    """The earliest open, unbooked span of `length` from `after` (or now) within the horizon."""
    now = utcnow()
    start = max(after, now + timedelta(minutes=resource.notice_minutes))
    limit = now + timedelta(days=resource.horizon_days)
    while start < limit:
        chunk_end = min(start + timedelta(days=7), limit + length)
        held = session.execute(
            select(Booking.start_at, Booking.end_at).where(
                Booking.resource_id == resource.id, Booking.status == "confirmed",
                Booking.start_at < chunk_end, Booking.end_at > start,
            )
        ).all()  # fmt: skip
        free = rules.subtract(
            rules.open_intervals(resource, start, chunk_end), [(h[0], h[1]) for h in held]
        )
        for a, b in free:
            if b - a >= length and a <= limit:
                return rules.utc(a), rules.utc(a) + length
        start = chunk_end - length if chunk_end - length > start else chunk_end
    return None


def decline_booking(session: Session, manager: User, booking_id: int, reason: str) -> Booking:
    if not reason.strip():
        raise ValidationError("reason: " + _("say why the booking is declined"))
    booking = _pending(session, manager, booking_id)
    before = snapshot(booking)
    booking.status, booking.reason, booking.decided_by = "declined", reason.strip(), manager.id
    audit.record(session, manager, "decline", "booking", booking.id, before, snapshot(booking))
    inbox.notify(session, {booking.user_id} if booking.user_id else set(),
                 lambda: _("Declined: %(resource)s") % {"resource": booking.resource.name},
                 lambda: f"{_span(booking, booking.resource)}: {booking.reason}",
                 "/bookings")  # fmt: skip
    return booking


def cancel_booking(session: Session, user: User, booking_id: int) -> Booking:
    """The booker (or a manager of the facility) cancels a pending or confirmed booking; the
    first in line on the waiting list is offered the freed slot."""
    booking = get_booking(session, booking_id)
    manager = manages_facility(user, booking.resource.facility_id)
    if booking.user_id != user.id and not manager:
        raise PermissionDeniedError(_("only the booker or a facility manager may cancel a booking"))
    if booking.status not in ("pending", "confirmed"):
        raise ConflictError(
            _("booking %(id)s is already %(status)s")
            % {"id": booking_id, "status": code_label(booking.status)}
        )
    if booking.end_at <= utcnow():
        raise ConflictError(
            _("booking %(id)s is over; it can no longer be cancelled") % {"id": booking_id}
        )
    deadline = booking.start_at - timedelta(hours=booking.resource.cancel_hours)
    if not manager and booking.resource.cancel_hours and utcnow() > deadline:
        raise ConflictError(
            _("cancellations close %(n)s hours before the start; ask a facility manager")
            % {"n": booking.resource.cancel_hours}
        )
    was = booking.status
    before = snapshot(booking)
    booking.status = "cancelled"
    audit.record(session, user, "cancel", "booking", booking.id, before, snapshot(booking))
    others = ({booking.user_id} if booking.user_id else set()) | _managers(
        session, booking.resource
    )
    inbox.notify(session, others - {user.id},
                 lambda: _("Cancelled: %(resource)s") % {"resource": booking.resource.name},
                 lambda: _("%(span)s by %(email)s")
                 % {"span": _span(booking, booking.resource), "email": user.email},
                 "/bookings")  # fmt: skip
    if was == "confirmed":
        session.flush()
        waitlist.offer_freed(session, booking.resource, booking.start_at, booking.end_at)
    return booking


def maintenance_hits(
    session: Session, resource: Resource, start: datetime, end: datetime
) -> list[Booking]:
    """The members' bookings (confirmed or pending) a maintenance block over [start, end) hits."""
    start, end = rules.as_aware(start, resource.timezone), rules.as_aware(end, resource.timezone)
    query = (
        select(Booking)
        .where(
            Booking.resource_id == resource.id, Booking.kind == "booking",
            Booking.status.in_(("confirmed", "pending")),
            Booking.start_at < end, Booking.end_at > start,
        )
        .order_by(Booking.start_at)
    )  # fmt: skip
    return list(session.scalars(query))


def block_maintenance(
    session: Session, manager: User, resource_id: int, start: datetime, end: datetime,
    reason: str, displace: bool = False,
) -> Booking:  # fmt: skip
    """A maintenance window holds the slot like a booking; it ignores the booking rules. Members'
    bookings in the way are refused unless `displace`: then they are cancelled, saying why, and
    their bookers told."""
    resource = get_resource(session, resource_id)
    require_manager(manager, resource.facility_id)
    start = rules.utc(rules.as_aware(start, resource.timezone))
    end = rules.utc(rules.as_aware(end, resource.timezone))
    if end <= start:
        raise ValidationError("end: " + _("the end of the block must be after its start"))
    if end <= utcnow():
        raise ValidationError(
            "start: " + _("this block lies in the past; choose a time from now on")
        )
    why = reason.strip() or _("maintenance")
    writelock.hold(session)
    hits = maintenance_hits(session, resource, start, end)
    if hits and not displace:
        someone = _("someone")
        listed = "; ".join(f"{b.when()} ({b.user.email if b.user else someone})" for b in hits)
        raise ConflictError(
            ngettext(
                "the block would cancel %(n)s booking: %(listed)s",
                "the block would cancel %(n)s bookings: %(listed)s",
                len(hits),
            )
            % {"n": len(hits), "listed": listed}
        )
    for hit in hits:
        before = snapshot(hit)
        hit.status, hit.reason, hit.decided_by = (
            "cancelled",
            _("cancelled for maintenance: %(reason)s") % {"reason": why},
            manager.id,
        )
        audit.record(session, manager, "displace", "booking", hit.id, before, snapshot(hit))
        inbox.notify(session, {hit.user_id} if hit.user_id else set(),
                     lambda: _("Cancelled for maintenance: %(resource)s")
                     % {"resource": resource.name},
                     partial(_displaced_body, hit, resource, why),
                     f"/resources/{resource.id}")  # fmt: skip
    session.flush()
    block = Booking(resource=resource, user_id=manager.id, kind="maintenance",
                    start_at=start, end_at=end, reason=why)  # fmt: skip
    _hold(session, block, resource)
    audit.record(session, manager, "block", "booking", block.id, None, snapshot(block))
    return block


def _displaced_body(booking: Booking, resource: Resource, why: str) -> str:
    return _("%(span)s: %(reason)s. Please book another slot.") % {
        "span": _span(booking, resource),
        "reason": why,
    }
