"""Facility pages over HTTP: the catalogue with its filters and "what is free", booking through
the form, the week view, utilisation as table, SVG chart and CSV."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from tests.facilities.factories import PASSWORD, make_facility, make_resource, make_user, slot
from triplehelix.db import transaction
from triplehelix.facilities import pages as facility_pages
from triplehelix.facilities.models import Resource
from triplehelix.facilities.service.booking import request_booking
from triplehelix.facilities.service.utilisation import Row, period_of, utilisation


def sign_in(client: TestClient, email: str) -> None:
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/signin").text)
    assert token
    client.post(
        "/signin", data={"email": email, "password": PASSWORD, "csrf_token": token.group(1)}
    )


def test_catalogue_filters_and_what_is_free(engine: Engine, client: TestClient) -> None:
    start, end = slot()
    with transaction(engine) as session:
        make_facility(session)
        make_facility(session, "beta-nmr", owner="beta")
        bay = make_resource(session, name="Bay 1", description="laminar flow hood")
        make_resource(session, "beta-nmr", name="600 MHz NMR")
        request_booking(session, make_user(session, "a@example.org"), bay.id, start, end)
    assert "Bay 1" in client.get("/infrastructure").text
    assert "600 MHz NMR" not in client.get("/infrastructure", params={"q": "laminar"}).text
    assert "Bay 1" not in client.get("/infrastructure", params={"owner": "beta"}).text
    local = ZoneInfo("Europe/Amsterdam")
    window = {
        "free_from": start.astimezone(local).strftime("%Y-%m-%dT%H:%M"),
        "free_to": end.astimezone(local).strftime("%Y-%m-%dT%H:%M"),
    }
    free = client.get("/infrastructure", params=window).text
    assert "600 MHz NMR" in free and "Bay 1" not in free
    later = {
        "free_from": (start + timedelta(hours=3)).astimezone(local).strftime("%Y-%m-%dT%H:%M"),
        "free_to": (end + timedelta(hours=3)).astimezone(local).strftime("%Y-%m-%dT%H:%M"),
    }
    assert "Bay 1" in client.get("/infrastructure", params=later).text


def test_catalogue_pages_past_its_page_size(
    engine: Engine, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(facility_pages, "CATALOGUE_PAGE_SIZE", 2)
    with transaction(engine) as session:
        for name in ("alpha", "bravo", "charlie", "delta", "echo"):
            make_facility(session, f"{name}-lab")
    cards = re.compile(r'<h2><a href="/facilities/([\w-]+)">')
    first, last = client.get("/infrastructure"), client.get("/infrastructure?page=3")
    assert cards.findall(first.text) == ["alpha-lab", "bravo-lab"]
    assert cards.findall(last.text) == ["echo-lab"]
    assert "Page 1 of 3" in first.text and 'rel="next"' in first.text
    assert "Page 3 of 3" in last.text and 'rel="next"' not in last.text
    assert client.get("/infrastructure?page=0").status_code == 422


def test_book_through_the_form_and_see_the_week(engine: Engine, client: TestClient) -> None:
    with transaction(engine) as session:
        make_facility(session)
        resource_id = make_resource(session).id
        make_user(session, "a@example.org", organisation_id="acme")
    sign_in(client, "a@example.org")
    page = client.get(f"/resources/{resource_id}").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token
    start, _ = slot()
    local = start.astimezone(ZoneInfo("Europe/Amsterdam"))
    form = {
        "start": local.strftime("%Y-%m-%dT%H:%M"),
        "end": (local + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "note": "first run",
        "csrf_token": token.group(1),
    }
    week = client.post(f"/resources/{resource_id}/book", data=form)
    assert week.status_code == 200 and week.text.count('<td class="cell confirmed"') == 2
    again = client.post(f"/resources/{resource_id}/book", data=form)
    assert again.status_code == 409 and "already booked" in again.text
    assert "first run" in client.get("/bookings").text
    with transaction(engine) as session:
        make_user(session, "boss@example.org", "admin")
    client.cookies.clear()
    sign_in(client, "boss@example.org")
    use = client.get("/utilisation", params={"per": "organisation"})
    assert "<svg" in use.text and "acme" in use.text
    csv = client.get("/utilisation.csv", params={"by": "week"})
    header = "period,resource,hours,open_hours,share_of_open_hours,cost_eur"
    assert csv.text.splitlines()[0] == header and ",2,168,0.0119,0.00" in csv.text


def test_utilisation_sums_by_period(engine: Engine) -> None:
    from datetime import UTC, datetime

    assert period_of(datetime(2026, 12, 31, tzinfo=UTC), "week") == "2026-W53"
    assert period_of(datetime(2026, 12, 31, tzinfo=UTC), "month") == "2026-12"
    with transaction(engine) as session:
        make_facility(session)
        resource = make_resource(session, max_minutes=600)
        alice = make_user(session, "a@example.org", organisation_id="acme")
        bob = make_user(session, "b@example.org")
        s1, e1 = slot(48, 90)
        request_booking(session, alice, resource.id, s1, e1)
        request_booking(session, bob, resource.id, e1, e1 + timedelta(hours=3))
        rows = utilisation(session, "month", "organisation")
    per_group: dict[str, float] = {}
    for row in rows:  # the two bookings may fall in two months; the totals do not
        per_group[row.group] = per_group.get(row.group, 0) + row.hours
    assert per_group == {"(none)": 3.0, "acme": 1.5}
    assert all(isinstance(r, Row) for r in rows)


def test_directory_facility_page_links_to_its_resources(engine: Engine, client: TestClient) -> None:
    with transaction(engine) as session:
        make_facility(session)
        make_facility(session, "beta-nmr", owner="beta")
        bay = make_resource(session, name="Bay 1")
    with_resources = client.get("/facilities/acme-cleanroom").text
    assert f'href="/resources/{bay.id}"' in with_resources
    assert "Book it" in with_resources
    assert "Book it" not in client.get("/facilities/beta-nmr").text


def test_manager_edits_rules_on_the_resource_page(engine: Engine, client: TestClient) -> None:
    with transaction(engine) as session:
        make_facility(session)
        resource_id = make_resource(session).id
        make_user(session, "f@example.org", "manager", "acme-cleanroom")
        make_user(session, "m@example.org")
    rules = {
        "name": "Bay 1", "description": "ISO 7 bay", "min_minutes": "60", "max_minutes": "240",
        "notice_minutes": "1440", "horizon_days": "30", "opens": "08:00", "closes": "18:00",
        "open_days": list("12345"), "approval_required": "true", "access": "any",
        "cancel_hours": "0",
    }  # fmt: skip
    sign_in(client, "m@example.org")
    page = client.get(f"/resources/{resource_id}").text
    assert "Save rules" not in page  # only managers see the rules form
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token
    refused = client.post(
        f"/resources/{resource_id}/rules", data={**rules, "csrf_token": token.group(1)}
    )
    assert refused.status_code == 403
    client.cookies.clear()
    sign_in(client, "f@example.org")
    page = client.get(f"/resources/{resource_id}").text
    assert "Save rules" in page
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token
    saved = client.post(
        f"/resources/{resource_id}/rules", data={**rules, "csrf_token": token.group(1)}
    )
    assert saved.status_code == 200 and 'value="ISO 7 bay"' in saved.text
    with transaction(engine) as session:
        resource = session.get(Resource, resource_id)
        assert resource is not None
        assert (resource.min_minutes, resource.approval_required, resource.opens) == (
            60,
            True,
            "08:00",
        )
    bad = client.post(
        f"/resources/{resource_id}/rules",
        data={**rules, "min_minutes": "300", "csrf_token": token.group(1)},
    )
    assert bad.status_code == 422 and 'value="300"' in bad.text  # the typed value is kept
    assert re.search(r'id="err-max_minutes"[^>]*>The longest booking must not be shorter', bad.text)
    assert "max_minutes:" not in bad.text  # human words beside the field, never the field id
    with transaction(engine) as session:
        assert session.get(Resource, resource_id).min_minutes == 60  # type: ignore[union-attr]


def test_form_answers_a_broken_rule_with_422_and_a_taken_slot_with_409(
    engine: Engine, client: TestClient
) -> None:
    with transaction(engine) as session:
        make_facility(session)
        resource_id = make_resource(session, horizon_days=7).id
        make_user(session, "a@example.org", organisation_id="acme")
    sign_in(client, "a@example.org")
    token = re.search(
        r'name="csrf_token" value="([^"]+)"', client.get(f"/resources/{resource_id}").text
    )
    assert token
    far = datetime.now(ZoneInfo("Europe/Amsterdam")) + timedelta(days=30)
    form = {
        "start": far.strftime("%Y-%m-%dT10:00"),
        "end": far.strftime("%Y-%m-%dT11:00"),
        "csrf_token": token.group(1),
    }
    too_far = client.post(f"/resources/{resource_id}/book", data=form)
    assert too_far.status_code == 422 and 'role="alert"' in too_far.text
    missing = client.post(f"/resources/{resource_id}/book", data={**form, "start": ""})
    assert missing.status_code == 422 and "Give a date and a time" in missing.text
