"""The catalogue across providers: facilities with their bookable resources, filtered by kind,
owner, cluster, open-to-others or in-house, and text; optionally only what is free in a window."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from triplehelix.directory.models import Facility, Organisation, OrganisationTag
from triplehelix.directory.service.keyword import Keywords, matching
from triplehelix.facilities.models import Resource
from triplehelix.facilities.service.availability import free_resources
from triplehelix.search.service.fulltext import FACILITIES, hits

ACCESS_FILTERS = {"open": True, "in-house": False}


@dataclass
class CatalogueQuery:
    text: str = ""
    kind: str = ""
    owner: str = ""
    cluster: str = ""
    access: str = ""  # open, in-house, unknown or ""
    free_from: datetime | None = None
    free_to: datetime | None = None


@dataclass
class Entry:
    facility: Facility
    resources: list[Resource] = field(default_factory=list)


def search_catalogue(session: Session, q: CatalogueQuery) -> list[Entry]:
    query = select(Facility).options(selectinload(Facility.owner)).order_by(Facility.name)
    if q.kind:
        query = query.where(Facility.kind == q.kind)
    if q.owner:
        query = query.where(Facility.owner_id == q.owner)
    if q.access in ACCESS_FILTERS:
        query = query.where(Facility.shared.is_(ACCESS_FILTERS[q.access]))
    elif q.access == "unknown":
        query = query.where(Facility.shared.is_(None))
    keywords = Keywords.of(session, q.text)
    if keywords.n:  # name, details, kind, owner and resources, on the full-text index
        query = query.where(matching(FACILITIES, Facility.id, keywords.n, keywords.dialect))
    if keywords.n > 0:  # the best match first
        ranked = hits(FACILITIES, keywords.n, keywords.dialect)
        query = query.join(ranked, ranked.c.key == Facility.id).order_by(None)
        query = query.order_by(ranked.c.rank.desc(), Facility.name)
    if q.cluster:
        members = select(OrganisationTag.organisation_id).where(
            OrganisationTag.scheme == "cluster", OrganisationTag.code == q.cluster
        )
        query = query.where(Facility.owner_id.in_(members))
    by_facility: dict[str, list[Resource]] = {}
    for resource in session.scalars(
        select(Resource).where(Resource.retired_at.is_(None)).order_by(Resource.name)
    ):
        by_facility.setdefault(resource.facility_id, []).append(resource)
    free_ids = None
    if q.free_from and q.free_to:
        free_ids = {r.id for r in free_resources(session, q.free_from, q.free_to)}
    entries = []
    for facility in session.scalars(query, keywords.params()):
        resources = by_facility.get(facility.id, [])
        if free_ids is not None:
            resources = [r for r in resources if r.id in free_ids]
            if not resources:
                continue
        entries.append(Entry(facility, resources))
    return entries


def owners_with_facilities(session: Session) -> list[Organisation]:
    query = select(Organisation).where(Organisation.id.in_(select(Facility.owner_id)))
    return list(session.scalars(query.order_by(Organisation.name)))


def suggestion(session: Session, q: CatalogueQuery, entries: list[Entry]) -> str | None:
    """For words that found nothing: a query from the index's own words that finds something."""
    return Keywords.of(session, q.text).suggestion(session, FACILITIES, len(entries))
