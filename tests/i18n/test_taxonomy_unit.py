"""The taxonomy in both languages: every term and scheme has English and Dutch labels, labels
follow the request's language in pages and the API (codes stay the same), and a region adds its
own language with an extension file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from triplehelix.i18n import use_locale
from triplehelix.taxonomy import get_taxonomy
from triplehelix.taxonomy.schemas import load_taxonomy

TAX = get_taxonomy()
TERMS = [(s.name, t.code) for s in TAX.schemes.values() for t in s.terms]


@pytest.mark.parametrize(("scheme", "code"), TERMS)
def test_every_term_has_an_english_and_a_dutch_label(scheme: str, code: str) -> None:
    term = TAX.term(scheme, code)
    assert term is not None
    labels = dict(term.labels)
    assert labels["en"].strip() and labels["nl"].strip()
    if term.inverse is not None:
        inverse = dict(term.inverse_labels)
        assert inverse["en"] == term.inverse and inverse["nl"].strip()


def test_every_scheme_and_axis_phrase_has_dutch() -> None:
    for scheme in TAX.schemes.values():
        assert dict(scheme.labels).get("nl"), scheme.name
    for domain in TAX.domains():
        assert domain.axis_phrase_in("nl") != domain.axis_phrase_in("en")


def test_labels_follow_the_locale() -> None:
    assert TAX.label("modality", "vaccines") == "Vaccines"  # outside a request: English
    with use_locale("nl"):
        assert TAX.label("modality", "vaccines") == "Vaccins"
        assert TAX.term("relation_kind", "acquired_by").inverse_in() == "nam over"  # type: ignore[union-attr]
        assert TAX.term("domain", "space").axis_phrase_in() == "onder"  # type: ignore[union-attr]
        assert TAX.scheme_label("facility_kind") == "Soort faciliteit"
    assert TAX.label("modality", "vaccines", "nl") == "Vaccins"
    assert TAX.label("modality", "nonexistent_code") == "nonexistent code"


def test_dutch_synonyms_name_the_english_words_of_the_records() -> None:
    assert TAX.english_for("nl", "medicijnen") == ("medicines",)
    assert TAX.english_for("nl", "satellieten") == ("satellites",)  # folded form
    assert TAX.english_for("nl", "vaccinaties") == ("vaccination",)  # not listed: by its stem
    assert TAX.english_for("en", "medicijnen") == ()
    assert TAX.english_for("nl", "cleanroom") == ()  # the same in both: nothing to add
    for word, english in TAX.english_words("nl").items():
        assert word == word.lower() and all(e == e.lower() for e in english)


@pytest.mark.parametrize(
    "how", [{"params": {"lang": "nl"}}, {"headers": {"Accept-Language": "nl-NL,nl;q=0.9"}}]
)
def test_the_api_keeps_codes_and_gives_labels_in_the_language_asked(
    leiden_client: TestClient, how: dict[str, dict[str, str]]
) -> None:
    english = leiden_client.get("/api/taxonomy", headers={"Accept-Language": "en"}).json()
    dutch_reply = leiden_client.get("/api/taxonomy", **how)  # type: ignore[arg-type]
    leiden_client.cookies.clear()
    dutch = dutch_reply.json()
    assert dutch_reply.headers["content-language"] == "nl"
    assert [t["code"] for t in dutch["modality"]["terms"]] == [
        t["code"] for t in english["modality"]["terms"]
    ]
    vaccines = next(t for t in dutch["modality"]["terms"] if t["code"] == "vaccines")
    assert vaccines["label"] == "Vaccins"
    assert vaccines["labels"] == {"en": "Vaccines", "nl": "Vaccins"}
    assert vaccines["synonyms_by_language"]["nl"]["vaccins"] == "vaccines"
    assert dutch["modality"]["label"] == "Modaliteit" and english["modality"]["label"] == "Modality"
    space = next(t for t in dutch["domain"]["terms"] if t["code"] == "space")
    assert space["axis_phrase"] == "onder" and space["axis_phrases"]["en"] == "among"


def test_api_label_fields_follow_the_language(leiden_client: TestClient) -> None:
    path = "/api/organisations/20med-therapeutics"
    english = leiden_client.get(path, headers={"Accept-Language": "en"}).json()
    dutch = leiden_client.get(path, headers={"Accept-Language": "nl"}).json()
    assert english["kind"] == dutch["kind"] == "company"
    assert (english["kind_label"], dutch["kind_label"]) == ("Company", "Bedrijf")
    assert {c["code"] for c in english["modalities"]} == {c["code"] for c in dutch["modalities"]}
    assert "Vaccins" in {c["label"] for c in dutch["modalities"]}


def test_the_organisation_page_reads_relations_in_dutch(leiden_client: TestClient) -> None:
    page = leiden_client.get("/organisations/halix", headers={"Accept-Language": "nl"}).text
    english = leiden_client.get("/organisations/halix", headers={"Accept-Language": "en"}).text
    assert ">Bedrijf<" in page and ">Company<" in english


def test_a_region_adds_its_own_language(tmp_path: Path) -> None:
    """A regional extension with German labels: terms without "label" extend the shipped ones."""
    extra = {
        "modality": {
            "labels": {"de": "Modalität"},
            "terms": [
                {"code": "vaccines", "labels": {"de": "Impfstoffe"},
                 "synonyms_by_language": {"de": {"impfstoff": "vaccine"}}},
                {"code": "radioligands", "label": "Radioligands",
                 "labels": {"nl": "Radioliganden", "de": "Radioliganden"}},
            ],
        },
        "relation_kind": {"terms": [{"code": "acquired_by", "labels": {"de": "übernommen von"},
                                     "inverse_labels": {"de": "übernahm"}}]},
    }  # fmt: skip
    path = tmp_path / "region.json"
    path.write_text(json.dumps(extra), "utf-8")
    tax = load_taxonomy(str(path))
    assert tax.label("modality", "vaccines", "de") == "Impfstoffe"
    assert tax.label("modality", "vaccines", "nl") == "Vaccins"  # the shipped labels stay
    assert tax.term("modality", "vaccines").synonyms  # type: ignore[union-attr]
    assert tax.scheme_label("modality", "de") == "Modalität"
    assert tax.label("modality", "radioligands", "de") == "Radioliganden"
    assert tax.term("relation_kind", "acquired_by").inverse_in("de") == "übernahm"  # type: ignore[union-attr]
    assert "vaccine" in tax.english_for("de", "impfstoffen")  # by the German stem
    assert tax.languages() == ["en", "de", "nl"]
    assert tax.label("modality", "gene_therapy", "de") == "Gene therapy"  # no label: English


def test_a_new_regional_term_needs_a_label(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"modality": {"terms": [{"code": "x", "labels": {"de": "X"}}]}}))
    with pytest.raises(ValueError, match=r"modality\.x: a new term needs a label"):
        load_taxonomy(str(path))


def test_the_scope_of_a_gap_sentence_reads_in_both_languages() -> None:
    from triplehelix.region.service.scope import scope_phrase

    assert scope_phrase() == "in the region"
    assert scope_phrase("nl-space-campus", "GM0537") == "in NL Space Campus in Katwijk"
    with use_locale("nl"):
        assert scope_phrase() == "in de regio"
        assert scope_phrase(None, "GM0537") == "in Katwijk"


@pytest.mark.parametrize(
    ("path", "status", "heading"),
    [
        ("/organisations/no-such-organisation", 404, "Niet gevonden"),
        ("/municipalities/GM9999", 404, "Niet gevonden"),
        ("/no/such/page", 404, "Niet gevonden"),
        ("/events?year_from=soon", 422, "Er is iets mis"),
    ],
)
def test_error_pages_are_in_dutch(
    leiden_client: TestClient, path: str, status: int, heading: str
) -> None:
    from tests.i18n.catalogue import untranslated

    reply = leiden_client.get(path, headers={"Accept-Language": "nl"})
    assert reply.status_code == status
    assert f"<h1>{heading}</h1>" in reply.text and "Terug naar de startpagina" in reply.text
    assert untranslated(reply.text, "nl") == []
    assert "exist" not in reply.text.split("<main>")[1]  # the message too, not only the frame


def test_labels_cached_for_one_language_are_not_served_in_another(
    leiden_client: TestClient,
) -> None:
    """The organisation page's similar organisations are memoised: one memo per language, and the
    texts they are found by stay English whichever language asks first."""
    path = "/organisations/batavia-biosciences"
    dutch = leiden_client.get(path, headers={"Accept-Language": "nl"}).text
    english = leiden_client.get(path, headers={"Accept-Language": "en"}).text
    similar = english.split("Similar organisations")[1].split("</section>")[0]
    assert "Company, " in similar and "Bedrijf, " not in english
    assert "Bedrijf, " in dutch
