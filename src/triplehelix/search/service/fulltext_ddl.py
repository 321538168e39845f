"""The database objects of a full-text index, for SQLite FTS5 and PostgreSQL, kept by triggers.

An index is described by one portable SELECT producing (key, name, summary, body) per record,
and by the tables whose rows change a record's document ("watches"). Triggers on those tables
re-derive the touched documents, so no call site ever writes to an index. Every index has the
same three fields: `name` (weighted highest, prefix-searchable, no stemming), `summary` (the
snippet source) and `body` (everything else searchable).

SQLite: an FTS5 table `fts_<name>` (porter stemmer over unicode61, diacritics removed), a key
map `fts_<name>_keys` (FTS5 rowids are integers, our keys need not be), an unstemmed word table
`fts_<name>_words` and its `fts5vocab` view `fts_<name>_vocab` for "did you mean".
PostgreSQL: a table `fts_<name>` with a weighted `document` tsvector (`simple` for names,
`english` and `dutch` for the rest) under a GIN index, the summary for `ts_headline`, and an
unstemmed `words` tsvector for `ts_stat`.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.engine import Connection

PREFIX = "fts_"
# PostgreSQL's `simple` configuration keeps accents; fold the common Latin ones like FTS5 does.
_ACCENTED = "áàâäãåāéèêëēíìîïīóòôöõøōúùûüūýÿñçšžÁÀÂÄÃÅĀÉÈÊËĒÍÌÎÏĪÓÒÔÖÕØŌÚÙÛÜŪÝŸÑÇŠŽ"
_PLAIN = "aaaaaaaeeeeeiiiiiooooooouuuuuyyncszAAAAAAAEEEEEIIIIIOOOOOOOUUUUUYYNCSZ"


@dataclass(frozen=True)
class Watch:
    """Rows of `table` touch the documents whose keys `keys` selects ({row} is NEW or OLD)."""

    table: str
    keys: str
    columns: tuple[str, ...] = ()  # only updates of these columns matter; () = any


@dataclass(frozen=True)
class IndexDefinition:
    name: str
    document: str  # SELECT ... AS key, ... AS name, ... AS summary, ... AS body FROM ...
    watches: tuple[Watch, ...]
    key_type: str = "VARCHAR(120)"  # PostgreSQL type of the key


def is_fulltext_table(name: str) -> bool:
    """Objects of the full-text indexes, which live outside the ORM metadata."""
    return name.startswith(PREFIX)


def include_name(name: str | None, type_: str, _parents: object) -> bool:
    """Alembic's filter: the full-text objects are not compared with the models."""
    return not (type_ == "table" and name is not None and is_fulltext_table(name))


def _run(conn: Connection, statements: list[str]) -> None:
    for statement in statements:
        conn.execute(text(statement))


# --- SQLite -----------------------------------------------------------------------------------


def _sqlite_refresh(ix: IndexDefinition, keys: str) -> str:
    t = f"{PREFIX}{ix.name}"
    doc = ix.document.format(agg="group_concat")
    return f"""
    DELETE FROM {t} WHERE rowid IN (SELECT id FROM {t}_keys WHERE key IN ({keys}));
    DELETE FROM {t}_words WHERE rowid IN (SELECT id FROM {t}_keys WHERE key IN ({keys}));
    INSERT OR IGNORE INTO {t}_keys(key) SELECT d.key FROM ({doc}) d WHERE d.key IN ({keys});
    INSERT INTO {t}(rowid, name, summary, body)
      SELECT k.id, d.name, d.summary, d.body FROM ({doc}) d JOIN {t}_keys k ON k.key = d.key
      WHERE d.key IN ({keys});
    INSERT INTO {t}_words(rowid, words)
      SELECT k.id, d.name || ' ' || d.summary || ' ' || d.body
      FROM ({doc}) d JOIN {t}_keys k ON k.key = d.key WHERE d.key IN ({keys});"""


def _sqlite_triggers(ix: IndexDefinition) -> list[str]:
    out = []
    for n, w in enumerate(ix.watches):
        name = f"{PREFIX}{ix.name}_{n}"
        of = f" OF {', '.join(w.columns)}" if w.columns else ""
        new, old = w.keys.format(row="NEW"), w.keys.format(row="OLD")
        out.append(
            f"CREATE TRIGGER {name}_ai AFTER INSERT ON {w.table} BEGIN"
            f"{_sqlite_refresh(ix, new)} END"
        )
        out.append(
            f"CREATE TRIGGER {name}_au AFTER UPDATE{of} ON {w.table} BEGIN"
            f"{_sqlite_refresh(ix, old)}{_sqlite_refresh(ix, new)} END"
        )
        out.append(
            f"CREATE TRIGGER {name}_ad AFTER DELETE ON {w.table} BEGIN"
            f"{_sqlite_refresh(ix, old)} END"
        )
    return out


