"""Matching people can trust, on both databases: the floor, what is missing, the region first,
outside marks, teams for two-sided needs, Dutch needs, and the analyser's equivalences.

Expectations are derived from the loaded data (which organisations are outside the region,
which facility kinds exist), not from dataset-wide counts.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from triplehelix.directory import models as m
from triplehelix.matching.service import FLOOR, ITEM_SHARE, MatchFilters, match_need
from triplehelix.matching.service.dutch import read
from triplehelix.matching.service.index import MatchIndex, index_for
from triplehelix.matching.service.understanding import requirements
from triplehelix.taxonomy import get_taxonomy


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("matching-trust")


@pytest.fixture
def index(leiden: Session, cache_dir: Path) -> Iterator[MatchIndex]:
    yield index_for(leiden, cache_dir)


def _ids(items: list) -> list[str]:  # type: ignore[type-arg]
    return [i.id for i in items]


def test_nonsense_gets_no_matches_and_says_so(index: MatchIndex) -> None:
    result = match_need(index, "qwzx blorft vrimble")
    assert result.items == []
    assert result.message and "Nothing" in result.message
    assert result.nearest  # offered separately, not as matches
    assert all(i.score < FLOOR for i in result.nearest)


def _kinds_without_facility(index: MatchIndex, leiden: Session) -> list[tuple[str, bool]]:
    """Facility kinds no facility has, in the taxonomy's order, and whether a profile names it."""
    have = set(leiden.scalars(select(m.Facility.kind)))
    named = {c for found in index.mentions.values() for c in found}
    return [
        (c, f"facility_kind:{c}" in named)
        for c in get_taxonomy().codes("facility_kind")
        if c not in have
    ]


def test_an_absent_facility_kind_gives_no_items_and_is_named(
    index: MatchIndex, leiden: Session
) -> None:
    absent = next(c for c, named in _kinds_without_facility(index, leiden) if not named)
    label = get_taxonomy().label("facility_kind", absent)
    result = match_need(index, f"we need a {label} for our project")
    assert result.items == []
    assert [x.code for x in result.missing] == [absent]
    assert result.message is not None and label in result.message


def test_an_unmentioned_designation_is_missing(index: MatchIndex) -> None:
    result = match_need(index, "a BSL-4 laboratory", filters=MatchFilters(region_only=True))
    assert result.items == []
    assert [x.label for x in result.missing] == ["BSL-4"]
    assert result.message == "Nothing in the region offers BSL-4"


def test_a_facility_kind_only_a_profile_names_is_not_missing(
    index: MatchIndex, leiden: Session
) -> None:
    kind = next(c for c, named in _kinds_without_facility(index, leiden) if named)
    label = get_taxonomy().label("facility_kind", kind)
    result = match_need(index, f"we need {label} for our samples")
    assert kind not in [x.code for x in result.missing]
    assert result.items


def test_a_named_requirement_nothing_mentions_is_missing(index: MatchIndex) -> None:
    named = {c for found in index.mentions.values() for c in found}
    absent = [r for r in requirements() if f"requirement:{r.code}" not in named]
    present = [r for r in requirements() if f"requirement:{r.code}" in named]
    assert absent
    r = absent[0]
    result = match_need(index, f"we are looking for a {r.label} for our project")
    assert result.items == []
    assert r.code in [x.code for x in result.missing]
    assert result.message is not None and r.label in result.message
    # not strict (a post's matches): reported, and the items above the floor stay
    loose = match_need(index, f"a {r.label} and GMP manufacturing", strict=False)
    assert r.code in [x.code for x in loose.missing] and loose.items
    for r in present:  # a requirement some profile names is never reported missing
        found = match_need(index, f"a {r.label} for our project")
        assert r.code not in [x.code for x in found.missing]


def test_a_need_is_answered_by_its_best_result_and_shows_those_close_below(
    index: MatchIndex,
) -> None:
    need = "phase I study in healthy volunteers"
    everything = match_need(index, need, 50, floor=0.0)
    top = everything.items[0].score
    assert match_need(index, need, 50, floor=top + 0.01).items == []
    shown = match_need(index, need, 50, floor=top)
    assert [i.id for i in shown.items] == [
        i.id for i in everything.items if i.score >= top * ITEM_SHARE
    ]
    assert shown.items[-1].score < top or len(shown.items) == 1


