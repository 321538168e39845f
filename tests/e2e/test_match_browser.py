"""A person asks for help on the home page and sees ranked results with their reasons."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect


@pytest.mark.e2e
def test_need_from_home_page_shows_explained_results(leiden_server: str, chromium: Any) -> None:
    page = chromium.new_page()
    page.goto(leiden_server + "/")
    page.fill(
        "input[name=q] >> nth=1", "GMP production of an AAV vector for a first-in-human trial"
    )
    page.press("#home-need", "Enter")
    expect(page.locator("ol.match-results > li").first).to_be_visible()
    expect(page.locator(".understood")).to_contain_text("Gene therapy")
    first = page.locator("ol.match-results > li").first
    expect(first.locator("mark").first).to_be_visible()
    names = page.locator("ol.match-results h2 a").all_inner_texts()
    assert any("HALIX" in n for n in names[:5]), names
    page.close()


@pytest.mark.e2e
def test_two_domain_need_shows_a_team_with_both_sides(leiden_server: str, chromium: Any) -> None:
    page = chromium.new_page()
    page.goto(leiden_server + "/match")
    page.fill("form.match-form input[name=q]", "satellite navigation for precise drone flights")
    page.press("form.match-form input[name=q]", "Enter")
    team = page.locator("section.match-team")
    expect(team).to_be_visible()
    expect(team.locator(".team-side[data-domain=space] li").first).to_be_visible()
    expect(team.locator(".team-side[data-domain=drones] li").first).to_be_visible()
    page.close()


@pytest.mark.e2e
def test_an_unservable_need_says_nothing_fits(leiden_server: str, chromium: Any) -> None:
    page = chromium.new_page()
    page.goto(leiden_server + "/match?q=" + "a BSL-4 laboratory")
    expect(page.locator(".match-message")).to_contain_text("Nothing in the region offers BSL-4")
    expect(page.locator("section.match-nearest")).to_contain_text("Nearest, not a match")
    page.close()
