"""Pages of shared infrastructure: the catalogue with "what is free", a resource's week view and
booking form, your bookings, the manager's desk (approve, decline, block) and utilisation."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from triplehelix.accounts.deps import CsrfChecked, CurrentUser, OptionalUser
from triplehelix.accounts.permissions import is_admin, manages_facility, scopes
from triplehelix.accounts.web import page, redirect
from triplehelix.deps import SessionDep
from triplehelix.directory.models import Facility
from triplehelix.errors import (
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
    http_status,
)
from triplehelix.facilities import booking, calendar, catalogue, service, utilisation
from triplehelix.facilities.rules import describe_hours
from triplehelix.taxonomy import get_taxonomy

router = APIRouter(tags=["facilities"], include_in_schema=False)


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
    q: str = "",
    kind: str = "",
    owner: str = "",
    cluster: str = "",
    access: str = "",
    free_from: str = "",
    free_to: str = "",
) -> Response:
    query = catalogue.CatalogueQuery(
        q, kind, owner, cluster, access, _when(free_from), _when(free_to)
    )
    entries = catalogue.search_catalogue(session, query)
    tax = get_taxonomy()
    return page(
        request,
        "facilities/infrastructure.html",
        user,
        entries=entries,
        suggestion=catalogue.suggestion(session, query, entries),
        query=query,
        free_from=free_from,
        free_to=free_to,
        kinds=tax.codes("facility_kind"),
        clusters=tax.codes("cluster"),
        owners=catalogue.owners_with_facilities(session),
        hours=describe_hours,
    )


@router.get("/facilities/{facility_id}/resources", response_class=HTMLResponse)
def facility_resources(
    request: Request, facility_id: str, session: SessionDep, user: OptionalUser
) -> Response:
    facility = session.get(Facility, facility_id)
    if facility is None:
        raise NotFoundError(f"no facility {facility_id!r}")
    return page(
        request,
        "facilities/facility_resources.html",
        user,
        facility=facility,
        resources=service.list_resources(session, facility_id),
        hours=describe_hours,
        manager=manages_facility(user, facility_id),
    )


@router.get("/resources/{resource_id}", response_class=HTMLResponse)
def resource_page(
    request: Request,
    resource_id: int,
    session: SessionDep,
    user: OptionalUser,
    week: str = "",
    error: str = "",
) -> Response:
    day = date.fromisoformat(week) if week else date.today()
    return _resource_page(request, session, user, resource_id, day, error=error)


def _resource_page(
    request: Request, session: Session, user: Any, resource_id: int, day: date,
    status_code: int = 200, **context: Any,
) -> Response:  # fmt: skip
    """A resource's week view with its booking form (and, for managers, their forms)."""
    resource = booking.get_resource(session, resource_id)
    grid = calendar.week_grid(session, resource, day)
    return page(
        request, "facilities/resource.html", user, status_code=status_code, resource=resource,
        week=grid, hours=describe_hours(resource),
        manager=manages_facility(user, resource.facility_id),
        previous=grid.monday - timedelta(days=7), next=grid.monday + timedelta(days=7), **context,
    )  # fmt: skip


@router.post("/resources/{resource_id}/book", dependencies=[CsrfChecked])
def book(
    request: Request,
    resource_id: int,
    session: SessionDep,
    user: CurrentUser,
    start: str = Form(""),
    end: str = Form(""),
    note: str = Form(""),
) -> Response:
    begins, ends = _when(start), _when(end)
    try:
        if begins is None or ends is None:
            raise ValidationError("start and end: give a date and a time")
        made = booking.request_booking(session, user, resource_id, begins, ends, note)
        session.commit()
    except (ConflictError, PermissionDeniedError, ValidationError) as exc:
        session.rollback()
        status = http_status(exc)
        day = (begins or datetime.now()).date()
        return _resource_page(request, session, user, resource_id, day, status,
                              error=str(exc), start=start, end=end, note=note)  # fmt: skip
    return redirect(f"/resources/{resource_id}?week={made.start_at.date().isoformat()}")


