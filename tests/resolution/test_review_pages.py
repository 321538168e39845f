"""The admin review page over HTTP: only a signed-in region admin gets in; accept works."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.engine import Engine

from triplehelix.accounts import service as accounts
from triplehelix.app import create_app
from triplehelix.config import Settings
from triplehelix.db import transaction
from triplehelix.directory import models as m
from triplehelix.resolution.models import ReviewCandidate
from triplehelix.resolution.service.ror_import import import_ror

REGION = Path(__file__).parents[1] / "data" / "ror" / "ror_leiden_region.jsonl"
PASSWORD = "correct horse battery"


@pytest.fixture
def client(engine: Engine, tmp_path: Path) -> Iterator[TestClient]:
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
        for email, role in [("admin@example.org", "admin"), ("member@example.org", "member")]:
            user = accounts.create_user(session, email, PASSWORD)
            accounts.grant_role(session, None, user, role, "")
    url = str(engine.url.render_as_string(hide_password=False))
    app = create_app(Settings(data_dir=tmp_path, database_url=url, load_bundled=False))
    with TestClient(app) as test_client:
        yield test_client
    app.state.engine.dispose()


def _csrf(client: TestClient, path: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def _sign_in(client: TestClient, email: str) -> None:
    data = {"email": email, "password": PASSWORD, "csrf_token": _csrf(client, "/signin")}
    assert client.post("/signin", data=data, follow_redirects=False).status_code == 303


def test_review_page_needs_a_region_admin(client: TestClient) -> None:
    anonymous = client.get("/admin/review", follow_redirects=False)
    assert anonymous.status_code == 303
    assert anonymous.headers["location"].startswith("/signin")
    _sign_in(client, "member@example.org")
    assert client.get("/admin/review").status_code == 403


def test_review_page_lists_and_accepts(client: TestClient, engine: Engine) -> None:
    _sign_in(client, "admin@example.org")
    page = client.get("/admin/review")
    assert page.status_code == 200
    assert "Erasmus MC Cancer Institute" in page.text and "same city: rotterdam" in page.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None
    with transaction(engine) as session:
        pair = session.scalars(select(ReviewCandidate).filter_by(status="pending")).first()
        assert pair is not None
        pair_id, record_id = pair.id, pair.record_id
    assert client.post(f"/admin/review/{pair_id}/accept", follow_redirects=False).status_code == 403
    done = client.post(
        f"/admin/review/{pair_id}/accept",
        data={"csrf_token": token.group(1)},
        follow_redirects=False,
    )
    assert done.status_code == 303
    with transaction(engine) as session:
        assert session.get(ReviewCandidate, pair_id).status == "accepted"  # type: ignore[union-attr]
        assert (
            session.scalar(select(m.Identifier).filter_by(scheme="ror", value=record_id))
            is not None
        )
    again = client.post(f"/admin/review/{pair_id}/accept", data={"csrf_token": token.group(1)})
    assert again.status_code == 409
    assert "Review matches" in again.text and 'class="error" role="alert"' in again.text
