"""The query analyser: equal queries give equal terms; no query syntax survives."""

from __future__ import annotations

import pytest

from triplehelix.errors import ValidationError
from triplehelix.search.schemas.analyse import Term, fold, normalised, stem_variants, stems, terms

EQUIVALENT = [
    ("cryo-EM", "cryo EM"),
    ("BSL-3", "BSL3"),
    ("GMP, viral vector", "GMP viral vector"),
    ("GMP?", "GMP"),
    ("viral vector.", "viral vector"),
    ('"viral vectors"', "viral vectors"),
    ("(GMP)", "GMP"),
    ("Délft", "delft"),
    ("CRYO\u2013EM", "cryo em"),
]


@pytest.mark.parametrize(("typed", "plain"), EQUIVALENT)
def test_spellings_of_one_query_give_the_same_terms(typed: str, plain: str) -> None:
    assert terms(typed) == terms(plain)
    assert normalised(typed) == normalised(plain)


@pytest.mark.parametrize(
    "hostile",
    [
        "a AND b",
        "NEAR(a b)",
        "vac*",
        '"unbalanced',
        "a:b",
        "x') OR 1=1 --",
        "a & !b | c <-> d",
        "^x",
    ],
)
def test_no_query_operator_survives(hostile: str) -> None:
    for term in terms(hostile):
        assert term.text.isalnum(), term
        assert term.text not in {"and", "or", "not"}


def test_a_letter_digit_compound_keeps_its_parts() -> None:
    assert terms("BSL-3 lab") == [Term("bsl3", ("bsl", "3")), Term("lab")]
    assert terms("3D") == [Term("3d", ("3", "d"))]


def test_other_hyphens_separate_words() -> None:
    assert [t.text for t in terms("spin-off of co-working")] == ["spin", "off", "co", "working"]


def test_singular_and_plural_share_a_stem_in_english_and_dutch() -> None:
    assert stems(["antibody"]) == stems(["antibodies"])
    assert stems(["ziekenhuizen"], "dutch") == stems(["ziekenhuis"], "dutch")
    assert stem_variants("antibodies")[0] == stems(["antibody"])[0]


def test_fold_removes_diacritics() -> None:
    assert fold("Café Zoë") == "cafe zoe"


def test_repeated_words_count_once_and_too_many_is_an_error() -> None:
    assert terms("gmp GMP gmp") == [Term("gmp")]
    with pytest.raises(ValidationError, match="q: at most 12 words"):
        terms(" ".join(f"w{i}x" for i in range(13)))


def test_only_function_words_leave_nothing() -> None:
    assert terms("the AND of") == []
    assert terms(None) == []
