"""Browser test: a Dutch browser gets the insight pages, their pictures, the match page and the
marketplace in Dutch, asks a need in Dutch, switches to English with the language link, and the
choice holds across pages (on a phone, too). Chromium (Debian's) against a real uvicorn."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

pytestmark = pytest.mark.e2e
sync_api = pytest.importorskip("playwright.sync_api")
PHONE = {"width": 390, "height": 844}


@pytest.fixture(params=["desktop", "phone"])
def dutch_tab(request: pytest.FixtureRequest, chromium: Any) -> Iterator[Any]:
    """A tab of a browser set to Dutch (it sends Accept-Language: nl-NL)."""
    viewport = PHONE if request.param == "phone" else {"width": 1280, "height": 900}
    context = chromium.new_context(locale="nl-NL", viewport=viewport)
    tab = context.new_page()
    yield tab
    context.close()


def _picture_text(tab: Any, path: str) -> str:
    """The picture as this browser fetches it (same language headers and cookie)."""
    text: str = tab.evaluate("(p) => fetch(p).then(r => r.text())", path)
    return text


def test_a_dutch_browser_reads_insights_and_matches_in_dutch_then_switches(
    dutch_tab: Any, leiden_server: str
) -> None:
    expect = sync_api.expect
    tab = dutch_tab
    tab.goto(f"{leiden_server}/insights")
    assert tab.locator("html").get_attribute("lang") == "nl"
    expect(tab.locator("h1")).to_have_text("Inzicht in het ecosysteem")
    expect(tab.locator("nav.insights-nav")).to_contain_text("Dekking")
    growth = tab.locator('img[src="/insights/growth.svg"]')
    growth.scroll_into_view_if_needed()
    expect(growth).to_have_attribute(
        "alt", "Opgerichte en naar de regio verhuisde organisaties per jaar"
    )
    # drawn on the server in a second or two; wait until the browser has decoded it
    assert growth.evaluate("i => i.decode().then(() => i.naturalWidth > 0)")
    picture = _picture_text(tab, "/insights/growth.svg")
    assert (
        "<!-- Groei in de regio -->" in picture and "<!-- Growth in the region -->" not in picture
    )

    tab.goto(f"{leiden_server}/match")
    expect(tab.locator("h1")).to_have_text("Wie in de regio kan mij helpen?")
    tab.fill('input[name="q"]', "thermische vacuümtest van een kleine satelliet")
    tab.get_by_role("button", name="Hulp vinden").click()
    expect(tab.locator(".understood")).to_contain_text("gelezen als")
    expect(tab.locator(".match-item").first).to_be_visible()
    expect(tab.locator(".why-links").first).to_contain_text("pagina van de")

    tab.locator('nav.languages a[lang="en"]').click()
    expect(tab.locator("h1")).to_have_text("Who in the region can help?")
    assert tab.locator("html").get_attribute("lang") == "en"
    tab.goto(f"{leiden_server}/marketplace")  # the choice is remembered, URLs stay the same
    expect(tab.locator("h1")).to_have_text("Offers, requests, capacity and talent")
    assert "<!-- Growth in the region -->" in _picture_text(tab, "/insights/growth.svg")
    tab.locator('nav.languages a[lang="nl"]').click()
    expect(tab.locator("h1")).to_have_text("Aanbod, vragen, capaciteit en talent")
