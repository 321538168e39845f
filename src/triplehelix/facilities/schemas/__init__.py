"""Public shapes of resources, bookings and availability, and the converters from the tables."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from triplehelix.facilities.models import Booking, Resource
from triplehelix.facilities.schemas.rules import describe_hours
from triplehelix.fields import CalendarDate, CalendarDateTime, Note, ProjectCode, Reason, RowId


class BookingCreate(BaseModel):
    resource_id: RowId
    start: CalendarDateTime = Field(
        description="ISO 8601; without an offset it is the resource's time"
    )
    end: CalendarDateTime
    note: Note = ""
    project_code: ProjectCode = Field("", description="optional project/cost-centre code")


class SeriesCreate(BookingCreate):
    repeat_until: CalendarDate = Field(description="the same slot every week up to this date")


class WaitlistCreate(BaseModel):
    resource_id: RowId
    start: CalendarDateTime
    end: CalendarDateTime


class WaitlistPublic(BaseModel):
    id: int
    resource_id: int
    start: datetime
    end: datetime
    status: str


class BookingDecision(BaseModel):
    reason: Reason = ""


class BookingPublic(BaseModel):
    id: int
    resource_id: int
    resource: str
    facility_id: str
    kind: str
    status: str
    start: datetime
    end: datetime
    note: str
    reason: str
    project_code: str = ""
    tier: str = ""
    cost_cents: int | None = None
    series_id: int | None = None


class ResourcePublic(BaseModel):
    id: int
    facility_id: str
    name: str
    description: str
    min_minutes: int
    max_minutes: int
    notice_minutes: int
    horizon_days: int
    opening_hours: str
    approval_required: bool
    access: str
    access_organisations: list[str]
    qualification: str
    demo: bool


class Slot(BaseModel):
    start: datetime
    end: datetime
    status: str = "free"
    kind: str = ""


class ResourceAvailability(BaseModel):
    id: int
    name: str
    busy: list[Slot]
    free: list[Slot]


class Availability(BaseModel):
    facility_id: str
    start: datetime = Field(serialization_alias="from")
    end: datetime = Field(serialization_alias="to")
    resources: list[ResourceAvailability]


def booking_public(booking: Booking) -> BookingPublic:
    return BookingPublic(
        id=booking.id, resource_id=booking.resource_id, resource=booking.resource.name,
        facility_id=booking.resource.facility_id, kind=booking.kind, status=booking.status,
        start=booking.start_at, end=booking.end_at, note=booking.note, reason=booking.reason,
        project_code=booking.project_code, tier=booking.tier, cost_cents=booking.cost_cents,
        series_id=booking.series_id,
    )  # fmt: skip


def resource_public(resource: Resource) -> ResourcePublic:
    return ResourcePublic(
        id=resource.id, facility_id=resource.facility_id, name=resource.name,
        description=resource.description, min_minutes=resource.min_minutes,
        max_minutes=resource.max_minutes, notice_minutes=resource.notice_minutes,
        horizon_days=resource.horizon_days, opening_hours=describe_hours(resource),
        approval_required=resource.approval_required, access=resource.access,
        access_organisations=resource.organisation_ids(), qualification=resource.qualification,
        demo=resource.is_demo,
    )  # fmt: skip
