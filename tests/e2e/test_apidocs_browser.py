"""/docs and /redoc render in the browser with every request off this machine blocked."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.e2e
LOCAL = {"127.0.0.1", "localhost"}


def _offline_page(chromium: Any) -> tuple[Any, list[str]]:
    context = chromium.new_context()
    blocked: list[str] = []

    def route(r: Any) -> None:
        if urlsplit(r.request.url).hostname in LOCAL:
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    return context.new_page(), blocked


def test_swagger_ui_renders_offline(chromium: Any, leiden_server: str) -> None:
    page, blocked = _offline_page(chromium)
    page.goto(f"{leiden_server}/docs")
    page.wait_for_selector(".swagger-ui .info .title", timeout=30_000)
    assert "triplehelix" in page.inner_text(".swagger-ui .info .title")
    page.wait_for_selector(".opblock-summary-path[data-path='/api/organisations']", timeout=30_000)
    assert blocked == []
    page.context.close()


def test_redoc_renders_offline(chromium: Any, leiden_server: str) -> None:
    page, blocked = _offline_page(chromium)
    page.goto(f"{leiden_server}/redoc")
    page.wait_for_selector("text=Search and filter organisations", timeout=30_000)
    assert blocked == []
    page.context.close()
