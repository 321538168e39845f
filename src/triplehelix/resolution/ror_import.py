"""Import a ROR JSON Lines file: match each record, attach / queue / add it, then link relations.

Per record: unchanged since the last import (same content hash) -> nothing; withdrawn -> skipped;
already linked -> refreshed (`matched`); carrying a ROR id an organisation already has, or a
confident match -> attached (`matched`); an uncertain match -> review queue (`queued`); else a
new organisation with origin "ror" (`new`). New organisations are written in bulk at the end.
Relations (both ends must be in the directory; an existing relation between the two, of any kind,
wins): parent -> this part_of parent; child -> child part_of this; related -> partner_of;
successor -> this succeeded_by successor; predecessor -> predecessor succeeded_by this.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from triplehelix.directory import models as m
from triplehelix.ingest.ror import LineProblem, RorRecord, count_lines, read_ror_lines
from triplehelix.resolution import apply
from triplehelix.resolution.matcher import ProfileIndex, decide
from triplehelix.resolution.models import OrganisationRedirect, RegistryRecord, ReviewCandidate

Progress = Callable[[int, int], None]
REGISTRY = "ror"


@dataclass
class ImportSummary:
    matched: int = 0
    queued: int = 0
    new: int = 0
    unchanged: int = 0
    skipped: int = 0
    errors: int = 0
    relations: int = 0
    problems: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, int]:
        keys = ("matched", "queued", "new", "unchanged", "errors", "skipped")
        return {k: getattr(self, k) for k in keys}


class _Importer:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.states = {
            s.record_id: s
            for s in session.scalars(select(RegistryRecord).filter_by(scheme=REGISTRY))
        }
        self._index: ProfileIndex | None = None
        self.taken_ids = set(session.scalars(select(m.Organisation.id))) | set(
            session.scalars(select(OrganisationRedirect.old_id))
        )
        self.by_ror = dict(
            session.execute(
                select(m.Identifier.value, m.Identifier.organisation_id).filter_by(scheme="ror")
            ).all()
        )
        self.linked_orgs = set(self.by_ror.values())
        self.pending_new: list[tuple[RorRecord, str]] = []

    @property
    def index(self) -> ProfileIndex:
        """Built on first need: a re-import of unchanged records never pays for it."""
        if self._index is None:
            self._index = ProfileIndex(apply.all_organisation_profiles(self.session))
        return self._index

    def handle(self, record: RorRecord) -> str:
        state = self.states.get(record.ror_id)
        if state is not None and state.fingerprint == record.fingerprint:
            return "unchanged"
        if record.status == "withdrawn":
            self._state(record, "skipped", None)
            return "skipped"
        if state is not None and state.status == "queued":
            self._refresh_candidates(record)
            self._state(record, "queued", None)
            return "queued"
        linked = (state.organisation_id if state else None) or self.by_ror.get(record.ror_id)
        if linked is not None:
            return self._attach(record, linked)
        verdict, matches = decide(self.index.match(apply.record_profile(record)))
        if verdict == "auto" and matches[0].key not in self.linked_orgs:
            return self._attach(record, matches[0].key)
        if verdict != "none":
            for match in matches:
                self._candidate(record, match.key, match.score, match.evidence)
            self._state(record, "queued", None)
            return "queued"
        self.pending_new.append((record, self._new_id(record)))
        return "new"

    def _attach(self, record: RorRecord, org_id: str) -> str:
        org = self.session.get(m.Organisation, org_id)
        if org is None:  # linked organisation was deleted: treat the record as new
            self.pending_new.append((record, self._new_id(record)))
            return "new"
        apply.attach_record(self.session, org, record)
        self.by_ror[record.ror_id] = org.id
        self.linked_orgs.add(org.id)
        self._state(record, "linked", org.id)
        return "matched"

    def _state(self, record: RorRecord, status: str, org_id: str | None) -> None:
        state = self.states.get(record.ror_id)
        if state is None:
            state = RegistryRecord(scheme=REGISTRY, record_id=record.ror_id)
            self.session.add(state)
            self.states[record.ror_id] = state
        state.fingerprint, state.status = record.fingerprint, status
        state.organisation_id, state.release = org_id, record.last_modified

    def _candidate(self, record: RorRecord, org_id: str, score: float, why: list[str]) -> None:
        key = f"ror:{record.ror_id}:{org_id}"
        with self.session.no_autoflush:
            row = self.session.scalar(select(ReviewCandidate).filter_by(pair_key=key))
        if row is None:
            row = ReviewCandidate(pair_key=key, kind="ror", organisation_id=org_id)
            self.session.add(row)
        row.record_id, row.payload = record.ror_id, apply.record_to_payload(record)
        row.score, row.evidence, row.status = score, why, "pending"

    def _refresh_candidates(self, record: RorRecord) -> None:
        rows = self.session.scalars(select(ReviewCandidate).filter_by(record_id=record.ror_id))
        for row in rows:
            row.payload = apply.record_to_payload(record)

    def _new_id(self, record: RorRecord) -> str:
        slug = apply.slugify(record.name)
        org_id = slug if slug not in self.taken_ids else f"{slug[:100]}-{record.ror_id}"
        self.taken_ids.add(org_id)
        return org_id

    def write_new(self) -> None:
        """Insert the new organisations with their aliases, identifiers, sources and state."""
        if not self.pending_new:
            return
        self.session.flush()
        write_new_organisations(self.session, self.pending_new)
        for record, org_id in self.pending_new:
            self.by_ror[record.ror_id] = org_id
        self.pending_new = []


def write_new_organisations(session: Session, items: list[tuple[RorRecord, str]]) -> None:
    for start in range(0, len(items), 2000):
        chunk = items[start : start + 2000]
        conn = session.connection()
        rows = [apply.new_organisation_row(r, i) for r, i in chunk]
        conn.execute(insert(m.Organisation), rows)
        aliases = [
            {"organisation_id": i, "name": n[:300], "position": p}
            for r, i in chunk
            for p, n in enumerate(n for n in (*r.aliases, *r.acronyms) if n != r.name)
        ]
        idents = [
            {"organisation_id": i, "scheme": s, "value": v[:300]}
            for r, i in chunk
            for s, v in apply.record_identifiers(r)
        ]
        for rows, model in ((aliases, m.OrganisationAlias), (idents, m.Identifier)):
            if rows:
                conn.execute(insert(model), rows)
        links = [{"record_id": i, "source_id": s} for i, s in _source_ids(session, chunk)]
        conn.execute(m.organisation_sources.insert(), links)
        states = [
            {"scheme": REGISTRY, "record_id": r.ror_id, "fingerprint": r.fingerprint,
             "status": "linked", "organisation_id": i, "release": r.last_modified}
            for r, i in chunk
        ]  # fmt: skip
        conn.execute(insert(RegistryRecord), states)


def _source_ids(session: Session, chunk: list[tuple[RorRecord, str]]) -> list[tuple[str, int]]:
    """Source rows for the records' ROR URLs: reuse what exists, insert the rest in one go."""
    urls = [r.url for r, _ in chunk]
    known = dict(
        session.execute(select(m.Source.url, m.Source.id).where(m.Source.url.in_(urls))).all()
    )
    missing = [r for r, _ in chunk if r.url not in known]
    if missing:
        rows = [
            {"url": r.url, "accessed": apply.record_release(r), "label": apply.source_label(r)}
            for r in missing
        ]
        session.connection().execute(insert(m.Source), rows)
        known.update(
            session.execute(select(m.Source.url, m.Source.id).where(m.Source.url.in_(urls))).all()
        )
    return [(i, known[r.url]) for r, i in chunk]


