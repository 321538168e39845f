"""JSON API of shared infrastructure: book, decide, cancel, availability and calendar feeds.
Bookings need a personal API token (`Authorization: Bearer TOKEN`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from triplehelix.accounts.deps import ApiToken, ApiUser, token_user
from triplehelix.accounts.service import access
from triplehelix.deps import SessionDep
from triplehelix.facilities import service
from triplehelix.facilities.models import Booking
from triplehelix.facilities.schemas import (
    Availability,
    BookingCreate,
    BookingDecision,
    BookingPublic,
    ResourcePublic,
    SeriesCreate,
    WaitlistCreate,
    WaitlistPublic,
    booking_public,
    resource_public,
)
from triplehelix.facilities.service import availability, booking, calendar, series, waitlist
from triplehelix.fields import CalendarDateTime, RowId

router = APIRouter(prefix="/api", tags=["bookings"])
ICS = "text/calendar; charset=utf-8"


@router.post("/bookings", status_code=201, response_model=BookingPublic)
async def create_booking(
    data: BookingCreate, token: ApiToken, session: SessionDep
) -> BookingPublic:
    """Book a slot: 201 confirmed or pending approval; 409 names the slot already taken."""
    # One trip to a thread for all of it, the token check too: a sync route with ApiUser would
    # take three (the user, the route, FastAPI's check of the answer), and under load each trip
    # waits its turn on the event loop.
    return await run_in_threadpool(_create_booking, data, token, session)


def _create_booking(data: BookingCreate, token: str, session: Session) -> BookingPublic:
    user = token_user(session, token)
    made = booking.request_booking(
        session, user, data.resource_id, data.start, data.end, data.note, data.project_code
    )
    session.commit()  # report success only once it is stored
    return booking_public(made)


@router.post("/bookings/series", status_code=201, response_model=list[BookingPublic])
def create_series(data: SeriesCreate, user: ApiUser, session: SessionDep) -> list[BookingPublic]:
    """Book the slot weekly up to `repeat_until`: all of it, or nothing (409/422 name the week)."""
    made = series.request_series(session, user, data.resource_id, data.start, data.end,
                                 data.repeat_until, data.note, data.project_code)  # fmt: skip
    session.commit()
    return [booking_public(b) for b in made]


@router.post("/waitlist", status_code=201, response_model=WaitlistPublic)
def join_waitlist(data: WaitlistCreate, user: ApiUser, session: SessionDep) -> WaitlistPublic:
    """Queue for a taken slot; the first in line is offered it (inbox) when it frees up."""
    resource = service.get_resource(session, data.resource_id)
    entry = waitlist.join_waitlist(session, user, resource, data.start, data.end)
    session.commit()
    return WaitlistPublic(id=entry.id, resource_id=entry.resource_id, start=entry.start_at,
                          end=entry.end_at, status=entry.status)  # fmt: skip


@router.get("/bookings", response_model=list[BookingPublic])
def my_bookings(user: ApiUser, session: SessionDep) -> list[BookingPublic]:
    return [booking_public(b) for b in service.list_bookings(session, user=user)]


def _decided(session: SessionDep, made: Booking) -> BookingPublic:
    session.commit()
    return booking_public(made)


@router.post("/bookings/{booking_id}/cancel", response_model=BookingPublic)
def cancel(booking_id: RowId, user: ApiUser, session: SessionDep) -> BookingPublic:
    return _decided(session, booking.cancel_booking(session, user, booking_id))


@router.post("/bookings/{booking_id}/approve", response_model=BookingPublic)
def approve(booking_id: RowId, user: ApiUser, session: SessionDep) -> BookingPublic:
    return _decided(session, booking.approve_booking(session, user, booking_id))


@router.post("/bookings/{booking_id}/decline", response_model=BookingPublic)
def decline(
    booking_id: RowId, data: BookingDecision, user: ApiUser, session: SessionDep
) -> BookingPublic:
    return _decided(session, booking.decline_booking(session, user, booking_id, data.reason))


@router.get("/facilities/{facility_id}/availability", response_model=Availability,
            response_model_by_alias=True)  # fmt: skip
def facility_availability(
    facility_id: str,
    session: SessionDep,
    start: Annotated[CalendarDateTime, Query(alias="from")],
    end: Annotated[CalendarDateTime, Query(alias="to")],
) -> Availability:
    """Busy slots (confirmed, pending, maintenance) and free open hours of every resource."""
    return availability.facility_availability(session, facility_id, start, end)


@router.get("/facilities/{facility_id}/resources", response_model=list[ResourcePublic])
def facility_resources(facility_id: str, session: SessionDep) -> list[ResourcePublic]:
    return [resource_public(r) for r in service.list_resources(session, facility_id)]


@router.get("/resources/{resource_id}", response_model=ResourcePublic)
def get_resource(resource_id: RowId, session: SessionDep) -> ResourcePublic:
    return resource_public(service.get_resource(session, resource_id))


@router.get("/resources/{resource_id}/calendar.ics", response_class=Response)
def resource_calendar(resource_id: RowId, request: Request, session: SessionDep) -> Response:
    resource = service.get_resource(session, resource_id)
    body = calendar.resource_feed(session, resource, request.app.state.settings.host)
    return Response(body, media_type=ICS)


@router.get("/calendar/{feed_key}.ics", response_class=Response)
def user_calendar(feed_key: str, request: Request, session: SessionDep) -> Response:
    """A person's own bookings; the link is secret (signed), as calendar apps cannot sign in."""
    settings = request.app.state.settings
    user = access.user_for_calendar(session, settings, feed_key)
    return Response(calendar.user_feed(session, user, settings.host), media_type=ICS)
