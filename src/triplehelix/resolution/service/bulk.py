"""Bulk writes of a registry import: new organisations with their rows, states, review pairs.

An import of ROR's full file adds about a million rows. Plain columns (text, numbers) go
straight to the driver (`insert_plain`: `executemany` on SQLite, `COPY` on PostgreSQL):
SQLAlchemy's per-row parameter handling cost as much as the database's own work. Typed columns
(dates on SQLite, JSON) keep SQLAlchemy's conversions. Review pairs are gathered in `PairWriter`
and written once at the end.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import Connection, Table, bindparam, insert, select, update
from sqlalchemy.orm import Session

from triplehelix import stamps
from triplehelix.directory import models as m
from triplehelix.ingest.service.ror import RorRecord
from triplehelix.resolution.models import RegistryRecord, ReviewCandidate
from triplehelix.resolution.service import apply

REGISTRY = "ror"
CHUNK = 2000  # rows per statement


def insert_plain(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """INSERT rows with the same keys, all plain str/int/float/None: no type conversion runs."""
    if not rows:
        return
    columns = list(rows[0])
    if conn.dialect.name == "postgresql":
        _copy_rows(conn, table, columns, rows)
        return
    compiled = (
        insert(table).values({c: bindparam(c) for c in columns}).compile(dialect=conn.dialect)
    )
    sql = str(compiled)
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        if compiled.positional:
            order = compiled.positiontup or []
            conn.exec_driver_sql(sql, [tuple(row[c] for c in order) for row in chunk])
        else:
            conn.exec_driver_sql(sql, chunk)


def _copy_rows(
    conn: Connection, table: Table, columns: list[str], rows: list[dict[str, Any]]
) -> None:
    """PostgreSQL: COPY, in the session's transaction; a statement per row (executemany) left
    the server doing more work than the import itself."""
    quote = conn.dialect.identifier_preparer
    names = ", ".join(quote.quote(c) for c in columns)
    stamps.touch(conn, table.name)  # COPY passes by the statement hook
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    with cursor.copy(f"COPY {quote.format_table(table)} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([row[c] for c in columns])
    cursor.close()


def state_row(record: RorRecord, status: str, org_id: str | None) -> dict[str, Any]:
    return {"scheme": REGISTRY, "record_id": record.ror_id, "fingerprint": record.fingerprint,
            "status": status, "organisation_id": org_id,
            "release": record.last_modified}  # fmt: skip


def write_new_organisations(
    session: Session, items: list[tuple[RorRecord, str]], *, with_states: bool = True
) -> None:
    """Insert organisations for registry records, with aliases, identifiers, sources, states."""
    conn = session.connection()
    for start in range(0, len(items), CHUNK):
        chunk = items[start : start + CHUNK]
        insert_plain(
            conn, table_of(m.Organisation), [apply.new_organisation_row(r, i) for r, i in chunk]
        )
        aliases = [
            {"organisation_id": i, "name": n[:300], "position": p}
            for r, i in chunk
            for p, n in enumerate(n for n in (*r.aliases, *r.acronyms) if n != r.name)
        ]
        insert_plain(conn, table_of(m.OrganisationAlias), aliases)
        idents = [
            {"organisation_id": i, "scheme": s, "value": v[:300]}
            for r, i in chunk
            for s, v in apply.record_identifiers(r)
        ]
        insert_plain(conn, table_of(m.Identifier), idents)
        links = [{"record_id": i, "source_id": s} for i, s in _source_ids(session, chunk)]
        insert_plain(conn, m.organisation_sources, links)
        if with_states:
            states = [state_row(r, "linked", i) for r, i in chunk]
            insert_plain(conn, table_of(RegistryRecord), states)


def table_of(model: type[Any]) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


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
        conn = session.connection()
        if conn.dialect.name == "postgresql":  # psycopg's COPY takes dates as they are
            _copy_rows(conn, table_of(m.Source), list(rows[0]), rows)
        else:  # a date column: SQLAlchemy converts it for SQLite
            conn.execute(insert(m.Source), rows)
        known.update(
            session.execute(select(m.Source.url, m.Source.id).where(m.Source.url.in_(urls))).all()
        )
    return [(i, known[r.url]) for r, i in chunk]


class PairWriter:
    """Review pairs of registry records, written at the end of an import.

    Pairs queued by an earlier import are updated in place by id; new pairs are inserted.
    """

    def __init__(self, session: Session) -> None:
        self.session = session
        self.known: dict[str, int] = {}
        self.by_record: dict[str, list[str]] = defaultdict(list)
        rows = session.execute(
            select(ReviewCandidate.pair_key, ReviewCandidate.id, ReviewCandidate.record_id).where(
                ReviewCandidate.record_id.is_not(None)
            )
        )
        for key, row_id, record_id in rows:
            self.known[key] = row_id
            self.by_record[str(record_id)].append(key)
        self.new: dict[str, dict[str, Any]] = {}
        self.updates: dict[str, dict[str, Any]] = {}

    def put(self, key: str, org_id: str, values: dict[str, Any]) -> None:
        if key in self.known:
            self.updates.setdefault(key, {"id": self.known[key]}).update(values)
        elif key in self.new:
            self.new[key].update(values)
        else:
            self.new[key] = {"pair_key": key, "kind": "ror", "organisation_id": org_id, **values}
            self.by_record[values["record_id"]].append(key)

    def refresh(self, record_id: str, payload: dict[str, Any]) -> None:
        """The record changed while waiting for review: every pair of it shows the new version."""
        for key in self.by_record.get(record_id, ()):
            if key in self.new:
                self.new[key]["payload"] = payload
            else:
                self.updates.setdefault(key, {"id": self.known[key]})["payload"] = payload

    def write(self) -> None:
        rows = list(self.new.values())
        for start in range(0, len(rows), CHUNK):  # JSON columns: SQLAlchemy converts
            self.session.connection().execute(insert(ReviewCandidate), rows[start : start + CHUNK])
        # bulk UPDATE by primary key wants the same columns in every row of one statement
        groups: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
        for row in self.updates.values():
            groups[tuple(sorted(row))].append(row)
        for group in groups.values():
            self.session.execute(update(ReviewCandidate), group)
        self.new, self.updates = {}, {}


def expire_loaded(session: Session, types: tuple[type, ...]) -> None:
    """Bulk statements bypass loaded objects: make any loaded ones reread their rows."""
    for obj in list(session.identity_map.values()):
        if isinstance(obj, types):
            session.expire(obj)
