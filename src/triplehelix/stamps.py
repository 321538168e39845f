"""Data stamps: one row per scope of the data, given a new random stamp in the same transaction as
any write to a table of that scope, so one small read tells whether anything changed since.

`watch(engine)` (every engine `db.make_engine` makes) notes which tables each statement writes;
just before the transaction commits it stamps their scopes, so the stamp and the data become
visible together, to every process. Bookings have a scope of their own (most pages do not show
them); sign-in bookkeeping, the audit log and the inbox have none (no page an anonymous visitor
sees reads them: tests/test_response_cache.py checks every kept route); every other
table, and any statement that is not a plain read or write (DDL, migrations), stamps all scopes.
Stamps are random, never counters: a wiped table or a restored database cannot bring an old
stamp back. Writes that bypass SQLAlchemy's statements (PostgreSQL COPY) call `touch`.
"""

from __future__ import annotations

import re
import secrets
import sqlite3
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

TABLE = "data_stamps"
SCOPES = ("bookings", "directory")
# Tables outside the "directory" scope; None: no scope (never read for an anonymous page).
TABLE_SCOPES: dict[str, str | None] = {
    "bookings": "bookings",
    "waitlist_entries": "bookings",
    "api_tokens": None,
    "user_sessions": None,
    "login_attempts": None,
    "login_throttles": None,
    "email_tokens": None,
    "audit_log": None,  # written with every booking; shown to signed-in people only
    "messages": None,  # the inbox
}
PENDING = "stamps_pending"

_WRITE = re.compile(
    r"\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM|REPLACE\s+INTO)"
    r"\s+[\"`]?(?:\w+[\"`]?\.[\"`]?)?(\w+)",
    re.IGNORECASE,
)
_READ = re.compile(
    r"\s*(?:SELECT|PRAGMA|SAVEPOINT|RELEASE|ROLLBACK|BEGIN|COMMIT|SHOW|SET|EXPLAIN|VALUES)\b",
    re.IGNORECASE,
)


def scopes_written(statement: str) -> frozenset[str]:
    """The scopes a statement changes: none for a read, all for what is not a plain write."""
    found = _WRITE.match(statement)
    if found is not None:
        table = found.group(1).lower()
        if table == TABLE:
            return frozenset(SCOPES)
        scope = TABLE_SCOPES.get(table, "directory")
        return frozenset() if scope is None else frozenset({scope})
    return frozenset() if _READ.match(statement) else frozenset(SCOPES)


def touch(connection: Connection, table: str) -> None:
    """Note a write the statement hook cannot see (COPY); stamped at commit like the others."""
    scope = TABLE_SCOPES.get(table, "directory")
    if scope is not None:
        connection.info.setdefault(PENDING, set()).add(scope)


def _note(conn: Connection, _cursor: Any, statement: str, *_: Any) -> None:
    scopes = scopes_written(statement)
    if scopes:
        conn.info.setdefault(PENDING, set()).update(scopes)


def _table_exists(cursor: Any) -> bool:
    cursor.execute(f"SELECT to_regclass('{TABLE}')")
    row = cursor.fetchone()
    return row is not None and row[0] is not None


def _stamp(conn: Connection) -> None:
    """Before COMMIT, in the same transaction: a fresh stamp for every scope written."""
    scopes = conn.info.pop(PENDING, None)
    if not scopes:
        return
    # sorted: concurrent writers lock the rows in one order, so they never deadlock
    rows = ", ".join(f"('{s}', {secrets.randbits(62)})" for s in sorted(scopes))
    upsert = (
        f"INSERT INTO {TABLE} (scope, stamp) VALUES {rows} "
        "ON CONFLICT (scope) DO UPDATE SET stamp = excluded.stamp"
    )
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        if conn.dialect.name == "sqlite":
            # A failed statement leaves SQLite's transaction as it was, so just try: one
            # statement less while a writer may hold the write lock.
            try:
                cursor.execute(upsert)
            except sqlite3.OperationalError as exc:
                if f"no such table: {TABLE}" not in str(exc):
                    raise  # (otherwise: before the migration that creates it)
        elif _table_exists(cursor):  # (PostgreSQL aborts the transaction on an error)
            cursor.execute(upsert)
    finally:
        cursor.close()


def _forget(conn: Connection) -> None:
    conn.info.pop(PENDING, None)


def watch(engine: Engine) -> None:
    event.listen(engine, "before_cursor_execute", _note)
    event.listen(engine, "commit", _stamp)
    event.listen(engine, "rollback", _forget)


def read(connection: Connection) -> dict[str, int]:
    """Every scope's current stamp (a scope never written yet has none)."""
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(f"SELECT scope, stamp FROM {TABLE}")
        return {str(scope): int(stamp) for scope, stamp in cursor.fetchall()}
    finally:
        cursor.close()
