"""Shared fixtures: every storage test runs on real SQLite and, when configured, real PostgreSQL.

PostgreSQL comes from TRIPLEHELIX_TEST_DATABASE_URL (or --db-url); each backend fixture gets its
own schema, dropped at the end, so runs never see each other's rows.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session

from triplehelix import features
from triplehelix.app import create_app
from triplehelix.config import Settings
from triplehelix.db import Base, make_engine, session_factory, transaction
from triplehelix.ingest.service.loader import bundled_dataset_path, load_dataset
from triplehelix.matching.service.index import use_document_sources
from triplehelix.migrations import upgrade_database

# a real SMTP server (aiosmtpd) for any test that mails: smtp_server, smtp_starttls_server, ...
pytest_plugins = ["tests.mail.server"]

BACKENDS = ["sqlite", "postgresql"]
# Services tested without the app see the other features' documents as the app would.
use_document_sources(features.document_sources)
_skipped_pg: list[str] = []


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--db-url",
        default=os.environ.get("TRIPLEHELIX_TEST_DATABASE_URL", ""),
        help="PostgreSQL URL for the PostgreSQL half of the storage tests.",
    )


def _pg_base_url(config: pytest.Config) -> str:
    url = str(config.getoption("--db-url") or "")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


def new_database_url(config: pytest.Config, kind: str, folder: Path) -> tuple[str, str | None]:
    """A fresh, empty database of `kind`: (url, schema to drop afterwards)."""
    if kind == "sqlite":
        return f"sqlite:///{folder / f'{uuid.uuid4().hex}.db'}", None
    base = _pg_base_url(config)
    if not base:
        _skipped_pg.append("TRIPLEHELIX_TEST_DATABASE_URL is not set")
        pytest.skip("PostgreSQL: TRIPLEHELIX_TEST_DATABASE_URL is not set")
    schema = f"th_{uuid.uuid4().hex[:12]}"
    admin = make_engine(base)
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:
        _skipped_pg.append(f"PostgreSQL at {base} is not reachable ({type(exc).__name__})")
        pytest.skip(f"PostgreSQL not reachable: {exc}")
    finally:
        admin.dispose()
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False), schema


def drop_database(config: pytest.Config, schema: str | None) -> None:
    if schema is None:
        return
    admin = make_engine(_pg_base_url(config))
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    admin.dispose()


def _backend(request: pytest.FixtureRequest, folder: Path, load: bool) -> Iterator[Engine]:
    url, schema = new_database_url(request.config, request.param, folder)
    engine = make_engine(url)
    upgrade_database(engine)
    if load:
        with transaction(engine) as session:
            load_dataset(session, bundled_dataset_path())
    yield engine
    engine.dispose()
    drop_database(request.config, schema)


@pytest.fixture(scope="session", params=BACKENDS)
def blank_engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """An empty, migrated database per backend; tests using `engine` get it wiped afterwards."""
    yield from _backend(request, tmp_path_factory.mktemp("db"), load=False)


@pytest.fixture
def engine(blank_engine: Engine) -> Iterator[Engine]:
    yield blank_engine
    with blank_engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with session_factory(engine)() as s:
        yield s


@pytest.fixture
def client(engine: Engine, tmp_path: Path) -> Iterator[TestClient]:
    """The whole app over the (empty, per-test) database of `engine`, through TestClient."""
    url = engine.url.render_as_string(hide_password=False)
    app = create_app(Settings(data_dir=tmp_path, database_url=url, load_bundled=False))
    with TestClient(app) as test_client:
        yield test_client
    app.state.engine.dispose()


@pytest.fixture(scope="session", params=BACKENDS)
def leiden_engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """The bundled Leiden dataset, loaded once per backend; tests must not write to it."""
    yield from _backend(request, tmp_path_factory.mktemp("leiden"), load=True)


@pytest.fixture(scope="session")
def leiden_client(
    leiden_engine: Engine, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient]:
    """The whole app, with its own engine, reading the session's Leiden database."""
    url = str(leiden_engine.url.render_as_string(hide_password=False))
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("app"), database_url=url, load_bundled=False
    )
    app = create_app(settings)
    with TestClient(app) as client:
        yield client
    app.state.engine.dispose()


@pytest.fixture
def leiden(leiden_engine: Engine) -> Iterator[Session]:
    with session_factory(leiden_engine)() as s:
        yield s
        s.rollback()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _skipped_pg:
        reason = sorted(set(_skipped_pg))[0]
        terminalreporter.write_sep("=", "PostgreSQL tests SKIPPED", yellow=True)
        terminalreporter.write_line(
            f"The PostgreSQL half of the storage tests did not run: {reason}."
        )
