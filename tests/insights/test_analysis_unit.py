"""Analysis numbers against small tables and graphs worked out by hand."""

from __future__ import annotations

import pytest

from triplehelix.insights.schemas import Edge
from triplehelix.insights.service.analysis import (
    EventRecord,
    OrgRecord,
    counts_by,
    coverage_grid,
    default_first_year,
    gap_sentences,
    growth_series,
)
from triplehelix.insights.service.network import (
    NodeRecord,
    analyse_network,
    build_graph,
)


def upper(scheme: str, code: str) -> str:
    return code.upper()


ORGS = [
    OrgRecord("a", "Alpha", stages=("s1", "s2"), modalities=("m1",)),
    OrgRecord("b", "Beta", stages=("s1",), modalities=("m1", "m2")),
    OrgRecord("c", "Gamma", stages=("s2",)),
    OrgRecord("d", "Delta", modalities=("m2",)),
    OrgRecord("e", "Epsilon", stages=("s1", "s2"), modalities=("m1",)),
]


def test_coverage_grid_counts_every_tagged_cell() -> None:
    grid = coverage_grid(ORGS, ["s1", "s2", "s3"], ["m1", "m2"])
    assert grid.cells == [[3, 1], [2, 0], [0, 0]]
    assert grid.stage_totals == [3, 3, 0]
    assert grid.modality_totals == [3, 2]
    # Gamma has no modality and Delta no stage: they do not support any combination.
    assert grid.stage_support == [3, 2, 0]
    assert grid.modality_support == [3, 1]
    assert grid.members[0][1] == ["Beta"]


def test_gaps_name_absent_stages_and_well_supported_empty_cells() -> None:
    grid = coverage_grid(ORGS, ["s1", "s2", "s3"], ["m1", "m2"])
    assert gap_sentences(grid, upper, min_support=2) == ["No organisation in the region covers S3."]
    assert gap_sentences(grid, upper, scope="in Leiden", min_support=1) == [
        "No organisation in Leiden covers S3.",
        "No organisation in Leiden offers S2 for M2.",
        "Only one organisation in Leiden covers S1 for M2: Beta.",
    ]


def test_gaps_name_single_organisation_stages_and_absent_modalities() -> None:
    grid = coverage_grid(
        [OrgRecord("x", "Xeno", stages=("s1",), modalities=("m1",))], ["s1"], ["m1", "m2"]
    )
    assert gap_sentences(grid, upper) == [
        "No organisation in the region works on M2.",
        "Only one organisation in the region covers S1.",
        "Only one organisation in the region works on M1.",
    ]


GROWTH_ORGS = [
    OrgRecord("a", "A", founded=2001),
    OrgRecord("b", "B", founded=2003),
    OrgRecord("c", "C", founded=2003),
    OrgRecord("d", "D"),
    OrgRecord("e", "E", founded=1990),
]
EVENTS = [
    EventRecord(2003, "moved_in", ("b",)),
    EventRecord(2004, "founded", ("x",)),
    EventRecord(2004, "moved_in", ("c",)),
    EventRecord(2001, "launch", ("a",)),
]


def test_growth_per_year_and_cumulative_with_earlier_years_carried_in() -> None:
    g = growth_series(GROWTH_ORGS, EVENTS, ["founded", "moved_in", "launch"], first_year=2000)
    assert g.years == [2000, 2001, 2002, 2003, 2004]
    assert g.founded == [0, 1, 0, 2, 0]
    assert g.moved_in == [0, 0, 0, 1, 1]
    assert g.events == {
        "founded": [0, 0, 0, 0, 1],
        "moved_in": [0, 0, 0, 1, 1],
        "launch": [0, 1, 0, 0, 0],
    }
    assert g.cumulative_founded == [1, 2, 2, 4, 4]
    assert g.cumulative_moved_in == [0, 0, 0, 1, 2]
    assert g.cumulative_events == [0, 1, 1, 2, 4]
    assert g.before == {"founded": 1, "moved_in": 0, "events": 0}


def test_growth_starts_at_the_earliest_year_by_default_and_handles_no_data() -> None:
    g = growth_series(GROWTH_ORGS, EVENTS, ["launch"])
    assert g.years[0] == 1990 and g.years[-1] == 2004 and len(g.years) == 15
    assert g.cumulative_founded[-1] == 4
    assert growth_series([], [], ["launch"]).years == []


def test_default_first_year_and_counts() -> None:
    assert default_first_year([1575, 2000, 2025], span=40) == 1986
    assert default_first_year([2010, 2020], span=40) == 2010
    assert default_first_year([]) is None
    assert counts_by(["Leiden", None, "Katwijk", "Leiden"]) == {"Leiden": 2, "Katwijk": 1}


def two_cliques_and(extra: list[tuple[str, str]]) -> tuple[list[NodeRecord], list[Edge]]:
    a = [f"a{i}" for i in range(1, 5)]
    b = [f"b{i}" for i in range(1, 5)]
    pairs = [(x, y) for side in (a, b) for i, x in enumerate(side) for y in side[i + 1 :]]
    ids = sorted({n for pair in pairs + extra for n in pair})
    nodes = [NodeRecord(i, i.upper(), "left" if i.startswith("a") else "right") for i in ids]
    return nodes, [Edge(s, t, "partner_of") for s, t in pairs + extra]


def test_a_single_bridge_node_between_two_clusters_is_the_only_bridge() -> None:
    nodes, edges = two_cliques_and([("x", "a1"), ("x", "a2"), ("x", "b1"), ("x", "b2")])
    net = analyse_network(nodes, edges)
    assert len(net.communities) == 2
    assert {frozenset(c) - {"x"} for c in net.communities} == {
        frozenset({"a1", "a2", "a3", "a4"}),
        frozenset({"b1", "b2", "b3", "b4"}),
    }
    assert [b.id for b in net.bridges] == ["x"]
    by_id = {n.id: n for n in net.nodes}
    # x lies on every shortest path between the 4 x 4 cross pairs: 16 of the 28 pairs of others.
    assert by_id["x"].betweenness == pytest.approx(16 / 28, abs=1e-6)
    assert by_id["x"].degree == 4 and by_id["a1"].degree == 4 and by_id["a3"].degree == 3
    assert sum(by_id["x"].reaches.values()) == 2
    assert by_id["a1"].bridge is False and by_id["b1"].bridge is False


def test_one_incidental_link_between_clusters_makes_no_bridge() -> None:
    nodes, edges = two_cliques_and([("a1", "b1")])
    net = analyse_network(nodes, edges)
    assert len(net.communities) == 2
    assert net.bridges == []
    assert analyse_network(nodes, edges, min_bridge_links=1).bridges[0].id in {"a1", "b1"}


def test_repeated_relations_add_weight_not_neighbours() -> None:
    nodes = [NodeRecord("p", "P"), NodeRecord("q", "Q")]
    edges = [
        Edge("p", "q", "partner_of"),
        Edge("q", "p", "member_of"),
        Edge("p", "zz", "x"),
    ]
    graph = build_graph(nodes, edges)
    assert graph["p"]["q"]["weight"] == 2 and graph["p"]["q"]["kinds"] == [
        "partner_of",
        "member_of",
    ]
    assert graph.degree("p") == 1 and graph.number_of_nodes() == 2
