"""Browser: a Dutch browser (nl-NL) gets the site in Dutch on the home, directory, organisation,
match, booking and insights pages, switches to English with the header's language switch, and
the choice holds across pages — on a desktop and at a 390 px phone viewport (Debian's chromium
against uvicorn on the Leiden data)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

pytestmark = pytest.mark.e2e
sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

PAGES = ["/", "/organisations", "/organisations/halix", "/match", "/infrastructure", "/insights"]
# Strings of base.html's navigation and of the directory's own pages, in each language.
NAV = {"nl": ["Organisaties", "Faciliteiten", "Tijdlijn", "Inzichten"],
       "en": ["Organisations", "Facilities", "Timeline", "Insights"]}  # fmt: skip
HEADINGS = {("/organisations", "nl"): "Organisaties", ("/organisations", "en"): "Organisations"}
FACTS = {"nl": "Feiten", "en": "Facts"}  # the organisation page's side card


@pytest.fixture(params=[(1280, 900), (390, 844)], ids=["desktop", "phone"])
def page(chromium: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    width, height = request.param
    context = chromium.new_context(locale="nl-NL", viewport={"width": width, "height": height})
    tab = context.new_page()
    yield tab
    context.close()


def _check(page: Any, path: str, language: str) -> None:
    assert page.locator("html").get_attribute("lang") == language, path
    nav = page.locator("header.site nav[aria-label]").first
    for word in NAV[language]:
        expect(nav.get_by_role("link", name=word, exact=True)).to_have_count(1)
    if (path, language) in HEADINGS:
        assert page.locator("h1").inner_text() == HEADINGS[(path, language)]
    if path.startswith("/organisations/"):
        expect(page.get_by_role("heading", name=FACTS[language], exact=True)).to_be_visible()


def test_a_dutch_browser_reads_dutch_and_switches_to_english(page: Any, leiden_server: str) -> None:
    for path in PAGES:
        page.goto(leiden_server + path)
        _check(page, path, "nl")
    assert page.locator("h1").first.inner_text()

    page.goto(leiden_server + "/organisations?q=satelliet")
    assert int(page.locator("p.count strong").inner_text()) > 0  # Dutch words find records

    switch = page.locator("header.site nav.languages").get_by_role("link", name="English")
    expect(switch).to_be_in_viewport()  # on the phone too: not hidden behind the scrolling nav
    switch.click()
    page.wait_for_function("document.documentElement.lang === 'en'")
    assert "q=satelliet" in page.url  # the same page, the same search
    expect(page.locator("header.site nav.languages [aria-current]")).to_have_text("English")

    # The choice holds: following links and opening pages afresh, all in English.
    page.locator("header.site").get_by_role("link", name="Insights", exact=True).click()
    page.wait_for_url("**/insights")
    for path in PAGES:
        page.goto(leiden_server + path)
        _check(page, path, "en")

    back = page.locator("header.site nav.languages").get_by_role("link", name="Nederlands")
    expect(back).to_be_in_viewport()
    back.click()
    page.wait_for_function("document.documentElement.lang === 'nl'")
    page.goto(leiden_server + "/organisations")
    _check(page, "/organisations", "nl")
