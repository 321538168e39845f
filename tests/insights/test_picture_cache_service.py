"""Pictures are drawn once per distinct set of numbers, and redrawn when the numbers change."""

from __future__ import annotations

from sqlalchemy.orm import Session

from triplehelix.insights import service
from triplehelix.insights.pages import picture


def test_same_numbers_reuse_the_drawing_and_new_numbers_redraw(leiden: Session) -> None:
    everything = service.coverage(leiden)
    first = picture("coverage", "svg", everything)
    assert picture("coverage", "svg", everything) is first
    assert (
        picture("coverage", "svg", service.coverage(leiden)) is first
    )  # equal numbers, new object
    space = service.coverage(leiden, cluster="nl-space-campus")
    assert picture("coverage", "svg", space) != first
