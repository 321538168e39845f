"""An app over the loaded Leiden database for the HTTP tests of the insight pages and API."""

from __future__ import annotations

from collections.abc import Iterator
from importlib.util import find_spec
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from triplehelix import app as app_module
from triplehelix.config import Settings


def insights_app(engine: Engine, folder: Path) -> FastAPI:
    """The real app; feature routers not present on this branch yet are left out."""
    url = engine.url.render_as_string(hide_password=False)
    routers = [spec for spec in app_module.ROUTERS if find_spec(spec.partition(":")[0]) is not None]
    original = app_module.ROUTERS
    app_module.ROUTERS = routers
    try:
        return app_module.create_app(
            Settings(data_dir=folder, database_url=url, load_bundled=False)
        )
    finally:
        app_module.ROUTERS = original


@pytest.fixture
def client(leiden_engine: Engine, tmp_path: Path) -> Iterator[TestClient]:
    app = insights_app(leiden_engine, tmp_path)
    with TestClient(app) as c:
        yield c
    # The app opens its own engine; close its pooled connections before the test ends.
    app.state.engine.dispose()
