"""Single sign-on against a real OpenID provider (Node's oidc-provider, started by the tests) on
both databases: the first sign-in creates the account with the affiliation the claim names, a
later one links to the same account, an existing account is linked by its verified e-mail, a
claim naming no organisation leaves the person unaffiliated, and a forged state is refused."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from tests.accounts.oidc_provider import CLIENT_ID, CLIENT_SECRET, log_in_at_provider, oidc_issuer
from tests.facilities.factories import make_user
from triplehelix.accounts import service
from triplehelix.accounts.models import UserIdentity
from triplehelix.app import create_app
from triplehelix.config import Settings
from triplehelix.db import transaction
from triplehelix.directory.models import Organisation

__all__ = ["oidc_issuer"]  # the fixture


@pytest.fixture
def sso_client(engine: Engine, tmp_path: Path, oidc_issuer: str) -> Iterator[TestClient]:
    url = engine.url.render_as_string(hide_password=False)
    settings = Settings(data_dir=tmp_path, database_url=url, load_bundled=False,
                        base_url="http://testserver", oidc_issuer=oidc_issuer,
                        oidc_client_id=CLIENT_ID, oidc_client_secret=CLIENT_SECRET,
                        oidc_organisation_claim="organisation",
                        oidc_scopes="openid email profile organisation")  # fmt: skip
    app = create_app(settings)
    with TestClient(app) as client:
        yield client
    app.state.engine.dispose()


def _sso(client: TestClient, login: str) -> int:
    start = client.get("/signin/sso", follow_redirects=False)
    assert start.status_code == 303, start.text
    back = log_in_at_provider(start.headers["location"], login)
    return client.get(back.removeprefix("http://testserver"), follow_redirects=False).status_code


def test_sso_creates_and_links_with_the_claimed_organisation(
    engine: Engine, sso_client: TestClient
) -> None:
    with transaction(engine) as session:
        session.add(Organisation(id="acme", name="Acme", kind="company"))
    assert "Sign in with your institution" in sso_client.get("/signin").text
    assert _sso(sso_client, "ann") == 303
    assert "ann@acme.example" in sso_client.get("/account").text
    sso_client.cookies.clear()
    assert _sso(sso_client, "ann") == 303
    with transaction(engine) as session:
        user = service.get_user(session, "ann@acme.example")
        assert (user.organisation_id, user.affiliation_via) == ("acme", "sso")
        assert session.scalar(select(func.count()).select_from(UserIdentity)) == 1


def test_sso_links_an_existing_account_and_ignores_unknown_organisations(
    engine: Engine, sso_client: TestClient
) -> None:
    with transaction(engine) as session:
        make_user(session, "sam@elsewhere.example")
    assert _sso(sso_client, "sam") == 303
    with transaction(engine) as session:
        user = service.get_user(session, "sam@elsewhere.example")
        assert user.organisation_id is None and user.email_verified_at is not None
        assert session.scalars(select(UserIdentity.user_id)).one() == user.id


def test_forged_state_is_refused(engine: Engine, sso_client: TestClient) -> None:
    start = sso_client.get("/signin/sso", follow_redirects=False)
    back = log_in_at_provider(start.headers["location"], "ann")
    forged = back.replace("state=", "state=x")
    reply = sso_client.get(forged.removeprefix("http://testserver"))
    assert reply.status_code == 403 and "not started here" in reply.text
