"""The booking forms over HTTP: problems beside their fields with the typed values kept, flash
confirmations, publish/retire, maintenance warnings, approval conflicts, prices, member flows."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.engine import Engine

from tests.facilities.factories import make_facility, make_resource, make_user, slot
from tests.facilities.test_facility_pages import sign_in
from triplehelix.db import transaction
from triplehelix.facilities.models import Booking, Resource
from triplehelix.facilities.service.booking import request_booking

AMS = ZoneInfo("Europe/Amsterdam")
RULES = {"min_minutes": "30", "max_minutes": "480", "notice_minutes": "0", "horizon_days": "90",
         "cancel_hours": "0", "opens": "08:00", "closes": "18:00", "open_days": ["1", "2", "3"],
         "access": "any"}  # fmt: skip


def _token(client: TestClient, url: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get(url).text)
    assert found
    return found.group(1)


def _local(moment: datetime) -> str:
    return moment.astimezone(AMS).strftime("%Y-%m-%dT%H:%M")


def test_publish_with_errors_beside_fields_then_publish_and_retire(
    engine: Engine, client: TestClient
) -> None:
    with transaction(engine) as session:
        make_facility(session)
        make_user(session, "f@example.org", "manager", "acme-cleanroom")
    sign_in(client, "f@example.org")
    token = _token(client, "/facilities/acme-cleanroom/resources")
    bad = {**RULES, "name": "Bench 2", "horizon_days": "100000", "closes": "07:00",
           "csrf_token": token}  # fmt: skip
    page = client.post("/facilities/acme-cleanroom/resources", data=bad)
    assert page.status_code == 422
    assert re.search(r'id="err-horizon_days"[^>]*>The horizon must be 1 to 730 days', page.text)
    assert 'value="Bench 2"' in page.text and 'value="100000"' in page.text
    assert re.search(r'value="2" checked', page.text) and not re.search(
        r'value="5" checked', page.text
    )
    assert "horizon_days:" not in page.text
    with transaction(engine) as session:
        assert session.scalar(select(Resource)) is None
    made = client.post("/facilities/acme-cleanroom/resources",
                       data={**RULES, "name": "Bench 2", "csrf_token": token})  # fmt: skip
    assert made.status_code == 200 and "Published Bench 2" in made.text
    assert "Mon, Tue, Wed 08:00-18:00" in made.text
    with transaction(engine) as session:
        resource_id = session.scalars(select(Resource.id)).one()
    gone = client.post(f"/resources/{resource_id}/retire", data={"csrf_token": token})
    assert "Retired Bench 2" in gone.text
    assert f'href="/resources/{resource_id}"' not in client.get("/infrastructure").text


def test_a_published_resource_keeps_its_hours_in_the_facility_zone(
    engine: Engine, client: TestClient
) -> None:
    with transaction(engine) as session:
        make_facility(session)
        make_resource(session, timezone="Europe/Lisbon")
        make_user(session, "f@example.org", "manager", "acme-cleanroom")
    sign_in(client, "f@example.org")
    token = _token(client, "/facilities/acme-cleanroom/resources")
    made = client.post("/facilities/acme-cleanroom/resources",
                       data={**RULES, "name": "Bench 2", "csrf_token": token})  # fmt: skip
    assert made.status_code == 200 and "Published Bench 2" in made.text
    with transaction(engine) as session:
        zone = session.scalar(select(Resource.timezone).where(Resource.name == "Bench 2"))
    assert zone == "Europe/Lisbon"


def test_maintenance_warns_then_cancels_and_past_blocks_are_named(
    engine: Engine, client: TestClient
) -> None:
    start, end = slot(48, 60)
    with transaction(engine) as session:
        make_facility(session)
        resource_id = make_resource(session).id
        alice = make_user(session, "alice@example.org")
        make_user(session, "f@example.org", "manager", "acme-cleanroom")
        booked = request_booking(session, alice, resource_id, start, end, "cell culture").id
    sign_in(client, "f@example.org")
    token = _token(client, f"/resources/{resource_id}")
    form = {"start": _local(start - timedelta(hours=1)), "end": _local(end),
            "reason": "filter change", "csrf_token": token}  # fmt: skip
    warn = client.post(f"/resources/{resource_id}/block", data=form)
    assert warn.status_code == 409 and "This block would cancel 1 booking" in warn.text
    assert "alice@example.org" in warn.text and "Block and cancel 1 booking" in warn.text
    with transaction(engine) as session:
        assert session.get(Booking, booked).status == "confirmed"  # type: ignore[union-attr]
    done = client.post(f"/resources/{resource_id}/block", data={**form, "confirm": "true"})
    assert "Blocked Bay 1 for maintenance" in done.text
    with transaction(engine) as session:
        assert session.get(Booking, booked).reason == "cancelled for maintenance: filter change"  # type: ignore[union-attr]
    past = {
        **form,
        "start": _local(start - timedelta(days=9)),
        "end": _local(end - timedelta(days=9)),
    }
    refused = client.post(f"/resources/{resource_id}/block", data=past)
    assert refused.status_code == 422
    assert re.search(r'id="err-start"[^>]*>This block lies in the past', refused.text)
    backwards = {
        **form,
        "start": _local(end + timedelta(days=2)),
        "end": _local(start + timedelta(days=2)),
    }
    answer = client.post(f"/resources/{resource_id}/block", data=backwards)
    assert answer.status_code == 422 and 'id="err-end"' in answer.text
    assert f'value="{backwards["start"]}"' in answer.text  # values kept


def test_approving_a_taken_slot_explains_and_offers_the_next_free(
    engine: Engine, client: TestClient
) -> None:
    start, end = slot(48, 60)
    with transaction(engine) as session:
        make_facility(session)
        resource_id = make_resource(session, approval_required=True).id
        alice = make_user(session, "alice@example.org")
        boss = make_user(session, "f@example.org", "manager", "acme-cleanroom")
        asked = request_booking(session, alice, resource_id, start, end).id
        request_booking(session, boss, resource_id, start, end)  # managers' own are confirmed
    sign_in(client, "f@example.org")
    desk = client.get("/bookings/manage").text
    assert '<th scope="col">Who</th>' in desk and "Acme cleanroom" in desk
    token = _token(client, "/bookings/manage")
    clash = client.post(f"/bookings/{asked}/approve", data={"csrf_token": token})
    assert clash.status_code == 409 and "already booked" in clash.text
    assert "Approve for the next free slot" in clash.text
    moved = re.search(
        r'name="start" value="([^"]+)"><input type="hidden" name="end" value="([^"]+)"', clash.text
    )
    assert moved
    ok = client.post(f"/bookings/{asked}/approve",
                     data={"csrf_token": token, "start": moved.group(1), "end": moved.group(2)})  # fmt: skip
    assert "Approved (moved)" in ok.text
    with transaction(engine) as session:
        row = session.get(Booking, asked)
        assert row is not None and (row.status, row.start_at) == ("confirmed", end)


def test_member_books_with_flash_cost_and_project_then_confirms_cancel(
    engine: Engine, client: TestClient
) -> None:
    start, end = slot(48, 60)
    with transaction(engine) as session:
        make_facility(session)
        resource_id = make_resource(session).id
        make_user(session, "f@example.org", "manager", "acme-cleanroom")
        make_user(session, "alice@example.org", organisation_id="acme")
    sign_in(client, "f@example.org")
    token = _token(client, "/facilities/acme-cleanroom/resources")
    client.post("/facilities/acme-cleanroom/tiers",
                data={"tier_name": "own", "applies_to": ["own"], "csrf_token": token})  # fmt: skip
    page = client.get(f"/resources/{resource_id}").text
    tier = re.search(r'name="rate-(\d+)"', page)
    assert tier
    saved = client.post(f"/resources/{resource_id}/rates",
                        data={f"rate-{tier.group(1)}": "40", "csrf_token": token})  # fmt: skip
    assert "Saved the rates of Bay 1" in saved.text
    client.cookies.clear()
    sign_in(client, "alice@example.org")
    account = client.get("/account").text
    assert "Manage bookings" not in account  # members are not offered the desk
    week = client.get(f"/resources/{resource_id}?week={start.date().isoformat()}").text
    assert f"start={_local(start)}" in week  # a free cell links to a prefilled form
    prefilled = client.get(
        f"/resources/{resource_id}", params={"start": _local(start), "end": _local(end)}
    )
    assert (
        f'value="{_local(start)}"' in prefilled.text and "€40.00 per hour (own)" in prefilled.text
    )
    token = _token(client, f"/resources/{resource_id}")
    form = {
        "start": _local(start),
        "end": _local(end),
        "project_code": "GRANT-12",
        "csrf_token": token,
    }
    booked = client.post(f"/resources/{resource_id}/book", data=form)
    assert "Booked: Bay 1" in booked.text and "cost €40.00" in booked.text
    mine = client.get("/bookings").text
    assert "GRANT-12" in mine and "€40.00" in mine and "UTC" not in mine
    assert start.astimezone(AMS).strftime("%H:%M") in mine  # shown in the resource's zone
    with transaction(engine) as session:
        booking_id = session.scalars(select(Booking.id)).one()
    ask = client.get(f"/bookings/{booking_id}/cancel")
    assert "Cancel this booking?" in ask.text and "Yes, cancel it" in ask.text
    gone = client.post(f"/bookings/{booking_id}/cancel", data={"csrf_token": token})
    assert "Cancelled: Bay 1" in gone.text
    assert "Cancelled: Bay 1" not in client.get("/bookings").text  # shown once


def test_series_and_waiting_list_through_the_form(engine: Engine, client: TestClient) -> None:
    start, end = slot(48, 60)
    with transaction(engine) as session:
        make_facility(session)
        resource_id = make_resource(session).id
        bob = make_user(session, "bob@example.org")
        make_user(session, "alice@example.org")
        request_booking(
            session, bob, resource_id, start + timedelta(weeks=1), end + timedelta(weeks=1)
        )
    sign_in(client, "alice@example.org")
    token = _token(client, f"/resources/{resource_id}")
    form = {"start": _local(start), "end": _local(end), "csrf_token": token,
            "repeat_until": (start + timedelta(weeks=2)).astimezone(AMS).date().isoformat()}  # fmt: skip
    clash = client.post(f"/resources/{resource_id}/book", data=form)
    assert clash.status_code == 409 and "nothing was booked" in clash.text
    assert 'id="err-repeat_until"' in clash.text
    wait = client.post(f"/resources/{resource_id}/wait",
                       data={"start": _local(start + timedelta(weeks=1)),
                             "end": _local(end + timedelta(weeks=1)), "csrf_token": token})  # fmt: skip
    assert "On the waiting list for Bay 1" in wait.text and "waiting" in wait.text
    single = client.post(f"/resources/{resource_id}/book", data={**form, "repeat_until": ""})
    assert "Booked: Bay 1" in single.text


def test_utilisation_links_keep_the_grouping(engine: Engine, client: TestClient) -> None:
    with transaction(engine) as session:
        make_user(session, "boss@example.org", "admin")
    sign_in(client, "boss@example.org")
    page = client.get("/utilisation", params={"per": "project"}).text
    assert "by=week&amp;per=project" in page or "per=project&amp;by=week" in page
    assert "share of open hours" in page


def test_refused_rates_decline_and_cancel_come_back_beside_their_fields(
    engine: Engine, client: TestClient
) -> None:
    start, end = slot(2, 60)
    with transaction(engine) as session:
        make_facility(session)
        resource_id = make_resource(session, cancel_hours=24, approval_required=True).id
        alice = make_user(session, "alice@example.org")
        make_user(session, "f@example.org", "manager", "acme-cleanroom")
        asked = request_booking(session, alice, resource_id, start, end).id
    sign_in(client, "f@example.org")
    token = _token(client, "/facilities/acme-cleanroom/resources")
    client.post("/facilities/acme-cleanroom/tiers",
                data={"tier_name": "own", "applies_to": ["own"], "csrf_token": token})  # fmt: skip
    tier = re.search(r'name="rate-(\d+)"', client.get(f"/resources/{resource_id}").text)
    assert tier
    name = f"rate-{tier.group(1)}"
    rates = client.post(f"/resources/{resource_id}/rates", data={name: "lots", "csrf_token": token})
    assert rates.status_code == 422 and 'value="lots"' in rates.text  # the typed value is kept
    assert re.search(rf'id="err-{name}"[^>]*>Give the rate per hour as a number', rates.text)
    declined = client.post(f"/bookings/{asked}/decline", data={"csrf_token": token})
    assert declined.status_code == 422
    assert re.search(
        rf'id="err-b{asked}-reason"[^>]*>Say why the booking is declined', declined.text
    )
    backwards = {"csrf_token": token, "start": _local(end), "end": _local(start)}
    moved = client.post(f"/bookings/{asked}/approve", data=backwards)
    assert moved.status_code == 422
    assert re.search(rf'id="err-b{asked}-end"[^>]*>The end must be after the start', moved.text)
    client.cookies.clear()
    sign_in(client, "alice@example.org")
    token = _token(client, f"/bookings/{asked}/cancel")
    late = client.post(f"/bookings/{asked}/cancel", data={"csrf_token": token})
    assert late.status_code == 409 and "Cancellations close 24 hours before the start" in late.text
    assert "Cancel this booking?" in late.text  # the same page, not the error page
    with transaction(engine) as session:
        assert session.get(Booking, asked).status == "pending"  # type: ignore[union-attr]
