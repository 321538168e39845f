"""Revocation on both databases: revoked and expired tokens fail, disabled accounts lose sign-in,
sessions, tokens and calendar; expired or withdrawn qualifications no longer admit; a rotated
calendar link stops the old one; every change is in the audit log; the CLI does the same."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from tests.accounts.test_account_pages import csrf, sign_in
from tests.facilities.factories import PASSWORD, make_facility, make_resource, make_user, slot
from triplehelix.accounts import service
from triplehelix.accounts.models import ApiToken, AuditEntry, User
from triplehelix.accounts.service import access
from triplehelix.db import transaction, utcnow
from triplehelix.errors import PermissionDeniedError
from triplehelix.facilities.service import booking


def _token_user(engine: Engine) -> str:
    with transaction(engine) as session:
        return service.create_token(session, make_user(session, "t@example.org"), "lab")


def test_revoked_and_expired_tokens_fail(engine: Engine, client: TestClient) -> None:
    token = _token_user(engine)
    auth = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/bookings", headers=auth).status_code == 200
    with transaction(engine) as session:
        row = session.scalars(select(ApiToken)).one()
        assert row.last_used_at is not None and row.expires_at is not None
        row.expires_at = utcnow() - timedelta(seconds=1)
    assert client.get("/api/bookings", headers=auth).status_code == 401
    with transaction(engine) as session:
        row = session.scalars(select(ApiToken)).one()
        row.expires_at = utcnow() + timedelta(days=1)
        owner = session.get(User, row.user_id)
        assert owner is not None
        service.revoke_token(session, owner, row.id, owner)
    assert client.get("/api/bookings", headers=auth).status_code == 401


def test_tokens_revoked_in_the_browser(engine: Engine, client: TestClient) -> None:
    with transaction(engine) as session:
        make_user(session, "t@example.org")
    sign_in(client, "t@example.org")
    made = client.post("/account/tokens", data={"name": "x", "days": "7",
                                                "csrf_token": csrf(client, "/account")})  # fmt: skip
    token = made.text.split('id="new-token">', 1)[1].split("<", 1)[0]
    bad = client.post("/account/tokens", data={"name": "y", "days": "999",
                                               "csrf_token": csrf(client, "/account")})  # fmt: skip
    assert bad.status_code == 422 and "between 1 and 366 days" in bad.text
    with transaction(engine) as session:
        token_id = session.scalars(select(ApiToken.id)).one()
    client.post(f"/account/tokens/{token_id}/revoke", data={"csrf_token": csrf(client, "/account")})
    assert "revoked" in client.get("/account").text
    assert (
        client.get("/api/bookings", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    )


def test_disabled_account_loses_everything(engine: Engine, client: TestClient) -> None:
    token = _token_user(engine)
    assert sign_in(client, "t@example.org") == 303
    with transaction(engine) as session:
        user = service.get_user(session, "t@example.org")
        access.set_disabled(session, None, user, True)
    assert client.get("/account", follow_redirects=False).status_code == 303  # session ended
    assert (
        client.get("/api/bookings", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    )
    refused = client.post("/signin", data={"email": "t@example.org", "password": PASSWORD,
                                           "csrf_token": csrf(client, "/signin")})  # fmt: skip
    assert refused.status_code == 401 and "disabled" in refused.text
    with transaction(engine) as session:
        access.set_disabled(session, None, service.get_user(session, "t@example.org"), False)
    assert sign_in(client, "t@example.org") == 303


def test_calendar_link_rotates(engine: Engine, client: TestClient) -> None:
    with transaction(engine) as session:
        make_user(session, "t@example.org")
    sign_in(client, "t@example.org")
    old = client.get("/account").text.split("/api/calendar/", 1)[1].split(".ics", 1)[0]
    assert client.get(f"/api/calendar/{old}.ics").status_code == 200
    client.post("/account/calendar/rotate", data={"csrf_token": csrf(client, "/account")})
    new = client.get("/account").text.split("/api/calendar/", 1)[1].split(".ics", 1)[0]
    assert new != old
    assert client.get(f"/api/calendar/{old}.ics").status_code == 404
    assert client.get(f"/api/calendar/{new}.ics").status_code == 200


def test_expired_and_withdrawn_qualifications(session: Session) -> None:
    make_facility(session)
    resource = make_resource(session, access="qualification", qualification="iso7")
    user = make_user(session, "q@example.org")
    service.grant_qualification(session, None, user, "iso7", utcnow() + timedelta(days=30))
    start, end = slot()
    booking.request_booking(session, user, resource.id, start, end)
    user.qualifications[0].expires_at = utcnow() - timedelta(minutes=1)  # time passes
    with pytest.raises(PermissionDeniedError, match="iso7"):
        booking.request_booking(session, user, resource.id, *slot(72))
    service.grant_qualification(session, None, user, "iso7")  # renewed without expiry
    booking.request_booking(session, user, resource.id, *slot(96))
    access.withdraw_qualification(session, None, user, "iso7")
    with pytest.raises(PermissionDeniedError):
        booking.request_booking(session, user, resource.id, *slot(120))
    actions = session.scalars(select(AuditEntry.action).where(AuditEntry.entity == "user"))
    assert {"qualify", "withdraw"} <= set(actions)


def test_roles_withdrawn(session: Session) -> None:
    make_facility(session)
    user = make_user(session, "m@example.org", "manager", "acme-cleanroom")
    access.revoke_role(session, None, user, "manager", "acme-cleanroom")
    assert user.roles == []
    with pytest.raises(Exception, match="does not hold"):
        access.revoke_role(session, None, user, "manager", "acme-cleanroom")


def _run(engine: Engine, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "TRIPLEHELIX_DATABASE_URL": engine.url.render_as_string(hide_password=False),
    }
    return subprocess.run([sys.executable, "-m", "triplehelix", *args], input=stdin, env=env,
                          capture_output=True, text=True, timeout=120)  # fmt: skip


def test_cli_revokes(engine: Engine) -> None:
    with transaction(engine) as session:
        make_facility(session)
        make_user(session, "c@example.org", "editor", "acme")
    token = _run(engine, "tokens", "create", "c@example.org", "--days", "3").stdout.strip()
    listed = _run(engine, "tokens", "list", "c@example.org").stdout
    token_id = listed.split("\t", 1)[0]
    assert "active" in listed and token.startswith("th_")
    assert _run(engine, "tokens", "revoke", "c@example.org", token_id).returncode == 0
    assert "revoked" in _run(engine, "tokens", "list", "c@example.org").stdout
    assert (
        _run(
            engine, "users", "revoke", "c@example.org", "--role", "editor", "--for", "acme"
        ).returncode
        == 0
    )
    bad = _run(engine, "users", "qualify", "c@example.org", "iso7", "--expires", "soon")
    assert bad.returncode == 2 and "expires" in bad.stderr
    assert (
        _run(
            engine, "users", "qualify", "c@example.org", "iso7", "--expires", "2999-01-01"
        ).returncode
        == 0
    )
    assert _run(engine, "users", "withdraw", "c@example.org", "iso7").returncode == 0
    assert _run(engine, "users", "disable", "c@example.org").returncode == 0
    assert _run(engine, "users", "rotate-calendar", "c@example.org").returncode == 0
    with transaction(engine) as session:
        user = service.get_user(session, "c@example.org")
        assert user.disabled_at is not None and user.roles == [] and user.calendar_version == 1
