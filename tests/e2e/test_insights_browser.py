"""Browser test: every insight page shows its pictures (real SVG with the expected number of
marks) and the region report renders and prints. Chromium (Debian's) against a real uvicorn."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

pytestmark = pytest.mark.e2e
sync_api = pytest.importorskip("playwright.sync_api")
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def base_url(leiden_server: str) -> str:
    return leiden_server


@pytest.fixture(scope="module")
def page(chromium: Any, base_url: str) -> Iterator[Any]:
    tab = chromium.new_page()
    outside: list[str] = []
    tab.on(
        "request",
        lambda r: (
            None
            if r.url.startswith(base_url) or r.url.startswith("data:")
            else outside.append(r.url)
        ),
    )
    yield tab
    tab.close()
    assert outside == [], f"pages called out to {outside}"


def marks(svg: str, prefix: str) -> int:
    """Drawn shapes inside the SVG groups whose id starts with `prefix`."""
    root = ET.fromstring(svg)
    total = 0
    for group in root.iter():
        if (group.get("id") or "").startswith(prefix):
            defs = {id(e) for d in group.iter(f"{SVG}defs") for e in d.iter()}
            total += sum(
                1
                for e in group.iter()
                if e.tag in (f"{SVG}path", f"{SVG}use") and id(e) not in defs
            )
    return total


def shown_svg(page: Any, base_url: str, path: str, picture: str) -> str:
    """Open a page, check its <img> picture loaded, and return the picture's SVG text."""
    page.goto(base_url + path)
    img = page.locator(f'img[src^="{picture}"]').first
    img.scroll_into_view_if_needed()
    # Pictures render on the server in a second or two; wait until the browser has decoded it.
    assert img.evaluate("i => i.decode().then(() => i.naturalWidth > 0)"), path
    return str(httpx.get(base_url + str(img.get_attribute("src"))).text)


def test_coverage_page_shows_the_grid_with_a_link_per_cell(page: Any, base_url: str) -> None:
    page.goto(base_url + "/insights/coverage")
    grids = httpx.get(base_url + "/api/insights/coverage").json()["domains"]
    n_cells = sum(len(g["stages"]) * len(g["columns"]) for g in grids)
    cells = page.locator('#coverage-figure svg [id^="cell-"]')
    assert cells.count() == n_cells
    assert page.locator('#coverage-figure svg a[href^="/organisations?stage="]').count() == n_cells
    assert page.locator("ul.gaps li").count() == sum(len(g["gaps"]) for g in grids)
    page.select_option("select[name=municipality]", "GM0575")
    page.click("form.insights-filters button")
    assert "municipality=GM0575" in page.url and "in Noordwijk" in page.inner_text("h1")


def test_growth_network_and_map_pages_show_their_pictures(page: Any, base_url: str) -> None:
    growth = httpx.get(base_url + "/api/insights/growth").json()
    svg = shown_svg(page, base_url, "/insights/growth", "/insights/growth.svg")
    assert marks(svg, "bar-") == sum(1 for n in growth["founded"] if n) + sum(
        1 for n in growth["moved_in"] if n
    )
    network = httpx.get(base_url + "/api/insights/network").json()
    svg = shown_svg(page, base_url, "/insights/network", "/insights/network.svg")
    assert marks(svg, "nodes-") == len(network["nodes"]) > 100
    assert page.locator("table.bridges tbody tr").count() == min(25, len(network["bridges"]))
    region = httpx.get(base_url + "/api/insights/map").json()
    svg = shown_svg(page, base_url, "/insights/map", "/insights/map.svg")
    assert marks(svg, "organisations-") == len(region["organisations"]) > 100
    assert marks(svg, "campuses") == 3 and marks(svg, "municipality-") == 7
    shown_svg(page, base_url, "/insights", "/insights/network.svg")


def test_report_renders_every_part_and_prints(page: Any, base_url: str, tmp_path: Path) -> None:
    page.goto(base_url + "/insights/report")
    for heading in (
        "Value-chain coverage",
        "Growth",
        "Who connects the clusters",
        "Where they are",
        "Data and sources",
    ):
        assert page.get_by_role("heading", name=heading).count() == 1, heading
    images = page.locator(".report img")
    assert images.count() == 3
    page.wait_for_load_state("networkidle")
    assert all(images.nth(i).evaluate("i => i.naturalWidth > 0") for i in range(3))
    pdf = page.pdf(path=str(tmp_path / "report.pdf"), format="A4")
    assert pdf[:5] == b"%PDF-" and pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") >= 4
