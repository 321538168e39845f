"""Every reproduction of issue 11 answers 4xx naming the field, on both databases: control
characters, huge numbers, dates outside the calendar window, over-long text; one error body."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from tests.facilities.factories import PASSWORD, make_facility, make_resource, make_user, slot
from triplehelix import fields
from triplehelix.accounts.service import create_token
from triplehelix.db import transaction
from triplehelix.edge import ErrorBody


def _setup(engine: Engine) -> tuple[int, dict[str, str]]:
    with transaction(engine) as session:
        make_facility(session)
        resource = make_resource(session, name="Bay 1")
        manager = make_user(session, "m@example.org", "manager", "acme-cleanroom")
        return resource.id, {"Authorization": f"Bearer {create_token(session, manager)}"}


def _field(response: object, *loc: str | int) -> None:
    body = response.json()  # type: ignore[attr-defined]
    assert response.status_code == 422, body  # type: ignore[attr-defined]
    assert ErrorBody.model_validate(body) and [*loc] in [e["loc"] for e in body["errors"]], body


def _page_names(response: object, name: str) -> None:
    assert response.status_code == 422  # type: ignore[attr-defined]
    text = response.text  # type: ignore[attr-defined]
    assert "<html" in text and f"{name}:" in text, text[:300]


GET_API = [
    ("/api/organisations?q=a%00b", ("query", "q")),
    ("/api/organisations?q=a%1Bb", ("query", "q")),
    ("/api/organisations?offset=10000000000000000000", ("query", "offset")),
    ("/api/facilities?q=%00", ("query", "q")),
    ("/api/events?year_from=99999999999999999999", ("query", "year_from")),
    ("/api/resources/10000000000000000000", ("path", "resource_id")),
    ("/api/match?q=need%00", ("query", "q")),
    ("/api/insights/growth?since=99999999999999999999", ("query", "since")),
]


@pytest.mark.parametrize(("url", "loc"), GET_API)
def test_api_reproductions_are_422_naming_the_field(
    client: TestClient, url: str, loc: tuple[str, str]
) -> None:
    _field(client.get(url), *loc)


def test_availability_and_bookings_outside_the_window(engine: Engine, client: TestClient) -> None:
    resource_id, auth = _setup(engine)
    url = "/api/facilities/acme-cleanroom/availability"
    far = {"from": "0001-01-01T00:00:00", "to": "0001-01-02T00:00:00"}
    _field(client.get(url, params=far), "query", "from")
    start, end = slot()
    body = {"resource_id": resource_id, "start": start.isoformat(), "end": end.isoformat()}
    for year in ("0001", "9999"):
        wrong = {**body, "start": f"{year}-01-01T09:00:00", "end": f"{year}-01-01T10:00:00"}
        _field(client.post("/api/bookings", json=wrong, headers=auth), "body", "start")
    _field(
        client.post("/api/bookings", json={**body, "note": "a\x00b"}, headers=auth), "body", "note"
    )
    long = "x" * (fields.NOTE_MAX + 1)
    _field(client.post("/api/bookings", json={**body, "note": long}, headers=auth), "body", "note")
    made = client.post("/api/bookings", json=body, headers=auth)
    assert made.status_code == 201
    decline = f"/api/bookings/{made.json()['id']}/decline"
    reason = {"reason": "y" * (fields.REASON_MAX + 1)}
    _field(client.post(decline, json=reason, headers=auth), "body", "reason")
    _field(client.post("/api/bookings/99999999999/cancel", headers=auth), "path", "booking_id")


def _sign_in(client: TestClient, email: str) -> str:
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/signin").text)
    assert token
    client.post("/signin", data={"email": email, "password": PASSWORD, "csrf_token": token[1]})
    return token[1]


def test_pages_answer_a_readable_422(engine: Engine, client: TestClient) -> None:
    resource_id, _ = _setup(engine)
    for week in ("garbage", "9999-12-31", "0001-01-01"):
        _page_names(client.get(f"/resources/{resource_id}?week={week}"), "week")
    _page_names(client.get("/organisations?page=1e20"), "page")
    _page_names(client.get("/organisations?page=100000000000000000000"), "page")
    _page_names(client.get("/organisations?q=%00"), "q")
    _page_names(client.get("/infrastructure?free_from=0001-01-01T00:00"), "free_from")
    _page_names(client.post("/signin", data={"email": "a\x00@example.org"}), "email")
    csrf = _sign_in(client, "m@example.org")
    start, end = slot()
    form = {"csrf_token": csrf, "start": start.strftime("%Y-%m-%dT%H:%M"),
            "end": end.strftime("%Y-%m-%dT%H:%M")}  # fmt: skip
    book = f"/resources/{resource_id}/book"
    _page_names(client.post(book, data={**form, "note": "n" * (fields.NOTE_MAX + 1)}), "note")
    for year in ("0001", "9999"):
        block = {**form, "start": f"{year}-01-04T09:00", "end": f"{year}-01-04T10:00"}
        _page_names(client.post(f"/resources/{resource_id}/block", data=block), "start")
    ok = client.post(book, data=form, follow_redirects=False)
    assert ok.status_code == 303  # the same form, in range, books


def test_one_error_body_for_domain_validation_and_auth_errors(client: TestClient) -> None:
    shapes = [
        client.get("/api/organisations/nope"),  # domain: 404
        client.get("/api/organisations?limit=0"),  # validation: 422
        client.get("/api/bookings"),  # dependency: 401
    ]
    assert [r.status_code for r in shapes] == [404, 422, 401]
    for response in shapes:
        body = ErrorBody.model_validate(response.json())
        assert body.detail and body.problems and body.errors


def test_oversized_body_is_413(client: TestClient) -> None:
    huge = {"reason": "z" * 1_100_000}
    assert client.post("/api/bookings/1/decline", json=huge).status_code == 413


def test_openapi_declares_security_and_refusals(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert schema["components"]["securitySchemes"]["bearerToken"]["scheme"] == "bearer"
    create = schema["paths"]["/api/bookings"]["post"]
    assert create["security"] == [{"bearerToken": []}]
    assert {"401", "403", "409", "422"} <= set(create["responses"])
    detail = schema["paths"]["/api/organisations/{organisation_id}"]["get"]["responses"]
    assert "404" in detail and "401" not in detail
    ref = detail["422"]["content"]["application/json"]["schema"]["$ref"]
    assert ref == "#/components/schemas/ErrorBody"


def test_profile_edits_keep_the_dataset_limits() -> None:
    from triplehelix.directory.service.profile import _length_problems

    services = ["s" * (fields.SERVICE_MAX + 1)] * (fields.SERVICES_MAX + 1)
    problems = _length_problems("x" * (fields.SUMMARY_MAX + 1), "https://a.example", services)
    assert [p.split(":")[0] for p in problems] == ["summary", "services", "services"]
    assert _length_problems("fine\nsummary", "", ["one", "two"]) == []
    assert "control characters" in _length_problems("a\x00", "", [])[0]


def test_readyz_waits_for_warming(engine: Engine, tmp_path: Path) -> None:
    from triplehelix.app import create_app
    from triplehelix.config import Settings

    url = engine.url.render_as_string(hide_password=False)
    app = create_app(Settings(tmp_path, url, load_bundled=False, warm=True))
    app.state.readiness.done.clear()
    with TestClient(app) as client:
        assert client.get("/healthz").status_code == 200
        assert app.state.readiness.done.wait(120)
        ready = client.get("/readyz")
        assert ready.status_code == 200 and ready.json() == {"status": "ready", "problems": []}
        app.state.readiness.done.clear()
        warming = client.get("/readyz")
        assert warming.status_code == 503 and warming.headers["Retry-After"] == "1"
    app.state.engine.dispose()
