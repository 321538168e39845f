"""Member pages of shared infrastructure: the catalogue with "what is free", a resource's week
view and booking form (once, weekly, or a place on the waiting list), your bookings, cancelling."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from triplehelix.accounts.deps import CsrfChecked, CurrentUser, OptionalUser
from triplehelix.accounts.service.permissions import manages_facility
from triplehelix.deps import SessionDep
from triplehelix.directory import service as directory
from triplehelix.errors import (
    ConflictError,
    PermissionDeniedError,
    ValidationError,
    http_status,
)
from triplehelix.facilities import service
from triplehelix.facilities.models import local_span
from triplehelix.facilities.pages import forms
from triplehelix.facilities.pages import manage as manage_pages
from triplehelix.facilities.pages.resource import render_resource
from triplehelix.facilities.schemas.catalogue import CatalogueQuery
from triplehelix.facilities.schemas.rules import describe_hours
from triplehelix.facilities.service import availability, booking, pricing, series, waitlist
from triplehelix.fields import DateText, DateTimeText, Note, PageNumber, ProjectCode, RowId
from triplehelix.i18n import gettext as _
from triplehelix.i18n import ngettext
from triplehelix.taxonomy import get_taxonomy
from triplehelix.web import field_errors, local_target, paging

router = APIRouter(tags=["facilities"], include_in_schema=False)
CATALOGUE_PAGE_SIZE = 50


def _when(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text) if text else None
    except ValueError:
        return None


def facility_context(request: Request, session: Session, fac: Any) -> dict[str, Any]:
    """For the directory's facility page: its bookable resources."""
    return {"resources": service.list_resources(session, fac.id)}


@router.get("/infrastructure", response_class=HTMLResponse)
def infrastructure(
    request: Request,
    session: SessionDep,
    user: OptionalUser,
    query: Annotated[CatalogueQuery, Query()],
    page: Annotated[PageNumber, Query()] = 1,
) -> Response:
    window = query.window()
    resources = availability.catalogue_resources(session, window)
    within = None if window is None else set(resources)  # a resource free in the window
    offset = (page - 1) * CATALOGUE_PAGE_SIZE
    result = directory.list_facilities(
        session, query.q, *query.facets(), CATALOGUE_PAGE_SIZE, offset, within=within
    )
    tax = get_taxonomy()
    return forms.show(
        request,
        "facilities/infrastructure.html",
        user,
        result=result,
        resources=resources,
        query=query,
        kinds=tax.codes("facility_kind"),
        clusters=tax.codes("cluster"),
        owners=directory.facility_owners(session),
        hours=describe_hours,
        paging=paging(result.total, CATALOGUE_PAGE_SIZE, page),
    )


@router.get("/facilities/{facility_id}/resources", response_class=HTMLResponse)
def facility_resources_page(
    request: Request, facility_id: str, session: SessionDep, user: OptionalUser
) -> Response:
    facility = service.get_facility(session, facility_id)
    return manage_pages.facility_page(request, session, user, facility)


@router.get("/resources/{resource_id}", response_class=HTMLResponse)
def resource_page(
    request: Request,
    resource_id: RowId,
    session: SessionDep,
    user: OptionalUser,
    week: DateText = "",
    start: DateTimeText = "",
    end: DateTimeText = "",
) -> Response:
    day = forms.day(week, "week") or date.today()
    book = {"start": start, "end": end}
    return render_resource(request, session, user, resource_id, day, book=book)


@router.post("/resources/{resource_id}/book", dependencies=[CsrfChecked])
def book(
    request: Request,
    resource_id: RowId,
    session: SessionDep,
    user: CurrentUser,
    start: Annotated[DateTimeText, Form()] = "",
    end: Annotated[DateTimeText, Form()] = "",
    note: Annotated[Note, Form()] = "",
    project_code: Annotated[ProjectCode, Form()] = "",
    repeat_until: Annotated[DateText, Form()] = "",
) -> Response:
    typed = {
        "start": start,
        "end": end,
        "note": note,
        "project_code": project_code,
        "repeat_until": repeat_until,
    }
    try:
        begins, ends = forms.moment(start, "start"), forms.moment(end, "end")
        until = forms.day(repeat_until, "repeat_until")
        if until is not None:
            made = series.request_series(
                session, user, resource_id, begins, ends, until, note, project_code
            )
        else:
            made = [
                booking.request_booking(
                    session, user, resource_id, begins, ends, note, project_code
                )
            ]
        session.commit()
    except (ConflictError, PermissionDeniedError, ValidationError) as exc:
        session.rollback()
        day = (_when(start) or datetime.now()).date()
        taken = isinstance(exc, booking.HeldError) and exc.by_booking
        return render_resource(
            request,
            session,
            user,
            resource_id,
            day,
            http_status(exc),
            errors=_errors(exc),
            book=typed,
            can_wait=taken,
        )
    first = made[0]
    values = {
        "resource": first.resource.name,
        "span": first.when(),
        "zone": first.resource.timezone,
        "n": len(made),
    }
    if len(made) > 1:
        message = (
            ngettext(
                "Requested: %(resource)s, %(n)s week from %(span)s (%(zone)s)",
                "Requested: %(resource)s, %(n)s weeks from %(span)s (%(zone)s)",
                len(made),
            )
            if first.status == "pending"
            else ngettext(
                "Booked: %(resource)s, %(n)s week from %(span)s (%(zone)s)",
                "Booked: %(resource)s, %(n)s weeks from %(span)s (%(zone)s)",
                len(made),
            )
        ) % values
    elif first.status == "pending":
        message = _("Requested: %(resource)s, %(span)s (%(zone)s)") % values
    else:
        message = _("Booked: %(resource)s, %(span)s (%(zone)s)") % values
    if any(b.cost_cents is not None for b in made):
        total = pricing.euros(sum(b.cost_cents or 0 for b in made))
        message += " · " + _("cost %(amount)s") % {"amount": total}
    return forms.done(f"/resources/{resource_id}?week={first.start_at.date().isoformat()}", message)


