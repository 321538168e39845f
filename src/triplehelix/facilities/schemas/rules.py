"""A resource's booking rules as pure functions: who may book, how long, how soon, how far
ahead, and the opening hours; plus interval arithmetic for "what is free"."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from babel import dates

from triplehelix.facilities.models import Resource
from triplehelix.i18n import babel_locale
from triplehelix.i18n import gettext as _

Interval = tuple[datetime, datetime]


def as_aware(moment: datetime, zone: str) -> datetime:
    """A naive time is read in the resource's zone (what a person typed); aware ones stay."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=ZoneInfo(zone))
    return moment


def _clock(text: str) -> time | None:
    """'HH:MM' as a time; '24:00' (end of day) as None."""
    if text == "24:00":
        return None
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def always_open(resource: Resource) -> bool:
    return (resource.opens, resource.closes, resource.open_days) == ("00:00", "24:00", "1234567")


def opening_window(resource: Resource, day: date) -> Interval | None:
    """The open hours of one local day, as aware datetimes, or None when closed that day."""
    if str(day.isoweekday()) not in resource.open_days:
        return None
    zone = ZoneInfo(resource.timezone)
    opens, closes = _clock(resource.opens), _clock(resource.closes)
    start = datetime.combine(day, opens or time(0), zone)
    end = datetime.combine(day, closes, zone) if closes else datetime.combine(
        day + timedelta(days=1), time(0), zone
    )  # fmt: skip
    return start, end


def booking_rule_problems(
    resource: Resource, start: datetime, end: datetime, now: datetime
) -> list[str]:
    """Every rule of the resource this booking request breaks, each naming the field; empty
    when it may be booked."""
    if end <= start:
        return ["end: " + _("must be after start")]
    problems = []
    minutes = (end - start).total_seconds() / 60
    if minutes < resource.min_minutes:
        problems.append(
            "end: " + _("at least %(n)s minutes per booking") % {"n": resource.min_minutes}
        )
    if minutes > resource.max_minutes:
        problems.append(
            "end: " + _("at most %(n)s minutes per booking") % {"n": resource.max_minutes}
        )
    if start < now + timedelta(minutes=resource.notice_minutes):
        problems.append(
            "start: " + _("book at least %(n)s minutes ahead") % {"n": resource.notice_minutes}
            if resource.notice_minutes
            else "start: " + _("is in the past")
        )
    if start > now + timedelta(days=resource.horizon_days):
        problems.append("start: " + _("at most %(n)s days ahead") % {"n": resource.horizon_days})
    if not always_open(resource) and not _within_hours(resource, start, end):
        hours = describe_hours(resource)
        problems.append("start: " + _("outside opening hours (%(hours)s)") % {"hours": hours})
    return problems


def _within_hours(resource: Resource, start: datetime, end: datetime) -> bool:
    local = start.astimezone(ZoneInfo(resource.timezone))
    window = opening_window(resource, local.date())
    return window is not None and window[0] <= start and end <= window[1]


def day_names() -> dict[str, str]:
    """The days as stored ("1" is Monday ... "7" Sunday), named short in the current language."""
    names = dates.get_day_names("abbreviated", locale=babel_locale())
    return {str(day + 1): str(names[day]) for day in range(7)}


def describe_hours(resource: Resource) -> str:
    if always_open(resource):
        return _("open around the clock")
    named = day_names()
    days = ", ".join(named[d] for d in resource.open_days)
    return f"{days} {resource.opens}-{resource.closes} {resource.timezone}"


def open_intervals(resource: Resource, start: datetime, end: datetime) -> list[Interval]:
    """The parts of [start, end) when the resource is open."""
    if always_open(resource):
        return [(start, end)] if end > start else []
    zone = ZoneInfo(resource.timezone)
    day = start.astimezone(zone).date() - timedelta(days=1)
    out: list[Interval] = []
    while datetime.combine(day, time(0), zone) < end:
        window = opening_window(resource, day)
        if window and window[1] > start and window[0] < end:
            out.append((max(window[0], start), min(window[1], end)))
        day += timedelta(days=1)
    return out


def subtract(free: list[Interval], busy: Iterable[Interval]) -> list[Interval]:
    """Intervals of `free` not covered by any of `busy` (all half-open)."""
    out = free
    for b_start, b_end in busy:
        next_out: list[Interval] = []
        for f_start, f_end in out:
            if b_end <= f_start or b_start >= f_end:
                next_out.append((f_start, f_end))
                continue
            if f_start < b_start:
                next_out.append((f_start, b_start))
            if b_end < f_end:
                next_out.append((b_end, f_end))
        out = next_out
    return out


def overlaps(a: Interval, b: Interval) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def access_refusal(resource: Resource, organisation_id: str | None, held: set[str]) -> str | None:
    """Why this person may not book the resource (None: they may)."""
    if resource.access == "organisations" and organisation_id not in resource.organisation_ids():
        names = ", ".join(resource.organisation_ids()) or _("no one yet")
        return _("only members of %(organisations)s may book %(resource)s") % {
            "organisations": names,
            "resource": repr(resource.name),
        }
    if resource.access == "qualification" and resource.qualification not in held:
        return _("booking %(resource)s needs the qualification %(qualification)s") % {
            "resource": repr(resource.name),
            "qualification": repr(resource.qualification),
        }
    return None
