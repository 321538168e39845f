"""Needs in everyday words: the profile words of `data/lay_words.json` are added to the reading,
so "a pill" finds what "an oral small molecule" finds; on both databases."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from triplehelix.matching.service import match_need
from triplehelix.matching.service.index import MatchIndex, index_for
from triplehelix.matching.service.lay import phrases, widen


def test_everyday_phrases_add_the_profile_words_once() -> None:
    text, used = widen("pills or tablets, whichever is cheaper")
    assert text == "pills or tablets, whichever is cheaper oral small molecule"
    assert [phrase for phrase, _ in used] == ["pill"]  # inflections count; added once
    assert widen("does it irritate the skin")[0].endswith("skin irritation toxicity")


def test_a_need_in_the_profiles_words_is_left_alone() -> None:
    assert widen("an oral small molecule pill") == ("an oral small molecule pill", ())
    assert widen("cleanroom rental for cell therapy") == ("cleanroom rental for cell therapy", ())


def test_every_phrase_adds_words() -> None:
    assert phrases() and all(phrase.strip() and words for phrase, words in phrases())


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("matching-lay")


@pytest.fixture
def index(leiden: Session, cache_dir: Path) -> Iterator[MatchIndex]:
    yield index_for(leiden, cache_dir)


@pytest.mark.parametrize(
    ("everyday", "expert"),
    [
        ("does our ointment irritate the skin",
         "skin irritation and toxicity testing of a topical formulation"),
        ("tablets for a rare disease", "an oral small molecule for a rare disease"),
        ("pillen voor een zeldzame ziekte", "an oral small molecule for a rare disease"),
    ],
)  # fmt: skip
def test_everyday_words_find_what_the_profiles_words_find(
    index: MatchIndex, everyday: str, expert: str
) -> None:
    wanted = match_need(index, expert)
    found = match_need(index, everyday)
    assert wanted.items and found.items
    assert wanted.items[0].id in [i.id for i in found.items[:3]]
