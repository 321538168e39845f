"""Recurring bookings: the same slot every week up to a date (at most the resource's horizon),
all or nothing — one occurrence that breaks a rule or meets a booking refuses the whole series."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from triplehelix import writelock
from triplehelix.accounts.models import User
from triplehelix.errors import ConflictError, DomainError, ValidationError
from triplehelix.facilities.models import Booking
from triplehelix.facilities.schemas import rules
from triplehelix.facilities.service import booking as bookings
from triplehelix.facilities.service import get_resource
from triplehelix.i18n import gettext as _
from triplehelix.i18n.format import format_date

MAX_OCCURRENCES = 104


def occurrences(
    start: datetime, end: datetime, until: date, zone: str
) -> list[tuple[datetime, datetime]]:
    """Weekly copies of [start, end) in local time (so 10:00 stays 10:00 across DST)."""
    start, end = rules.as_aware(start, zone), rules.as_aware(end, zone)
    out = []
    week = 0
    while (start + timedelta(weeks=week)).date() <= until and week < MAX_OCCURRENCES:
        shift = timedelta(weeks=week)
        local_start = (start.replace(tzinfo=None) + shift).replace(tzinfo=start.tzinfo)
        local_end = (end.replace(tzinfo=None) + shift).replace(tzinfo=end.tzinfo)
        out.append((rules.utc(local_start), rules.utc(local_end)))
        week += 1
    return out


def request_series(
    session: Session,
    user: User,
    resource_id: int,
    start: datetime,
    end: datetime,
    until: date,
    note: str = "",
    project_code: str = "",
) -> list[Booking]:
    """Book the slot weekly up to `until`; every occurrence is checked before any is stored."""
    resource = get_resource(session, resource_id)
    spans = occurrences(start, end, until, resource.timezone)
    if len(spans) < 2:
        raise ValidationError(
            "repeat_until: " + _("repeat until a date at least a week after the first")
        )
    prepared, problems = [], []
    for begins, ends in spans:
        try:
            made = bookings.prepare_booking(
                session, user, resource, begins, ends, note, project_code
            )
            prepared.append(made)
        except ValidationError as exc:
            day = format_date(begins.astimezone(ZoneInfo(resource.timezone)).date())
            problems += [f"repeat_until: {day}: {p.split(': ', 1)[-1]}" for p in exc.problems]
    if problems:
        raise ValidationError("; ".join(problems), problems)
    writelock.hold(session)
    clashes = [
        b.when()
        for b in prepared
        if bookings.conflict(session, resource, b.start_at, b.end_at) is not None
    ]
    if clashes:
        message = _("already taken on %(spans)s; nothing was booked") % {
            "spans": ", ".join(clashes)
        }
        raise ConflictError(f"repeat_until: {message}")
    try:
        for made in prepared:
            bookings.place_booking(session, user, made, notify=made is prepared[0])
            made.series_id = prepared[0].id
        session.flush()
    except DomainError:
        session.rollback()
        raise
    except OperationalError as exc:  # lost a race on PostgreSQL (see booking.LOST_RACE)
        if getattr(exc.orig, "sqlstate", None) not in bookings.LOST_RACE:
            raise
        session.rollback()
        message = _("a concurrent booking took a slot; nothing was booked")
        raise ConflictError(f"repeat_until: {message}") from None

    return prepared
