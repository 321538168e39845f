"""After a merge the old organisation id redirects (301) to the survivor, on pages and in the API."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from triplehelix.app import create_app
from triplehelix.config import Settings
from triplehelix.db import transaction
from triplehelix.ingest.service.loader import bundled_dataset_path, load_dataset
from triplehelix.resolution.service.merge import merge_organisations, unmerge_organisations


def test_merged_id_redirects_and_unmerge_restores_it(engine: Engine, tmp_path: Path) -> None:
    with transaction(engine) as session:
        load_dataset(session, bundled_dataset_path())
        merge_id = merge_organisations(session, "leiden-university", "lu-faculty-of-science").id
    url = engine.url.render_as_string(hide_password=False)
    app = create_app(Settings(tmp_path, url, load_bundled=False))
    with TestClient(app, follow_redirects=False) as client:
        page = client.get("/organisations/lu-faculty-of-science")
        assert page.status_code == 301
        assert page.headers["location"] == "/organisations/leiden-university"
        api = client.get("/api/organisations/lu-faculty-of-science")
        assert api.status_code == 301
        assert api.headers["location"] == "/api/organisations/leiden-university"
        assert client.get("/organisations/never-existed").status_code == 404
        with transaction(engine) as session:
            unmerge_organisations(session, merge_id)
        assert client.get("/organisations/lu-faculty-of-science").status_code == 200
    app.state.engine.dispose()
