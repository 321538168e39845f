"""Small pure ranking rules on top of the engine's fused scores: taxonomy agreement and clusters."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

# Each recognised stage, modality or facility kind that a profile also carries lifts its score
# by this share; retrieval decides the order, agreement on the taxonomy only breaks near-ties.
AGREEMENT_BOOST = 0.1


# An outside party keeps this share of its score: among comparable results (within ~10 %) the
# region's own come first, while a clearly better outside answer still ranks above.
OUTSIDE_SHARE = 0.9


def regional(score: float, in_region: bool, share: float = OUTSIDE_SHARE) -> float:
    return score if in_region else score * share


def boosted(score: float, agreements: int, boost: float = AGREEMENT_BOOST) -> float:
    return score * (1.0 + boost * agreements)


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


def is_cross_cluster(clusters: Sequence[str], home: set[str], umbrella: set[str]) -> bool:
    """From another cluster than the need's: it has a specific cluster, and none of the need's."""
    specific = {c for c in clusters if c not in umbrella}
    return bool(home) and bool(specific) and not (home & specific)
