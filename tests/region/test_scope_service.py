"""One scope, one number: on both databases, for every municipality and cluster the directory,
the map, coverage and the municipality figures count the same organisations; every coverage cell's
link lists exactly the cell's count; outside parties are marked and never counted."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from triplehelix.directory import models as m
from triplehelix.directory import service as directory
from triplehelix.insights import service as insights
from triplehelix.region import service as region
from triplehelix.region.schemas.gazetteer import get_gazetteer
from triplehelix.region.schemas.marks import region_marks
from triplehelix.taxonomy import get_taxonomy

GAZ = get_gazetteer()
CLUSTERS = get_taxonomy().codes("cluster")


def _listing(session: Session, query: dict[str, list[str]]) -> int:
    region = query.pop("region", ["all"])[0]
    keys = ("kind", "cluster", "city", "stage", "modality", "domain", "municipality", "partner")
    args: dict[str, Any] = {k: query.get(k, []) for k in keys}
    return directory.list_organisations(
        session,
        kind=args["kind"],
        cluster=args["cluster"],
        city=args["city"],
        stage=args["stage"],
        modality=args["modality"],
        domain=args["domain"],
        municipality=args["municipality"],
        partner=args["partner"],
        region=region,
    ).total


@pytest.mark.parametrize("code", GAZ.region_municipalities)
def test_every_municipality_counts_the_same_everywhere(leiden: Session, code: str) -> None:
    listed = _listing(leiden, {"municipality": [code], "region": ["in"]})
    on_map = {mu.code: mu.organisations for mu in insights.region_map(leiden).municipalities}
    coverage = insights.coverage(leiden, municipality=code)
    figures = region.get_municipality(leiden, code)
    assert listed == on_map[code] == coverage.scope.organisations == figures.organisations
    assert listed == len(figures.organisations_list)
    # the scope's own directory parameters list the same set
    assert _listing(leiden, {k: [v] for k, v in coverage.scope.params.items()}) == listed
    assert sum(d.count for d in figures.by_kind) == listed


@pytest.mark.parametrize("cluster", CLUSTERS)
def test_every_cluster_counts_the_same_everywhere(leiden: Session, cluster: str) -> None:
    coverage = insights.coverage(leiden, cluster=cluster)
    listed = _listing(leiden, {"cluster": [cluster], "region": ["in"]})
    region_map = insights.region_map(leiden, cluster=cluster)
    assert coverage.scope.organisations == listed
    assert len(region_map.organisations) + region_map.unplaced == listed
    assert insights.growth(leiden, cluster=cluster).scope.organisations == listed


@pytest.mark.parametrize("scope", [{}, {"municipality": "GM0537"}, {"cluster": "lbsp"}])
def test_every_coverage_cell_link_lists_the_cells_count(
    leiden: Session, scope: dict[str, str]
) -> None:
    out = insights.coverage(leiden, **scope)
    checked = 0
    for grid in out.domains:
        for row, links in zip(grid.cells, grid.links, strict=True):
            for n, link in zip(row, links, strict=True):
                if n or checked % 7 == 0:  # every non-empty cell and a sample of empty ones
                    assert _listing(leiden, parse_qs(urlsplit(link).query)) == n, link
                checked += 1
    assert checked


def test_katwijk_shows_its_drone_chain_and_no_pharma_gaps(leiden: Session) -> None:
    out = insights.coverage(leiden, municipality="Katwijk")
    assert [g.domain for g in out.domains] == ["drones"]
    drones = out.domains[0]
    assert drones.stages == get_taxonomy().stages("drones")
    assert drones.axis == "helix" and sum(drones.stage_totals) > 0
    labels = {
        get_taxonomy().label("value_chain", s) for s in get_taxonomy().stages("life_sciences")
    }
    assert not any(label in g for g in drones.gaps for label in labels)
    noordwijk = insights.coverage(leiden, municipality="GM0575")
    assert "space" in [g.domain for g in noordwijk.domains]


def test_outside_parties_are_marked_and_not_counted(leiden: Session) -> None:
    outside = leiden.scalars(select(m.Organisation).where(m.Organisation.in_region.is_(False)))
    outside_ids = {o.id for o in outside}
    assert "ccrm" in outside_ids and "gemeente-katwijk" not in outside_ids
    marks = region_marks(leiden, ["ccrm", "gemeente-katwijk", "no-such-org"])
    assert marks["ccrm"].outside == "outside the region · Toronto"
    assert marks["gemeente-katwijk"].outside is None
    assert "no-such-org" not in marks
    region_ids = {
        r.id for r in insights.select_scope(leiden, insights.organisation_records(leiden))[0]
    }
    assert not region_ids & outside_ids
    listing = directory.list_organisations(leiden, region="out", limit=500)
    assert {o.id for o in listing.items} == outside_ids
    assert all(o.outside and o.outside.startswith("outside the region") for o in listing.items)
    total = directory.list_organisations(leiden).total
    assert directory.list_organisations(leiden, region="in").total + listing.total == total


def test_partnership_filter_is_built_from_relations(leiden: Session) -> None:
    members = set(
        leiden.scalars(
            select(m.Relation.source_id).where(
                m.Relation.kind == "member_of", m.Relation.target_id == GAZ.partnership
            )
        )
    )
    partners = directory.list_organisations(leiden, partner=["any"], limit=500)
    assert {o.id for o in partners.items} == members
    roles = {v.value: v.count for v in partners.facets["partner"]}
    assert sum(n for r, n in roles.items() if r != "any") == len(members)
    associations = directory.list_organisations(leiden, partner=["business_association"])
    assert "plnt" in {o.id for o in associations.items}  # an incubator by kind
    assert roles["municipality"] == len(GAZ.region_municipalities)


def test_own_record_of_a_municipality(leiden: Session) -> None:
    katwijk = region.get_municipality(leiden, "GM0537")
    assert katwijk.record is not None and katwijk.record.id == "gemeente-katwijk"
    assert katwijk.name == "Katwijk" and "Valkenburg" in katwijk.places
    assert {d.code for d in katwijk.by_domain} == {"drones"}
