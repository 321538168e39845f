"""Tables of shared infrastructure: bookable resources with their rules, and bookings.

On PostgreSQL the migration adds an exclusion constraint (btree_gist) so that two confirmed
bookings of one resource can never overlap, whatever the application does; on SQLite the booking
service checks and writes inside one `BEGIN IMMEDIATE` transaction instead.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from babel import dates
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from triplehelix.accounts.models import User
from triplehelix.db import Base, UTCDateTime, utcnow
from triplehelix.directory.models import Facility
from triplehelix.i18n import current_locale
from triplehelix.i18n.format import FORMAT_LOCALES

ACCESS = ("any", "organisations", "qualification")
STATUSES = ("pending", "confirmed", "declined", "cancelled")
KINDS = ("booking", "maintenance")


class Resource(Base):
    """A bookable thing inside a facility (a room, a suite, an instrument) and its rules."""

    __tablename__ = "resources"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    facility_id: Mapped[str] = mapped_column(
        ForeignKey("facilities.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    min_minutes: Mapped[int] = mapped_column(Integer, default=30)
    max_minutes: Mapped[int] = mapped_column(Integer, default=480)
    # How soon: at least this many minutes' notice; how far ahead: at most this many days.
    notice_minutes: Mapped[int] = mapped_column(Integer, default=0)
    horizon_days: Mapped[int] = mapped_column(Integer, default=90)
    # Opening hours in the resource's time zone: "HH:MM" each, days as ISO weekday digits 1-7.
    opens: Mapped[str] = mapped_column(String(5), default="00:00")
    closes: Mapped[str] = mapped_column(String(5), default="24:00")
    open_days: Mapped[str] = mapped_column(String(7), default="1234567")
    timezone: Mapped[str] = mapped_column(String(60), default="Europe/Amsterdam")
    approval_required: Mapped[bool] = mapped_column(Boolean, default=False)
    # Who may book: any member, members of the listed organisations, or holders of a qualification.
    access: Mapped[str] = mapped_column(String(20), default="any")
    access_organisations: Mapped[str] = mapped_column(Text, default="")  # space-separated ids
    qualification: Mapped[str] = mapped_column(String(120), default="")
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # A member may cancel until this many hours before the start (0: until it starts).
    cancel_hours: Mapped[int] = mapped_column(Integer, default=0)
    # Retired resources keep their history but take no new bookings and leave the catalogue.
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    facility: Mapped[Facility] = relationship()

    def organisation_ids(self) -> list[str]:
        return self.access_organisations.split()


class Booking(Base):
    """A booking or a maintenance block; only `confirmed` ones hold the slot."""

    __tablename__ = "bookings"
    __table_args__ = (
        Index("ix_bookings_resource_span", "resource_id", "start_at", "end_at"),
        CheckConstraint("end_at > start_at", name="span"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    resource_id: Mapped[int] = mapped_column(ForeignKey("resources.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    # The booker's organisation when booked, so utilisation per organisation stays historical.
    organisation_id: Mapped[str | None] = mapped_column(String(120), index=True)
    kind: Mapped[str] = mapped_column(String(20), default="booking")
    status: Mapped[str] = mapped_column(String(20), index=True)
    start_at: Mapped[datetime] = mapped_column(UTCDateTime)
    end_at: Mapped[datetime] = mapped_column(UTCDateTime)
    note: Mapped[str] = mapped_column(Text, default="")
    reason: Mapped[str] = mapped_column(Text, default="")  # why declined / what maintenance
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The price when booked (cents, None: the resource had no rate for the booker's tier).
    cost_cents: Mapped[int | None] = mapped_column(Integer, nullable=True)
    tier: Mapped[str] = mapped_column(String(80), default="")
    project_code: Mapped[str] = mapped_column(String(60), default="", index=True)
    # Bookings made together as one weekly series share the id of the first.
    series_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    resource: Mapped[Resource] = relationship()
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])

    def when(self) -> str:
        """The span in the resource's time zone, e.g. "Tue 08 Dec 2026 10:00-11:00"."""
        return local_span(self.start_at, self.end_at, self.resource.timezone)


def local_span(start: datetime, end: datetime, zone: str) -> str:
    """A span in `zone` as the current language writes it ("Tue 08 Dec 2026 10:00", en dash,
    "11:00")."""
    tz = ZoneInfo(zone)
    start, end = start.astimezone(tz), end.astimezone(tz)
    code = current_locale()
    locale = FORMAT_LOCALES.get(code, code)
    day = "EEE dd MMM y HH:mm"
    first = dates.format_datetime(start, day, tzinfo=tz, locale=locale)
    pattern = "HH:mm" if end.date() == start.date() else day
    last = dates.format_datetime(end, pattern, tzinfo=tz, locale=locale)
    return f"{first}\N{EN DASH}{last}"


class PriceTier(Base):
    """A price tier a facility defines; `applies_to` says whose bookings fall in it."""

    __tablename__ = "price_tiers"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    facility_id: Mapped[str] = mapped_column(
        ForeignKey("facilities.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(80))
    # "own" (the facility's organisation), organisation kinds separated by spaces, or "" (anyone).
    applies_to: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)


class ResourceRate(Base):
    """What an hour of a resource costs in one tier (in cents)."""

    __tablename__ = "resource_rates"
    __table_args__ = (UniqueConstraint("resource_id", "tier_id", name="uq_resource_rates"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    resource_id: Mapped[int] = mapped_column(ForeignKey("resources.id", ondelete="CASCADE"))
    tier_id: Mapped[int] = mapped_column(ForeignKey("price_tiers.id", ondelete="CASCADE"))
    cents_per_hour: Mapped[int] = mapped_column(Integer)

    tier: Mapped[PriceTier] = relationship()


class WaitlistEntry(Base):
    """Someone waiting for a taken slot; the first in line is offered it when it frees up."""

    __tablename__ = "waitlist_entries"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    resource_id: Mapped[int] = mapped_column(
        ForeignKey("resources.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    start_at: Mapped[datetime] = mapped_column(UTCDateTime)
    end_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(20), default="waiting")  # waiting, offered, left
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    resource: Mapped[Resource] = relationship()
