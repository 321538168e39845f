"""Dutch searches find what the English finds: a word typed in the request's language stands for
the English words of the taxonomy's synonyms (`synonyms_by_language`), next to the Dutch stem."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from triplehelix.directory import service
from triplehelix.i18n import use_locale
from triplehelix.search.schemas.analyse import terms, with_alternatives
from triplehelix.search.service.fulltext import fts5_query, params
from triplehelix.taxonomy import get_taxonomy

# (Dutch, English): the Dutch word in a Dutch request finds at least what the English one finds.
PAIRS = [("medicijnen", "medicines"), ("satelliet", "satellite"), ("vaccins", "vaccines")]
PAIRS += [("geneesmiddelen", "medicines"), ("ruimtevaart", "space")]


def _organisations(session: Session, q: str, locale: str) -> set[str]:
    with use_locale(locale):
        return {o.id for o in service.list_organisations(session, q, limit=500).items}


def _facilities(session: Session, q: str, locale: str) -> set[str]:
    with use_locale(locale):
        return {f.id for f in service.list_facilities(session, q, limit=500).items}


@pytest.mark.parametrize(("dutch", "english"), PAIRS)
def test_a_dutch_word_finds_what_the_english_finds(
    leiden: Session, dutch: str, english: str
) -> None:
    found_en = _organisations(leiden, english, "en")
    assert found_en, f"{english!r} finds nothing in the Leiden data"
    assert found_en <= _organisations(leiden, dutch, "nl")
    assert _facilities(leiden, english, "en") <= _facilities(leiden, dutch, "nl")


def test_the_expansion_follows_the_request_language(leiden: Session) -> None:
    """In an English request "medicijnen" is only a word: the records, in English, lack it."""
    assert _organisations(leiden, "medicijnen", "en") == set()
    assert len(_organisations(leiden, "medicijnen", "nl")) == len(
        _organisations(leiden, "medicines", "en")
    )


@pytest.mark.parametrize(("dutch", "english"), [("celtherapie", "cell"), ("stamcellen", "stem")])
def test_a_dutch_compound_finds_the_english_phrase(
    leiden: Session, dutch: str, english: str
) -> None:
    """ "celtherapie" is the phrase "cell therapy": narrower than the two words anywhere."""
    found = _organisations(leiden, dutch, "nl")
    phrase = " ".join(get_taxonomy().english_for("nl", dutch)[0].split())
    assert found and found <= _organisations(leiden, phrase, "en")
    assert phrase.startswith(english)


def test_dutch_words_narrow_like_english_ones(leiden: Session) -> None:
    """Every word still has to match: a Dutch pair of words is the English pair's results."""
    both = _organisations(leiden, "satelliet ruimtevaart", "nl")
    assert both and both <= _organisations(leiden, "satellite", "en")


def test_the_timeline_search_reads_dutch_too(leiden: Session) -> None:
    def summaries(q: str, locale: str) -> set[str]:
        with use_locale(locale):
            return {e.summary for e in service.list_events(leiden, q=q, limit=500).items}

    english, dutch = summaries("space", "en"), summaries("ruimtevaart", "nl")
    assert english and english <= dutch


def test_alternatives_are_analysed_words_only() -> None:
    tax = get_taxonomy()
    found = with_alternatives(terms("Stamcellen vaccins"), lambda w: tax.english_for("nl", w))
    assert [t.alternatives for t in found] == [("stem cells",), ("vaccines",)]
    medicine = with_alternatives(terms("medicijn"), lambda w: tax.english_for("nl", w))
    assert params(medicine, "postgresql")["fx0"] == "(medicine) | (medicines)"
    assert fts5_query(found).count('"stem cells"') == 1  # a phrase, quoted: never FTS syntax
    pg = params(found, "postgresql")
    assert pg["fx0"] == "(stem <-> cells)" and pg["fx1"] == "(vaccines)"
    plain = params(terms("gmp"), "postgresql")
    assert plain["fx0"] == "(gmp)"  # without alternatives the term itself: the same statement


@pytest.mark.parametrize("path", ["/organisations", "/facilities"])
def test_the_pages_search_in_the_browsers_language(leiden_client: TestClient, path: str) -> None:
    dutch = leiden_client.get(f"{path}?q=satelliet", headers={"Accept-Language": "nl"})
    english = leiden_client.get(f"{path}?q=satellite", headers={"Accept-Language": "en"})
    assert dutch.status_code == english.status_code == 200
    assert "Niets gevonden" not in dutch.text
    count = english.text.split('<p class="count"><strong>')[1].split("<")[0]
    assert f'<p class="count"><strong>{count}</strong>' in dutch.text


def test_the_api_searches_in_the_requested_language(leiden_client: TestClient) -> None:
    english = leiden_client.get("/api/organisations", params={"q": "medicines", "limit": 500})
    dutch = leiden_client.get(
        "/api/organisations", params={"q": "medicijnen", "limit": 500, "lang": "nl"}
    )
    leiden_client.cookies.clear()  # ?lang= is remembered; later tests start without it
    assert dutch.json()["total"] == english.json()["total"] > 0
