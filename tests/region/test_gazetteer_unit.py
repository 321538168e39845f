"""The gazetteer maps the places of the bundled data to CBS municipalities (pure functions)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from triplehelix.ingest.service.loader import bundled_dataset_path
from triplehelix.region.schemas.gazetteer import Gazetteer, get_gazetteer

RECORDS = [
    json.loads(line)
    for line in (bundled_dataset_path() / "organisations.jsonl").read_text("utf-8").splitlines()
]


@pytest.mark.parametrize(
    ("place", "code"),
    [
        ("Valkenburg", "GM0537"),
        ("Katwijk (Valkenburg)", "GM0537"),
        ("Rijnsburg", "GM0537"),
        ("katwijk  (rijnsburg)", "GM0537"),
        ("Noordwijk aan Zee", "GM0575"),
        ("Oegstgeest", "GM0579"),
        ("Voorschoten", "GM0626"),
        ("Den Haag", "GM0518"),
        ("Toronto", None),
    ],
)
def test_places_map_to_their_municipality(place: str, code: str | None) -> None:
    assert get_gazetteer().place(place) == code


def test_every_place_in_the_bundled_data_maps_or_is_marked_outside() -> None:
    gaz = get_gazetteer()
    for r in RECORDS:
        if r["city"]:
            assert gaz.knows(r["city"]), r["city"]
        if r["address"]:
            assert gaz.address(r["address"]) is not None, r["address"]


def test_addresses_are_read_after_the_postcode() -> None:
    gaz = get_gazetteer()
    assert (
        gaz.address("Poortgebouw Noord, Rijnsburgerweg 10, 2333 AA Leiden (2014 listing)")
        == "GM0546"
    )
    assert gaz.address("Kapteynstraat 1, 2201 BB Noordwijk") == "GM0575"
    assert gaz.address("Somewhere 1, 1234 AB Nowhere") is None


def test_locate_prefers_the_record_then_city_then_address_then_campus() -> None:
    gaz = get_gazetteer()
    assert (
        gaz.locate(city="Leiden", address=None, clusters=[], municipality="GM0537").how == "record"
    )
    assert gaz.locate(city="Rijnsburg", address="X 1, Leiden", clusters=[]).municipality == "GM0537"
    assert gaz.locate(city=None, address="X 1, 2222 AB Katwijk", clusters=[]).how == "address"
    on_campus = gaz.locate(city=None, address=None, clusters=["nl-space-campus"])
    assert (on_campus.municipality, on_campus.how) == ("GM0575", "campus")
    abroad = gaz.locate(city="Toronto", address=None, clusters=["lbsp"])
    assert (abroad.municipality, abroad.country) == (None, "Canada")


def test_in_region_by_municipality_or_region_cluster() -> None:
    gaz = get_gazetteer()
    assert gaz.in_region("GM0537", [])
    assert not gaz.in_region("GM0363", [])
    assert gaz.in_region("GM0363", ["unmanned-valley"])
    assert not gaz.in_region(None, ["medical-delta"])
    assert len(gaz.region_municipalities) == 7


def test_a_region_brings_its_own_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "gazetteer.json"
    path.write_text(
        json.dumps(
            {
                "region": {"name": "Twente", "municipalities": ["GM0153"], "clusters": []},
                "municipalities": {"GM0153": {"name": "Enschede", "places": ["Glanerbrug"]}},
            }
        ),
        "utf-8",
    )
    monkeypatch.setenv("TRIPLEHELIX_GAZETTEER", str(path))
    gaz = get_gazetteer()
    assert gaz.region == "Twente" and gaz.place("Glanerbrug") == "GM0153"
    assert gaz.place("Leiden") is None


def test_a_gazetteer_naming_an_unknown_region_municipality_is_refused() -> None:
    with pytest.raises(ValueError, match="GM0001"):
        Gazetteer.from_dict(
            {"region": {"name": "x", "municipalities": ["GM0001"]}, "municipalities": {}}
        )
