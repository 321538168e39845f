"""Prices: the tiers a facility defines (own organisation, academic, commercial ...), a rate per
hour per resource and tier, and the cost a booking carries from the moment it is made."""

from __future__ import annotations

from datetime import datetime

from babel import numbers
from sqlalchemy import select
from sqlalchemy.orm import Session

from triplehelix.accounts.models import User
from triplehelix.accounts.service import audit
from triplehelix.accounts.service.permissions import require_manager
from triplehelix.directory.models import Facility, Organisation
from triplehelix.errors import NotFoundError, ValidationError
from triplehelix.facilities.models import PriceTier, Resource, ResourceRate
from triplehelix.i18n import current_locale
from triplehelix.i18n import gettext as _
from triplehelix.i18n.format import FORMAT_LOCALES

OWN = "own"


def tiers(session: Session, facility_id: str) -> list[PriceTier]:
    query = select(PriceTier).where(PriceTier.facility_id == facility_id)
    return list(session.scalars(query.order_by(PriceTier.position, PriceTier.id)))


def add_tier(
    session: Session, actor: User, facility_id: str, name: str, applies_to: list[str]
) -> PriceTier:
    """A new tier, checked after the existing ones; `applies_to`: "own", organisation kinds, or
    nothing (everyone not in an earlier tier)."""
    require_manager(actor, facility_id)
    if not name.strip():
        raise ValidationError("tier_name: " + _("give the tier a name"))
    if any(t.name == name.strip() for t in tiers(session, facility_id)):
        message = _("there is already a tier called %(name)s") % {"name": repr(name.strip())}
        raise ValidationError(f"tier_name: {message}")
    position = len(tiers(session, facility_id))
    tier = PriceTier(
        facility_id=facility_id,
        name=name.strip(),
        applies_to=" ".join(applies_to),
        position=position,
    )
    session.add(tier)
    session.flush()
    record = {"facility_id": facility_id, "name": tier.name, "applies_to": tier.applies_to}
    audit.record(session, actor, "create", "price_tier", tier.id, None, record)
    return tier


def remove_tier(session: Session, actor: User, tier_id: int) -> None:
    tier = session.get(PriceTier, tier_id)
    if tier is None:
        raise NotFoundError(_("no price tier %(id)s") % {"id": tier_id})
    require_manager(actor, tier.facility_id)
    audit.record(
        session,
        actor,
        "delete",
        "price_tier",
        tier.id,
        {"facility_id": tier.facility_id, "name": tier.name},
        None,
    )
    session.delete(tier)


def rates(session: Session, resource: Resource) -> dict[int, int]:
    """Cents per hour by tier id."""
    query = select(ResourceRate).where(ResourceRate.resource_id == resource.id)
    return {r.tier_id: r.cents_per_hour for r in session.scalars(query)}


def parse_rate(text: str, field: str) -> int | None:
    """'12.50' (euros per hour) as 1250 cents; '' as no rate."""
    text = text.strip().replace(",", ".")
    if not text:
        return None
    try:
        cents = round(float(text) * 100)
    except ValueError:
        message = _("give the rate per hour as a number, e.g. 45.50")
        raise ValidationError(f"{field}: {message}") from None
    if not 0 <= cents <= 10_000_000:
        raise ValidationError(f"{field}: " + _("a rate per hour from 0 to 100000"))
    return cents


def set_rates(
    session: Session, actor: User, resource: Resource, new: dict[int, int | None]
) -> None:
    """Replace the resource's rates (tier id -> cents per hour, None: no rate in that tier)."""
    require_manager(actor, resource.facility_id)
    known = {t.id for t in tiers(session, resource.facility_id)}
    if set(new) - known:
        unknown = sorted(set(new) - known)[0]
        raise ValidationError(
            "rate: " + _("tier %(tier)s is not a tier of this facility") % {"tier": unknown}
        )
    before = rates(session, resource)
    for row in session.scalars(select(ResourceRate).where(ResourceRate.resource_id == resource.id)):
        session.delete(row)
    session.flush()
    for tier_id, cents in new.items():
        if cents is not None:
            session.add(
                ResourceRate(resource_id=resource.id, tier_id=tier_id, cents_per_hour=cents)
            )
    audit.record(
        session,
        actor,
        "update",
        "resource_rates",
        resource.id,
        {str(k): v for k, v in before.items()},
        {str(k): v for k, v in new.items() if v is not None},
    )


def _matches(session: Session, applies_to: str, facility_id: str, org: Organisation | None) -> bool:
    wanted = applies_to.split()
    if not wanted:
        return True
    if org is None:
        return False
    if OWN in wanted:
        facility = session.get(Facility, facility_id)
        if facility is not None and org.id == facility.owner_id:
            return True
    return org.kind in wanted


def tier_for(session: Session, facility_id: str, organisation_id: str | None) -> PriceTier | None:
    """The first of the facility's tiers that the booker's organisation falls in."""
    org = session.get(Organisation, organisation_id) if organisation_id else None
    for tier in tiers(session, facility_id):
        if _matches(session, tier.applies_to, facility_id, org):
            return tier
    return None


def cost_of(
    session: Session,
    resource: Resource,
    organisation_id: str | None,
    start: datetime,
    end: datetime,
) -> tuple[str, int | None]:
    """(tier name, cost in cents) of a booking; cost None when the resource has no rate for it.
    One plain query for tiers and rates together: this runs on every booking."""
    query = (
        select(PriceTier.name, PriceTier.applies_to, ResourceRate.cents_per_hour)
        .outerjoin(ResourceRate, (ResourceRate.tier_id == PriceTier.id)
                   & (ResourceRate.resource_id == resource.id))
        .where(PriceTier.facility_id == resource.facility_id)
        .order_by(PriceTier.position, PriceTier.id)
    )  # fmt: skip
    rows = session.execute(query).all()
    if not rows:
        return "", None
    org = session.get(Organisation, organisation_id) if organisation_id else None
    for name, applies_to, rate in rows:
        if _matches(session, applies_to, resource.facility_id, org):
            if rate is None:
                return name, None
            return name, round(rate * (end - start).total_seconds() / 3600)
    return "", None


def typed_rate(cents: int) -> str:
    """A rate as a person types it back into the form ("45.50", "45,50"): no grouping, so
    `parse_rate` reads it in either language."""
    code = current_locale()
    return numbers.format_decimal(cents / 100, format="0.00", locale=FORMAT_LOCALES.get(code, code))


def euros(cents: int | None) -> str:
    """An amount as the current language writes it ("€1,234.50", "€ 1.234,50")."""
    if cents is None:
        return ""
    code = current_locale()
    return numbers.format_currency(cents / 100, "EUR", locale=FORMAT_LOCALES.get(code, code))
