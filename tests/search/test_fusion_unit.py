"""Fusion and aggregation against naive references."""

from __future__ import annotations

import numpy as np
import pytest

from triplehelix.search.service import fusion


def naive_top_k(scores: list[float], k: int) -> list[int]:
    return sorted(range(len(scores)), key=lambda i: (-scores[i], i))[:k]


@pytest.mark.parametrize("k", [0, 1, 3, 7, 10])
def test_top_k_matches_sorting(k: int) -> None:
    scores = np.array([0.5, 0.1, 0.9, 0.5, 0.0, 0.9, 0.3], dtype=np.float32)
    assert fusion.top_k(scores, k).tolist() == naive_top_k(scores.tolist(), k)


def test_minmax_scales_candidates_to_unit_range() -> None:
    scores = np.array([2.0, 4.0, 6.0, 100.0], dtype=np.float32)
    out = fusion.minmax(scores, np.array([0, 1, 2]))
    assert out[:3].tolist() == [0.0, 0.5, 1.0]
    assert fusion.minmax(np.ones(3, dtype=np.float32), np.array([0, 1])).tolist() == [0, 0, 0]


def naive_convex(lex: list[float], den: list[float], depth: int, w: float) -> dict[int, float]:
    cands = set(naive_top_k(lex, depth)) | set(naive_top_k(den, depth))

    def norm(xs: list[float]) -> dict[int, float]:
        lo, hi = min(xs[i] for i in cands), max(xs[i] for i in cands)
        return {i: (xs[i] - lo) / (hi - lo) if hi > lo else 0.0 for i in cands}

    nl, nd = norm(lex), norm(den)
    return {i: w * nl[i] + (1 - w) * nd[i] for i in cands}


def test_convex_fusion_matches_reference() -> None:
    rng = np.random.default_rng(3)
    for _ in range(20):
        lex = rng.random(40).astype(np.float32) * (rng.random(40) > 0.5)
        den = rng.uniform(-1, 1, 40).astype(np.float32)
        fused, cands = fusion.convex_fusion(lex, den, depth=8, weight=0.4)
        expected = naive_convex(lex.tolist(), den.tolist(), 8, 0.4)
        assert set(cands.tolist()) == set(expected)
        for i, value in expected.items():
            assert fused[i] == pytest.approx(value, abs=1e-5)
        assert np.all(np.isneginf(np.delete(fused, cands)))


def test_rrf_matches_reference() -> None:
    rankings = [[3, 1, 2], [1, 4], [2, 3, 1, 5]]
    expected: dict[int, float] = {}
    for ranking in rankings:
        for position, doc in enumerate(ranking):
            expected[doc] = expected.get(doc, 0.0) + 1 / (60 + position + 1)
    assert fusion.rrf(rankings) == pytest.approx(expected)


def test_aggregate_best_hit_dominates_with_decaying_bonus() -> None:
    hits = [("a", 0.5), ("b", 0.9), ("a", 0.8), ("a", 0.1), ("c", 0.0)]
    out = fusion.aggregate(hits, decay=0.1)
    assert out == pytest.approx({"a": 0.8 + 0.05 + 0.001, "b": 0.9, "c": 0.0})
    assert fusion.aggregate(hits, decay=0.0)["a"] == pytest.approx(0.8)


def test_ceiling_fusion_matches_reference() -> None:
    rng = np.random.default_rng(7)
    lex = rng.random(50).astype(np.float32) * 8
    den = rng.random(50).astype(np.float32)
    fused, cands = fusion.ceiling_fusion(lex, 10.0, den, 5, 0.3)
    expected = set(np.argsort(-lex)[:5]) | set(np.argsort(-den)[:5])
    assert set(cands.tolist()) == expected
    for i in range(50):
        if i in expected:
            assert fused[i] == pytest.approx(0.3 * lex[i] / 10.0 + 0.7 * den[i], rel=1e-5)
        else:
            assert fused[i] == -np.inf


def test_ceiling_keeps_a_weak_lexical_match_weak() -> None:
    # one document matches one word of a long query; min-max would lift it to the top score
    lex = np.array([1.0, 0.0, 0.0], dtype=np.float32)
    den = np.array([0.2, 0.6, 0.1], dtype=np.float32)
    fused, _ = fusion.ceiling_fusion(lex, 10.0, den, 3, 0.5)
    assert int(np.argmax(fused)) == 1
    convex, _ = fusion.convex_fusion(lex, den, 3, 0.5)
    assert int(np.argmax(convex)) == 0
