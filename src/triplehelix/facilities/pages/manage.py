"""Manager pages: the desk (approve — or move to the next free slot — and decline), publishing,
editing and retiring resources, price tiers and rates, maintenance blocks that warn about the
bookings they would cancel, and utilisation with cost."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from triplehelix.accounts.deps import CsrfChecked, CurrentUser
from triplehelix.accounts.models import User
from triplehelix.accounts.service.labels import code_label
from triplehelix.accounts.service.permissions import (
    is_admin,
    manages_facility,
    require_manager,
    scopes,
)
from triplehelix.deps import SessionDep
from triplehelix.directory.models import Facility
from triplehelix.errors import (
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
    http_status,
)
from triplehelix.facilities import service
from triplehelix.facilities.pages import forms
from triplehelix.facilities.pages.resource import manager_common, render_resource, rules_form
from triplehelix.facilities.schemas.rules import describe_hours
from triplehelix.facilities.service import booking, pricing, utilisation
from triplehelix.fields import DateTimeText, Reason, RowId
from triplehelix.i18n import gettext as _
from triplehelix.web import field_errors

router = APIRouter(tags=["facilities"], include_in_schema=False)

NUMBERS = ("min_minutes", "max_minutes", "notice_minutes", "horizon_days", "cancel_hours")


def facility_page(
    request: Request,
    session: Session,
    user: User | None,
    facility: Facility,
    status_code: int = 200,
    **context: Any,
) -> Response:
    manager = manages_facility(user, facility.id)
    extra = (
        manager_common(session)
        | {
            "form": rules_form(None),
            "rule_errors": {},
            "tiers": pricing.tiers(session, facility.id),
            "tier_errors": {},
        }
        if manager
        else {}
    )
    return forms.show(
        request,
        "facilities/facility_resources.html",
        user,
        status_code=status_code,
        facility=facility,
        resources=service.list_resources(session, facility.id),
        hours=describe_hours,
        manager=manager,
        **(extra | context),
    )


def _typed_rules(values: dict[str, Any], timezone: str) -> service.ResourceRules:
    numbers = {k: forms.whole(str(values[k]), k, service.LABELS[k]) for k in NUMBERS}
    return service.ResourceRules(
        description=values["description"],
        opens=values["opens"].strip(),
        closes=values["closes"].strip(),
        open_days="".join(values["open_days"]),
        timezone=timezone,
        approval_required=values["approval_required"],
        access=values["access"],
        access_organisations=list(values["access_organisations"]),
        qualification=values["qualification"].strip(),
        **numbers,
    )


def _number_problems(values: dict[str, Any]) -> list[str]:
    problems = []
    for key in NUMBERS:
        try:
            forms.whole(str(values[key]), key, service.LABELS[key])
        except ValidationError as exc:
            problems += exc.problems
    return problems


def _rules_dependency(
    name: str = Form(""),
    description: str = Form(""),
    min_minutes: str = Form("30"),
    max_minutes: str = Form("480"),
    notice_minutes: str = Form("0"),
    horizon_days: str = Form("90"),
    cancel_hours: str = Form("0"),
    opens: str = Form("00:00"),
    closes: str = Form("24:00"),
    open_days: list[str] = Form([]),
    approval_required: bool = Form(False),
    access: str = Form("any"),
    access_organisations: list[str] = Form([]),
    qualification: str = Form(""),
) -> dict[str, Any]:
    """The rules form as posted, every value as typed (so a refused form shows them again)."""
    return dict(locals())


RulesForm = Annotated[dict[str, Any], Depends(_rules_dependency)]


@router.post("/resources/{resource_id}/rules", dependencies=[CsrfChecked])
def edit_rules(
    request: Request, resource_id: RowId, session: SessionDep, user: CurrentUser, form: RulesForm
) -> Response:
    """A manager changes a resource's name and rules; problems come back beside their fields."""
    resource = service.get_resource(session, resource_id)
    try:
        if problems := _number_problems(form):
            raise ValidationError("; ".join(problems), problems)
        rules = _typed_rules(form, resource.timezone)
        service.update_resource(session, user, resource, rules, form["name"])
        session.commit()
    except ValidationError as exc:
        session.rollback()
        errors = field_errors(exc.problems)
        return render_resource(
            request,
            session,
            user,
            resource_id,
            datetime.now().date(),
            http_status(exc),
            form=form,
            rule_errors=errors,
        )
    return forms.done(
        f"/resources/{resource_id}#rules",
        _("Saved the rules of %(resource)s") % {"resource": resource.name},
    )


