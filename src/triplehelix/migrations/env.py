"""Alembic environment: runs against the engine handed over by `upgrade_database`."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

import triplehelix.models  # noqa: F401  (registers every table on Base.metadata)
from triplehelix.db import Base, is_sqlite
from triplehelix.search.service.fulltext_ddl import include_name

config = context.config
engine = config.attributes.get("engine")
if engine is None:  # plain `alembic` command line: take the URL from the settings
    from triplehelix.config import get_settings

    engine = create_engine(get_settings().database_url)

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=is_sqlite(str(engine.url)),
        compare_type=True,
        include_name=include_name,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
