"""The booking pages in Dutch for signed-in people: no English message of the catalogue shows,
times are written the Dutch way in the resource's time zone, amounts in euros as Dutch writes
them, and the recharging CSV names its columns in Dutch (its values stay machine-readable)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from tests.accounts.test_dutch_pages import DUTCH
from tests.accounts.test_dutch_pages import dutch_page as _dutch
from tests.facilities.factories import make_facility, make_resource, make_user, slot
from tests.facilities.test_facility_pages import sign_in
from tests.i18n.catalogue import untranslated
from triplehelix.db import transaction
from triplehelix.facilities.service import booking, pricing, waitlist


@pytest.fixture
def bookings(engine: Engine) -> dict[str, int]:
    """A facility with two resources (one needs approval), rates, a confirmed booking, a
    request waiting for approval and a place on the waiting list."""
    start, end = slot(hours_ahead=50, minutes=120)
    with transaction(engine) as session:
        make_facility(session)
        manager = make_user(session, "manager@example.org", "manager", "acme-cleanroom")
        member = make_user(session, "member@example.org", organisation_id="acme")
        other = make_user(session, "other@example.org")
        bay = make_resource(session, name="Bay 1", cancel_hours=24, notice_minutes=30)
        hood = make_resource(session, name="Hood 2", approval_required=True)
        tier = pricing.add_tier(session, manager, "acme-cleanroom", "own", ["own"])
        pricing.add_tier(session, manager, "acme-cleanroom", "academic", ["university"])
        pricing.set_rates(session, manager, bay, {tier.id: 123450})
        made = booking.request_booking(session, member, bay.id, start, end, "first run", "GR-7")
        booking.request_booking(session, member, hood.id, start, end, "please")
        waitlist.join_waitlist(session, other, bay, start, end - timedelta(hours=1))
        return {"bay": bay.id, "booking": made.id}


def test_a_member_books_in_dutch(client: TestClient, bookings: dict[str, int]) -> None:
    sign_in(client, "member@example.org")
    mine = _dutch(client, "/bookings")
    assert "Uw reserveringen" in mine and "Annuleren…" in mine
    # 2 hours at 1 234,50 an hour, in Dutch notation; the weekday in Dutch
    assert "€\xa02.469,00" in mine
    assert any(day in mine for day in ("ma ", "di ", "wo ", "do ", "vr ", "za ", "zo "))
    resource = _dutch(client, f"/resources/{bookings['bay']}")
    assert "Reserveren" in resource and "tijden in Europe/Amsterdam" in resource
    _dutch(client, f"/bookings/{bookings['booking']}/cancel")
    _dutch(client, "/infrastructure")


def test_the_waiting_list_in_dutch(client: TestClient, bookings: dict[str, int]) -> None:
    sign_in(client, "other@example.org")
    assert "Wachtlijst" in _dutch(client, "/bookings")


def test_a_manager_works_in_dutch(client: TestClient, bookings: dict[str, int]) -> None:
    sign_in(client, "manager@example.org")
    desk = _dutch(client, "/bookings/manage")
    assert "Wacht op goedkeuring" in desk and "Goedkeuren" in desk
    page = _dutch(client, f"/resources/{bookings['bay']}")
    assert "Blokkeren voor onderhoud" in page and "Regels opslaan" in page
    assert all(day in page for day in ("ma", "di", "wo", "do", "vr", "za", "zo"))
    assert "Tariefgroepen" in _dutch(client, "/facilities/acme-cleanroom/resources")
    _dutch(client, "/utilisation?by=week&per=organisation")
    csv = client.get("/utilisation.csv", params={"per": "project"}, headers=DUTCH)
    assert csv.text.splitlines()[0] == (
        "periode,project,uren,openingsuren,aandeel_openingsuren,kosten_eur"
    )
    english = client.get("/utilisation.csv", params={"per": "project"})
    assert english.text.splitlines()[0].startswith("period,project,hours,open_hours")


def test_a_refused_booking_says_why_in_dutch(client: TestClient, bookings: dict[str, int]) -> None:
    sign_in(client, "member@example.org")
    page = client.get(f"/resources/{bookings['bay']}", headers=DUTCH).text
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    form = {"start": "2020-01-06T10:00", "end": "2020-01-06T09:00", "csrf_token": token}
    refused = client.post(f"/resources/{bookings['bay']}/book", data=form, headers=DUTCH)
    assert refused.status_code == 422
    assert "Moet na het begin liggen" in refused.text
    assert untranslated(refused.text, "nl") == []
