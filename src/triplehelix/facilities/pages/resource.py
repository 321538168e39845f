"""A resource's page, drawn by the member pages (booking) and the manager pages (rules,
maintenance) alike: the week view with the booking form and, for its managers, their forms."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from triplehelix.accounts.service.permissions import manages_facility
from triplehelix.directory.models import Organisation
from triplehelix.facilities import service
from triplehelix.facilities.models import Resource
from triplehelix.facilities.pages import forms
from triplehelix.facilities.schemas.rules import day_names, describe_hours
from triplehelix.facilities.service import calendar, pricing
from triplehelix.i18n import gettext as _
from triplehelix.taxonomy import get_taxonomy

RULE_FIELDS = (
    "description",
    "min_minutes",
    "max_minutes",
    "notice_minutes",
    "horizon_days",
    "cancel_hours",
    "opens",
    "closes",
    "access",
    "qualification",
)


def _organisations(session: Session) -> list[tuple[str, str]]:
    return [
        (o.id, o.name)
        for o in session.execute(
            select(Organisation.id, Organisation.name).order_by(Organisation.name)
        )
    ]


def rules_form(resource: Resource | None) -> dict[str, Any]:
    """The rules form's values: the resource's, or the defaults for a new one."""
    rules = service.rules_of(resource) if resource else service.ResourceRules()
    values: dict[str, Any] = {k: getattr(rules, k) for k in RULE_FIELDS}
    values |= {
        "name": resource.name if resource else "",
        "open_days": list(rules.open_days),
        "access_organisations": rules.access_organisations,
        "approval_required": rules.approval_required,
    }
    return values


def manager_common(session: Session) -> dict[str, Any]:
    kinds = get_taxonomy().codes("organisation_kind")
    return {"organisations": _organisations(session), "day_names": day_names(), "org_kinds": kinds}


def manager_context(session: Session, resource: Resource) -> dict[str, Any]:
    rates = pricing.rates(session, resource)
    return manager_common(session) | {
        "form": rules_form(resource),
        "rule_errors": {},
        "block": {},
        "block_errors": {},
        "hits": [],
        "tiers": pricing.tiers(session, resource.facility_id),
        "rates": {k: pricing.typed_rate(v) for k, v in rates.items()},
        "rate_errors": {},
    }


def render_resource(
    request: Request,
    session: Session,
    user: Any,
    resource_id: int,
    day: date,
    status_code: int = 200,
    **context: Any,
) -> Response:
    """A resource's week view with its booking form (and, for managers, their forms)."""
    resource = service.get_resource(session, resource_id)
    grid = calendar.week_grid(session, resource, day)
    manager = manages_facility(user, resource.facility_id)
    if manager:
        context = manager_context(session, resource) | context
    rate = rate_for(session, resource, user)
    return forms.show(
        request,
        "facilities/resource.html",
        user,
        status_code=status_code,
        resource=resource,
        week=grid,
        hours=describe_hours(resource),
        manager=manager,
        rate=rate,
        previous=grid.monday - timedelta(days=7),
        next=grid.monday + timedelta(days=7),
        **({"book": {}, "errors": {}} | context),
    )


def rate_for(session: Session, resource: Any, user: Any) -> str:
    """What this person pays per hour for the resource, in words; empty when no rate applies."""
    tier = pricing.tier_for(session, resource.facility_id, user.organisation_id if user else None)
    cents = pricing.rates(session, resource).get(tier.id) if tier else None
    if not tier or cents is None:
        return ""
    return _("%(amount)s per hour (%(tier)s)") % {"amount": pricing.euros(cents), "tier": tier.name}
