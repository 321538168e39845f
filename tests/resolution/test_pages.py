"""The admin review page over HTTP: closed without the token, lists pairs, accept works."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.engine import Engine

from triplehelix import app as app_module
from triplehelix.config import Settings
from triplehelix.db import transaction
from triplehelix.directory import models as m
from triplehelix.resolution.models import ReviewCandidate
from triplehelix.resolution.ror_import import import_ror

REGION = Path(__file__).parents[1] / "data" / "ror" / "ror_leiden_region.jsonl"


@pytest.fixture
def client(engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    with transaction(engine) as session:
        session.add(
            m.Organisation(
                id="erasmus-mc",
                name="Erasmus MC",
                kind="university_medical_center",
                city="Rotterdam",
            )
        )
        session.flush()
        import_ror(session, REGION)
    monkeypatch.setenv("TRIPLEHELIX_ADMIN_TOKEN", "s3cret")
    # only this feature's router: the directory pages live on another branch
    monkeypatch.setattr(app_module, "ROUTERS", ["triplehelix.resolution.pages:router"])
    settings = Settings(
        data_dir=tmp_path,
        database_url=str(engine.url.render_as_string(hide_password=False)),
        load_bundled=False,
    )
    app = app_module.create_app(settings)
    with TestClient(app) as test_client:
        yield test_client
    app.state.engine.dispose()


def test_review_page_needs_admin(client: TestClient) -> None:
    assert client.get("/admin/review").status_code == 403
    assert client.get("/admin/review?token=wrong").status_code == 403


def test_review_page_lists_and_accepts(client: TestClient, engine: Engine) -> None:
    page = client.get("/admin/review?token=s3cret")
    assert page.status_code == 200
    assert "Erasmus MC Cancer Institute" in page.text and "same city: rotterdam" in page.text
    with transaction(engine) as session:
        pair = session.scalars(select(ReviewCandidate).filter_by(status="pending")).first()
        assert pair is not None
        pair_id, record_id = pair.id, pair.record_id
    # the cookie set by the first visit keeps the admin in
    done = client.post(f"/admin/review/{pair_id}/accept", follow_redirects=False)
    assert done.status_code == 303
    with transaction(engine) as session:
        assert session.get(ReviewCandidate, pair_id).status == "accepted"  # type: ignore[union-attr]
        assert (
            session.scalar(select(m.Identifier).filter_by(scheme="ror", value=record_id))
            is not None
        )
    assert client.post(f"/admin/review/{pair_id}/accept").status_code == 409
