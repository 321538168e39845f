"""Browser: a member posts a request, a region admin approves it, a member of another organisation
expresses interest, the poster accepts in the inbox, and both introduction mails arrive at a real
SMTP server (aiosmtpd). Also the marketplace list at a phone's width."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.mail.server import SmtpServer
from triplehelix.accounts import service as accounts
from triplehelix.db import make_engine, transaction
from triplehelix.directory.models import Organisation, OrganisationTag, Service
from triplehelix.live import live_server
from triplehelix.migrations import upgrade_database

PASSWORD = "correct horse battery"


def _database(folder: Path) -> str:
    url = f"sqlite:///{folder / 'e2e.db'}"
    engine = make_engine(url)
    upgrade_database(engine)
    with transaction(engine) as session:
        for org_id, name, cluster, service in [
            ("acme-bio", "Acme Bio", "lbsp", "cell culture bioreactors"),
            ("orbit-works", "Orbit Works", "nl-space-campus", "thermal vacuum testing"),
        ]:
            session.add(Organisation(id=org_id, name=name, kind="company", city="Leiden"))
            session.flush()
            session.add(OrganisationTag(organisation_id=org_id, scheme="cluster", code=cluster))
            session.add(Service(organisation_id=org_id, text=service))
        accounts.create_user(session, "poster@acme.example", PASSWORD, "Pat Poster", "acme-bio")
        accounts.create_user(session, "orla@orbit.example", PASSWORD, "Orla", "orbit-works")
        admin = accounts.create_user(session, "admin@region.example", PASSWORD)
        accounts.grant_role(session, None, admin, "admin", "")
    engine.dispose()
    return url


def _sign_in(page: Page, base: str, email: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/signin")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    expect(page.locator("header .account")).to_contain_text(email)


def _wait_for(smtp: SmtpServer, count: int) -> None:
    deadline = time.monotonic() + 20
    while len(smtp.inbox.messages) < count and time.monotonic() < deadline:
        time.sleep(0.1)


@pytest.mark.e2e
def test_post_approve_interest_accept_mails(
    tmp_path: Path, chromium: Any, smtp_server: SmtpServer
) -> None:
    url = _database(tmp_path)
    with live_server(url, tmp_path, {"TRIPLEHELIX_SMTP_URL": smtp_server.url(),
                                     "TRIPLEHELIX_DEMO": "0"}) as base:  # fmt: skip
        page = chromium.new_page()
        _sign_in(page, base, "poster@acme.example")
        page.goto(f"{base}/marketplace/new")
        page.select_option("select[name=type]", "technology_request")
        page.fill("input[name=title]", "Thermal vacuum test for a bioreactor")
        page.fill("textarea[name=text]", "We need thermal vacuum testing of a small bioreactor.")
        page.check("input[name=domains][value=space]")
        page.fill("input[name=trl]", "5")
        page.click("button:has-text('Send for review')")
        expect(page.locator("[data-state=submitted]")).to_be_visible()
        post_url = page.url

        _sign_in(page, base, "admin@region.example")
        page.goto(f"{base}/admin/posts")
        expect(page.locator(".review-post")).to_contain_text("Thermal vacuum test")
        page.click("button:has-text('Approve')")
        expect(page.locator("text=Nothing waits for review.")).to_be_visible()

        _sign_in(page, base, "orla@orbit.example")
        page.goto(f"{base}/marketplace")
        page.click("text=Thermal vacuum test for a bioreactor")
        expect(page.locator(".matches")).to_contain_text("Orbit Works")
        expect(page.locator("main")).not_to_contain_text("poster@acme.example")
        page.fill("textarea[name=message]", "Our chamber is free in March.")
        page.click("button:has-text('Express interest')")
        expect(page.locator("text=Your interest was sent")).to_be_visible()
        assert smtp_server.inbox.messages == []  # nothing mailed before consent

        _sign_in(page, base, "poster@acme.example")
        page.goto(f"{base}/marketplace/inbox")
        expect(page.locator(".interest-row")).to_contain_text("Our chamber is free in March.")
        page.click("button:has-text('Accept and introduce')")
        expect(page.locator(".interest-row[data-state=accepted]")).to_be_visible()
        _wait_for(smtp_server, 2)
        to_poster = smtp_server.inbox.to("poster@acme.example")
        to_orla = smtp_server.inbox.to("orla@orbit.example")
        assert len(to_poster) == len(to_orla) == 1 == len(smtp_server.inbox.messages) - 1
        assert "orla@orbit.example" in to_poster[0].message.get_content()
        assert "poster@acme.example" in to_orla[0].message.get_content()
        assert post_url.rsplit("/", 1)[1] in to_orla[0].message.get_content()

        phone = chromium.new_page(viewport={"width": 390, "height": 844})
        phone.goto(f"{base}/marketplace")
        expect(phone.locator(".cards .post")).to_have_count(1)
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the list is {width}px wide on a 390px phone"
        phone.close()
        page.close()
