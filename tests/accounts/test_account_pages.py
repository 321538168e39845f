"""Account pages over HTTP: sign up, sign in, sign out, CSRF on every form, rate limiting, and the
refusals each role meets on pages that are not theirs."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlalchemy.engine import Engine

from triplehelix.accounts import service
from triplehelix.db import transaction
from triplehelix.directory.models import Facility, Organisation

PASSWORD = "correct horse battery"


def csrf(client: TestClient, path: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def sign_in(client: TestClient, email: str, password: str = PASSWORD) -> int:
    token = csrf(client, "/signin")
    reply = client.post(
        "/signin",
        data={"email": email, "password": password, "csrf_token": token, "next": "/account"},
        follow_redirects=False,
    )
    return reply.status_code


def _people(engine: Engine) -> None:
    with transaction(engine) as session:
        session.add(Organisation(id="acme", name="Acme", kind="company"))
        session.add(Facility(id="acme-lab", name="Acme lab", owner_id="acme", kind="cleanroom"))
        session.flush()
        for email, role, scope in [
            ("m@example.org", "member", ""),
            ("e@example.org", "editor", "acme"),
            ("f@example.org", "manager", "acme-lab"),
            ("a@example.org", "admin", ""),
        ]:
            service.grant_role(
                session, None, service.create_user(session, email, PASSWORD), role, scope
            )


def test_sign_up_in_out(engine: Engine, client: TestClient) -> None:
    token = csrf(client, "/signup")
    made = client.post(
        "/signup",
        data={"email": "new@example.org", "password": PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )
    assert made.status_code == 200 and "Check your e-mail" in made.text
    assert client.get("/account", follow_redirects=False).status_code == 303  # not signed in
    token = csrf(client, "/signin")
    signed = client.post("/signin", data={"email": "new@example.org", "password": PASSWORD,
                                          "csrf_token": token}, follow_redirects=False)  # fmt: skip
    cookie = signed.headers["set-cookie"]
    assert "th_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert "new@example.org" in client.get("/account").text
    client.post("/signout", data={"csrf_token": csrf(client, "/account")})
    assert client.get("/account", follow_redirects=False).status_code == 303
    assert sign_in(client, "new@example.org") == 303
    assert sign_in(client, "new@example.org", "wrong password") == 401


def test_forms_need_the_csrf_token(engine: Engine, client: TestClient) -> None:
    _people(engine)
    client.get("/signin")
    forged = client.post(
        "/signin", data={"email": "m@example.org", "password": PASSWORD, "csrf_token": "forged"}
    )
    assert forged.status_code == 403 and "reload the page" in forged.text
    assert sign_in(client, "m@example.org") == 303
    assert client.post("/account/tokens", data={"name": "x"}).status_code == 403
    fresh = client.post(
        "/account/tokens", data={"name": "x", "csrf_token": csrf(client, "/account")}
    )
    assert re.search(r'id="new-token">th_', fresh.text)


def test_sign_in_rate_limit_page(engine: Engine, client: TestClient) -> None:
    _people(engine)
    for _ in range(service.PER_PAIR.free):
        assert sign_in(client, "m@example.org", "wrong password") == 401
    refused = client.post(
        "/signin",
        data={
            "email": "m@example.org",
            "password": PASSWORD,
            "csrf_token": csrf(client, "/signin"),
        },
    )
    assert refused.status_code == 429 and "try again in 2 seconds" in refused.text


def test_each_role_refused_elsewhere(engine: Engine, client: TestClient) -> None:
    _people(engine)
    assert client.get("/bookings/manage", follow_redirects=False).status_code == 303  # anonymous
    sign_in(client, "m@example.org")
    assert client.get("/bookings/manage").status_code == 403
    assert client.get("/account/organisations/acme").status_code == 403
    client.cookies.clear()
    sign_in(client, "e@example.org")
    assert client.get("/account/organisations/acme").status_code == 200
    assert client.get("/bookings/manage").status_code == 403
    token = csrf(client, "/account/organisations/acme")
    saved = client.post(
        "/account/organisations/acme",
        data={
            "summary": "Widgets",
            "website": "https://acme.example",
            "services": "fill-finish\nQC",
            "csrf_token": token,
        },
    )
    assert saved.status_code == 200 and "edited by the organisation" in saved.text
    client.cookies.clear()
    sign_in(client, "f@example.org")
    assert client.get("/bookings/manage").status_code == 200
    assert client.get("/account/organisations/acme").status_code == 403
    client.cookies.clear()
    sign_in(client, "a@example.org")
    assert client.get("/bookings/manage").status_code == 200
    assert client.get("/account/organisations/acme").status_code == 200


def test_audit_log_page_is_for_the_region_admin(engine: Engine, client: TestClient) -> None:
    _people(engine)
    sign_in(client, "e@example.org")
    token = csrf(client, "/account/organisations/acme")
    client.post(
        "/account/organisations/acme",
        data={"summary": "Widgets for labs", "website": "", "services": "", "csrf_token": token},
    )
    assert client.get("/admin/audit").status_code == 403  # an editor is not the region admin
    client.cookies.clear()
    sign_in(client, "a@example.org")
    page = client.get("/admin/audit", params={"entity": "organisation", "entity_id": "acme"})
    assert page.status_code == 200
    assert "e@example.org" in page.text
    assert "Widgets for labs" in page.text
    other = client.get("/admin/audit", params={"entity": "booking", "entity_id": "999"}).text
    assert "Nothing recorded for this filter" in other


def test_editing_an_unknown_organisation_is_not_found(engine: Engine, client: TestClient) -> None:
    _people(engine)
    sign_in(client, "a@example.org")  # the region admin may edit any organisation that exists
    assert client.get("/account/organisations/no-such-org").status_code == 404


def test_a_page_looks_up_the_signed_in_user_once(engine: Engine, client: TestClient) -> None:
    """The route's own dependency and base.html's "who is signed in" share one lookup; a page
    without that dependency looks the user up once for base.html."""
    _people(engine)
    assert sign_in(client, "m@example.org") == 303
    lookups: list[str] = []

    def note(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "user_sessions" in statement:
            lookups.append(statement)

    app_engine = client.app.state.engine  # type: ignore[attr-defined]
    event.listen(app_engine, "before_cursor_execute", note)
    try:
        for path in ("/account", "/organisations"):
            lookups.clear()
            reply = client.get(path)
            assert reply.status_code == 200 and "m@example.org" in reply.text
            assert len(lookups) == 1, (path, lookups)
    finally:
        event.remove(app_engine, "before_cursor_execute", note)
