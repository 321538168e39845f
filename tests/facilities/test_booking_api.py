"""The bookings API over HTTP (TestClient) on both databases: 201/409/403/422/401, availability,
and the iCalendar feed parsed back with the icalendar library."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from icalendar import Calendar
from sqlalchemy.engine import Engine

from tests.facilities.factories import make_facility, make_resource, make_user, slot
from triplehelix.accounts.service import create_token
from triplehelix.db import transaction


def _setup(engine: Engine) -> tuple[int, int, str, str]:
    with transaction(engine) as session:
        make_facility(session)
        open_resource = make_resource(session, name="Bay 1")
        members_only = make_resource(
            session, name="Bay 2", access="organisations", access_organisations=["acme"]
        )
        alice = create_token(session, make_user(session, "alice@example.org"))
        bob = create_token(session, make_user(session, "bob@example.org"))
        return open_resource.id, members_only.id, alice, bob


def test_book_conflict_refusal_and_bad_input(engine: Engine, client: TestClient) -> None:
    open_id, members_id, alice, bob = _setup(engine)
    start, end = slot()
    body = {
        "resource_id": open_id,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "note": "run 1",
    }
    auth = {"Authorization": f"Bearer {alice}"}
    made = client.post("/api/bookings", json=body, headers=auth)
    assert made.status_code == 201 and made.json()["status"] == "confirmed"
    clash = client.post("/api/bookings", json=body, headers={"Authorization": f"Bearer {bob}"})
    assert clash.status_code == 409 and "already booked from" in clash.json()["detail"]
    refused = client.post("/api/bookings", json={**body, "resource_id": members_id}, headers=auth)
    assert refused.status_code == 403 and "only members of acme" in refused.json()["detail"]
    backwards = client.post(
        "/api/bookings",
        json={**body, "end": start.isoformat(), "start": end.isoformat()},
        headers=auth,
    )
    assert backwards.status_code == 422 and backwards.json()["problems"] == [
        "end: must be after start"
    ]
    garbage = client.post("/api/bookings", json={**body, "start": "tomorrow"}, headers=auth)
    assert garbage.status_code == 422
    assert client.post("/api/bookings", json=body).status_code == 401
    assert (
        client.post(
            "/api/bookings", json=body, headers={"Authorization": "Bearer th_nope"}
        ).status_code
        == 401
    )
    # bob may not cancel alice's booking; alice may
    booking_id = made.json()["id"]
    assert (
        client.post(
            f"/api/bookings/{booking_id}/cancel", headers={"Authorization": f"Bearer {bob}"}
        ).status_code
        == 403
    )
    assert (
        client.post(f"/api/bookings/{booking_id}/cancel", headers=auth).json()["status"]
        == "cancelled"
    )


def test_availability_and_calendar(engine: Engine, client: TestClient) -> None:
    open_id, _, alice, _ = _setup(engine)
    start, end = slot()
    client.post(
        "/api/bookings",
        json={"resource_id": open_id, "start": start.isoformat(), "end": end.isoformat()},
        headers={"Authorization": f"Bearer {alice}"},
    )
    window = {
        "from": (start - timedelta(hours=2)).isoformat(),
        "to": (end + timedelta(hours=2)).isoformat(),
    }
    got = client.get("/api/facilities/acme-cleanroom/availability", params=window)
    assert got.status_code == 200
    bay = next(r for r in got.json()["resources"] if r["id"] == open_id)
    assert [(s["status"]) for s in bay["busy"]] == ["confirmed"]
    assert len(bay["free"]) == 2  # before and after the booking
    assert client.get("/api/facilities/nowhere/availability", params=window).status_code == 404
    backwards = {"from": window["to"], "to": window["from"]}
    assert (
        client.get("/api/facilities/acme-cleanroom/availability", params=backwards).status_code
        == 422
    )

    ics = client.get(f"/api/resources/{open_id}/calendar.ics")
    assert ics.headers["content-type"].startswith("text/calendar")
    events = Calendar.from_ical(ics.content).walk("VEVENT")
    assert len(events) == 1
    assert events[0].decoded("dtstart") == start and events[0].decoded("dtend") == end
    assert str(events[0]["status"]) == "CONFIRMED" and "alice" not in ics.text  # people-free


def test_series_and_waiting_list_over_the_api(engine: Engine, client: TestClient) -> None:
    open_id, _, alice, bob = _setup(engine)
    start, end = slot()
    body = {"resource_id": open_id, "start": start.isoformat(), "end": end.isoformat(),
            "project_code": "P-1", "repeat_until": (start + timedelta(weeks=2)).date().isoformat()}  # fmt: skip
    made = client.post(
        "/api/bookings/series", json=body, headers={"Authorization": f"Bearer {alice}"}
    )
    assert made.status_code == 201 and len(made.json()) == 3
    assert {b["series_id"] for b in made.json()} == {made.json()[0]["id"]}
    assert {b["project_code"] for b in made.json()} == {"P-1"}
    again = client.post(
        "/api/bookings/series", json=body, headers={"Authorization": f"Bearer {bob}"}
    )
    assert again.status_code == 409 and "nothing was booked" in again.json()["detail"]
    wait = {"resource_id": open_id, "start": start.isoformat(), "end": end.isoformat()}
    queued = client.post("/api/waitlist", json=wait, headers={"Authorization": f"Bearer {bob}"})
    assert queued.status_code == 201 and queued.json()["status"] == "waiting"
    free = {**wait, "start": (start - timedelta(hours=3)).isoformat(),
            "end": (end - timedelta(hours=3)).isoformat()}  # fmt: skip
    refused = client.post("/api/waitlist", json=free, headers={"Authorization": f"Bearer {bob}"})
    assert refused.status_code == 409 and "book it" in refused.json()["detail"]
