"""Event dates as stored (a year, a month or a day) read in the request's language."""

from __future__ import annotations

import pytest

from triplehelix.directory.pages import partial_date
from triplehelix.i18n import use_locale


@pytest.mark.parametrize(
    ("stored", "english", "dutch"),
    [
        ("2019", "2019", "2019"),
        ("2019-05", "May 2019", "mei 2019"),
        ("2019-05-14", "14 May 2019", "14 mei 2019"),
        ("2019-13", "2019-13", "2019-13"),  # not a date: shown as stored, never an error
        ("circa 2019", "circa 2019", "circa 2019"),
        ("", "", ""),
    ],
)
def test_partial_dates_follow_the_locale(stored: str, english: str, dutch: str) -> None:
    with use_locale("en"):
        assert partial_date(stored) == english
    with use_locale("nl"):
        assert partial_date(stored) == dutch