# ROR relationship type -> (relation kind, True when this record is the relation's source)
RELATION_KINDS = {
    "parent": ("part_of", True),
    "child": ("part_of", False),
    "related": ("partner_of", True),
    "successor": ("succeeded_by", True),
    "predecessor": ("succeeded_by", False),
}


def link_relations(session: Session, records: list[RorRecord], by_ror: dict[str, str]) -> int:
    """Create relations between organisations that both carry ROR ids; returns how many."""
    pairs = {
        frozenset(p) for p in session.execute(select(m.Relation.source_id, m.Relation.target_id))
    }
    added = 0
    for record in records:
        me = by_ror.get(record.ror_id)
        for ror_type, other in record.relationships:
            them, rule = by_ror.get(other), RELATION_KINDS.get(ror_type)
            if me is None or them is None or rule is None or me == them:
                continue
            if frozenset((me, them)) in pairs:
                continue  # curated or earlier relation between the two wins
            kind, forward = rule
            source, target = (me, them) if forward else (them, me)
            if kind == "partner_of":
                source, target = sorted((source, target))
            relation = m.Relation(source_id=source, target_id=target, kind=kind, fingerprint="ror")
            relation.sources = [apply.get_source(session, record)]
            session.add(relation)
            pairs.add(frozenset((me, them)))
            added += 1
    return added


def import_ror(session: Session, path: Path, *, progress: Progress | None = None) -> ImportSummary:
    """Import one ROR JSON Lines file; the caller owns the transaction.

    Malformed lines are reported (`problems`, with line numbers) and skipped; the rest imports.
    """
    total = count_lines(path)
    importer = _Importer(session)
    summary = ImportSummary()
    related: list[RorRecord] = []
    for done, (_, item) in enumerate(read_ror_lines(path), start=1):
        if isinstance(item, LineProblem):
            summary.errors += 1
            summary.problems.append(f"{path.name}: {item}")
        else:
            outcome = importer.handle(item)
            setattr(summary, outcome, getattr(summary, outcome) + 1)
            if item.relationships:
                related.append(item)
        if progress and (done % 500 == 0 or done == total):
            progress(done, total)
    importer.write_new()
    session.flush()
    summary.relations = link_relations(session, related, importer.by_ror)
    session.flush()
    return summary
