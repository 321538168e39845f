"""Building blocks of faceted listings: word search conditions, facet counts, paging checks.

Facets are disjunctive: the counts of one facet are computed with every *other* filter applied,
so a person sees how many results each further value of that facet would add. Counts come from
one GROUP BY query per facet, never from loading rows into Python.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, or_, true
from sqlalchemy.orm import InstrumentedAttribute, Session

from triplehelix.directory.schemas import FacetValue
from triplehelix.errors import ValidationError

MAX_LIMIT = 500
Condition = ColumnElement[bool]
# A facet: how to filter by a set of its values, and how to count values under given conditions.
FilterFn = Callable[[Sequence[str]], Condition]
CountFn = Callable[[list[Condition]], Select[Any, int]]


def words(q: str | None) -> list[str]:
    """The lower-cased words of a query; every one of them must match."""
    return [w for w in (q or "").lower().split() if w]


def all_words_match(
    q: str | None, *columns: ColumnElement[str] | InstrumentedAttribute[str]
) -> Condition:
    """Each word occurs in at least one of `columns` (portable LIKE, wildcards escaped)."""
    conditions = [
        or_(*(col.contains(word, autoescape=True) for col in columns)) for word in words(q)
    ]
    return and_(true(), *conditions)


def check_paging(limit: int, offset: int) -> None:
    if not 1 <= limit <= MAX_LIMIT:
        raise ValidationError(f"limit: must be between 1 and {MAX_LIMIT}, got {limit}")
    if offset < 0:
        raise ValidationError(f"offset: must be 0 or more, got {offset}")


def check_choice(field: str, value: str, allowed: Iterable[str]) -> None:
    allowed = list(allowed)
    if value not in allowed:
        raise ValidationError(f"{field}: must be one of {', '.join(allowed)}, got {value!r}")


class Faceter:
    """Filters and disjunctive facet counts over one listing."""

    def __init__(
        self,
        filters: Mapping[str, FilterFn],
        counts: Mapping[str, CountFn],
        base: list[Condition],
        selected: Mapping[str, Sequence[str]],
    ) -> None:
        self.filters, self.counts, self.base = filters, counts, base
        self.selected = {k: list(v) for k, v in selected.items() if v}

    def conditions(self, skip: str | None = None) -> list[Condition]:
        conds = list(self.base)
        for name, values in self.selected.items():
            if name != skip:
                conds.append(self.filters[name](values))
        return conds

    def facet(self, session: Session, name: str, label: Callable[[str], str]) -> list[FacetValue]:
        counts: dict[str, int] = {
            str(value): int(n)
            for value, n in session.execute(self.counts[name](self.conditions(skip=name)))
            if value is not None
        }
        chosen = self.selected.get(name, [])
        for value in chosen:
            counts.setdefault(value, 0)
        values = [
            FacetValue(value=v, label=label(v), count=n, selected=v in chosen)
            for v, n in counts.items()
        ]
        return sorted(values, key=lambda f: (-f.count, f.label.lower()))

    def facets(
        self, session: Session, labels: Mapping[str, Callable[[str], str]]
    ) -> dict[str, list[FacetValue]]:
        return {name: self.facet(session, name, labels[name]) for name in self.counts}
