"""Calendars: iCalendar (RFC 5545) feeds per resource and per person, and the week grid of a
resource for its page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event
from sqlalchemy import select
from sqlalchemy.orm import Session

from triplehelix.accounts.models import User
from triplehelix.db import utcnow
from triplehelix.facilities.models import Booking, Resource
from triplehelix.facilities.service.availability import bookings_between
from triplehelix.i18n import gettext as _
from triplehelix.mail import written_for

FEED_PAST = timedelta(days=31)
FEED_AHEAD = timedelta(days=366)


def _calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", "-//triplehelix//bookings//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    return cal


def _event(booking: Booking, summary: str, host: str) -> Event:
    event = Event()
    event.add("uid", f"booking-{booking.id}@{host}")
    event.add("dtstamp", booking.updated_at or utcnow())
    event.add("dtstart", booking.start_at)
    event.add("dtend", booking.end_at)
    event.add("summary", summary)
    event.add("status", "CONFIRMED" if booking.status == "confirmed" else "TENTATIVE")
    event.add("location", f"{booking.resource.name}, {booking.resource.facility.name}")
    return event


def resource_feed(session: Session, resource: Resource, host: str) -> bytes:
    """Public feed: when the resource is taken, never by whom (people-free by default)."""
    now = utcnow()
    cal = _calendar(f"{resource.name} ({resource.facility.name})")
    for booking in bookings_between(session, [resource.id], now - FEED_PAST, now + FEED_AHEAD):
        label = _("Maintenance") if booking.kind == "maintenance" else _("Booked")
        if booking.status == "pending":
            label = _("Requested (pending approval)")
        cal.add_component(_event(booking, f"{label}: {resource.name}", host))
    return bytes(cal.to_ical())


def user_feed(session: Session, user: User, host: str) -> bytes:
    """A person's own feed, in their language (calendar apps send no Accept-Language)."""
    with written_for(user):
        return _user_feed(session, user, host)


def _user_feed(session: Session, user: User, host: str) -> bytes:
    now = utcnow()
    query = (
        select(Booking)
        .where(
            Booking.user_id == user.id,
            Booking.status.in_(("confirmed", "pending")),
            Booking.end_at > now - FEED_PAST,
        )
        .order_by(Booking.start_at)
    )
    cal = _calendar(_("Bookings of %(email)s") % {"email": user.email})
    for booking in session.scalars(query):
        what = booking.note or _("booking")
        cal.add_component(_event(booking, f"{booking.resource.name}: {what}", host))
    return bytes(cal.to_ical())


@dataclass
class Cell:
    status: str  # free, closed, confirmed, pending, maintenance
    booking_id: int | None = None
    start: str = ""  # the hour as a local "YYYY-MM-DDTHH:MM", to prefill the booking form
    end: str = ""


@dataclass
class Week:
    monday: date
    days: list[date]
    hours: list[int]
    cells: dict[tuple[int, int], Cell]  # (day index, hour) -> cell


def week_grid(session: Session, resource: Resource, any_day: date) -> Week:
    """An hour-by-day grid of one week in the resource's time zone."""
    from triplehelix.facilities.schemas.rules import open_intervals, overlaps

    zone = ZoneInfo(resource.timezone)
    monday = any_day - timedelta(days=any_day.weekday())
    days = [monday + timedelta(days=i) for i in range(7)]
    start = datetime.combine(monday, time(0), zone)
    end = datetime.combine(monday + timedelta(days=7), time(0), zone)
    bookings = bookings_between(session, [resource.id], start, end)
    opened = open_intervals(resource, start, end)
    cells: dict[tuple[int, int], Cell] = {}
    for i, day in enumerate(days):
        for hour in range(24):
            slot = (datetime.combine(day, time(hour), zone),
                    datetime.combine(day, time(hour), zone) + timedelta(hours=1))  # fmt: skip
            here = (slot[0].strftime("%Y-%m-%dT%H:%M"), slot[1].strftime("%Y-%m-%dT%H:%M"))
            hit = next((b for b in bookings if overlaps(slot, (b.start_at, b.end_at))), None)
            if hit is not None:
                status = "maintenance" if hit.kind == "maintenance" else hit.status
                cells[(i, hour)] = Cell(status, hit.id, *here)
            elif any(overlaps(slot, o) for o in opened):
                cells[(i, hour)] = Cell("free", None, *here)
            else:
                cells[(i, hour)] = Cell("closed")
    return Week(monday=monday, days=days, hours=list(range(24)), cells=cells)
