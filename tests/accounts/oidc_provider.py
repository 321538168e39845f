"""A real OpenID provider for tests: Node.js runs the `oidc-provider` package from npm (installed
into tests/oidc by `make oidc`) on a free local port. Skips when Node.js or the package is absent."""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin

import httpx
import pytest

from triplehelix.live import free_port

FOLDER = Path(__file__).resolve().parents[1] / "oidc"
CLIENT_ID, CLIENT_SECRET = "triplehelix", "test-client-secret"


@pytest.fixture(scope="session")
def oidc_issuer() -> Iterator[str]:
    node = shutil.which("node")
    if node is None or not (FOLDER / "node_modules" / "oidc-provider").exists():
        pytest.skip("the OpenID provider is not installed: run `make oidc` (needs Node.js and npm)")
    port = free_port()
    process = subprocess.Popen(
        [node, str(FOLDER / "provider.mjs"), str(port), "http://testserver/signin/sso/callback"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    issuer = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{issuer}/.well-known/openid-configuration").status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.1)
    else:
        process.terminate()
        raise RuntimeError("the OpenID provider did not start within 30 s")
    yield issuer
    process.terminate()
    process.wait(timeout=10)


def _form(page: httpx.Response) -> tuple[str, dict[str, str]]:
    action = re.search(r'<form[^>]*action="([^"]+)"', page.text)
    assert action, page.text
    fields = dict(
        re.findall(r'<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page.text)
    )
    return urljoin(str(page.url), action.group(1)), fields


def log_in_at_provider(authorize_url: str, login: str) -> str:
    """Sign in at the provider as `login` and consent, as a person would; returns the URL the
    provider sends the browser back to (our callback with code and state)."""
    with httpx.Client() as browser:
        reply = browser.get(authorize_url)
        for step in range(12):
            if reply.is_redirect:
                target = urljoin(str(reply.url), reply.headers["location"])
                if target.startswith("http://testserver"):
                    return target
                reply = browser.get(target)
                continue
            action, fields = _form(reply)
            if 'name="login"' in reply.text:
                fields |= {"login": login, "password": "any"}
            reply = browser.post(action, data=fields)
            del step
    raise AssertionError("the provider did not send the browser back")
