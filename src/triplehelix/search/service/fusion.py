"""Small pure functions that turn per-retriever scores into one ranking, and hits into entities.

Each has a naive reference implementation in the tests. Scores arrive as dense vectors over all
documents (BM25 gives 0 to documents without a query term; cosine lies in [-1, 1]).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int64]
RRF_K = 60  # the constant of Cormack et al. (2009)
DECAY = 0.1  # aggregate: the share of an entity's second document, squared for the third, ...


def top_k(scores: FloatArray, k: int) -> IntArray:
    """Indices of the k highest scores, best first; ties broken by lower index."""
    k = min(k, len(scores))
    if k <= 0:
        return np.zeros(0, dtype=np.int64)
    if k < len(scores):
        # everything tied with the k-th best stays in, so ties resolve by index, not by chance
        kth = np.partition(scores, len(scores) - k)[len(scores) - k]
        part = np.flatnonzero(scores >= kth)
    else:
        part = np.arange(len(scores))
    order = np.lexsort((part, -scores[part]))
    return part[order][:k].astype(np.int64)


def minmax(scores: FloatArray, over: IntArray) -> FloatArray:
    """Scale so the candidates `over` span [0, 1]; a flat list scales to zeros."""
    if len(over) == 0:
        return np.zeros_like(scores)
    lo, hi = float(scores[over].min()), float(scores[over].max())
    if hi <= lo:
        return np.zeros_like(scores)
    out: FloatArray = ((scores - lo) / (hi - lo)).astype(np.float32)
    return out


def convex_fusion(
    lexical: FloatArray, dense: FloatArray, depth: int, weight: float = 0.5
) -> tuple[FloatArray, IntArray]:
    """Min-max normalise each retriever over the union of both top-`depth` lists, then mix.

    Returns the fused scores (meaningful on the candidates) and the candidate indices. Documents
    outside the union cannot outrank it, so only candidates are scored.
    """
    cands = np.union1d(top_k(lexical, depth), top_k(dense, depth))
    fused = np.full(len(lexical), -np.inf, dtype=np.float32)
    lex, den = minmax(lexical, cands), minmax(dense, cands)
    fused[cands] = weight * lex[cands] + (1 - weight) * den[cands]
    return fused, cands


def ceiling_fusion(
    lexical: FloatArray, ceiling: float, dense: FloatArray, depth: int, weight: float
) -> tuple[FloatArray, IntArray]:
    """Mix BM25 scaled by the query's own ceiling with raw cosine similarity.

    `ceiling` is the best score any document could reach for this query (every query word
    matched as strongly as anywhere in the corpus; words found nowhere count as unmatched). A
    document matching one common word therefore scores low, where min-max scaling would lift the
    best weak match to 1 — the failure when a need is phrased in words the profiles do not use.
    """
    cands = np.union1d(top_k(lexical, depth), top_k(dense, depth))
    fused = np.full(len(lexical), -np.inf, dtype=np.float32)
    lex = lexical[cands] / ceiling if ceiling > 0 else np.zeros(len(cands), dtype=np.float32)
    fused[cands] = weight * lex + (1 - weight) * dense[cands]
    return fused, cands


def rrf(rankings: Sequence[Sequence[int]], k: int = RRF_K) -> dict[int, float]:
    """Reciprocal-rank fusion: each list adds 1 / (k + rank), rank counted from 1."""
    out: dict[int, float] = defaultdict(float)
    for ranking in rankings:
        for rank, doc in enumerate(ranking, start=1):
            out[doc] += 1.0 / (k + rank)
    return dict(out)


def aggregate(hits: Iterable[tuple[str, float]], decay: float = DECAY) -> dict[str, float]:
    """An entity scores as its best document plus a decaying share of its next ones.

    The best hit dominates, so one strong match beats many weak ones, while a second matching
    service or facility still breaks ties between otherwise equal entities.
    """
    by_key: dict[str, list[float]] = defaultdict(list)
    for key, score in hits:
        by_key[key].append(score)
    out: dict[str, float] = {}
    for key, scores in by_key.items():
        scores.sort(reverse=True)
        out[key] = sum(s * decay**i for i, s in enumerate(scores))
    return out
