"""The insight service on the bundled Leiden data, on both databases, checked against counts
computed independently from the dataset's JSON Lines files."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest
from sqlalchemy.orm import Session

from triplehelix.errors import ValidationError
from triplehelix.ingest.loader import bundled_dataset_path
from triplehelix.insights import service
from triplehelix.taxonomy import get_taxonomy


def read(name: str) -> list[dict[str, Any]]:
    path = bundled_dataset_path() / name
    return [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


ORGS = read("organisations.jsonl")
REGION = [o for o in ORGS if o["clusters"]]


def test_coverage_cells_match_the_dataset(leiden: Session) -> None:
    out = service.coverage(leiden)
    assert out.scope.organisations == len(REGION)
    for i, stage in enumerate(out.stages):
        for j, modality in enumerate(out.modalities):
            expected = sum(
                stage in o["value_chain"] and modality in o["modalities"] for o in REGION
            )
            assert out.cells[i][j] == expected, (stage, modality)
    assert out.stage_totals == [sum(s in o["value_chain"] for o in REGION) for s in out.stages]


def test_every_gap_sentence_is_true_to_the_dataset(leiden: Session) -> None:
    out = service.coverage(leiden)
    taxonomy = get_taxonomy()
    stage_of = {taxonomy.label("value_chain", s): s for s in out.stages}
    modality_of = {taxonomy.label("modality", m): m for m in out.modalities}
    assert out.gaps
    checked = 0
    for sentence in out.gaps:
        if " offers " in sentence:  # "No organisation in the region offers S for M."
            stage, modality = (
                sentence.removeprefix("No organisation in the region offers ")
                .rstrip(".")
                .split(" for ")
            )
            assert not any(
                stage_of[stage] in o["value_chain"] and modality_of[modality] in o["modalities"]
                for o in REGION
            )
            checked += 1
        elif " for " in sentence and sentence.startswith("Only one"):
            head, name = sentence.rstrip(".").split(": ", 1)
            stage, modality = head.removeprefix(
                "Only one organisation in the region covers "
            ).split(" for ")
            found = [
                o["name"]
                for o in REGION
                if stage_of[stage] in o["value_chain"] and modality_of[modality] in o["modalities"]
            ]
            assert found == [name]
            checked += 1
    assert checked >= 5
    # Microbiome has no organisation in the bundled data.
    assert "No organisation in the region works on Microbiome." in out.gaps


def test_coverage_by_cluster_and_by_municipality(leiden: Session) -> None:
    space = service.coverage(leiden, cluster="nl-space-campus")
    assert space.scope.organisations == sum("nl-space-campus" in o["clusters"] for o in ORGS)
    assert space.scope.phrase == "in NL Space Campus"
    katwijk = service.coverage(leiden, city="Katwijk")
    expected = [
        o
        for o in ORGS
        if (o["city"] or "").startswith("Katwijk")
        or (o["city"] is None and o["clusters"][:1] == ["unmanned-valley"])
    ]
    assert katwijk.scope.organisations == len(expected)
    assert all(g.endswith(".") and "in Katwijk" in g for g in katwijk.gaps)
    with pytest.raises(ValidationError, match="cluster"):
        service.coverage(leiden, cluster="atlantis")


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
    counts = {m.name: m.organisations for m in out.municipalities}
    assert counts["Leiden"] == sum(
        o["city"] == "Leiden" or (o["city"] is None and o["clusters"][:1] == ["lbsp"])
        for o in REGION
    )
    assert counts["Noordwijk"] == sum(
        o["city"] == "Noordwijk" or (o["city"] is None and o["clusters"][:1] == ["nl-space-campus"])
        for o in REGION
    )
    assert sum(counts.values()) + out.outside_region == len(REGION)
    assert len(out.organisations) == sum(counts.values())
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
