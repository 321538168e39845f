"""Pure matching functions: name keys, acronyms, domains, scores and decisions."""

from __future__ import annotations

import pytest

from triplehelix.resolution.matcher import AUTO, REVIEW, Match, decide, make_profile, score_pair
from triplehelix.resolution.normalise import city_key, core, is_acronym, site_of, split_name


@pytest.mark.parametrize(
    ("name", "names", "acronyms"),
    [
        ("Centre for Human Drug Research (CHDR)", ["Centre for Human Drug Research"], ["CHDR"]),
        ("NWO (Dutch Research Council)", ["Dutch Research Council"], ["NWO"]),
        ("Alrijne Ziekenhuis (Leiden)", ["Alrijne Ziekenhuis"], []),
        ("DNV (Netherlands)", ["DNV"], ["DNV"]),
    ],
)
def test_split_name(name: str, names: list[str], acronyms: list[str]) -> None:
    assert split_name(name) == (names, acronyms)


def test_keys() -> None:
    assert core("Leyden Laboratories B.V.") == core("leyden laboratories") == "leyden laboratories"
    assert core("Grünenthal") == "grunenthal"
    assert (
        is_acronym("LUMC")
        and is_acronym("NLeSC")
        and not is_acronym("MinDef")
        and not is_acronym("Leiden")
    )
    assert city_key("Noordwijk-Binnen") == "noordwijk" and city_key("Delft Municipality") == "delft"
    assert site_of("https://www.esa.int/About_Us/ESTEC") == ("esa.int", False)
    assert site_of("https://www.astellas.com/en/index.html") == ("astellas.com", True)


def test_same_name_domain_city_is_confident() -> None:
    org = make_profile(
        "lumc", ["Leiden University Medical Center (LUMC)"], links=["lumc.nl"], city="Leiden"
    )
    rec = make_profile(
        "05xvt9f17", ["Leiden University Medical Center"], ["LUMC"], ["lumc.nl"], "Leiden"
    )
    match = score_pair(rec, org)
    assert match.score >= AUTO
    assert any("same web domain" in e for e in match.evidence)


def test_sub_unit_is_not_confident() -> None:
    org = make_profile("erasmus-mc", ["Erasmus MC"], city="Rotterdam")
    rec = make_profile("x", ["Erasmus MC Cancer Institute"], city="Rotterdam")
    assert score_pair(rec, org).score < AUTO


def test_different_city_lowers_score() -> None:
    a = make_profile("a", ["Heineken"], city="Zoeterwoude")
    b = make_profile("b", ["Heineken"], city="Amsterdam")
    c = make_profile("c", ["Heineken"], city="Zoeterwoude")
    assert score_pair(a, b).score < score_pair(a, c).score


def test_decide() -> None:
    assert decide([]) == ("none", [])
    assert decide([Match("a", 0.9), Match("b", 0.5)])[0] == "auto"
    assert decide([Match("a", 0.9), Match("b", 0.85)])[0] == "review"  # too close to call
    assert decide([Match("a", REVIEW)])[0] == "review"
    assert decide([Match("a", REVIEW - 0.01)])[0] == "none"
