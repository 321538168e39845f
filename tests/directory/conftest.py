"""Fixtures for the directory's HTTP tests: a web app over the loaded Leiden database."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from triplehelix.app import create_app
from triplehelix.config import Settings
from triplehelix.ingest.loader import bundled_dataset_path


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


@pytest.fixture(scope="session")
def records() -> dict[str, list[dict[str, Any]]]:
    """The bundled JSON Lines files as plain records: the reference counts are computed from."""
    folder = Path(bundled_dataset_path())
    return {
        name: [
            json.loads(line)
            for line in (folder / f"{name}.jsonl").read_text("utf-8").splitlines()
            if line.strip()
        ]
        for name in ("organisations", "facilities", "relations", "events")
    }
