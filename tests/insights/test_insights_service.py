"""The insight service on the bundled Leiden data, on both databases, checked against counts
computed independently from the dataset's JSON Lines files."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest
from sqlalchemy.orm import Session

from triplehelix.errors import ValidationError
from triplehelix.ingest.service.loader import bundled_dataset_path
from triplehelix.insights import service
from triplehelix.region.schemas.gazetteer import get_gazetteer
from triplehelix.taxonomy import get_taxonomy


def read(name: str) -> list[dict[str, Any]]:
    path = bundled_dataset_path() / name
    return [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


ORGS = read("organisations.jsonl")
GAZ = get_gazetteer()


def _municipality(o: dict[str, Any]) -> str | None:
    return GAZ.locate(city=o["city"], address=o["address"], clusters=o["clusters"]).municipality


# In the region: a region municipality, or a region cluster (docs/region.md)
REGION = [o for o in ORGS if GAZ.in_region(_municipality(o), o["clusters"])]


def test_coverage_cells_match_the_dataset(leiden: Session) -> None:
    out = service.coverage(leiden)
    assert out.scope.organisations == len(REGION)
    assert [g.domain for g in out.domains] == ["life_sciences", "space", "drones"]
    for grid in out.domains:
        members = [o for o in REGION if grid.domain in o["domains"]]
        assert grid.organisations == len(members)
        assert grid.stages == get_taxonomy().stages(grid.domain)
        if grid.axis != "modality":
            continue
        for i, stage in enumerate(grid.stages):
            for j, modality in enumerate(grid.columns):
                expected = sum(
                    stage in o["value_chain"] and modality in o["modalities"] for o in members
                )
                assert grid.cells[i][j] == expected, (stage, modality)
        assert grid.stage_totals == [
            sum(s in o["value_chain"] for o in members) for s in grid.stages
        ]


def test_every_gap_sentence_is_true_to_the_dataset(leiden: Session) -> None:
    out = service.coverage(leiden)
    taxonomy = get_taxonomy()
    grid = out.domains[0]
    members = [o for o in REGION if "life_sciences" in o["domains"]]
    stage_of = {taxonomy.label("value_chain", s): s for s in grid.stages}
    modality_of = {taxonomy.label("modality", m): m for m in grid.columns}
    assert grid.gaps
    checked = 0
    for sentence in grid.gaps:
        if " offers " in sentence:  # "No organisation in the region offers S for M."
            stage, modality = (
                sentence.removeprefix("No organisation in the region offers ")
                .rstrip(".")
                .split(" for ")
            )
            assert not any(
                stage_of[stage] in o["value_chain"] and modality_of[modality] in o["modalities"]
                for o in members
            )
            checked += 1
        elif " for " in sentence and sentence.startswith("Only one"):
            head, name = sentence.rstrip(".").split(": ", 1)
            stage, modality = head.removeprefix(
                "Only one organisation in the region covers "
            ).split(" for ")
            found = [
                o["name"]
                for o in members
                if stage_of[stage] in o["value_chain"] and modality_of[modality] in o["modalities"]
            ]
            assert found == [name]
            checked += 1
    assert checked >= 5
    # Microbiome has no organisation in the bundled data.
    assert "No organisation in the region works on Microbiome." in grid.gaps
    # Gap sentences come from the domain's own stages only
    for other in out.domains[1:]:
        own = {taxonomy.label("value_chain", s) for s in other.stages}
        alien = {taxonomy.label("value_chain", s) for s in grid.stages}
        assert all(not any(a in g for a in alien) for g in other.gaps)
        assert any(any(o in g for o in own) for g in other.gaps) or not other.gaps


def test_coverage_by_cluster_and_by_municipality(leiden: Session) -> None:
    space = service.coverage(leiden, cluster="nl-space-campus")
    assert space.scope.organisations == sum("nl-space-campus" in o["clusters"] for o in REGION)
    assert space.scope.phrase == "in NL Space Campus"
    katwijk = service.coverage(leiden, city="Katwijk")
    expected = [o for o in ORGS if _municipality(o) == "GM0537"]
    assert katwijk.scope.organisations == len(expected)
    assert katwijk.scope.municipality == "GM0537"
    # Katwijk's organisations work in drones only: one grid, no pharma gaps
    assert [g.domain for g in katwijk.domains] == ["drones"]
    gaps = katwijk.domains[0].gaps
    assert gaps and all(g.endswith(".") and "in Katwijk" in g for g in gaps)
    assert not any("Clinical" in g or "Vaccines" in g for g in gaps)
    with pytest.raises(ValidationError, match="cluster"):
        service.coverage(leiden, cluster="atlantis")
    with pytest.raises(ValidationError, match="municipality"):
        service.coverage(leiden, municipality="Atlantis")


def test_growth_matches_founding_years_and_events(leiden: Session) -> None:
    out = service.growth(leiden, first_year=1500)
    founded = Counter(o["founded"] for o in REGION if o["founded"])
    assert {y: n for y, n in zip(out.years, out.founded, strict=True) if n} == dict(founded)
    region_ids = {o["id"] for o in REGION}
    events = [e for e in read("events.jsonl") if region_ids & set(e["orgs"])]
    moved = Counter(int(e["date"][:4]) for e in events if e["kind"] == "moved_in")
    assert {y: n for y, n in zip(out.years, out.moved_in, strict=True) if n} == dict(moved)
    assert out.cumulative_events[-1] == len(events)
    assert sum(out.events["launch"]) == sum(e["kind"] == "launch" for e in events)
    assert service.growth(leiden).years[0] >= out.years[-1] - 39


def test_network_nodes_edges_and_bridges(leiden: Session) -> None:
    relations = read("relations.jsonl")
    # partner_of has no direction: the same pair listed both ways is one relation.
    unique = {
        (r["kind"], *sorted((r["source"], r["target"])))
        if r["kind"] == "partner_of"
        else (r["kind"], r["source"], r["target"])
        for r in relations
    }
    out = service.network(leiden)
    assert len(out.edges) == len(unique)
    assert {n.id for n in out.nodes} == {r["source"] for r in relations} | {
        r["target"] for r in relations
    }
    assert out.bridges and all(b.links_to for b in out.bridges)
    assert [b.betweenness for b in out.bridges] == sorted(
        (b.betweenness for b in out.bridges), reverse=True
    )
    partners = service.network(leiden, kinds=["partner_of"])
    assert len(partners.edges) == sum(u[0] == "partner_of" for u in unique)
    with pytest.raises(ValidationError, match="kind"):
        service.network(leiden, kinds=["enemy_of"])


def test_map_counts_per_municipality(leiden: Session) -> None:
    out = service.region_map(leiden)
    counts = {m.code: m.organisations for m in out.municipalities}
    for code in GAZ.region_municipalities:
        assert counts[code] == sum(_municipality(o) == code for o in REGION), code
    # Valkenburg and Rijnsburg count for Katwijk
    assert counts["GM0537"] == sum(
        (o["city"] or "").startswith("Katwijk")
        or (o["city"] is None and _municipality(o)) == "GM0537"
        for o in ORGS
    )
    assert out.outside_region == len(ORGS) - len(REGION)
    assert len(out.organisations) + out.unplaced == len(REGION)
    placed = Counter(GAZ.code(p.municipality) for p in out.organisations)
    assert placed == {c: n for c, n in counts.items() if n}
    assert "CBS" in out.attribution


def test_data_info_counts_sources(leiden: Session) -> None:
    urls = {
        u
        for name in ("organisations.jsonl", "facilities.jsonl", "relations.jsonl", "events.jsonl")
        for r in read(name)
        for u in r["sources"]
    }
    info = service.data_info(leiden)
    assert info.sources == len(urls)
    assert (
        info.accessed
        == json.loads((bundled_dataset_path() / "dataset.json").read_text())["accessed"]
    )
