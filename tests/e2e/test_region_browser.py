"""Browser test: home -> municipality Katwijk -> its drone coverage -> a gap sentence -> the
directory filtered to that gap, listing the number the sentence names. Chromium against uvicorn."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

pytestmark = pytest.mark.e2e
sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(params=[(1280, 900), (390, 844)], ids=["desktop", "phone"])
def page(chromium: Any, leiden_server: str, request: pytest.FixtureRequest) -> Iterator[Any]:
    width, height = request.param
    tab = chromium.new_page(viewport={"width": width, "height": height})
    yield tab
    tab.close()


def test_from_home_to_a_katwijk_drone_gap_in_the_directory(page: Any, leiden_server: str) -> None:
    api = httpx.get(f"{leiden_server}/api/insights/coverage?municipality=GM0537", timeout=60).json()
    drones = next(g for g in api["domains"] if g["domain"] == "drones")
    page.goto(leiden_server + "/")
    page.get_by_role("link", name="Katwijk", exact=True).first.click()
    page.wait_for_url("**/municipalities/GM0537")
    assert page.locator("h1").inner_text() == "Katwijk"
    section = page.locator("#domain-drones")
    assert section.is_visible()
    assert page.locator("#domain-life_sciences").count() == 0  # no pharma gaps in Katwijk
    # the drone grid in the picture has a cell per stage and column
    cells = page.locator('#coverage-figure [id^="cell-drones-"]')
    assert cells.count() == len(drones["stages"]) * len(drones["columns"])
    gap = section.locator("ul.gaps a").first
    sentence = gap.inner_text()
    assert sentence == drones["gaps"][0] and "in Katwijk" in sentence
    expected = 0 if re.search(r"\b(No organisation|none is)\b", sentence) else 1
    gap.click()
    page.wait_for_url("**/organisations?**")
    assert "municipality=GM0537" in page.url and "domain=drones" in page.url
    count = page.locator("p.count strong").inner_text()
    assert int(count) == expected
    assert page.locator("li.card.org").count() == expected
    # and a cell of the grid: its link lists exactly the cell's count
    page.goto(leiden_server + "/municipalities/GM0537")
    i, j = next((i, j) for i, row in enumerate(drones["cells"]) for j, n in enumerate(row) if n)
    page.goto(leiden_server + drones["links"][i][j])
    assert int(page.locator("p.count strong").inner_text()) == drones["cells"][i][j]
