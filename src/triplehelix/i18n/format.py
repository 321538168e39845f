"""Dates, times, numbers and lists written the way the request's language writes them (Babel).

Stored moments are UTC (naive values from the database count as UTC); they are shown in the time
zone given, a resource's own or the region's (`DEFAULT_TIMEZONE` until the region names one).
Registered as Jinja filters in `web.py`: `format_date`, `format_datetime`, `format_time`,
`format_number`, `format_percent`, `format_list`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from babel import dates, lists, numbers

from triplehelix.i18n import current_locale

DEFAULT_TIMEZONE = "Europe/Amsterdam"
# English as written in Europe (1 Dec 2026, 24-hour clock), not the United States' default.
FORMAT_LOCALES = {"en": "en_GB"}


def _locale() -> str:
    code = current_locale()
    return FORMAT_LOCALES.get(code, code)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def format_date(
    value: date | datetime | None, format: str = "medium", tz: str | None = None
) -> str:
    """`medium` is "1 Dec 2026" / "1 dec 2026"; a datetime is first put in `tz`."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = _aware(value).astimezone(ZoneInfo(tz or DEFAULT_TIMEZONE)).date()
    return dates.format_date(value, format=format, locale=_locale())


def format_datetime(value: datetime | None, format: str = "medium", tz: str | None = None) -> str:
    if value is None:
        return ""
    zone = ZoneInfo(tz or DEFAULT_TIMEZONE)
    return dates.format_datetime(_aware(value), format=format, tzinfo=zone, locale=_locale())


def format_time(value: datetime | time | None, format: str = "short", tz: str | None = None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = _aware(value).astimezone(ZoneInfo(tz or DEFAULT_TIMEZONE)).timetz()
    return dates.format_time(value, format=format, locale=_locale())


def format_number(value: float | int | None, digits: int | None = None) -> str:
    """Grouped per locale (12,345.6 / 12.345,6); `digits` fixes the number of decimals."""
    if value is None:
        return ""
    if digits is None:
        return numbers.format_decimal(value, locale=_locale())
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return numbers.format_decimal(value, format=pattern, locale=_locale())


def format_percent(value: float | None) -> str:
    """A fraction (0.25) as a percentage ("25%" / "25%")."""
    if value is None:
        return ""
    return numbers.format_percent(value, locale=_locale())


def format_list(values: Iterable[str], style: str = "standard") -> str:
    """ "a, b and c" / "a, b en c"; `style="or"` for alternatives."""
    return lists.format_list(list(values), style=style, locale=_locale())  # type: ignore[arg-type]
