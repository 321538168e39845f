"""Keyword search on each database's full-text index: spellings of one query find the same."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from triplehelix.directory import service
from triplehelix.directory.models import Organisation

# (typed, plain): the typed form must find exactly what the plain form finds, and something.
EQUIVALENT = [
    ("GMP, viral vector", "GMP viral vector"),
    ("GMP?", "GMP"),
    ("(GMP)", "GMP"),
    ("viral vector.", "viral vector"),
    ('"viral vectors"', "viral vectors"),
    ("cryo-EM", "cryo EM"),
    ("BSL-2", "BSL2"),
    ("antibodies", "antibody"),
]
HOSTILE = [
    'vaccine AND "',
    "NEAR(vaccine",
    "vac*",
    "vaccine) OR (1=1",
    "'; DROP TABLE x; --",
    "a:b & !c",
]


def _ids(session: Session, q: str) -> set[str]:
    return {o.id for o in service.list_organisations(session, q, limit=500).items}


@pytest.mark.parametrize(("typed", "plain"), EQUIVALENT)
def test_spellings_find_what_the_plain_form_finds(leiden: Session, typed: str, plain: str) -> None:
    found = _ids(leiden, plain)
    assert found, f"{plain!r} finds nothing in the data"
    assert _ids(leiden, typed) == found


@pytest.mark.parametrize("q", HOSTILE)
def test_query_syntax_in_the_box_is_only_text(leiden: Session, q: str) -> None:
    result = service.list_organisations(leiden, q)  # no database error
    assert result.total >= 0
    assert leiden.query(Organisation).count() > 0


def test_plural_and_singular_meet_in_the_text(leiden: Session) -> None:
    holders = {o.id for o in leiden.query(Organisation) if "antibodies" in o.search_text}
    assert holders <= _ids(leiden, "antibody")


def test_relevance_is_the_default_order_with_words(leiden: Session) -> None:
    result = service.list_organisations(leiden, "vaccine")
    names = [o.name for o in result.items]
    assert names != sorted(names, key=str.lower)
    assert "vaccin" in (result.items[0].name + result.items[0].summary).lower()


def test_snippets_mark_the_matched_words(leiden: Session) -> None:
    result = service.list_organisations(leiden, "viral vectors")
    assert any("<mark>" in (o.snippet or "") for o in result.items)


def test_a_name_prefix_finds_the_organisation(leiden: Session) -> None:
    name = leiden.query(Organisation).order_by(Organisation.id).first()
    assert name is not None
    word = name.name.split()[0]
    prefix = "".join(ch for ch in word if ch.isalnum())[:5]
    assert name.id in _ids(leiden, prefix)


def test_a_typo_gets_a_correction_that_finds_something(leiden: Session) -> None:
    result = service.list_organisations(leiden, "vaccin vectros")
    assert result.total == 0
    assert result.suggestion is not None
    assert service.list_organisations(leiden, result.suggestion).total > 0


def test_words_that_cannot_meet_suggest_dropping_one(leiden: Session) -> None:
    result = service.list_organisations(leiden, "gmp zebrafish")
    assert result.total == 0
    assert result.suggestion in {"gmp", "zebrafish"}


def test_the_index_follows_edits_without_help(leiden: Session) -> None:
    org = leiden.query(Organisation).order_by(Organisation.id).first()
    assert org is not None
    org.search_text += " quokkaformulation"
    leiden.flush()
    assert _ids(leiden, "quokkaformulation") == {org.id}
    leiden.delete(org)
    leiden.flush()
    assert _ids(leiden, "quokkaformulation") == set()
    leiden.rollback()


@pytest.mark.parametrize("path", ["/facilities", "/infrastructure"])
def test_cryo_em_is_found_in_the_catalogues(leiden_client: TestClient, path: str) -> None:
    hyphen = leiden_client.get(path, params={"q": "cryo-EM"})
    spaced = leiden_client.get(path, params={"q": "cryo EM"})
    assert hyphen.status_code == spaced.status_code == 200
    assert "NeCEN" in hyphen.text
    assert "NeCEN" in spaced.text


def test_the_search_box_orders_by_relevance(leiden_client: TestClient) -> None:
    page = leiden_client.get("/organisations").text
    assert '<option value="" selected>Name</option>' in page
    found = leiden_client.get("/organisations", params={"q": "vaccine", "sort": ""}).text
    assert '<option value="" selected>Best match</option>' in found


def test_a_page_past_the_end_says_so_and_links_the_last(leiden_client: TestClient) -> None:
    total = leiden_client.get("/api/organisations", params={"limit": 1}).json()["total"]
    last = -(-total // 20)
    page = leiden_client.get("/organisations", params={"page": last + 5}).text
    assert "past the end" in page
    assert f'rel="last" href="/organisations?page={last}"' in page
    assert "shown" not in page


def test_a_zero_hit_page_offers_the_correction(leiden_client: TestClient) -> None:
    page = leiden_client.get("/organisations", params={"q": "vacine"}).text
    assert "Did you mean" in page
    assert "q=vaccine" in page


def test_the_api_past_the_end_is_a_404_naming_the_last_page(leiden_client: TestClient) -> None:
    total = leiden_client.get("/api/organisations", params={"limit": 1}).json()["total"]
    last = (total - 1) // 20 * 20
    response = leiden_client.get("/api/organisations", params={"offset": total + 40})
    assert response.status_code == 404
    assert f"offset={last}" in response.json()["detail"]
    assert f"offset={last}" in response.headers["link"]
    assert leiden_client.get("/api/organisations", params={"offset": last}).status_code == 200


def test_an_empty_listing_is_not_past_its_end(leiden_client: TestClient) -> None:
    response = leiden_client.get("/api/organisations", params={"q": "quokkaformulation"})
    assert response.status_code == 200
    assert response.json()["total"] == 0


def test_the_timeline_searches_its_events(leiden_client: TestClient) -> None:
    everything = leiden_client.get("/api/events", params={"limit": 500}).json()["items"]
    word = next(w for w in everything[0]["summary"].split() if len(w) > 6 and w.isalpha())
    found = leiden_client.get("/api/events", params={"q": word, "limit": 500}).json()
    holding = [e for e in everything if word.lower() in e["summary"].lower()]
    assert 0 < len(holding) <= found["total"]
    assert any("<mark>" in (e["snippet"] or "") for e in found["items"])
    page = leiden_client.get("/events", params={"q": word})
    assert page.status_code == 200
    assert "<mark>" in page.text


def test_the_infrastructure_catalogue_corrects_a_typo(leiden_client: TestClient) -> None:
    page = leiden_client.get("/infrastructure", params={"q": "claenroom"}).text
    assert "Did you mean" in page
    assert "q=cleanroom" in page