@router.get("/bookings", response_class=HTMLResponse)
def my_bookings(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    return page(
        request,
        "facilities/bookings.html",
        user,
        bookings=service.list_bookings(session, user=user),
    )


@router.post("/bookings/{booking_id}/cancel", dependencies=[CsrfChecked])
def cancel(
    booking_id: int, session: SessionDep, user: CurrentUser, back: str = Form("/bookings")
) -> Response:
    booking.cancel_booking(session, user, booking_id)
    session.commit()
    return redirect(back if back.startswith("/") else "/bookings")


def _managed(user: CurrentUser) -> set[str] | None:
    return None if is_admin(user) else scopes(user, "manager")


@router.get("/bookings/manage", response_class=HTMLResponse)
def manage(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    facilities = _managed(user)
    if facilities is not None and not facilities:
        raise PermissionDeniedError("only facility managers and region admins manage bookings")
    pending = service.list_bookings(session, status="pending", facility_ids=facilities)
    upcoming = [
        b
        for b in service.list_bookings(session, status="confirmed", facility_ids=facilities)
        if b.end_at >= datetime.now(b.end_at.tzinfo)
    ]
    resources = [
        r
        for r in service.list_resources(session)
        if facilities is None or r.facility_id in facilities
    ]
    return page(
        request,
        "facilities/manage.html",
        user,
        pending=pending,
        upcoming=upcoming,
        resources=resources,
    )


@router.post("/bookings/{booking_id}/approve", dependencies=[CsrfChecked])
def approve(booking_id: int, session: SessionDep, user: CurrentUser) -> Response:
    booking.approve_booking(session, user, booking_id)
    session.commit()
    return redirect("/bookings/manage")


@router.post("/bookings/{booking_id}/decline", dependencies=[CsrfChecked])
def decline(
    booking_id: int, session: SessionDep, user: CurrentUser, reason: str = Form("")
) -> Response:
    booking.decline_booking(session, user, booking_id, reason)
    session.commit()
    return redirect("/bookings/manage")


@router.post("/resources/{resource_id}/rules", dependencies=[CsrfChecked])
def edit_rules(
    resource_id: int,
    session: SessionDep,
    user: CurrentUser,
    description: str = Form(""),
    min_minutes: int = Form(...),
    max_minutes: int = Form(...),
    notice_minutes: int = Form(...),
    horizon_days: int = Form(...),
    opens: str = Form(...),
    closes: str = Form(...),
    open_days: str = Form(...),
    approval_required: bool = Form(False),
    access: str = Form("any"),
    access_organisations: str = Form(""),
    qualification: str = Form(""),
) -> Response:
    """A manager changes a resource's rules; a rule that makes no sense comes back named."""
    resource = booking.get_resource(session, resource_id)
    rules = service.ResourceRules(
        description=description, min_minutes=min_minutes, max_minutes=max_minutes,
        notice_minutes=notice_minutes, horizon_days=horizon_days, opens=opens, closes=closes,
        open_days=open_days, timezone=resource.timezone, approval_required=approval_required,
        access=access, access_organisations=access_organisations.split(),
        qualification=qualification.strip(),
    )  # fmt: skip
    try:
        service.update_resource(session, user, resource, rules)
        session.commit()
    except ValidationError as exc:
        session.rollback()
        return redirect(f"/resources/{resource_id}?{urlencode({'error': str(exc)})}#rules")
    return redirect(f"/resources/{resource_id}#rules")


@router.post("/resources/{resource_id}/block", dependencies=[CsrfChecked])
def block(
    resource_id: int,
    session: SessionDep,
    user: CurrentUser,
    start: str = Form(""),
    end: str = Form(""),
    reason: str = Form(""),
) -> Response:
    begins, ends = _when(start), _when(end)
    if begins is None or ends is None:
        raise ValidationError("start and end: give a date and a time")
    made = booking.block_maintenance(session, user, resource_id, begins, ends, reason)
    session.commit()
    return redirect(f"/resources/{resource_id}?week={made.start_at.date().isoformat()}")


@router.get("/utilisation", response_class=HTMLResponse)
def use(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    by: str = "month",
    per: str = "resource",
) -> Response:
    by, per = (
        ("week" if by == "week" else "month"),
        ("organisation" if per == "organisation" else "resource"),
    )
    rows = utilisation.utilisation(session, by, per, _managed(user))
    return page(
        request,
        "facilities/utilisation.html",
        user,
        rows=rows,
        by=by,
        per=per,
        chart=utilisation.as_svg(rows, f"Hours booked per {by}, per {per}"),
    )


@router.get("/utilisation.csv")
def use_csv(
    session: SessionDep, user: CurrentUser, by: str = "month", per: str = "resource"
) -> Response:
    by, per = (
        ("week" if by == "week" else "month"),
        ("organisation" if per == "organisation" else "resource"),
    )
    rows = utilisation.utilisation(session, by, per, _managed(user))
    return Response(
        utilisation.as_csv(rows, per),
        media_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="utilisation-{by}-{per}.csv"'},
    )
