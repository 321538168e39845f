"""Browser tests: one way to launch Debian's chromium, and one server on the bundled data.

Chromium runs headless with --no-sandbox and --disable-background-networking (the machine has no
network; without the flag chromium keeps trying). Playwright's own browser download is never used.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.request import urlopen

import pytest

from triplehelix.db import make_engine, transaction
from triplehelix.ingest.service.loader import bundled_dataset_path, load_dataset
from triplehelix.live import live_server
from triplehelix.migrations import upgrade_database

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing: run scripts/ensure-browser")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def leiden_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real uvicorn server over a SQLite database holding the bundled Leiden dataset."""
    folder = tmp_path_factory.mktemp("leiden-server")
    url = f"sqlite:///{folder / 'e2e.db'}"
    engine = make_engine(url)
    upgrade_database(engine)
    with transaction(engine) as session:
        load_dataset(session, bundled_dataset_path())
    engine.dispose()
    with live_server(url, folder, {"TRIPLEHELIX_DEMO": "0"}) as base:
        # The first match builds the index (embeddings on a cold cache): do it before the clock
        # of any browser action starts.
        urlopen(f"{base}/api/match?q=warm+up", timeout=600).read()
        yield base
