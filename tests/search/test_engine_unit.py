"""Pinned rankings on a small corpus that can be checked by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from triplehelix.search import Document, SearchEngine, semantic_available
from triplehelix.search.service.embedder import shared_embedder


def doc(doc_id: str, kind: str, name: str, summary: str, key: str) -> Document:
    return Document(doc_id, kind, {"name": name, "summary": summary}, key)


CORPUS = [
    doc("o1", "organisation", "VectorWorks", "GMP manufacturing of AAV vectors for gene therapy.",
        "org:vectorworks"),
    doc("s1", "service", "Aseptic fill", "Aseptic filling of monoclonal antibodies into vials.",
        "org:fillco"),
    doc("o2", "organisation", "FillCo", "Contract manufacturer for biologics.", "org:fillco"),
    doc("f1", "facility", "Phase I unit",
        "Clinical research unit running first-in-human studies in healthy volunteers.", "org:cru"),
    doc("o3", "organisation", "SkyMed", "Drones that carry blood samples between hospitals.",
        "org:skymed"),
    doc("f2", "facility", "Thermal vacuum chamber", "Space test facility for small satellites.",
        "org:spacetest"),
]  # fmt: skip


@pytest.fixture
def lexical() -> SearchEngine:
    engine = SearchEngine(semantic=False)
    engine.add(CORPUS)
    return engine


def ids(hits: list) -> list[str]:  # type: ignore[type-arg]
    return [h.document.id for h in hits]


def test_lexical_ranking_is_pinned(lexical: SearchEngine) -> None:
    assert not lexical.semantic
    assert ids(lexical.search("GMP AAV vector")) == ["o1"]
    assert ids(lexical.search("manufacturing of biologics")) == ["o2", "o1"]
    assert ids(lexical.search("healthy volunteers")) == ["f1"]
    assert lexical.search("nothing matches xyzzy") == []


def test_hits_carry_evidence(lexical: SearchEngine) -> None:
    hit = lexical.search("GMP production of AAV vectors")[0]
    assert hit.matched_terms == ("gmp", "aav", "vectors")
    assert hit.lexical > 0 and hit.dense == 0
    assert SearchEngine.matched_fields(hit.document, hit.matched_terms) == ["summary"]


def test_type_filter_and_changes(lexical: SearchEngine) -> None:
    assert ids(lexical.search("manufacturing", types={"service", "facility"})) == []
    lexical.remove(["o2"])
    assert ids(lexical.search("biologics manufacturing")) == ["o1"]
    lexical.add([Document("s2", "service", {"name": "Biologics manufacturing"}, "org:new")])
    assert ids(lexical.search("biologics manufacturing"))[0] == "s2"


def test_entities_aggregate_their_documents(lexical: SearchEngine) -> None:
    entities = lexical.search_entities("aseptic filling of biologics")
    assert entities[0].key == "org:fillco"
    assert sorted(ids(list(entities[0].hits))) == ["o2", "s1"]


needs_model = pytest.mark.skipif(not semantic_available(), reason="embedding extra not installed")


@pytest.fixture(scope="module")
def semantic(tmp_path_factory: pytest.TempPathFactory) -> SearchEngine:
    engine = SearchEngine(cache_dir=tmp_path_factory.mktemp("cache"))
    engine.add(CORPUS)
    engine.build()
    return engine


@needs_model
@pytest.mark.parametrize(
    ("need", "best"),
    [
        ("fill-finish of a biologic", "org:fillco"),
        ("drone transport of blood samples between hospitals", "org:skymed"),
        ("thermal vacuum testing of a small satellite", "org:spacetest"),
        ("phase I study in healthy volunteers", "org:cru"),
        ("who can make a viral vector for our gene therapy", "org:vectorworks"),
    ],
)
def test_semantic_ranking_is_pinned(semantic: SearchEngine, need: str, best: str) -> None:
    assert semantic.semantic
    hits = semantic.search(need, limit=3)
    assert hits[0].dense > 0 and hits[0].score >= hits[-1].score
    assert semantic.search_entities(need, limit=1)[0].key == best


@needs_model
def test_semantic_finds_a_paraphrase_without_shared_words(semantic: SearchEngine) -> None:
    # no word in common with "Aseptic filling of monoclonal antibodies into vials"
    assert semantic.search("putting therapeutic proteins in containers")[0].document.id == "s1"


@needs_model
def test_restart_reads_embeddings_from_the_cache(
    semantic: SearchEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("embedded again despite the cache")

    monkeypatch.setattr(shared_embedder(), "embed", refuse)
    again = SearchEngine(cache_dir=semantic.cache_dir)
    again.add(CORPUS)
    again.build()
    assert semantic.best_passage("blood by drone", "o3") is not None
    assert isinstance(semantic.cache_dir, Path)


def test_empty_engine_returns_nothing() -> None:
    engine = SearchEngine(semantic=False)
    assert engine.search("anything") == []
    assert engine.search_entities("anything") == []


def test_extra_terms_widen_the_lexical_side_only(lexical: SearchEngine) -> None:
    assert ids(lexical.search("first-in-human")) == ["f1"]
    assert ids(lexical.search("a trial", extra_terms="healthy volunteers")) == ["f1"]