def _sqlite_create(ix: IndexDefinition) -> list[str]:
    t = f"{PREFIX}{ix.name}"
    doc = ix.document.format(agg="group_concat")
    return [
        f"CREATE TABLE {t}_keys (id INTEGER PRIMARY KEY, key UNIQUE NOT NULL)",
        f"CREATE VIRTUAL TABLE {t} USING fts5(name, summary, body,"
        " tokenize = 'porter unicode61 remove_diacritics 2')",
        f"CREATE VIRTUAL TABLE {t}_words USING fts5(words,"
        " tokenize = 'unicode61 remove_diacritics 2')",
        f"CREATE VIRTUAL TABLE {t}_vocab USING fts5vocab({t}_words, 'row')",
        *_sqlite_triggers(ix),
        f"INSERT INTO {t}_keys(key) SELECT key FROM ({doc})",
        f"INSERT INTO {t}(rowid, name, summary, body) SELECT k.id, d.name, d.summary, d.body"
        f" FROM ({doc}) d JOIN {t}_keys k ON k.key = d.key",
        f"INSERT INTO {t}_words(rowid, words)"
        f" SELECT k.id, d.name || ' ' || d.summary || ' ' || d.body"
        f" FROM ({doc}) d JOIN {t}_keys k ON k.key = d.key",
    ]


def _sqlite_drop(ix: IndexDefinition) -> list[str]:
    t = f"{PREFIX}{ix.name}"
    triggers = [
        f"DROP TRIGGER IF EXISTS {PREFIX}{ix.name}_{n}_{op}"
        for n in range(len(ix.watches))
        for op in ("ai", "au", "ad")
    ]
    tables = [f"{t}_vocab", f"{t}_words", t, f"{t}_keys"]
    return triggers + [f"DROP TABLE IF EXISTS {name}" for name in tables]


# --- PostgreSQL -------------------------------------------------------------------------------


def _fold(expr: str) -> str:
    return f"translate(coalesce({expr}, ''), '{_ACCENTED}', '{_PLAIN}')"


def _pg_create(ix: IndexDefinition) -> list[str]:
    t = f"{PREFIX}{ix.name}"
    doc = ix.document.format(agg="string_agg")
    name, summary, body = _fold("d.name"), _fold("d.summary"), _fold("d.body")
    document = (
        f"setweight(to_tsvector('simple', {name}), 'A')"
        f" || setweight(to_tsvector('english', {summary}), 'B')"
        f" || setweight(to_tsvector('english', {body}), 'D')"
        f" || setweight(to_tsvector('dutch', {summary} || ' ' || {body}), 'D')"
    )
    words = f"to_tsvector('simple', {name} || ' ' || {summary} || ' ' || {body})"
    fill = (
        f"INSERT INTO {t}(key, summary, document, words)"
        f" SELECT d.key, coalesce(d.summary, ''), {document}, {words} FROM ({doc}) d"
    )
    out = [
        f"CREATE TABLE {t} (key {ix.key_type} PRIMARY KEY, summary TEXT NOT NULL,"
        " document TSVECTOR NOT NULL, words TSVECTOR NOT NULL)",
        f"CREATE INDEX {t}_document ON {t} USING gin (document)",
        f"CREATE FUNCTION {t}_refresh(keys {ix.key_type}[]) RETURNS void AS $$ BEGIN"
        f" DELETE FROM {t} WHERE key = ANY(keys);"
        f" {fill} WHERE d.key = ANY(keys); END $$ LANGUAGE plpgsql",
    ]
    for n, w in enumerate(ix.watches):
        fn = f"{t}_{n}"
        new, old = w.keys.format(row="NEW"), w.keys.format(row="OLD")
        of = f" OF {', '.join(w.columns)}" if w.columns else ""
        out.append(
            f"CREATE FUNCTION {fn}() RETURNS trigger AS $$ BEGIN"
            f" IF TG_OP <> 'INSERT' THEN PERFORM {t}_refresh(ARRAY({old})); END IF;"
            f" IF TG_OP <> 'DELETE' THEN PERFORM {t}_refresh(ARRAY({new})); END IF;"
            " RETURN NULL; END $$ LANGUAGE plpgsql"
        )
        for op in ("INSERT", f"UPDATE{of}", "DELETE"):
            trigger = f"{fn}_{op.split()[0].lower()}"
            out.append(
                f"CREATE TRIGGER {trigger} AFTER {op} ON {w.table}"
                f" FOR EACH ROW EXECUTE FUNCTION {fn}()"
            )
    out.append(fill)
    return out


def _pg_drop(ix: IndexDefinition) -> list[str]:
    t = f"{PREFIX}{ix.name}"
    out = []
    for n, w in enumerate(ix.watches):
        for op in ("insert", "update", "delete"):
            out.append(f"DROP TRIGGER IF EXISTS {t}_{n}_{op} ON {w.table}")
        out.append(f"DROP FUNCTION IF EXISTS {t}_{n}()")
    return [*out, f"DROP FUNCTION IF EXISTS {t}_refresh", f"DROP TABLE IF EXISTS {t}"]


def create_index(conn: Connection, ix: IndexDefinition) -> None:
    """Create the index, its triggers, and fill it from the rows already there."""
    sqlite = conn.dialect.name == "sqlite"
    _run(conn, _sqlite_create(ix) if sqlite else _pg_create(ix))


def drop_index(conn: Connection, ix: IndexDefinition) -> None:
    _run(conn, _sqlite_drop(ix) if conn.dialect.name == "sqlite" else _pg_drop(ix))
