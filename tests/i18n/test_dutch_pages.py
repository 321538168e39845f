"""Every page, asked for in Dutch, is in Dutch: no English UI message of the catalogue is shown.

Pages are rendered on the bundled Leiden data, on both databases. A feature adds its pages here;
pages that need a signed-in person are checked beside that feature's own tests.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.i18n.catalogue import untranslated

PUBLIC_PAGES = [
    "/",
    "/organisations",
    "/organisations?q=vaccine",
    "/organisations/20med-therapeutics",
    "/facilities",
    "/facilities/halix-cgmp-plant",
    "/events",
    "/events?kind=founded&year_from=2010",
    "/organisations?q=satelliet&kind=company",
    "/organisations?page=99",
    "/organisations?q=zzqxv",
    "/facilities?q=cleanroom&shared=yes",
    "/municipalities",
    "/municipalities/GM0546",
    "/match",
    "/match?q=cleanroom+huren+voor+celtherapie",
    "/insights",
    "/insights/coverage",
    "/insights/growth",
    "/insights/map",
    "/insights/network",
    "/insights/report",
    "/insights/marketplace",
    "/marketplace",
    "/infrastructure",
    "/signin",
    "/signup",
    "/reset-password",
]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_a_dutch_browser_gets_the_page_in_dutch(leiden_client: TestClient, path: str) -> None:
    response = leiden_client.get(path, headers={"Accept-Language": "nl-NL,nl;q=0.9,en;q=0.5"})
    assert response.status_code == 200
    assert '<html lang="nl">' in response.text
    assert response.headers["content-language"] == "nl"
    assert untranslated(response.text, "nl") == []


@pytest.mark.parametrize("path", ["/", "/organisations"])
def test_english_stays_english(leiden_client: TestClient, path: str) -> None:
    response = leiden_client.get(path, headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert '<html lang="en">' in response.text
    assert ">Organisations<" in response.text


def test_the_choice_of_language_is_remembered(leiden_client: TestClient) -> None:
    chosen = leiden_client.get("/organisations?lang=nl", headers={"Accept-Language": "en"})
    assert '<html lang="nl">' in chosen.text
    assert "lang=nl" in chosen.headers["set-cookie"]
    later = leiden_client.get("/insights", headers={"Accept-Language": "en"})
    assert '<html lang="nl">' in later.text
    back = leiden_client.get("/insights?lang=en")
    assert '<html lang="en">' in back.text
    leiden_client.cookies.clear()
