"""A person in a real browser: home -> search "vaccine" -> facet by kind -> organisation -> relation.

Starts `triplehelix serve` on a free port with a fresh data folder (the bundled dataset is loaded
on first start) and drives Debian's chromium with Playwright. Set TRIPLEHELIX_UPDATE_SCREENSHOT=1
to refresh docs/screenshot-organisation.png, which the README shows.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshot-organisation.png"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_until_up(url: str, proc: subprocess.Popen[bytes], seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}; see its server.log")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"server at {url} did not come up in {seconds} s")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = _free_port()
    folder = tmp_path_factory.mktemp("data")
    env = {**os.environ, "TRIPLEHELIX_DATA_DIR": str(folder), "TRIPLEHELIX_DATABASE_URL": ""}
    cmd = [sys.executable, "-m", "triplehelix", "serve", "--port", str(port)]
    url = f"http://127.0.0.1:{port}"
    with (folder / "server.log").open("wb") as log:
        proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            _wait_until_up(url, proc)
            yield url
        finally:
            proc.terminate()
            proc.wait(timeout=20)


@pytest.fixture(scope="module")
def page(server: str, chromium: Any) -> Iterator[Page]:
    tab = chromium.new_page(viewport={"width": 1280, "height": 900})
    yield tab
    tab.close()


@pytest.mark.e2e
def test_search_facet_open_and_follow_a_relation(server: str, page: Page) -> None:
    p = page
    p.goto(server + "/")
    p.fill("#home-q", "vaccine")
    p.press("#home-q", "Enter")
    p.wait_for_url("**/organisations?q=vaccine")
    total = int(p.inner_text(".results .count strong"))
    assert total > 1

    kind = p.locator("section.facet[aria-label=Kind] a.facet-value").first
    kind_count = int(kind.locator(".count").inner_text())
    kind.click()
    p.wait_for_url("**kind=*")
    assert "q=vaccine" in p.url
    assert int(p.inner_text(".results .count strong")) == kind_count
    assert p.locator(".active-filters .chip").count() == 2

    first = p.locator(".results .card h2 a").first
    name = first.inner_text()
    first.click()
    assert p.inner_text("h1") == name

    relation = p.locator("a.relation").first
    target = relation.inner_text()
    relation.click()
    p.wait_for_load_state()
    assert p.inner_text("h1") == target
    assert "/organisations/" in p.url


@pytest.mark.e2e
def test_organisation_page_screenshot(server: str, page: Page, tmp_path: Path) -> None:
    p = page
    p.goto(server + "/organisations/halix")
    assert p.locator("h1").inner_text() == "HALIX"
    out = SCREENSHOT if os.environ.get("TRIPLEHELIX_UPDATE_SCREENSHOT") else tmp_path / "org.png"
    out.parent.mkdir(parents=True, exist_ok=True)
    p.screenshot(path=str(out), full_page=False)
    assert out.stat().st_size > 10_000
