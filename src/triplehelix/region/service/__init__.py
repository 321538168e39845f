"""Municipality figures: counts by domain, kind and cluster, organisations and facilities — all
chosen through the one scope (`region.scope.scope_ids`), so they agree with the directory."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from triplehelix.directory import models as m
from triplehelix.errors import NotFoundError
from triplehelix.i18n import gettext as _
from triplehelix.region.schemas import (
    Count,
    FacilityRef,
    MunicipalityDetail,
    MunicipalitySummary,
    OrganisationRef,
)
from triplehelix.region.schemas.gazetteer import get_gazetteer
from triplehelix.region.service import scope as region_scope
from triplehelix.region.service.boundaries import municipalities
from triplehelix.taxonomy import get_taxonomy


def _counts(values: list[str], scheme: str) -> list[Count]:
    tax = get_taxonomy()
    counted = Counter(values)
    ordered = sorted(counted.items(), key=lambda kv: (-kv[1], kv[0]))
    return [Count(code=c, label=tax.label(scheme, c), count=n) for c, n in ordered]


def _population(code: str) -> int | None:
    return next((mu.population for mu in municipalities() if mu.code == code), None)


def _orgs(session: Session, code: str) -> list[m.Organisation]:
    ids = region_scope.scope_ids(session, municipality=code)
    return list(
        session.scalars(
            select(m.Organisation)
            .where(m.Organisation.id.in_(ids))
            .options(selectinload(m.Organisation.tags))
            .order_by(m.Organisation.name)
        )
    )


def _summary(session: Session, code: str, orgs: list[m.Organisation]) -> MunicipalitySummary:
    return _summary_of(code, len(orgs), [d for o in orgs for d in o.tag_codes("domain")])


def _summary_of(code: str, organisations: int, domains: list[str]) -> MunicipalitySummary:
    gaz = get_gazetteer()
    return MunicipalitySummary(
        code=code,
        name=gaz.name(code) or code,
        population=_population(code),
        organisations=organisations,
        by_domain=_counts(domains, "domain"),
    )


def _domain_codes(session: Session, ids: set[str]) -> list[str]:
    """The domain codes of these organisations, one per organisation and code (as tag_codes)."""
    tag = m.OrganisationTag
    query = select(tag.code).where(tag.organisation_id.in_(ids), tag.scheme == "domain")
    return list(session.scalars(query))


def list_municipalities(session: Session) -> list[MunicipalitySummary]:
    """The region's municipalities, by name, with their counts (from the scope's ids and tag
    codes: loading every organisation with its tags cost ~25 ms a call)."""
    gaz = get_gazetteer()
    codes = sorted(gaz.region_municipalities, key=lambda c: gaz.name(c) or c)
    summaries = []
    for code in codes:
        ids = region_scope.scope_ids(session, municipality=code)
        summaries.append(_summary_of(code, len(ids), _domain_codes(session, ids)))
    return summaries


def _ref(org: m.Organisation) -> OrganisationRef:
    label = get_taxonomy().label("organisation_kind", org.kind)
    return OrganisationRef(id=org.id, name=org.name, kind=org.kind, kind_label=label, city=org.city)


def own_record(session: Session, code: str) -> m.Organisation | None:
    """The municipality's own record: a member of the partnership in the municipality role, in
    this municipality (from relations, not a list)."""
    tax = get_taxonomy()
    roles = tax.schemes["partner_role"].terms
    kinds = next((t.kinds for t in roles if t.code == "municipality"), ())
    return session.scalars(
        select(m.Organisation)
        .where(
            m.Organisation.id.in_(region_scope.members()),
            m.Organisation.municipality == code,
            m.Organisation.kind.in_(list(kinds)),
        )
        .order_by(m.Organisation.id)
    ).first()


def get_municipality(session: Session, value: str) -> MunicipalityDetail:
    gaz = get_gazetteer()
    code = gaz.code(value)
    if code is None or not gaz.is_region_municipality(code):
        raise NotFoundError(
            _("municipality: %(value)r is not a municipality of %(region)s")
            % {"value": value, "region": gaz.region}
        )
    orgs = _orgs(session, code)
    ids = [o.id for o in orgs]
    facilities = session.scalars(
        select(m.Facility)
        .where(m.Facility.owner_id.in_(ids))
        .options(selectinload(m.Facility.owner))
        .order_by(m.Facility.name)
    )
    record = own_record(session, code)
    return MunicipalityDetail(
        **_summary(session, code, orgs).model_dump(),
        places=list(gaz.municipalities[code].places),
        record=_ref(record) if record else None,
        by_kind=_counts([o.kind for o in orgs], "organisation_kind"),
        by_cluster=_counts([c for o in orgs for c in o.tag_codes("cluster")], "cluster"),
        organisations_list=[_ref(o) for o in orgs],
        facilities=[
            FacilityRef(
                id=f.id,
                name=f.name,
                kind=f.kind,
                owner_id=f.owner_id,
                owner_name=f.owner.name,
                shared=f.shared,
            )
            for f in facilities
        ],
    )
