"""Merge two organisations into one, undo a merge, and resolve ids of merged organisations.

A merge moves relations, facilities, event participation, registry links and redirects from the
other organisation to the survivor, copies over its identifiers, aliases (its name included),
services, tags and sources where the survivor lacks them, fills the survivor's empty fields, and
deletes the other. Everything needed to undo it is kept in the merge's snapshot; the old id
redirects to the survivor (`directory.service.resolve_organisation_id` follows redirects).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from triplehelix.directory import models as m
from triplehelix.directory.service import search_text  # noqa: F401 (derives search_text on flush)
from triplehelix.errors import ConflictError, NotFoundError, ValidationError
from triplehelix.marketplace.service.merge import move_marketplace
from triplehelix.region.service.locate import locate_organisation
from triplehelix.resolution.models import OrganisationMerge, OrganisationRedirect, RegistryRecord

FIELDS = ("city", "address", "website", "founded", "summary")


def _org(session: Session, org_id: str) -> m.Organisation:
    org = session.get(m.Organisation, org_id)
    if org is None:
        raise NotFoundError(f"organisation {org_id!r} not found")
    return org


def _snapshot_org(org: m.Organisation) -> dict[str, Any]:
    return {
        "id": org.id, "name": org.name, "kind": org.kind, "origin": org.origin,
        "fingerprint": org.fingerprint, **{f: getattr(org, f) for f in FIELDS},
        "aliases": [a.name for a in org.aliases],
        "tags": [[t.scheme, t.code] for t in org.tags],
        "services": [s.text for s in org.services],
        "identifiers": [[i.scheme, i.value] for i in org.identifiers],
        "sources": [s.id for s in org.sources],
    }  # fmt: skip


def _move_relations(session: Session, survivor: str, other: str) -> dict[str, Any]:
    moved, dropped = [], []
    existing = {
        (r.source_id, r.target_id, r.kind)
        for r in session.scalars(
            select(m.Relation).where(m.Relation.source_id != other, m.Relation.target_id != other)
        )
    }
    rows = session.scalars(
        select(m.Relation).where((m.Relation.source_id == other) | (m.Relation.target_id == other))
    ).all()
    for rel in rows:
        s = survivor if rel.source_id == other else rel.source_id
        t = survivor if rel.target_id == other else rel.target_id
        if rel.kind == "partner_of":
            s, t = sorted((s, t))
        if s == t or (s, t, rel.kind) in existing:
            dropped.append(
                {"source_id": rel.source_id, "target_id": rel.target_id, "kind": rel.kind,
                 "since": rel.since, "fingerprint": rel.fingerprint,
                 "sources": [x.id for x in rel.sources]}
            )  # fmt: skip
            session.delete(rel)
            continue
        moved.append([rel.id, rel.source_id, rel.target_id])
        rel.source_id, rel.target_id = s, t
        existing.add((s, t, rel.kind))
    return {"moved": moved, "dropped": dropped}


def _move_events(session: Session, survivor: str, other: str) -> list[list[Any]]:
    rows = session.scalars(select(m.EventOrganisation).filter_by(organisation_id=other)).all()
    have = set(
        session.scalars(select(m.EventOrganisation.event_id).filter_by(organisation_id=survivor))
    )
    changes = []
    for row in rows:
        changes.append([row.event_id, row.position, row.event_id not in have])
        session.delete(row)
        if row.event_id not in have:
            session.add(
                m.EventOrganisation(
                    event_id=row.event_id, organisation_id=survivor, position=row.position
                )
            )
    return changes


def _absorb(survivor: m.Organisation, other: m.Organisation) -> dict[str, Any]:
    added: dict[str, Any] = {"filled": {}}
    for f in FIELDS:
        if getattr(survivor, f) in (None, "") and getattr(other, f) not in (None, ""):
            setattr(survivor, f, getattr(other, f))
            added["filled"][f] = getattr(other, f)
    names = {survivor.name, *(a.name for a in survivor.aliases)}
    new_aliases = [n for n in [other.name, *(a.name for a in other.aliases)] if n not in names]
    start = len(survivor.aliases)
    survivor.aliases += [
        m.OrganisationAlias(name=n, position=start + i)
        for i, n in enumerate(dict.fromkeys(new_aliases))
    ]
    added["aliases"] = list(dict.fromkeys(new_aliases))
    have_ids = {(i.scheme, i.value) for i in survivor.identifiers}
    added["identifiers"] = [
        [i.scheme, i.value] for i in other.identifiers if (i.scheme, i.value) not in have_ids
    ]
    survivor.identifiers += [m.Identifier(scheme=s, value=v) for s, v in added["identifiers"]]
    texts = {s.text for s in survivor.services}
    added["services"] = [s.text for s in other.services if s.text not in texts]
    survivor.services += [
        m.Service(text=t, position=len(texts) + i) for i, t in enumerate(added["services"])
    ]
    tags = {(t.scheme, t.code) for t in survivor.tags}
    added["tags"] = [[t.scheme, t.code] for t in other.tags if (t.scheme, t.code) not in tags]
    survivor.tags += [m.OrganisationTag(scheme=s, code=c, position=99) for s, c in added["tags"]]
    added["sources"] = [s.id for s in other.sources if s not in survivor.sources]
    survivor.sources += [s for s in other.sources if s.id in added["sources"]]
    return added


def merge_organisations(session: Session, survivor_id: str, other_id: str) -> OrganisationMerge:
    """Merge `other_id` into `survivor_id`; returns the merge (its id undoes it)."""
    if survivor_id == other_id:
        raise ValidationError("merge: survivor and other are the same organisation")
    survivor, other = _org(session, survivor_id), _org(session, other_id)
    snapshot: dict[str, Any] = {"other": _snapshot_org(other)}
    snapshot["relations"] = _move_relations(session, survivor_id, other_id)
    snapshot["events"] = _move_events(session, survivor_id, other_id)
    facilities = session.scalars(select(m.Facility.id).filter_by(owner_id=other_id)).all()
    session.execute(
        update(m.Facility).where(m.Facility.id.in_(facilities)).values(owner_id=survivor_id)
    )
    snapshot["facilities"] = list(facilities)
    snapshot["marketplace"] = move_marketplace(session, other_id, survivor_id)
    registry = session.execute(
        select(RegistryRecord.scheme, RegistryRecord.record_id).filter_by(organisation_id=other_id)
    ).all()
    session.execute(
        update(RegistryRecord)
        .filter_by(organisation_id=other_id)
        .values(organisation_id=survivor_id)
    )
    snapshot["registry"] = [list(r) for r in registry]
    snapshot["added"] = _absorb(survivor, other)
    session.flush()
    chained = session.scalars(select(OrganisationRedirect.old_id).filter_by(new_id=other_id)).all()
    snapshot["chained"] = list(chained)
    record = OrganisationMerge(survivor_id=survivor_id, other_id=other_id, snapshot=snapshot)
    session.add(record)
    session.delete(other)
    session.flush()
    session.execute(
        update(OrganisationRedirect).filter_by(new_id=other_id).values(new_id=survivor_id)
    )
    session.add(OrganisationRedirect(old_id=other_id, new_id=survivor_id, merge_id=record.id))
    session.flush()
    return record


def _restore_other(session: Session, snap: dict[str, Any]) -> m.Organisation:
    org = m.Organisation(
        id=snap["id"], name=snap["name"], kind=snap["kind"], origin=snap["origin"],
        fingerprint=snap["fingerprint"], **{f: snap[f] for f in FIELDS},
    )  # fmt: skip
    org.aliases = [m.OrganisationAlias(name=n, position=i) for i, n in enumerate(snap["aliases"])]
    org.tags = [
        m.OrganisationTag(scheme=s, code=c, position=i) for i, (s, c) in enumerate(snap["tags"])
    ]
    org.services = [m.Service(text=t, position=i) for i, t in enumerate(snap["services"])]
    org.identifiers = [m.Identifier(scheme=s, value=v) for s, v in snap["identifiers"]]
    org.sources = list(session.scalars(select(m.Source).where(m.Source.id.in_(snap["sources"]))))
    locate_organisation(org)
    session.add(org)
    return org


def _give_back(survivor: m.Organisation, added: dict[str, Any]) -> None:
    for f, value in added["filled"].items():
        if getattr(survivor, f) == value:
            setattr(survivor, f, None if f != "summary" else "")
    survivor.aliases = [a for a in survivor.aliases if a.name not in set(added["aliases"])]
    ids = {tuple(x) for x in added["identifiers"]}
    survivor.identifiers = [i for i in survivor.identifiers if (i.scheme, i.value) not in ids]
    survivor.services = [s for s in survivor.services if s.text not in set(added["services"])]
    tags = {tuple(x) for x in added["tags"]}
    survivor.tags = [t for t in survivor.tags if (t.scheme, t.code) not in tags]
    survivor.sources = [s for s in survivor.sources if s.id not in set(added["sources"])]


def unmerge_organisations(session: Session, merge_id: int) -> OrganisationMerge:
    """Undo a merge: the other organisation comes back with what it had and what moved."""
    record = session.get(OrganisationMerge, merge_id)
    if record is None:
        raise NotFoundError(f"merge {merge_id} not found")
    if record.undone_at is not None:
        raise ConflictError(f"merge {merge_id} was already undone")
    survivor = session.get(m.Organisation, record.survivor_id)
    if survivor is None:
        raise ConflictError(
            f"merge {merge_id}: survivor {record.survivor_id!r} was merged away since;"
            " undo that first"
        )
    if session.get(m.Organisation, record.other_id) is not None:
        raise ConflictError(f"merge {merge_id}: id {record.other_id!r} is in use again")
    snap = record.snapshot
    _give_back(survivor, snap["added"])
    session.flush()
    _restore_other(session, snap["other"])
    session.execute(delete(OrganisationRedirect).filter_by(old_id=record.other_id))
    session.flush()
    other = record.other_id
    for rel_id, source_id, target_id in snap["relations"]["moved"]:
        session.execute(
            update(m.Relation).filter_by(id=rel_id).values(source_id=source_id, target_id=target_id)
        )
    for d in snap["relations"]["dropped"]:
        rel = m.Relation(
            source_id=d["source_id"],
            target_id=d["target_id"],
            kind=d["kind"],
            since=d["since"],
            fingerprint=d["fingerprint"],
        )
        rel.sources = list(session.scalars(select(m.Source).where(m.Source.id.in_(d["sources"]))))
        session.add(rel)
    for event_id, position, moved in snap["events"]:
        if moved:
            session.execute(
                delete(m.EventOrganisation).filter_by(
                    event_id=event_id, organisation_id=record.survivor_id
                )
            )
        session.add(
            m.EventOrganisation(event_id=event_id, organisation_id=other, position=position)
        )
    session.execute(
        update(m.Facility).where(m.Facility.id.in_(snap["facilities"])).values(owner_id=other)
    )
    move_marketplace(session, record.survivor_id, other, snap.get("marketplace", {}))
    for scheme, record_id in snap["registry"]:
        session.execute(
            update(RegistryRecord)
            .filter_by(scheme=scheme, record_id=record_id)
            .values(organisation_id=other)
        )
    session.execute(
        update(OrganisationRedirect)
        .where(OrganisationRedirect.old_id.in_(snap["chained"]))
        .values(new_id=other)
    )
    record.undone_at = datetime.now(UTC)
    session.flush()
    return record
