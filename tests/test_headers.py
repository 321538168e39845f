"""Security headers and redirects over HTTP: CSP without inline script on every page, no framing,
nosniff, a referrer policy; the CSRF cookie's signature is checked; JSON-LD takes the site's
address from Settings, never from the Host header; `back=` cannot leave the site."""

from __future__ import annotations

import re
from importlib import resources

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from tests.accounts.test_account_pages import csrf, sign_in
from tests.facilities.factories import make_facility, make_resource, make_user, slot
from triplehelix.db import transaction
from triplehelix.facilities.service import booking


def test_every_response_carries_the_headers(leiden_client: TestClient) -> None:
    for path in ("/", "/organisations", "/signin", "/api/organisations", "/static/style.css"):
        headers = leiden_client.get(path).headers
        csp = headers["content-security-policy"]
        assert "script-src 'self';" in csp and "frame-ancestors 'none'" in csp, path
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "DENY"
        assert headers["referrer-policy"] == "strict-origin-when-cross-origin"


def test_no_template_has_inline_script() -> None:
    root = resources.files("triplehelix").joinpath("templates")
    for path in root.rglob("*.html"):  # type: ignore[attr-defined]
        text = path.read_text("utf-8")
        for tag in re.findall(r"<script\b[^>]*>", text):
            assert "src=" in tag or "application/ld+json" in tag, f"{path}: {tag}"
        assert not re.search(r"\son[a-z]+\s*=", text), f"{path}: inline event handler"


def test_jsonld_uses_the_configured_address(leiden_client: TestClient) -> None:
    org = leiden_client.get("/api/organisations", params={"limit": 1}).json()["items"][0]["id"]
    page = leiden_client.get(f"/organisations/{org}", headers={"host": "evil.example"}).text
    assert "evil.example" not in page
    assert f"http://127.0.0.1:8000/organisations/{org}" in page


def test_unsigned_csrf_cookie_is_refused(engine: Engine, client: TestClient) -> None:
    client.cookies.set("th_csrf", "forged-value")
    refused = client.post("/signin", data={"email": "a@example.org", "password": "x",
                                           "csrf_token": "forged-value"})  # fmt: skip
    assert refused.status_code == 403 and "reload the page" in refused.text


def test_cancel_back_stays_on_the_site(engine: Engine, client: TestClient) -> None:
    with transaction(engine) as session:
        make_facility(session)
        resource = make_resource(session)
        user = make_user(session, "b@example.org")
        booking_id = booking.request_booking(session, user, resource.id, *slot()).id
    sign_in(client, "b@example.org")
    reply = client.post(f"/bookings/{booking_id}/cancel", follow_redirects=False,
                        data={"back": "//evil.example", "csrf_token": csrf(client, "/bookings")})  # fmt: skip
    assert reply.status_code == 303 and reply.headers["location"] == "/bookings"