@router.post("/facilities/{facility_id}/resources", dependencies=[CsrfChecked])
def publish(
    request: Request, facility_id: str, session: SessionDep, user: CurrentUser, form: RulesForm
) -> Response:
    """A facility's manager publishes a new bookable resource."""
    facility = session.get(Facility, facility_id)
    if facility is None:
        raise NotFoundError(_("no facility %(id)s") % {"id": repr(facility_id)})
    require_manager(user, facility_id)
    try:
        if problems := _number_problems(form):
            raise ValidationError("; ".join(problems), problems)
        rules = _typed_rules(form, service.facility_timezone(session, facility_id))
        made = service.add_resource(session, user, facility_id, form["name"], rules)
        session.commit()
    except ValidationError as exc:
        session.rollback()
        return facility_page(
            request,
            session,
            user,
            facility,
            http_status(exc),
            form=form,
            rule_errors=field_errors(exc.problems),
        )
    return forms.done(
        f"/resources/{made.id}",
        _("Published %(resource)s; members can book it now") % {"resource": made.name},
    )


@router.post("/resources/{resource_id}/retire", dependencies=[CsrfChecked])
def retire(resource_id: RowId, session: SessionDep, user: CurrentUser) -> Response:
    resource = service.get_resource(session, resource_id)
    service.retire_resource(session, user, resource)
    session.commit()
    return forms.done(
        f"/facilities/{resource.facility_id}/resources",
        _("Retired %(resource)s: it takes no new bookings") % {"resource": resource.name},
    )


@router.post("/resources/{resource_id}/block", dependencies=[CsrfChecked])
def block(
    request: Request,
    resource_id: RowId,
    session: SessionDep,
    user: CurrentUser,
    start: Annotated[DateTimeText, Form()] = "",
    end: Annotated[DateTimeText, Form()] = "",
    reason: Annotated[Reason, Form()] = "",
    confirm: bool = Form(False),
) -> Response:
    """Block for maintenance; bookings in the way are listed first and cancelled on confirm."""
    typed = {"start": start, "end": end, "reason": reason}
    resource = service.get_resource(session, resource_id)
    require_manager(user, resource.facility_id)
    try:
        begins, ends = forms.moment(start, "start"), forms.moment(end, "end")
        if not confirm:
            hits = booking.maintenance_hits(session, resource, begins, ends)
            if hits:
                return render_resource(
                    request, session, user, resource_id, begins.date(), 409, block=typed, hits=hits
                )
        made = booking.block_maintenance(session, user, resource_id, begins, ends, reason, confirm)
        session.commit()
    except (ConflictError, ValidationError) as exc:
        session.rollback()
        problems = exc.problems if isinstance(exc, ValidationError) else [f"start: {exc}"]
        return render_resource(
            request,
            session,
            user,
            resource_id,
            datetime.now().date(),
            http_status(exc),
            block=typed,
            block_errors=field_errors(problems),
        )
    return forms.done(
        f"/resources/{resource_id}?week={made.start_at.date().isoformat()}",
        _("Blocked %(resource)s for maintenance, %(span)s")
        % {"resource": resource.name, "span": made.when()},
    )


def _managed(user: User) -> set[str] | None:
    return None if is_admin(user) else scopes(user, "manager")


def _desk(
    request: Request, session: Session, user: User, status_code: int = 200, **context: Any
) -> Response:
    facilities = _managed(user)
    if facilities is not None and not facilities:
        raise PermissionDeniedError(_("only facility managers and region admins manage bookings"))
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
    return forms.show(
        request,
        "facilities/manage.html",
        user,
        status_code=status_code,
        pending=pending,
        upcoming=upcoming,
        resources=resources,
        euros=pricing.euros,
        **({"conflicts": {}} | context | {"refused": _by_field(context.get("refused", {}))}),
    )


def _by_field(refused: dict[int, Exception]) -> dict[int, dict[str, str]]:
    """A refused approval or decline, per booking: its problems by field."""
    return {
        booking_id: field_errors(exc.problems if isinstance(exc, ValidationError) else [str(exc)])
        for booking_id, exc in refused.items()
    }


