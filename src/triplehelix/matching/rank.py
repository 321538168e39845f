"""Small pure ranking rules on top of the engine's fused scores: taxonomy agreement and clusters."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

# Each recognised stage, modality or facility kind that a profile also carries lifts its score
# by this share; retrieval decides the order, agreement on the taxonomy only breaks near-ties.
AGREEMENT_BOOST = 0.1
UMBRELLA_SHARE = 0.5  # a cluster tag on more than half the organisations says nothing specific


def boosted(score: float, agreements: int, boost: float = AGREEMENT_BOOST) -> float:
    return score * (1.0 + boost * agreements)


def umbrella_clusters(cluster_lists: Iterable[Sequence[str]]) -> set[str]:
    """Clusters so common (a whole region's partnership tag) that they tell clusters apart not."""
    lists = [c for c in cluster_lists if c]
    counts = Counter(code for clusters in lists for code in set(clusters))
    return {code for code, n in counts.items() if lists and n / len(lists) > UMBRELLA_SHARE}


def need_cluster(
    named: Iterable[str], ranked_clusters: Sequence[tuple[Sequence[str], float]], umbrella: set[str]
) -> str | None:
    """The cluster a need belongs to: one it names, else the score-weighted majority of the top."""
    specific = [c for c in named if c not in umbrella]
    if specific:
        return specific[0]
    weights: dict[str, float] = {}
    for clusters, score in ranked_clusters:
        for code in clusters:
            if code not in umbrella:
                weights[code] = weights.get(code, 0.0) + score
    if not weights:
        return None
    return min(weights, key=lambda code: (-weights[code], code))


def is_cross_cluster(clusters: Sequence[str], home: str | None, umbrella: set[str]) -> bool:
    """From another cluster than the need's: it has a specific cluster, and not the need's."""
    specific = [c for c in clusters if c not in umbrella]
    return home is not None and bool(specific) and home not in specific
