"""Ranking rules, each against a naive reference or a hand-checked case."""

from __future__ import annotations

import itertools

from triplehelix.matching.service.rank import boosted, is_cross_cluster, need_cluster, regional

UMBRELLA = {"key-region-leiden", "medical-delta"}


def test_boost_is_proportional_to_agreements() -> None:
    assert boosted(0.5, 0) == 0.5
    assert boosted(0.5, 2) == 0.5 * 1.2


def naive_need_cluster(named: list[str], ranked: list[tuple[tuple[str, ...], float]]) -> str | None:
    for code in named:
        if code not in UMBRELLA:
            return code
    totals: dict[str, float] = {}
    for clusters, score in ranked:
        for code in clusters:
            if code not in UMBRELLA:
                totals[code] = totals.get(code, 0) + score
    best = max(totals.values(), default=None)
    return None if best is None else sorted(c for c, v in totals.items() if v == best)[0]


def test_need_cluster_matches_the_reference_on_every_small_case() -> None:
    clusters = [
        ("lbsp",),
        ("unmanned-valley",),
        ("lbsp", "key-region-leiden"),
        ("key-region-leiden",),
        (),
    ]
    for picks in itertools.product(range(len(clusters)), repeat=3):
        ranked = [(clusters[p], 1.0 / (i + 1)) for i, p in enumerate(picks)]
        for named in ([], ["key-region-leiden"], ["nl-space-campus"]):
            assert need_cluster(named, ranked, UMBRELLA) == naive_need_cluster(named, ranked)


def test_named_cluster_wins_over_the_results() -> None:
    ranked = [(("unmanned-valley",), 1.0), (("unmanned-valley",), 0.9)]
    assert need_cluster(["lbsp"], ranked, UMBRELLA) == "lbsp"


def test_cross_cluster() -> None:
    assert is_cross_cluster(("unmanned-valley", "key-region-leiden"), {"lbsp"}, UMBRELLA)
    assert not is_cross_cluster(("lbsp", "key-region-leiden"), {"lbsp"}, UMBRELLA)
    assert not is_cross_cluster(("key-region-leiden",), {"lbsp"}, UMBRELLA)  # umbrella only
    assert not is_cross_cluster((), {"lbsp"}, UMBRELLA)  # outside counterparty
    assert not is_cross_cluster(("unmanned-valley",), set(), UMBRELLA)
    # a two-domain need: neither of its clusters is cross-cluster
    assert not is_cross_cluster(("unmanned-valley",), {"lbsp", "unmanned-valley"}, UMBRELLA)


def test_outside_parties_yield_to_comparable_regional_results() -> None:
    assert regional(0.5, in_region=False) < regional(0.46, in_region=True)
    assert regional(0.6, in_region=False) > regional(0.5, in_region=True)  # clearly better stays
