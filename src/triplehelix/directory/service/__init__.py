"""Reading the directory: faceted organisation listings, organisation detail, home figures.

The organisation listing lives in `directory.listing`, facilities and the timeline in
`directory.catalogue`; all are re-exported here, so
the API, the pages and the CLI have one module to call. Every function takes a session, raises
domain errors (never HTTP ones) and returns pydantic shapes from `directory.schemas`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, case, func, or_, select
from sqlalchemy.orm import Session, selectinload

from triplehelix.directory import models as m
from triplehelix.directory.schemas import (
    FacetValue,
    FacilitySummary,
    HomeFigures,
    OrganisationDetail,
    RelationLink,
    SourcePublic,
    event_public,
    organisation_public,
)
from triplehelix.directory.service.catalogue import (
    event_options,
    facility_owners,
    get_facility,
    list_events,
    list_facilities,
)
from triplehelix.directory.service.listing import list_organisations
from triplehelix.directory.service.search_text import organisation_search_text
from triplehelix.directory.service.stats import directory_counts
from triplehelix.errors import NotFoundError
from triplehelix.i18n import gettext as _
from triplehelix.resolution.models import OrganisationRedirect
from triplehelix.taxonomy import get_taxonomy

__all__ = [
    "facility_owners",
    "get_facility",
    "get_organisation",
    "home_figures",
    "list_events",
    "list_facilities",
    "list_organisations",
    "merged_into",
    "organisation_search_text",
    "resolve_organisation_id",
]

Org, Tag = m.Organisation, m.OrganisationTag


def resolve_organisation_id(session: Session, org_id: str) -> str:
    """The id to show for `org_id`: itself, or where its merge chain ends (for 301 redirects)."""
    seen = {org_id}
    while (target := session.get(OrganisationRedirect, org_id)) is not None:
        org_id = target.new_id
        if org_id in seen:
            break
        seen.add(org_id)
    return org_id


def merged_into(session: Session, organisation_id: str) -> str | None:
    """Where an organisation merged away now lives (its id redirects there), else None."""
    if session.get(m.Organisation, organisation_id) is not None:
        return None
    survivor = resolve_organisation_id(session, organisation_id)
    return survivor if survivor != organisation_id else None


def get_organisation(session: Session, organisation_id: str) -> OrganisationDetail:
    """Everything known about one organisation, with its relations in both directions."""
    org = session.scalar(
        select(Org)
        .where(Org.id == organisation_id)
        .options(
            selectinload(Org.aliases),
            selectinload(Org.tags),
            selectinload(Org.services),
            selectinload(Org.identifiers),
            selectinload(Org.sources),
        )
    )
    if org is None:
        raise NotFoundError(_("organisation %(id)r does not exist") % {"id": organisation_id})
    facilities = session.scalars(
        select(m.Facility).where(m.Facility.owner_id == org.id).order_by(m.Facility.name)
    )
    events = session.scalars(
        select(m.Event)
        .join(m.EventOrganisation)
        .where(m.EventOrganisation.organisation_id == org.id)
        .options(*event_options())
        .order_by(m.Event.year, m.Event.date, m.Event.id)
    )
    return OrganisationDetail(
        **organisation_public(org).model_dump(),
        facilities=[
            FacilitySummary(
                id=f.id,
                name=f.name,
                kind=f.kind,
                kind_label=get_taxonomy().label("facility_kind", f.kind),
                shared=f.shared,
            )
            for f in facilities
        ],
        relations=_relation_links(session, org.id),
        events=[event_public(e) for e in events],
    )


def _relation_links(session: Session, organisation_id: str) -> list[RelationLink]:
    """Relations touching the organisation, read as plain rows (the largest has ~70)."""
    R = m.Relation
    outgoing = R.source_id == organisation_id
    other = case((outgoing, R.target_id), else_=R.source_id)
    rows = session.execute(
        select(R.id, R.kind, R.since, outgoing.label("outgoing"), Org.id, Org.name)
        .join(Org, Org.id == other)
        .where(or_(outgoing, R.target_id == organisation_id))
    ).all()
    sources = _sources_of(session, m.relation_sources, [row[0] for row in rows])
    tax = get_taxonomy()
    links = []
    for rel_id, kind, since, out, other_id, other_name in rows:
        term = tax.term("relation_kind", kind)
        label = tax.label("relation_kind", kind)
        if not out and term is not None and term.inverse:
            label = term.inverse_in() or label
        links.append(
            RelationLink(
                kind=kind,
                label=label,
                direction="out" if out else "in",
                other_id=other_id,
                other_name=other_name,
                since=since,
                sources=sources.get(rel_id, []),
            )
        )
    return sorted(links, key=lambda r: (r.label, r.other_name.lower()))


def _sources_of(session: Session, link: Table, ids: list[int]) -> dict[int, list[SourcePublic]]:
    S = m.Source
    found: dict[int, list[SourcePublic]] = {}
    query = (
        select(link.c.record_id, S.url, S.accessed, S.label)
        .join(S, S.id == link.c.source_id)
        .where(link.c.record_id.in_(ids))
        .order_by(link.c.record_id, S.id)
    )
    for record_id, url, accessed, label in session.execute(query):
        found.setdefault(record_id, []).append(
            SourcePublic(url=url, accessed=accessed, label=label)
        )
    return found


def _grouped(session: Session, column: Any, scheme: str, *joins: Any) -> list[FacetValue]:
    query = select(column, func.count()).group_by(column)
    for join in joins:
        query = query.where(join)
    tax = get_taxonomy()
    values = [
        FacetValue(value=str(v), label=tax.label(scheme, str(v)), count=int(n))
        for v, n in session.execute(query)
        if v is not None
    ]
    return sorted(values, key=lambda f: (-f.count, f.label.lower()))


def home_figures(session: Session, latest: int = 6) -> HomeFigures:
    """Headline figures for the start page: counts, breakdowns and the latest events."""
    events = session.scalars(
        select(m.Event)
        .options(*event_options())
        .order_by(m.Event.year.desc(), m.Event.date.desc(), m.Event.id.desc())
        .limit(latest)
    )
    return HomeFigures(
        counts=directory_counts(session),
        organisations_by_kind=_grouped(session, Org.kind, "organisation_kind"),
        organisations_by_cluster=_grouped(session, Tag.code, "cluster", Tag.scheme == "cluster"),
        facilities_by_kind=_grouped(session, m.Facility.kind, "facility_kind"),
        relations_by_kind=_grouped(session, m.Relation.kind, "relation_kind"),
        latest_events=[event_public(e) for e in events],
    )
