"""Browser: a member signs in and requests a slot, a manager approves it, the week view shows it
booked. Playwright drives Debian's chromium against a real uvicorn server."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from triplehelix.accounts import service as accounts
from triplehelix.db import make_engine, transaction
from triplehelix.directory.models import Facility, Organisation
from triplehelix.facilities.service import ResourceRules, add_resource
from triplehelix.live import live_server
from triplehelix.migrations import upgrade_database

PASSWORD = "correct horse battery"


def _database(folder: Path) -> tuple[str, int]:
    url = f"sqlite:///{folder / 'e2e.db'}"
    engine = make_engine(url)
    upgrade_database(engine)
    with transaction(engine) as session:
        session.add(Organisation(id="acme", name="Acme", kind="company"))
        session.add(
            Facility(
                id="acme-cleanroom",
                name="Acme cleanroom",
                owner_id="acme",
                kind="cleanroom",
                shared=True,
            )
        )
        session.flush()
        rules = ResourceRules(
            approval_required=True, opens="08:00", closes="18:00", open_days="12345"
        )
        resource = add_resource(session, None, "acme-cleanroom", "ISO 7 bay", rules)
        accounts.create_user(session, "member@example.org", PASSWORD)
        manager = accounts.create_user(session, "manager@example.org", PASSWORD)
        accounts.grant_role(session, None, manager, "manager", "acme-cleanroom")
        resource_id = resource.id
    engine.dispose()
    return url, resource_id


def _sign_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/signin")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("header .account")).to_contain_text(email)


def _a_monday_ahead() -> date:
    """A Monday at least a week ahead, in the resource's time zone."""
    day = datetime.now(ZoneInfo("Europe/Amsterdam")).date() + timedelta(days=7)
    return day + timedelta(days=(7 - day.weekday()) % 7)


@pytest.mark.e2e
def test_sign_in_book_approve_calendar(tmp_path: Path, chromium: Any) -> None:
    url, resource_id = _database(tmp_path)
    day = _a_monday_ahead()
    with live_server(url, tmp_path) as base:
        page = chromium.new_page()
        _sign_in(page, base, "member@example.org")
        page.goto(f"{base}/resources/{resource_id}")
        page.fill("input[name=start] >> nth=0", f"{day.isoformat()}T10:00")
        page.fill("input[name=end] >> nth=0", f"{day.isoformat()}T12:00")
        page.fill("input[name=note]", "wafer run")
        page.click("text=Request")
        expect(page.locator("td.cell.pending")).to_have_count(2)
        page.click("text=Sign out")
        _sign_in(page, base, "manager@example.org")
        page.goto(f"{base}/bookings/manage")
        expect(page.locator("text=member@example.org")).to_be_visible()
        page.click("button:has-text('Approve')")
        expect(page.locator("text=Nothing waiting.")).to_be_visible()
        page.goto(f"{base}/resources/{resource_id}?week={day.isoformat()}")
        expect(page.locator("td.cell.confirmed")).to_have_count(2)
        ics = page.request.get(f"{base}/api/resources/{resource_id}/calendar.ics").text()
        assert "STATUS:CONFIRMED" in ics
        page.close()


@pytest.mark.e2e
def test_a_dutch_browser_books_in_dutch(tmp_path: Path, chromium: Any) -> None:
    url, resource_id = _database(tmp_path)
    day = _a_monday_ahead()
    with live_server(url, tmp_path) as base:
        context = chromium.new_context(locale="nl-NL")
        page = context.new_page()
        page.goto(f"{base}/signin")
        expect(page.locator("h1")).to_have_text("Inloggen")
        page.fill("input[name=email]", "member@example.org")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        expect(page.locator("header .account")).to_contain_text("Uitloggen")
        page.goto(f"{base}/resources/{resource_id}")
        expect(page.locator("#book")).to_have_text("Reserveren")
        page.fill("input[name=start] >> nth=0", f"{day.isoformat()}T10:00")
        page.fill("input[name=end] >> nth=0", f"{day.isoformat()}T12:00")
        page.click("button:has-text('Aanvragen')")
        flash = page.locator(".flash")
        expect(flash).to_contain_text("Aangevraagd: ISO 7 bay, ma ")
        expect(flash).to_contain_text("10:00\N{EN DASH}12:00 (Europe/Amsterdam)")
        page.click("text=Uitloggen")
        page.goto(f"{base}/signin")
        page.fill("input[name=email]", "manager@example.org")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.goto(f"{base}/bookings/manage")
        expect(page.locator("h1")).to_have_text("Reserveringen beheren")
        page.click("button:has-text('Goedkeuren')")
        expect(page.locator(".flash")).to_contain_text("Goedgekeurd: ISO 7 bay")
        expect(page.locator("text=Niets in afwachting.")).to_be_visible()
        page.click("nav.languages >> text=English")
        expect(page.locator("h1")).to_have_text("Manage bookings")
        page.goto(f"{base}/bookings/manage")
        expect(page.locator("h1")).to_have_text("Manage bookings")  # the choice holds
        context.close()
