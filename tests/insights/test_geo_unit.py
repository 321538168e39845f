"""The shipped map data: boundaries, the sites table and the placement rules."""

from __future__ import annotations

import math

from triplehelix.insights.service import geo
from triplehelix.insights.service.analysis import OrgRecord


def test_the_seven_municipalities_ship_with_their_boundaries() -> None:
    names = [m.name for m in geo.municipalities()]
    assert names == [
        "Katwijk",
        "Leiden",
        "Leiderdorp",
        "Noordwijk",
        "Oegstgeest",
        "Voorschoten",
        "Zoeterwoude",
    ]
    assert all(m.rings and len(m.rings[0]) > 30 for m in geo.municipalities())


def test_every_site_lies_inside_the_municipality_it_is_listed_under() -> None:
    table = geo.sites()
    rings = {m.name: m.rings for m in geo.municipalities()}
    points = [(mun, at) for mun, at in table.towns.values()]
    points += [(c.municipality, c.at) for c in table.campuses.values()]
    for mun, at in points:
        assert any(geo.inside(at, ring) for ring in rings[mun]), (mun, at)
    for key, at in table.addresses.items():
        town = key.rsplit(",", 1)[1].strip()
        assert any(geo.inside(at, ring) for ring in rings[town]), key


def test_placement_prefers_address_then_campus_then_town() -> None:
    table = geo.sites()
    lumc = OrgRecord(
        "lumc", "LUMC", city="Leiden", address="Albinusdreef 2, 2333 ZA Leiden", clusters=("lbsp",)
    )
    tenant = OrgRecord("t", "Tenant", city="Leiden", clusters=("key-region-leiden", "lbsp"))
    shop = OrgRecord("s", "Shop", city="Leiden", clusters=("key-region-leiden",))
    drone = OrgRecord("d", "Drone", city=None, clusters=("unmanned-valley",))
    partner = OrgRecord("p", "Partner", city="Oegstgeest", clusters=("lbsp",))
    away = OrgRecord("w", "Away", city="Delft", clusters=("unmanned-valley",))
    assert geo.place(lumc, table) == geo.Placement(
        "lumc", table.addresses["Albinusdreef 2, Leiden"], "address", "Leiden"
    )
    assert geo.place(tenant, table) == geo.Placement(
        "t", table.campuses["lbsp"].at, "campus", "Leiden"
    )
    assert geo.place(shop, table) == geo.Placement("s", table.towns["Leiden"][1], "town", "Leiden")
    assert geo.place(drone, table) == geo.Placement(
        "d", table.campuses["unmanned-valley"].at, "campus", "Katwijk"
    )
    # The park reaches into Oegstgeest in the data; such an organisation is drawn in its own town.
    assert geo.place(partner, table) == geo.Placement(
        "p", table.towns["Oegstgeest"][1], "town", "Oegstgeest"
    )
    assert geo.place(away, table) is None


def test_spread_fans_out_shared_sites_and_keeps_the_first_point() -> None:
    out = geo.spread([(4.0, 52.0)] * 3 + [(5.0, 52.0)])
    assert out[0] == (4.0, 52.0) and out[3] == (5.0, 52.0)
    assert len(set(out)) == 4
    assert math.dist(out[1], (4.0, 52.0)) < 0.002


def test_inside_on_a_square() -> None:
    square = ((0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0))
    assert geo.inside((0.5, 0.5), square) and not geo.inside((1.5, 0.5), square)
