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

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from triplehelix.directory import models as m
from triplehelix.ingest.service.ror import LineProblem, RorRecord, count_lines, read_ror_lines
from triplehelix.resolution.models import OrganisationRedirect, RegistryRecord, ReviewCandidate
from triplehelix.resolution.service import apply
from triplehelix.resolution.service.bulk import (
    REGISTRY,
    PairWriter,
    expire_loaded,
    insert_plain,
    table_of,
    write_new_organisations,
)
from triplehelix.resolution.service.matcher import REVIEW, ProfileIndex, decide

Progress = Callable[[int, int], None]
__all__ = ["REGISTRY", "ImportSummary", "import_ror", "link_relations", "write_new_organisations"]


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


@dataclass
class _State:
    """What the registry_records row of one record says (or will say once written)."""

    fingerprint: str
    status: str
    organisation_id: str | None
    release: str | None


class _Importer:
    def __init__(self, session: Session) -> None:
        self.session = session
        # Plain rows, not ORM objects: a re-import reads 120,000 of them and changes few.
        self.states = {
            row.record_id: _State(row.fingerprint, row.status, row.organisation_id, row.release)
            for row in session.execute(
                select(
                    RegistryRecord.record_id,
                    RegistryRecord.fingerprint,
                    RegistryRecord.status,
                    RegistryRecord.organisation_id,
                    RegistryRecord.release,
                ).filter_by(scheme=REGISTRY)
            )
        }
        self.new_states: set[str] = set()
        self.changed_states: set[str] = set()
        self._pairs: PairWriter | None = None
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
        self.pending_new: dict[str, RorRecord] = {}  # organisation id -> record, written at the end
        # (organisation, record) attachments, applied after every record is decided: deciding
        # only reads, so on SQLite the write lock is taken after the matching, not during it
        self.attachments: list[tuple[m.Organisation, RorRecord]] = []

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
        verdict, matches = decide(self.index.match(apply.record_profile(record), REVIEW))
        if verdict == "auto" and matches[0].key not in self.linked_orgs:
            return self._attach(record, matches[0].key)
        if verdict != "none":
            for match in matches:
                self._candidate(record, match.key, match.score, match.evidence)
            self._state(record, "queued", None)
            return "queued"
        return self._add_new(record)

    def _add_new(self, record: RorRecord) -> str:
        org_id = self._new_id(record)
        self.pending_new[org_id] = record
        self.by_ror[record.ror_id] = org_id
        self._state(record, "linked", org_id)
        return "new"

    def _attach(self, record: RorRecord, org_id: str) -> str:
        if org_id in self.pending_new:  # the same record again in this file: the later line wins
            self.pending_new[org_id] = record
            self._state(record, "linked", org_id)
            return "matched"
        org = self.session.get(m.Organisation, org_id)
        if org is None:  # linked organisation was deleted: treat the record as new
            return self._add_new(record)
        self.attachments.append((org, record))
        self.by_ror[record.ror_id] = org.id
        self.linked_orgs.add(org.id)
        self._state(record, "linked", org.id)
        return "matched"

    def _state(self, record: RorRecord, status: str, org_id: str | None) -> None:
        state = _State(record.fingerprint, status, org_id, record.last_modified)
        if record.ror_id not in self.states:
            self.new_states.add(record.ror_id)
        elif record.ror_id not in self.new_states:
            self.changed_states.add(record.ror_id)
        self.states[record.ror_id] = state

    @property
    def pairs(self) -> PairWriter:
        """Loaded on first need: an import that queues nothing never reads the queue."""
        if self._pairs is None:
            self._pairs = PairWriter(self.session)
        return self._pairs

    def _candidate(self, record: RorRecord, org_id: str, score: float, why: list[str]) -> None:
        values = {"record_id": record.ror_id, "payload": apply.record_to_payload(record),
                  "score": score, "evidence": why, "status": "pending"}  # fmt: skip
        self.pairs.put(f"ror:{record.ror_id}:{org_id}", org_id, values)

    def _refresh_candidates(self, record: RorRecord) -> None:
        self.pairs.refresh(record.ror_id, apply.record_to_payload(record))

    def write_states(self) -> None:
        """Insert the states first seen in this import and update the ones that changed."""
        rows = [self._state_row(key) for key in self.new_states]
        insert_plain(self.session.connection(), table_of(RegistryRecord), rows)
        changed = [self._state_row(key) for key in self.changed_states]
        if changed:
            self.session.execute(update(RegistryRecord), changed)
        if self._pairs is not None:
            self._pairs.write()
        expire_loaded(self.session, (RegistryRecord, ReviewCandidate))
        self.new_states, self.changed_states = set(), set()

    def _state_row(self, key: str) -> dict[str, Any]:
        state = self.states[key]
        return {"scheme": REGISTRY, "record_id": key, "fingerprint": state.fingerprint,
                "status": state.status, "organisation_id": state.organisation_id,
                "release": state.release}  # fmt: skip

    def _new_id(self, record: RorRecord) -> str:
        slug = apply.slugify(record.name)
        org_id = slug if slug not in self.taken_ids else f"{slug[:100]}-{record.ror_id}"
        self.taken_ids.add(org_id)
        return org_id

    def write_attachments(self) -> None:
        for org, record in self.attachments:
            apply.attach_record(self.session, org, record)
        self.attachments = []

    def write_new(self) -> None:
        """Insert the new organisations with their aliases, identifiers and sources.

        Their states are already among `states` and are written by `write_states`.
        """
        if not self.pending_new:
            return
        self.session.flush()
        items = [(record, org_id) for org_id, record in self.pending_new.items()]
        write_new_organisations(self.session, items, with_states=False)
        self.pending_new = {}


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
    with _large_sqlite_cache(session):
        return _import(session, path, progress)


@contextmanager
def _large_sqlite_cache(session: Session) -> Iterator[None]:
    """SQLite's default 2 MB page cache thrashes once the indexes outgrow it (ROR's full file
    adds about a million rows); 64 MB for the import keeps them in memory."""
    if session.get_bind().dialect.name != "sqlite":
        yield
        return
    conn = session.connection()
    before = conn.exec_driver_sql("PRAGMA cache_size").scalar()
    conn.exec_driver_sql("PRAGMA cache_size=-65536")
    yield  # after a failure the session awaits rollback; the larger cache then stays (harmless)
    conn.exec_driver_sql(f"PRAGMA cache_size={int(before or -2000)}")


def _import(session: Session, path: Path, progress: Progress | None) -> ImportSummary:
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
    importer.write_attachments()  # the first write of the import
    importer.write_new()
    session.flush()
    importer.write_states()
    summary.relations = link_relations(session, related, importer.by_ror)
    session.flush()
    return summary
