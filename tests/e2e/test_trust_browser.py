"""Browser: a person signs up naming an organisation, confirms the address from the e-mail a real
SMTP server received, is still refused the organisation-only resource, asks to be verified; the
region admin approves in the browser; then the booking is confirmed. Also at a phone viewport."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_booking_browser import _sign_in
from tests.mail.server import SmtpServer
from triplehelix.accounts import service as accounts
from triplehelix.db import make_engine, transaction
from triplehelix.directory.models import Facility, Organisation
from triplehelix.facilities.service import ResourceRules, add_resource
from triplehelix.live import live_server
from triplehelix.migrations import upgrade_database

PASSWORD = "correct horse battery"
EMAIL = "new.person@mail.example"


def _database(folder: Path) -> tuple[str, int]:
    url = f"sqlite:///{folder / 'e2e.db'}"
    engine = make_engine(url)
    upgrade_database(engine)
    with transaction(engine) as session:
        session.add(Organisation(id="acme", name="Acme", kind="company", website="acme.example"))
        session.add(Facility(id="acme-lab", name="Acme lab", owner_id="acme", kind="cleanroom",
                             shared=True))  # fmt: skip
        session.flush()
        rules = ResourceRules(opens="08:00", closes="18:00", open_days="12345",
                              access="organisations", access_organisations=["acme"])  # fmt: skip
        resource = add_resource(session, None, "acme-lab", "Members' bench", rules)
        admin = accounts.create_user(session, "office@example.org", PASSWORD)
        accounts.grant_role(session, None, admin, "admin")
        resource_id = resource.id
    engine.dispose()
    return url, resource_id


def _book(page: Page, base: str, resource_id: int, hour: int) -> None:
    zone = ZoneInfo("Europe/Amsterdam")
    day = datetime.now(zone).date() + timedelta(days=7)
    day += timedelta(days=(7 - day.weekday()) % 7)  # a Monday at least a week ahead
    page.goto(f"{base}/resources/{resource_id}?week={day.isoformat()}")
    page.fill("input[name=start] >> nth=0", f"{day.isoformat()}T{hour:02d}:00")
    page.fill("input[name=end] >> nth=0", f"{day.isoformat()}T{hour + 1:02d}:00")
    page.click(f"form[action^='/resources/{resource_id}/book'] button[type=submit]")


@pytest.mark.e2e
@pytest.mark.parametrize(
    "viewport", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}]
)
def test_sign_up_verify_request_approve_book(
    tmp_path: Path, chromium: Any, smtp_server: SmtpServer, viewport: dict[str, int]
) -> None:
    url, resource_id = _database(tmp_path)
    with live_server(url, tmp_path, {"TRIPLEHELIX_SMTP_URL": smtp_server.url()}) as base:
        page = chromium.new_page(viewport=viewport)
        page.goto(f"{base}/signup")
        page.fill("input[name=email]", EMAIL)
        page.fill("input[name=organisation]", "acme")
        page.fill("input[name=password]", PASSWORD)
        page.click("form[action='/signup'] button[type=submit]")
        expect(page.locator("h1")).to_have_text("Check your e-mail")
        body = smtp_server.inbox.to(EMAIL)[-1].message.get_content()
        path = re.search(r"https?://[^/\s]+(/account/verify\?token=[\w-]+)", body)
        assert path, body
        page.goto(base + path.group(1))
        page.click("text=Confirm my address")
        expect(page.locator("[role=status]")).to_contain_text(f"{EMAIL} is confirmed")
        _sign_in(page, base, EMAIL)
        page.goto(f"{base}/account")
        expect(page.locator("text=Waiting for a decision")).to_be_visible()
        _book(page, base, resource_id, 10)
        expect(page.locator("text=only members of acme")).to_be_visible()
        page.context.clear_cookies()

        _sign_in(page, base, "office@example.org")
        page.goto(f"{base}/admin/affiliations")
        expect(page.locator(f"text={EMAIL}")).to_be_visible()
        page.click("button:has-text('Approve')")
        expect(page.locator("text=No open requests.")).to_be_visible()
        page.context.clear_cookies()

        _sign_in(page, base, EMAIL)
        page.goto(f"{base}/account")
        expect(page.locator("text=Verified member of")).to_be_visible()
        _book(page, base, resource_id, 10)
        expect(page.locator("td.cell.confirmed")).to_have_count(1)
        subjects = [m.message["Subject"] for m in smtp_server.inbox.to(EMAIL)]
        assert "Your affiliation with Acme was approved" in subjects
