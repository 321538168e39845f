"""The waiting list: a member queues for a taken slot; when a booking over it is cancelled, the
first in line whose slot is now wholly free is offered it (an inbox message with the slot)."""

from __future__ import annotations

from datetime import datetime
from functools import partial
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from triplehelix.accounts.models import User
from triplehelix.accounts.service import audit, inbox
from triplehelix.db import utcnow
from triplehelix.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from triplehelix.facilities.models import Booking, Resource, WaitlistEntry, local_span
from triplehelix.facilities.schemas import rules
from triplehelix.i18n import gettext as _


def _taken(session: Session, resource: Resource, start: datetime, end: datetime) -> bool:
    query = (
        select(Booking.id)
        .where(
            Booking.resource_id == resource.id,
            Booking.status == "confirmed",
            Booking.start_at < end,
            Booking.end_at > start,
        )
        .limit(1)
    )
    return session.scalar(query) is not None


def join_waitlist(
    session: Session, user: User, resource: Resource, start: datetime, end: datetime
) -> WaitlistEntry:
    """Queue for a slot that is taken now; the booking rules apply as to a booking."""
    start = rules.utc(rules.as_aware(start, resource.timezone))
    end = rules.utc(rules.as_aware(end, resource.timezone))
    problems = rules.booking_rule_problems(resource, start, end, utcnow())
    if problems:
        raise ValidationError("; ".join(problems), problems)
    if not _taken(session, resource, start, end):
        raise ConflictError(_("that slot is free: book it instead of waiting"))
    mine = select(WaitlistEntry.id).where(
        WaitlistEntry.resource_id == resource.id,
        WaitlistEntry.user_id == user.id,
        WaitlistEntry.status == "waiting",
        WaitlistEntry.start_at == start,
        WaitlistEntry.end_at == end,
    )
    if session.scalar(mine) is not None:
        raise ConflictError(_("you are already on the waiting list for that slot"))
    entry = WaitlistEntry(resource_id=resource.id, user_id=user.id, start_at=start, end_at=end)
    session.add(entry)
    session.flush()
    record = {"resource_id": resource.id, "start": start.isoformat(), "end": end.isoformat()}
    audit.record(session, user, "create", "waitlist", entry.id, None, record)
    return entry


def leave_waitlist(session: Session, user: User, entry_id: int) -> None:
    entry = session.get(WaitlistEntry, entry_id)
    if entry is None:
        raise NotFoundError(_("no waiting-list entry %(id)s") % {"id": entry_id})
    if entry.user_id != user.id:
        raise PermissionDeniedError(_("only the person waiting may leave the waiting list"))
    entry.status = "left"


def waiting_of(session: Session, user: User) -> list[WaitlistEntry]:
    query = select(WaitlistEntry).where(
        WaitlistEntry.user_id == user.id,
        WaitlistEntry.status.in_(("waiting", "offered")),
        WaitlistEntry.end_at > utcnow(),
    )
    return list(session.scalars(query.order_by(WaitlistEntry.start_at)))


def offer_freed(
    session: Session, resource: Resource, start: datetime, end: datetime
) -> WaitlistEntry | None:
    """Offer the freed span to the first in line whose wanted slot lies in it and is now free."""
    query = (
        select(WaitlistEntry)
        .where(
            WaitlistEntry.resource_id == resource.id,
            WaitlistEntry.status == "waiting",
            WaitlistEntry.start_at < end,
            WaitlistEntry.end_at > start,
            WaitlistEntry.start_at > utcnow(),
        )
        .order_by(WaitlistEntry.created_at, WaitlistEntry.id)
    )
    for entry in session.scalars(query):
        if _taken(session, resource, entry.start_at, entry.end_at):
            continue
        entry.status = "offered"
        zone = ZoneInfo(resource.timezone)
        prefill = urlencode(
            {
                "week": entry.start_at.astimezone(zone).date().isoformat(),
                "start": entry.start_at.astimezone(zone).strftime("%Y-%m-%dT%H:%M"),
                "end": entry.end_at.astimezone(zone).strftime("%Y-%m-%dT%H:%M"),
            }
        )
        inbox.notify(
            session,
            {entry.user_id},
            partial(_offer_subject, resource),
            partial(_offer_body, entry, resource),
            f"/resources/{resource.id}?{prefill}",
        )
        return entry
    return None


def _offer_subject(resource: Resource) -> str:
    return _("A slot you waited for is free: %(resource)s") % {"resource": resource.name}


def _offer_body(entry: WaitlistEntry, resource: Resource) -> str:
    span = local_span(entry.start_at, entry.end_at, resource.timezone)
    return _("%(span)s (%(zone)s) is free now; book it before someone else does.") % {
        "span": span,
        "zone": resource.timezone,
    }
