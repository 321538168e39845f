"""Tables of shared infrastructure: bookable resources with their rules, and bookings.

On PostgreSQL the migration adds an exclusion constraint (btree_gist) so that two confirmed
bookings of one resource can never overlap, whatever the application does; on SQLite the booking
service checks and writes inside one `BEGIN IMMEDIATE` transaction instead.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from triplehelix.accounts.models import User, UTCDateTime, utcnow
from triplehelix.db import Base
from triplehelix.directory.models import Facility

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
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    resource: Mapped[Resource] = relationship()
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
