"""Replace the directory without destroying what hangs off it.

A replace upserts every record of the new dataset in place and then deletes only the dataset
records the new data no longer has. Resources, bookings, imported identifiers, review state and
accounts' organisations of every organisation (and facility) that still exists are untouched. When
the new data drops an organisation or facility that something else refers to, the replace is
refused with the list of what would be lost, unless the caller prunes explicitly.
Organisations added by registry imports (origin other than "dataset") are not the dataset's to drop.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import delete, func, or_, select, union
from sqlalchemy.orm import Session

from triplehelix.accounts.models import User
from triplehelix.directory import models as m
from triplehelix.facilities.models import Booking, Resource
from triplehelix.ingest.schemas import fingerprint
from triplehelix.ingest.service.validate import ParsedDataset
from triplehelix.resolution.models import RegistryRecord, ReviewCandidate

DATASET_ORIGIN = "dataset"
# Relations a registry import created carry this fingerprint; they are not the dataset's either.
IMPORTED_RELATION = "ror"


@dataclass
class ReplacePlan:
    """What a replace deletes, and what depends on it (`losses`, one readable line each)."""

    organisations: set[str] = field(default_factory=set)
    facilities: set[str] = field(default_factory=set)
    losses: list[str] = field(default_factory=list)


def _dropped_facilities(session: Session, keep: set[str], dropped_orgs: set[str]) -> set[str]:
    rows = session.execute(select(m.Facility.id, m.Facility.owner_id)).all()
    return {fid for fid, owner in rows if fid not in keep or owner in dropped_orgs}


def _losses(session: Session, orgs: set[str], facilities: set[str]) -> list[str]:
    out: list[str] = []
    resources = session.execute(
        select(Resource.id, Resource.name, Resource.facility_id)
        .where(Resource.facility_id.in_(facilities))
        .order_by(Resource.facility_id, Resource.id)
    ).all()
    for rid, name, fid in resources:
        bookings = session.scalar(
            select(func.count()).select_from(Booking).where(Booking.resource_id == rid)
        )
        out.append(f"facility {fid!r}: resource {rid} {name!r} with {bookings} booking(s)")
    users = session.execute(
        select(User.email, User.organisation_id)
        .where(User.organisation_id.in_(orgs))
        .order_by(User.organisation_id, User.email)
    ).all()
    out += [f"organisation {org!r}: account {email} works there" for email, org in users]
    linked = session.execute(
        select(RegistryRecord.scheme, RegistryRecord.record_id, RegistryRecord.organisation_id)
        .where(RegistryRecord.organisation_id.in_(orgs))
        .order_by(RegistryRecord.organisation_id, RegistryRecord.record_id)
    ).all()
    out += [f"organisation {o!r}: imported {s} record {r}" for s, r, o in linked]
    review = session.execute(
        select(ReviewCandidate.pair_key, ReviewCandidate.status)
        .where(or_(ReviewCandidate.organisation_id.in_(orgs), ReviewCandidate.other_id.in_(orgs)))
        .order_by(ReviewCandidate.pair_key)
    ).all()
    out += [f"review item {key} ({status})" for key, status in review]
    return out


def plan_replace(session: Session, data: ParsedDataset) -> ReplacePlan:
    new_orgs = {line.record.id for line in data.organisations}
    new_facilities = {line.record.id for line in data.facilities}
    stored = set(
        session.scalars(select(m.Organisation.id).where(m.Organisation.origin == DATASET_ORIGIN))
    )
    orgs = stored - new_orgs
    facilities = _dropped_facilities(session, new_facilities, orgs)
    return ReplacePlan(orgs, facilities, _losses(session, orgs, facilities))


def kept_organisation_ids(session: Session) -> set[str]:
    """Organisations a replace keeps whatever the new data says (added by registry imports)."""
    query = select(m.Organisation.id).where(m.Organisation.origin != DATASET_ORIGIN)
    return set(session.scalars(query))


def remove_dropped(session: Session, data: ParsedDataset, plan: ReplacePlan) -> dict[str, int]:
    """After the upsert: delete what the new data no longer has; count what went, per kind."""
    removed = {"events": _stale_events(session, data), "relations": _stale_relations(session, data)}
    removed["facilities"] = _delete_ids(session, m.Facility, plan.facilities)
    removed["organisations"] = _delete_ids(session, m.Organisation, plan.organisations)
    _delete_orphan_sources(session)
    session.flush()
    return removed


def _delete_ids(session: Session, model: type[m.Facility | m.Organisation], ids: set[str]) -> int:
    if ids:
        session.execute(delete(model).where(model.id.in_(ids)))
    return len(ids)


def _stale_events(session: Session, data: ParsedDataset) -> int:
    keep = {fingerprint(line.record) for line in data.events}
    stale = [i for i, key in session.execute(select(m.Event.id, m.Event.key)) if key not in keep]
    if stale:
        session.execute(delete(m.Event).where(m.Event.id.in_(stale)))
    return len(stale)


def relation_key(source: str, target: str, kind: str) -> tuple[str, str, str]:
    if kind == "partner_of":  # undirected: stored in one canonical orientation
        source, target = sorted((source, target))
    return source, target, kind


def _stale_relations(session: Session, data: ParsedDataset) -> int:
    keep = {relation_key(r.record.source, r.record.target, r.record.kind) for r in data.relations}
    rows = session.execute(
        select(m.Relation.id, m.Relation.source_id, m.Relation.target_id, m.Relation.kind).where(
            m.Relation.fingerprint != IMPORTED_RELATION
        )
    )
    stale = [rid for rid, s, t, k in rows if (s, t, k) not in keep]
    if stale:
        session.execute(delete(m.Relation).where(m.Relation.id.in_(stale)))
    return len(stale)


def _delete_orphan_sources(session: Session) -> None:
    links = (m.organisation_sources, m.facility_sources, m.relation_sources, m.event_sources)
    used = union(*(select(t.c.source_id) for t in links))
    session.execute(delete(m.Source).where(m.Source.id.not_in(used)))