@router.get("/bookings/manage", response_class=HTMLResponse)
def manage(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    return _desk(request, session, user)


@router.post("/bookings/{booking_id}/approve", dependencies=[CsrfChecked])
def approve(
    request: Request,
    booking_id: RowId,
    session: SessionDep,
    user: CurrentUser,
    start: Annotated[DateTimeText, Form()] = "",
    end: Annotated[DateTimeText, Form()] = "",
) -> Response:
    """Approve; when the slot is taken, say by what and offer the next free one."""
    try:
        move = (forms.moment(start, "start"), forms.moment(end, "end")) if start and end else None
        made = booking.approve_booking(session, user, booking_id, move)
        session.commit()
    except booking.SlotTakenError as exc:
        session.rollback()
        return _desk(request, session, user, 409, conflicts={booking_id: exc})
    except (ConflictError, ValidationError) as exc:
        session.rollback()
        return _desk(request, session, user, http_status(exc), refused={booking_id: exc})
    values = {"resource": made.resource.name, "span": made.when()}
    message = (
        _("Approved (moved): %(resource)s, %(span)s")
        if move
        else _("Approved: %(resource)s, %(span)s")
    )
    return forms.done("/bookings/manage", message % values)


@router.post("/bookings/{booking_id}/decline", dependencies=[CsrfChecked])
def decline(
    request: Request,
    booking_id: RowId,
    session: SessionDep,
    user: CurrentUser,
    reason: Annotated[Reason, Form()] = "",
) -> Response:
    try:
        made = booking.decline_booking(session, user, booking_id, reason)
        session.commit()
    except (ConflictError, ValidationError) as exc:
        session.rollback()
        return _desk(request, session, user, http_status(exc), refused={booking_id: exc})
    return forms.done(
        "/bookings/manage",
        _("Declined: %(resource)s, %(span)s")
        % {"resource": made.resource.name, "span": made.when()},
    )


@router.post("/facilities/{facility_id}/tiers", dependencies=[CsrfChecked])
def add_tier(
    request: Request,
    facility_id: str,
    session: SessionDep,
    user: CurrentUser,
    tier_name: str = Form(""),
    applies_to: list[str] = Form([]),
) -> Response:
    facility = session.get(Facility, facility_id)
    if facility is None:
        raise NotFoundError(_("no facility %(id)s") % {"id": repr(facility_id)})
    try:
        pricing.add_tier(session, user, facility_id, tier_name, applies_to)
        session.commit()
    except ValidationError as exc:
        session.rollback()
        return facility_page(
            request,
            session,
            user,
            facility,
            http_status(exc),
            tier_errors=field_errors(exc.problems),
            tier_typed={"tier_name": tier_name, "applies_to": applies_to},
        )
    return forms.done(
        f"/facilities/{facility_id}/resources#prices",
        _("Added the tier %(tier)s") % {"tier": tier_name},
    )


@router.post("/tiers/{tier_id}/delete", dependencies=[CsrfChecked])
def remove_tier(
    tier_id: RowId, session: SessionDep, user: CurrentUser, facility_id: str = Form("")
) -> Response:
    pricing.remove_tier(session, user, tier_id)
    session.commit()
    return forms.done(f"/facilities/{facility_id}/resources#prices", _("Removed the tier"))


@router.post("/resources/{resource_id}/rates", dependencies=[CsrfChecked])
async def set_rates(
    request: Request, resource_id: RowId, session: SessionDep, user: CurrentUser
) -> Response:
    """Rates per hour per tier, from fields named rate-<tier id>."""
    posted = await request.form()
    resource = service.get_resource(session, resource_id)
    require_manager(user, resource.facility_id)
    typed = {
        t.id: str(posted.get(f"rate-{t.id}", ""))
        for t in pricing.tiers(session, resource.facility_id)
    }
    new: dict[int, int | None] = {}
    problems: list[str] = []
    for tier_id, text in typed.items():
        try:
            new[tier_id] = pricing.parse_rate(text, f"rate-{tier_id}")
        except ValidationError as exc:
            problems += exc.problems
    try:
        if problems:
            raise ValidationError("; ".join(problems), problems)
        pricing.set_rates(session, user, resource, new)
        session.commit()
    except ValidationError as exc:
        session.rollback()
        return render_resource(
            request,
            session,
            user,
            resource_id,
            datetime.now().date(),
            http_status(exc),
            rates=typed,
            rate_errors=field_errors(exc.problems),
        )
    return forms.done(
        f"/resources/{resource_id}#prices",
        _("Saved the rates of %(resource)s") % {"resource": resource.name},
    )


def _by_per(by: str, per: str) -> tuple[str, str]:
    return ("week" if by == "week" else "month"), (per if per in utilisation.PER else "resource")


@router.get("/utilisation", response_class=HTMLResponse)
def use(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    by: str = "month",
    per: str = "resource",
) -> Response:
    by, per = _by_per(by, per)
    rows = utilisation.utilisation(session, by, per, _managed(user))
    return forms.show(
        request,
        "facilities/utilisation.html",
        user,
        rows=rows,
        by=by,
        per=per,
        euros=pricing.euros,
        pers=utilisation.PER,
        chart=utilisation.as_svg(
            rows,
            _("Hours booked per %(by)s, per %(per)s")
            % {"by": code_label(by), "per": code_label(per)},
        ),
    )


@router.get("/utilisation.csv")
def use_csv(
    session: SessionDep, user: CurrentUser, by: str = "month", per: str = "resource"
) -> Response:
    by, per = _by_per(by, per)
    rows = utilisation.utilisation(session, by, per, _managed(user))
    return Response(
        utilisation.as_csv(rows, per),
        media_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="utilisation-{by}-{per}.csv"'},
    )
