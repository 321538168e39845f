"""The region office's web admin over HTTP on both databases: every admin page and action is
refused to non-admins; an admin disables, grants and withdraws roles and qualifications, sets
affiliations, decides requests and reverts a profile edit, each one audited."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.engine import Engine

from tests.accounts.test_account_pages import _people, csrf, sign_in
from triplehelix.accounts import service
from triplehelix.accounts.models import AuditEntry
from triplehelix.accounts.service import affiliation
from triplehelix.db import transaction
from triplehelix.directory.models import Organisation


def _ids(engine: Engine) -> dict[str, int]:
    with transaction(engine) as session:
        return {u.email[0]: u.id for u in service.list_users(session)}


ADMIN_GETS = ["/admin/users", "/admin/users/{m}", "/admin/audit"]
ADMIN_POSTS = ["/admin/users/{m}/disable", "/admin/users/{m}/grant", "/admin/users/{m}/qualify",
               "/admin/users/{m}/affiliate", "/admin/audit/1/revert"]  # fmt: skip


@pytest.mark.parametrize("who", ["m@example.org", "e@example.org", "f@example.org"])
def test_admin_pages_refuse_everyone_else(engine: Engine, client: TestClient, who: str) -> None:
    _people(engine)
    ids = _ids(engine)
    assert client.get("/admin/users", follow_redirects=False).status_code == 303  # anonymous
    sign_in(client, who)
    token = csrf(client, "/account")
    for path in ADMIN_GETS:
        assert client.get(path.format(m=ids["m"])).status_code == 403, path
    for path in ADMIN_POSTS:
        data = {"csrf_token": token, "role": "admin", "name": "x", "organisation": "acme"}
        assert client.post(path.format(m=ids["m"]), data=data).status_code == 403, path
    with transaction(engine) as session:
        assert service.get_user(session, "m@example.org").disabled_at is None
        assert service.get_user(session, "m@example.org").roles == []
    queue = client.get("/admin/affiliations").status_code
    assert queue == (200 if who.startswith("e") else 403)  # editors see their organisation's


def test_admin_runs_users_in_the_browser(engine: Engine, client: TestClient) -> None:
    _people(engine)
    m = _ids(engine)["m"]
    sign_in(client, "a@example.org")
    token = csrf(client, "/admin/users")
    assert "m@example.org" in client.get("/admin/users", params={"q": "m@"}).text

    def post(action: str, **data: str) -> int:
        reply = client.post(f"/admin/users/{m}/{action}", data={"csrf_token": token, **data})
        return reply.status_code

    assert post("grant", role="editor", scope="acme") == 200
    assert post("grant", role="editor", scope="nowhere") == 422
    assert post("revoke", role="editor", scope="acme") == 200
    assert post("qualify", name="iso7", expires="2999-01-01") == 200
    assert post("qualify", name="iso7", expires="someday") == 422
    assert "until 1 Jan 2999" in client.get(f"/admin/users/{m}").text
    assert post("withdraw", name="iso7") == 200
    assert post("affiliate", organisation="acme") == 200
    assert post("disable") == 200
    with transaction(engine) as session:
        person = service.get_user(session, "m@example.org")
        assert person.disabled_at is not None and person.roles == [] and not person.qualifications
        assert person.organisation_id == "acme" and person.affiliation_via == "admin"
        actions = list(session.scalars(select(AuditEntry.action).where(
            AuditEntry.entity == "user", AuditEntry.entity_id == str(m))))  # fmt: skip
    assert {"grant", "revoke", "qualify", "withdraw", "affiliate", "disable"} <= set(actions)
    assert sign_in(client, "m@example.org") == 401


def test_editor_decides_requests_and_admin_reverts_an_edit(
    engine: Engine, client: TestClient
) -> None:
    _people(engine)
    with transaction(engine) as session:
        request_id = affiliation.request_affiliation(
            session, service.get_user(session, "m@example.org"), "acme"
        ).id
    sign_in(client, "e@example.org")
    token = csrf(client, "/admin/affiliations")
    assert "m@example.org" in client.get("/admin/affiliations").text
    client.post(f"/admin/affiliations/{request_id}/approve", data={"csrf_token": token})
    client.post("/account/organisations/acme", data={"summary": "Vandalised", "website": "",
                "services": "", "csrf_token": token})  # fmt: skip
    client.cookies.clear()
    sign_in(client, "a@example.org")
    with transaction(engine) as session:
        assert service.get_user(session, "m@example.org").organisation_id == "acme"
        edit = session.scalars(select(AuditEntry.id).where(AuditEntry.action == "edit")).one()
    reverted = client.post(
        f"/admin/audit/{edit}/revert", data={"csrf_token": csrf(client, "/admin/audit")}
    )
    assert reverted.status_code == 200
    with transaction(engine) as session:
        org = session.get(Organisation, "acme")
        assert org is not None and org.summary == ""
    assert client.post("/admin/audit/99999/revert", data={"csrf_token": token}).status_code in (
        403,
        404,
    )
