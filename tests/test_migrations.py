"""Migrations build the whole schema on an empty database of each kind, and agree with the models."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlalchemy.engine import Engine

import triplehelix.models  # noqa: F401  (every feature's tables)
from triplehelix.db import Base, is_sqlite
from triplehelix.migrations import alembic_config
from triplehelix.search.service.fulltext_ddl import include_name


def test_every_table_is_created(blank_engine: Engine) -> None:
    tables = set(inspect(blank_engine).get_table_names())
    assert set(Base.metadata.tables) <= tables


def test_models_and_migrations_agree(blank_engine: Engine) -> None:
    with blank_engine.connect() as conn:
        context = MigrationContext.configure(
            conn,
            opts={
                "compare_type": True,
                "render_as_batch": is_sqlite(str(blank_engine.url)),
                "include_name": include_name,
            },
        )
        diff = compare_metadata(context, Base.metadata)
    assert diff == [], f"models and migrations differ: {diff}"


def test_database_is_at_every_head(blank_engine: Engine) -> None:
    script = ScriptDirectory.from_config(alembic_config(blank_engine))
    with blank_engine.connect() as conn:
        current = set(MigrationContext.configure(conn).get_current_heads())
    assert current == set(script.get_heads())


@pytest.mark.parametrize("revision", ["0001"])
def test_known_revisions_exist(blank_engine: Engine, revision: str) -> None:
    script = ScriptDirectory.from_config(alembic_config(blank_engine))
    assert script.get_revision(revision) is not None
