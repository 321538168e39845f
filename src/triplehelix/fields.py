"""Annotated types for every value that enters at the edge (API, form, query, CLI, dataset).

Each bound is declared once here and used wherever the field is written, so the API, the page
form and the dataset agree: integers that fit the databases, dates and datetimes inside a sane
window, text without NUL or other control characters and with one length limit per field.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Annotated

from annotated_types import Interval, MaxLen
from pydantic import AfterValidator

# Ids and counts must fit a signed 32-bit column on both databases.
MAX_ID = 2**31 - 1
# Paging deeper than this is never useful and keeps offset arithmetic inside 64 bits.
MAX_OFFSET = 1_000_000
MAX_PAGE = 100_000
# Bookings and calendars live in this window; historical years (founded, events) in the other.
CALENDAR_YEARS = (2000, 2100)
HISTORY_YEARS = (1000, 2100)

# Length limits, one per field, wherever it is written.
NOTE_MAX = 2000  # booking note
REASON_MAX = 2000  # decline reason, maintenance reason
SERVICE_MAX = 300  # one service phrase of an organisation
SERVICES_MAX = 100  # services per organisation
SUMMARY_MAX = 5000  # organisation summary
DETAILS_MAX = 5000  # facility details
EVENT_SUMMARY_MAX = 2000
NAME_MAX = 300  # organisation / facility name
PERSON_NAME_MAX = 200
EMAIL_MAX = 320
URL_MAX = 2048
QUERY_MAX = 1000  # a search or a need in plain words
PROJECT_CODE_MAX = 60  # a booking's project / cost-centre code

# C0 controls except tab, newline and carriage return, plus DEL and the C1 range.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_LINE_BREAK = re.compile(r"[\r\n\t]")


def control_character(text: str) -> str | None:
    """The first forbidden control character of `text`, described, or None."""
    found = _CONTROL.search(text)
    return None if found is None else f"U+{ord(found.group()):04X}"


def _clean_text(value: str) -> str:
    bad = control_character(value)
    if bad:
        raise ValueError(f"must not contain control characters ({bad})")
    return value


def _one_line(value: str) -> str:
    _clean_text(value)
    if _LINE_BREAK.search(value):
        raise ValueError("must be one line")
    return value


def _in_window(year: int, window: tuple[int, int], what: str) -> None:
    if not window[0] <= year <= window[1]:
        raise ValueError(f"{what} must be between the years {window[0]} and {window[1]}")


def _calendar_datetime(value: datetime) -> datetime:
    # Judge the instant in UTC too, so an offset cannot push it out of the window later.
    _in_window(value.year, CALENDAR_YEARS, "date and time")
    if value.tzinfo is not None:
        _in_window(value.astimezone(UTC).year, CALENDAR_YEARS, "date and time")
    return value


def _calendar_date(value: date) -> date:
    _in_window(value.year, CALENDAR_YEARS, "date")
    return value


def _optional_text_datetime(value: str) -> str:
    """A form's date-time text: empty, or ISO 8601 inside the calendar window."""
    if value:
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            raise ValueError("must be a date and time such as 2027-03-01T09:00") from None
        _calendar_datetime(parsed)
    return value


def _optional_text_date(value: str) -> str:
    """A query's date text: empty, or YYYY-MM-DD inside the calendar window."""
    if value:
        try:
            parsed = date.fromisoformat(value)
        except ValueError:
            raise ValueError("must be a date such as 2027-03-01") from None
        _calendar_date(parsed)
    return value


CleanText = Annotated[str, AfterValidator(_clean_text)]
OneLine = Annotated[str, AfterValidator(_one_line)]
Note = Annotated[CleanText, MaxLen(NOTE_MAX)]
Reason = Annotated[CleanText, MaxLen(REASON_MAX)]
ServiceText = Annotated[OneLine, MaxLen(SERVICE_MAX)]
Summary = Annotated[CleanText, MaxLen(SUMMARY_MAX)]
Details = Annotated[CleanText, MaxLen(DETAILS_MAX)]
EventSummary = Annotated[CleanText, MaxLen(EVENT_SUMMARY_MAX)]
Name = Annotated[OneLine, MaxLen(NAME_MAX)]
PersonName = Annotated[OneLine, MaxLen(PERSON_NAME_MAX)]
Email = Annotated[OneLine, MaxLen(EMAIL_MAX)]
Url = Annotated[OneLine, MaxLen(URL_MAX)]
SearchText = Annotated[CleanText, MaxLen(QUERY_MAX)]
ProjectCode = Annotated[OneLine, MaxLen(PROJECT_CODE_MAX)]

RowId = Annotated[int, Interval(ge=1, le=MAX_ID)]
Offset = Annotated[int, Interval(ge=0, le=MAX_OFFSET)]
PageNumber = Annotated[int, Interval(ge=1, le=MAX_PAGE)]
HistoryYear = Annotated[int, Interval(ge=HISTORY_YEARS[0], le=HISTORY_YEARS[1])]
CalendarDateTime = Annotated[datetime, AfterValidator(_calendar_datetime)]
CalendarDate = Annotated[date, AfterValidator(_calendar_date)]
# Pages take dates as text (an empty value means "not given"); the same window applies.
DateTimeText = Annotated[str, AfterValidator(_optional_text_datetime)]
DateText = Annotated[str, AfterValidator(_optional_text_date)]
