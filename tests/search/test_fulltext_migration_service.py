"""Revision 0005 builds the full-text index from the rows a database already holds."""

from __future__ import annotations

from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import Engine

from triplehelix.db import session_factory, transaction
from triplehelix.directory import service
from triplehelix.ingest.service.loader import bundled_dataset_path, load_dataset
from triplehelix.migrations import alembic_config


def _run(engine: Engine, step: str) -> None:
    revision = ScriptDirectory.from_config(alembic_config(engine)).get_revision("0005_fulltext")
    assert revision is not None
    with engine.begin() as conn, Operations.context(MigrationContext.configure(conn)):
        getattr(revision.module, step)()


def test_upgrading_a_database_with_data_fills_its_index(engine: Engine) -> None:
    with transaction(engine) as session:
        load_dataset(session, bundled_dataset_path())
    with session_factory(engine)() as session:
        before = {o.id for o in service.list_organisations(session, "vaccine", limit=500).items}
    assert before
    _run(engine, "downgrade")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM organisations")).scalar_one() > 0
    _run(engine, "upgrade")
    with session_factory(engine)() as session:
        after = {o.id for o in service.list_organisations(session, "vaccine", limit=500).items}
        assert after == before
        assert service.list_facilities(session, "cryo-EM").total > 0


def test_every_watched_table_has_its_triggers(blank_engine: Engine) -> None:
    """A later migration that rebuilds a watched table (SQLite batch mode) drops its triggers."""
    revision = ScriptDirectory.from_config(alembic_config(blank_engine)).get_revision(
        "0005_fulltext"
    )
    assert revision is not None
    if blank_engine.dialect.name == "sqlite":
        sql = "SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'"
    else:
        sql = (
            "SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
            " WHERE NOT t.tgisinternal AND c.relnamespace = current_schema()::regnamespace"
        )
    with blank_engine.connect() as conn:
        found = {
            (table, name) for table, name in conn.execute(text(sql)) if name.startswith("fts_")
        }
    for index in revision.module.INDEXES:
        for n, watch in enumerate(index.watches):
            names = {name for table, name in found if table == watch.table}
            assert any(name.startswith(f"fts_{index.name}_{n}_") for name in names), (
                index.name,
                watch,
            )
