"""/docs and /redoc name no external host and their assets come from the app itself."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

REFERENCE = re.compile(r"""(?:src|href|url)\s*[=:(]\s*['"]?([^'" )>]+)""", re.IGNORECASE)


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_the_docs_pages_reference_only_this_server(client: TestClient, path: str) -> None:
    page = client.get(path)
    assert page.status_code == 200
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert "http://" not in page.text
    assert "https://" not in page.text
    refs = REFERENCE.findall(page.text)
    assert refs, "the page loads nothing?"
    for ref in refs:
        assert ref.startswith("/") and not ref.startswith("//"), ref
        assert client.get(ref).status_code == 200, ref


def test_only_the_known_assets_are_served(client: TestClient) -> None:
    assert client.get("/docs-assets/swagger-ui.css").status_code == 200
    assert client.get("/docs-assets/..%2Fcore.py").status_code == 404
    assert client.get("/docs-assets/core.py").status_code == 404