def _errors(exc: Exception) -> dict[str, str]:
    problems = exc.problems if isinstance(exc, ValidationError) else [str(exc)]
    errors = field_errors(problems)
    if "_" in errors and isinstance(exc, ConflictError | PermissionDeniedError):
        errors["start"] = errors.pop("_")
    return errors


@router.post("/resources/{resource_id}/wait", dependencies=[CsrfChecked])
def wait(
    request: Request,
    resource_id: int,
    session: SessionDep,
    user: CurrentUser,
    start: str = Form(""),
    end: str = Form(""),
) -> Response:
    resource = service.get_resource(session, resource_id)
    try:
        entry = waitlist.join_waitlist(
            session, user, resource, forms.moment(start, "start"), forms.moment(end, "end")
        )
        session.commit()
    except (ConflictError, ValidationError) as exc:
        session.rollback()
        day = (_when(start) or datetime.now()).date()
        return render_resource(
            request,
            session,
            user,
            resource_id,
            day,
            http_status(exc),
            errors=_errors(exc),
            book={"start": start, "end": end},
        )
    span = local_span(entry.start_at, entry.end_at, resource.timezone)
    return forms.done(
        "/bookings",
        _(
            "On the waiting list for %(resource)s, %(span)s; "
            "you will hear in your inbox if it frees up"
        )
        % {"resource": resource.name, "span": span},
    )


@router.get("/bookings", response_class=HTMLResponse)
def my_bookings(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    return forms.show(
        request,
        "facilities/bookings.html",
        user,
        bookings=service.list_bookings(session, user=user),
        waiting=waitlist.waiting_of(session, user),
        euros=pricing.euros,
        local_span=local_span,
    )


@router.get("/bookings/{booking_id}/cancel", response_class=HTMLResponse)
def confirm_cancel(
    request: Request, booking_id: int, session: SessionDep, user: CurrentUser, back: str = ""
) -> Response:
    """Are you sure? The booking, and the deadline, before the cancel button."""
    made = booking.get_booking(session, booking_id)
    if made.user_id != user.id and not manages_facility(user, made.resource.facility_id):
        raise PermissionDeniedError(_("only the booker or a facility manager may cancel a booking"))
    return forms.show(
        request,
        "facilities/cancel.html",
        user,
        b=made,
        back=back if back.startswith("/") else "/bookings",
    )


@router.post("/bookings/{booking_id}/cancel", dependencies=[CsrfChecked])
def cancel(
    request: Request,
    booking_id: RowId,
    session: SessionDep,
    user: CurrentUser,
    back: str = Form("/bookings"),
) -> Response:
    try:
        made = booking.cancel_booking(session, user, booking_id)
        session.commit()
    except ConflictError as exc:  # too late, or already cancelled: say so on the same page
        session.rollback()
        return forms.show(
            request,
            "facilities/cancel.html",
            user,
            http_status(exc),
            b=booking.get_booking(session, booking_id),
            back=local_target(back, "/bookings"),
            errors=field_errors([str(exc)]),
        )
    return forms.done(
        local_target(back, "/bookings"),
        _("Cancelled: %(resource)s, %(span)s")
        % {"resource": made.resource.name, "span": made.when()},
    )


@router.post("/waiting/{entry_id}/leave", dependencies=[CsrfChecked])
def leave(entry_id: RowId, session: SessionDep, user: CurrentUser) -> Response:
    waitlist.leave_waitlist(session, user, entry_id)
    session.commit()
    return forms.done("/bookings", _("You left the waiting list"))