def test_items_carry_place_and_region_and_lead_somewhere(index: MatchIndex) -> None:
    result = match_need(index, "GMP production of an AAV vector for a first-in-human trial")
    assert result.items
    for item in result.items:
        assert item.links.page.endswith(item.id)
        assert item.links.interest is None  # only marketplace posts take interest
        if item.type == "facility":
            e = index.entities[f"facility:{item.id}"]
            assert (item.links.book is not None) == e.bookable
        if item.type == "organisation":
            e = index.entities[f"organisation:{item.id}"]
            assert item.in_region == e.in_region and item.place == e.city


def test_region_only_leaves_outside_parties_out_and_prefers_the_region(index: MatchIndex) -> None:
    need = "GMP manufacturing of a viral vector"
    everyone = match_need(index, need, 20)
    outside = [i for i in everyone.items if not i.in_region]
    assert outside, "the data has outside parties for this need"
    region = match_need(index, need, 20, MatchFilters(region_only=True))
    assert region.items and all(i.in_region for i in region.items)
    # in the combined list an outside party only ranks above an in-region one by a clear margin
    for n, a in enumerate(everyone.items):
        for b in everyone.items[n + 1 :]:
            if not a.in_region and b.in_region:
                assert a.why.semantic + a.why.lexical >= 0  # scores are comparable numbers
                assert a.score >= b.score


def test_outside_parties_are_marked_on_the_page(leiden_client) -> None:  # type: ignore[no-untyped-def]
    page = leiden_client.get(
        "/match", params={"q": "GMP manufacturing of a viral vector", "region": "all"}
    )
    assert page.status_code == 200
    assert "outside the region · " in page.text
    inside = leiden_client.get("/match", params={"q": "GMP manufacturing of a viral vector"})
    assert "outside the region · " not in inside.text.split("Nearest, not a match")[0]


def test_two_domain_need_gets_a_team_with_both_sides(index: MatchIndex) -> None:
    result = match_need(index, "satellite navigation for precise drone flights")
    sides = {s.domain: s for s in result.team}
    assert set(sides) == {"space", "drones"}
    for domain, side in sides.items():
        assert side.items
        for item in side.items:
            key = f"{'facility' if item.type == 'facility' else 'organisation'}:{item.id}"
            assert domain in index.entities[key].domains


def test_a_drone_need_is_read_as_a_drone_need(index: MatchIndex) -> None:
    result = match_need(index, "an indoor hall to test-fly our drone prototype")
    assert [d.code for d in result.understood.domains] == ["drones"]
    assert result.need_cluster is not None and result.need_cluster.code == "unmanned-valley"


def test_dutch_need_finds_what_the_english_wording_finds(index: MatchIndex) -> None:
    english = match_need(index, "phase I study in healthy volunteers")
    dutch = match_need(index, "fase I studie bij gezonde vrijwilligers")
    assert dutch.understood.language == "nl"
    assert english.items and dutch.items
    assert english.items[0].id in _ids(dutch.items[:3])


def test_dutch_reading_is_word_by_word_and_leaves_english_alone() -> None:
    tax = get_taxonomy()
    assert read("celtherapieproductie huren", tax).text == "cell therapy production rent"
    english = "cleanroom rental for cell therapy"
    assert read(english, tax).text == english
    assert read(english, tax).language == "en"


@pytest.mark.parametrize(
    ("a", "b"),
    [("cryo-EM microscope", "cryo EM microscope"), ("GMP, viral vector", "GMP viral vector"),
     ("Délft drone", "delft drone"), ('"cleanroom" (GMP)', "Cleanroom GMP")],
)  # fmt: skip
def test_analyser_equivalences_hold_through_the_matcher(index: MatchIndex, a: str, b: str) -> None:
    left, right = match_need(index, a), match_need(index, b)
    assert _ids(left.items) == _ids(right.items)
    assert _ids(left.nearest) == _ids(right.nearest)
