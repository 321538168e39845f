"""The admin page of the outbox over HTTP: only a region admin sees it; it lists what was written."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from tests.accounts.test_account_pages import PASSWORD, sign_in
from triplehelix.accounts import service
from triplehelix.db import transaction
from triplehelix.mail import Mail, outbox, send_mail


def test_admin_reads_the_outbox_others_are_refused(engine: Engine, client: TestClient) -> None:
    with transaction(engine) as session:
        admin = service.create_user(session, "a@example.org", PASSWORD)
        service.grant_role(session, None, admin, "admin", "")
        service.create_user(session, "m@example.org", PASSWORD)
    settings = client.app.state.settings  # type: ignore[attr-defined]
    send_mail(settings, Mail(to=("x@example.org",), subject="Introduction <b>", body="Dear X"))
    [entry] = outbox(settings)

    assert sign_in(client, "m@example.org") == 303
    assert client.get("/admin/outbox").status_code == 403
    client.cookies.clear()
    assert sign_in(client, "a@example.org") == 303
    listing = client.get("/admin/outbox")
    assert listing.status_code == 200
    assert "Introduction &lt;b&gt;" in listing.text and "x@example.org" in listing.text
    shown = client.get(f"/admin/outbox/{entry.name}")
    assert shown.status_code == 200 and "Dear X" in shown.text
    assert client.get("/admin/outbox/..%2Fsecret_key").status_code == 404
