"""Load a validated dataset into the database in one transaction: upsert by id, or replace."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from triplehelix.directory import models as m
from triplehelix.directory.service import search_text  # noqa: F401 (derives search_text on flush)
from triplehelix.errors import ConflictError, ValidationError
from triplehelix.ingest.schemas import (
    EventRecord,
    FacilityRecord,
    OrganisationRecord,
    RelationRecord,
    fingerprint,
)
from triplehelix.ingest.service.replace import (
    kept_organisation_ids,
    plan_replace,
    relation_key,
    remove_dropped,
)
from triplehelix.ingest.service.validate import ParsedDataset, check_dataset, parse_dataset
from triplehelix.region.service.locate import locate_organisation
from triplehelix.taxonomy import get_taxonomy

Progress = Callable[[int, int], None]


@dataclass
class Counts:
    added: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class LoadReport:
    dataset: str
    counts: dict[str, Counts] = field(default_factory=dict)
    removed: dict[str, int] = field(default_factory=dict)  # per kind, by a replace

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"dataset": self.dataset}
        out.update({k: vars(v) for k, v in self.counts.items()})
        return {**out, "removed": self.removed} if self.removed else out


class _Sources:
    """Get-or-create Source rows by URL within one load."""

    def __init__(self, session: Session, accessed: date | None) -> None:
        self.session = session
        self.accessed = accessed
        self.cache = {s.url: s for s in session.scalars(select(m.Source))}

    def get(self, urls: list[str]) -> list[m.Source]:
        out = []
        for url in dict.fromkeys(urls):
            source = self.cache.get(url)
            if source is None:
                source = m.Source(url=url, accessed=self.accessed)
                self.session.add(source)
                self.cache[url] = source
            out.append(source)
        return out


def _organisation_children(
    r: OrganisationRecord,
) -> tuple[list[m.OrganisationAlias], list[m.OrganisationTag], list[m.Service]]:
    aliases = [m.OrganisationAlias(name=a, position=i) for i, a in enumerate(r.aliases)]
    tags: list[m.OrganisationTag] = []
    for scheme, codes in (
        ("cluster", r.clusters),
        ("value_chain", r.value_chain),
        ("domain", r.domains),
        ("modality", r.modalities),
        ("technology", r.technologies),
    ):
        tags += [
            m.OrganisationTag(scheme=scheme, code=c, position=i)
            for i, c in enumerate(dict.fromkeys(codes))
        ]
    services = [m.Service(text=s, position=i) for i, s in enumerate(r.services)]
    return aliases, tags, services


def _fill_organisation(
    org: m.Organisation,
    r: OrganisationRecord,
    sources: _Sources,
    children: tuple[list[m.OrganisationAlias], list[m.OrganisationTag], list[m.Service]]
    | None = None,
) -> None:
    """Set every field and child of `org` from `r`; its old children must already be gone."""
    org.name, org.kind, org.city, org.address = r.name, r.kind, r.city, r.address
    org.website, org.founded, org.summary = r.website, r.founded, r.summary
    org.aliases, org.tags, org.services = children or _organisation_children(r)
    wanted = dict(r.identifiers)
    if r.website:
        wanted.setdefault("domain", r.website.lower())
    have = {(i.scheme, i.value) for i in org.identifiers}
    for scheme, value in wanted.items():
        if (scheme, value) not in have:
            org.identifiers.append(m.Identifier(scheme=scheme, value=value))
    org.sources = sources.get(r.sources)
    locate_organisation(org, r.municipality)


def _outcome(stored: str | None, fp: str, seen: bool = False) -> str:
    if stored is None and not seen:
        return "added"
    return "unchanged" if stored == fp else "updated"


class _Loader:
    """Compute the whole load first, then write it in as few flushes as possible.

    Everything is read up front (stored fingerprints, the rows that change) with autoflush off,
    so no statement writes while records are compared and built. On SQLite the driver starts the
    write transaction (and so takes the database write lock) at the first INSERT/UPDATE/DELETE:
    with this order the lock is held only for the final flushes and the commit, not for the
    parsing, validation, comparison and object building before them (see bench/write_lock.py).
    """

    def __init__(self, session: Session, data: ParsedDataset, progress: Progress | None) -> None:
        self.session, self.data, self.progress = session, data, progress
        accessed = date.fromisoformat(data.manifest.accessed) if data.manifest.accessed else None
        self.sources = _Sources(session, accessed)
        self.done = 0
        self.report = LoadReport(dataset=data.manifest.name)
        self.org_prints: dict[str, str | None] = dict(
            session.execute(select(m.Organisation.id, m.Organisation.fingerprint)).all()
        )
        self.facility_prints: dict[str, str | None] = dict(
            session.execute(select(m.Facility.id, m.Facility.fingerprint)).all()
        )
        self.relations: dict[tuple[str, str, str], tuple[int | None, str | None]] = {
            (s, t, k): (rid, fp)
            for rid, s, t, k, fp in session.execute(
                select(
                    m.Relation.id,
                    m.Relation.source_id,
                    m.Relation.target_id,
                    m.Relation.kind,
                    m.Relation.fingerprint,
                )
            )
        }
        self.new_relations: dict[tuple[str, str, str], m.Relation] = {}
        self.event_keys = set(session.scalars(select(m.Event.key)))
        self.updated_orgs: list[OrganisationRecord] = []

    def tick(self, kind: str, outcome: str) -> None:
        counts = self.report.counts.setdefault(kind, Counts())
        setattr(counts, outcome, getattr(counts, outcome) + 1)
        self.done += 1
        if self.progress:
            self.progress(self.done, self.data.size)

    def organisation(self, r: OrganisationRecord) -> None:
        fp = fingerprint(r)
        outcome = _outcome(self.org_prints.get(r.id), fp, r.id in self.org_prints)
        if outcome == "added":
            org = m.Organisation(id=r.id, fingerprint=fp)
            _fill_organisation(org, r, self.sources)
            self.session.add(org)
            self.org_prints[r.id] = fp
        elif outcome == "updated":
            self.updated_orgs.append(r)
        self.tick("organisations", outcome)

    def facility(self, r: FacilityRecord) -> None:
        fp = fingerprint(r)
        outcome = _outcome(self.facility_prints.get(r.id), fp, r.id in self.facility_prints)
        if outcome != "unchanged":
            row = self.session.get(m.Facility, r.id) if outcome == "updated" else None
            fac = row or m.Facility(id=r.id)
            if row is None:
                self.session.add(fac)
            fac.name, fac.owner_id, fac.kind, fac.details = r.name, r.owner, r.kind, r.details
            fac.shared = r.shared if isinstance(r.shared, bool) else None
            fac.sources = self.sources.get(r.sources)
            fac.fingerprint = fp
            self.facility_prints[r.id] = fp
        self.tick("facilities", outcome)

    def relation(self, r: RelationRecord) -> None:
        fp = fingerprint(r)
        key = relation_key(r.source, r.target, r.kind)
        pending = self.new_relations.get(key)
        stored = self.relations.get(key)
        rel: m.Relation | None
        if pending is not None:  # the same relation twice in this dataset: the later line wins
            outcome = "unchanged" if pending.fingerprint == fp else "updated"
            rel = pending
        elif stored is not None:
            outcome = "unchanged" if stored[1] == fp else "updated"
            rel = self.session.get_one(m.Relation, stored[0]) if outcome == "updated" else None
        else:
            outcome = "added"
            rel = m.Relation(source_id=key[0], target_id=key[1], kind=r.kind)
            self.session.add(rel)
            self.new_relations[key] = rel
        if rel is not None and outcome != "unchanged":
            rel.since, rel.fingerprint = r.since, fp
            rel.sources = self.sources.get(r.sources)
        self.tick("relations", outcome)

    def event(self, r: EventRecord) -> None:
        key = fingerprint(r)
        added = key not in self.event_keys
        if added:
            event = m.Event(
                key=key, date=r.date, year=int(r.date[:4]), kind=r.kind, summary=r.summary
            )
            event.participants = [
                m.EventOrganisation(organisation_id=o, position=i)
                for i, o in enumerate(dict.fromkeys(r.orgs))
            ]
            event.sources = self.sources.get(r.sources)
            self.session.add(event)
            self.event_keys.add(key)
        self.tick("events", "added" if added else "unchanged")

    def _update_organisations(self) -> None:
        """Organisations whose record changed: drop their old aliases, tags and services in one
        flush (new ones may reuse their unique keys), then fill them from the new records."""
        if not self.updated_orgs:
            return
        ids = [r.id for r in self.updated_orgs]
        rows = {o.id: o for o in self.session.scalars(
            select(m.Organisation).where(m.Organisation.id.in_(ids)))}  # fmt: skip
        children = {r.id: _organisation_children(r) for r in self.updated_orgs}
        for org in rows.values():
            org.aliases, org.tags, org.services = [], [], []
            _ = org.identifiers, org.sources  # loaded now, before the first write
        self.session.flush()  # the first write of an update: from here the lock is held
        for r in self.updated_orgs:
            _fill_organisation(rows[r.id], r, self.sources, children[r.id])
            rows[r.id].fingerprint = fingerprint(r)

    def run(self) -> LoadReport:
        with self.session.no_autoflush:
            for o in self.data.organisations:
                self.organisation(o.record)
            for f in self.data.facilities:
                self.facility(f.record)
            for rl in self.data.relations:
                self.relation(rl.record)
            for e in self.data.events:
                self.event(e.record)
            self._update_organisations()
        self.session.flush()
        return self.report


def stored_organisation_ids(session: Session) -> set[str]:
    return set(session.scalars(select(m.Organisation.id)))


def load_dataset(
    session: Session,
    folder: Path,
    *,
    replace: bool = False,
    prune: bool = False,
    progress: Progress | None = None,
) -> LoadReport:
    """Validate everything first; write nothing unless the whole dataset is clean.

    `replace` also deletes the dataset records the new data no longer has, keeping everything
    that hangs off the records that remain (see `ingest.replace`); it refuses when something
    depends on a dropped record, unless `prune`. The caller owns the transaction: on any
    exception it rolls back, so the stored data stays exactly as it was.
    """
    data = parse_dataset(folder)
    known = kept_organisation_ids(session) if replace else stored_organisation_ids(session)
    problems = data.problems + check_dataset(data, get_taxonomy(), known)
    if problems:
        raise ValidationError(f"{folder}: {len(problems)} problem(s)", problems)
    plan = plan_replace(session, data) if replace else None
    if plan is not None and plan.losses and not prune:
        raise ConflictError(
            f"{folder}: the new data drops records that others depend on "
            f"({len(plan.organisations)} organisation(s), {len(plan.facilities)} facility(ies)); "
            f"{len(plan.losses)} dependent record(s) would be lost; nothing was changed "
            "(--prune deletes them)",
            plan.losses,
        )
    report = _Loader(session, data, progress).run()
    if plan is not None:
        report.removed = remove_dropped(session, data, plan)
    return report


def bundled_dataset_path() -> Path:
    from importlib import resources

    return Path(str(resources.files("triplehelix.data").joinpath("leiden")))
