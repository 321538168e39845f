"""BM25 scores against a naive, formula-by-formula reference."""

from __future__ import annotations

import math

import numpy as np
import pytest

from triplehelix.search.service.lexical import LexicalIndex

DOCS = [
    ["gmp", "manufactur", "aav", "vector"],
    ["aav", "gene", "therapi", "aav", "capsid"],
    ["phase", "trial", "healthi", "volunt"],
    ["gmp", "cleanroom", "iso", "class", "gmp", "grade"],
    [],
]


def naive_bm25(
    docs: list[list[str]], query: list[str], k1: float = 1.2, b: float = 0.75
) -> list[float]:
    n = len(docs)
    avg = sum(len(d) for d in docs) / n
    out = []
    for doc in docs:
        score = 0.0
        for term in query:
            df = sum(term in d for d in docs)
            if df == 0:
                continue
            idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
            tf = doc.count(term)
            score += idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * len(doc) / avg))
        out.append(score)
    return out


@pytest.mark.parametrize(
    "query",
    [["aav"], ["gmp", "aav"], ["gmp", "gmp"], ["trial", "nothing"], [], ["cleanroom", "capsid"]],
)
def test_scores_match_naive_reference(query: list[str]) -> None:
    index = LexicalIndex.build(DOCS)
    np.testing.assert_allclose(index.scores(query), naive_bm25(DOCS, query), rtol=1e-5)


def test_matched_terms_are_those_in_the_document() -> None:
    index = LexicalIndex.build(DOCS)
    query = ["gmp", "aav", "trial", "unknown", "gmp"]
    assert index.matched(query, [0, 4, 2, 3]) == [["gmp", "aav"], [], ["trial"], ["gmp"]]
    assert index.matched(["capsid"], []) == []


def test_random_corpus_matches_reference() -> None:
    rng = np.random.default_rng(7)
    vocab = [f"t{i}" for i in range(30)]
    docs = [list(rng.choice(vocab, size=int(rng.integers(1, 25)))) for _ in range(60)]
    index = LexicalIndex.build(docs)
    for _ in range(10):
        query = list(rng.choice(vocab, size=3))
        np.testing.assert_allclose(index.scores(query), naive_bm25(docs, query), rtol=1e-4)


@pytest.mark.parametrize(
    "query", [["aav"], ["gmp", "aav"], ["gmp", "gmp", "trial"], ["aav", "unknown"], ["nothing"]]
)
def test_ceiling_is_the_best_possible_score(query: list[str]) -> None:
    index = LexicalIndex.build(DOCS)
    known = [t for t in query if any(t in d for d in DOCS)]
    # naive: each known term's best weight over all documents (as a one-word query), times uses
    best = {t: max(naive_bm25(DOCS, [t])) for t in set(known)}
    expected = sum(best[t] for t in known)
    expected += (len(query) - len(known)) * (max(best.values()) if best else 0.0)
    assert index.ceiling(query) == pytest.approx(expected, rel=1e-5)
    assert max(naive_bm25(DOCS, query)) <= index.ceiling(query) + 1e-6
