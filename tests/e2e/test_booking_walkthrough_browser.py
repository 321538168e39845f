"""Browser: every page kind at a 390 px phone viewport has no sideways scroll, and a manager and a
member walk through the booking flows on desktop and on the phone (Debian's chromium, real server
over the bundled data)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any
from urllib.request import urlopen
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from triplehelix.accounts import service as accounts
from triplehelix.db import make_engine, transaction
from triplehelix.directory.models import Facility
from triplehelix.facilities.service import ResourceRules, add_resource
from triplehelix.ingest.service.loader import bundled_dataset_path, load_dataset
from triplehelix.live import live_server
from triplehelix.migrations import upgrade_database

PASSWORD = "correct horse battery"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A server on the bundled data with a manager, a member and one resource of a facility."""
    folder = tmp_path_factory.mktemp("booking-phone")
    url = f"sqlite:///{folder / 'e2e.db'}"
    engine = make_engine(url)
    upgrade_database(engine)
    with transaction(engine) as session:
        load_dataset(session, bundled_dataset_path())
        facility = session.scalars(select(Facility).order_by(Facility.id)).first()
        assert facility is not None
        rules = ResourceRules(opens="08:00", closes="18:00", open_days="12345")
        resource = add_resource(session, None, facility.id, "Phone test bench", rules)
        accounts.create_user(session, "member@example.org", PASSWORD)
        manager = accounts.create_user(session, "manager@example.org", PASSWORD)
        accounts.grant_role(session, None, manager, "manager", facility.id)
        found = {
            "facility": facility.id,
            "organisation": facility.owner_id,
            "resource": resource.id,
        }
    engine.dispose()
    with live_server(url, folder, {"TRIPLEHELIX_DEMO": "0"}) as base:
        urlopen(f"{base}/api/match?q=warm+up", timeout=600).read()
        yield {"base": base, **found}


def _sign_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/signin")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("header .account")).to_contain_text(email)


def _no_sideways_scroll(page: Page, url: str) -> None:
    page.goto(url)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{url} is {width} px wide on a {PHONE['width']} px screen"


def _monday_ahead() -> str:
    day = datetime.now(ZoneInfo("Europe/Amsterdam")).date() + timedelta(days=7)
    return (day + timedelta(days=(7 - day.weekday()) % 7)).isoformat()


@pytest.mark.e2e
def test_every_page_kind_fits_a_phone(site: dict[str, Any], chromium: Any) -> None:
    base = site["base"]
    context = chromium.new_context(viewport=PHONE)
    page = context.new_page()
    public = [
        "/organisations", f"/organisations/{site['organisation']}", "/facilities",
        f"/facilities/{site['facility']}", "/infrastructure", f"/resources/{site['resource']}",
        f"/facilities/{site['facility']}/resources", "/insights", "/match?q=stability+testing",
    ]  # fmt: skip
    for path in public:
        _no_sideways_scroll(page, base + path)
    page.goto(f"{base}/organisations")  # results come before the filters, which are behind a toggle
    assert page.locator(".facets").is_hidden()
    results_top = page.locator(".results").bounding_box()
    page.click("label.facet-toggle")
    expect(page.locator(".facets")).to_be_visible()
    facets_top = page.locator(".facets").bounding_box()
    assert results_top and facets_top and results_top["y"] < facets_top["y"]
    _sign_in(page, base, "manager@example.org")
    signed_in = ["/bookings", "/bookings/manage", "/utilisation", "/account", "/inbox",
                 f"/resources/{site['resource']}?week={_monday_ahead()}"]  # fmt: skip
    for path in signed_in:
        _no_sideways_scroll(page, base + path)
    expect(page.locator("header .account >> text=Sign out")).to_be_in_viewport()
    context.close()


@pytest.mark.e2e
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_member_and_manager_walk_through(
    site: dict[str, Any], chromium: Any, viewport: dict[str, int]
) -> None:
    base, resource = site["base"], site["resource"]
    monday = _monday_ahead()
    hour = "09" if viewport is DESKTOP else "14"
    context = chromium.new_context(viewport=viewport)
    page = context.new_page()
    _sign_in(page, base, "member@example.org")
    page.goto(f"{base}/account")
    expect(page.locator("main >> text=Manage bookings")).to_have_count(0)
    page.goto(f"{base}/resources/{resource}?week={monday}")
    page.click(f"a.pick[href*='start={monday}T{hour}:00']")  # a free cell prefills the form
    expect(page.locator("input[name=start]")).to_have_value(f"{monday}T{hour}:00")
    page.fill("input[name=project_code]", "GRANT-1")
    page.click("#book ~ form button[type=submit]")
    expect(page.locator(".flash")).to_contain_text("Booked: Phone test bench")
    page.goto(f"{base}/bookings")
    page.click("text=Cancel…")
    expect(page.locator("h1")).to_have_text("Cancel this booking?")
    page.click("text=Yes, cancel it")
    expect(page.locator(".flash")).to_contain_text("Cancelled: Phone test bench")
    page.click("text=Sign out")
    _sign_in(page, base, "manager@example.org")
    page.goto(f"{base}/facilities/{site['facility']}/resources")
    page.fill("#publish ~ form input[name=name]", f"Bench {viewport['width']}")
    page.fill("#publish ~ form input[name=min_minutes]", "600")
    page.fill("#publish ~ form input[name=max_minutes]", "60")
    page.click("#publish ~ form button:has-text('Publish')")
    error = page.locator("#err-max_minutes")
    expect(error).to_contain_text("The longest booking must not be shorter than the shortest")
    expect(error).to_be_in_viewport()  # the message is beside the field, not far above it
    expect(page.locator("#publish ~ form input[name=name]")).to_have_value(
        f"Bench {viewport['width']}"
    )
    page.fill("#publish ~ form input[name=max_minutes]", "600")
    page.click("#publish ~ form button:has-text('Publish')")
    expect(page.locator(".flash")).to_contain_text(f"Published Bench {viewport['width']}")
    page.fill("#block ~ form input[name=start]", f"{monday}T08:00")
    page.fill("#block ~ form input[name=end]", f"{monday}T07:00")
    page.click("#block ~ form button:has-text('Block')")
    expect(page.locator("#err-end")).to_contain_text("The end of the block must be after its start")
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    context.close()
