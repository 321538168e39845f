"""Building blocks of faceted listings: word search conditions, facet counts, paging checks.

Facets are disjunctive: the counts of one facet are computed with every *other* filter applied,
so a person sees how many results each further value of that facet would add. Counts come from
GROUP BY queries (all facets in one UNION ALL round trip), never from loading rows into Python.

Statements are built once per *shape* of a request (which facets are active, how many search
words) with bound parameters for the values, and reused: building and cache-keying SQLAlchemy
statements was most of the CPU time of a listing request.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    CompoundSelect,
    Select,
    and_,
    bindparam,
    literal_column,
    or_,
    true,
    union_all,
)
from sqlalchemy.orm import InstrumentedAttribute, Session

from triplehelix.directory.schemas import FacetValue
from triplehelix.errors import ValidationError
from triplehelix.i18n import gettext as _

MAX_LIMIT = 500
MAX_WORDS = 12  # each word adds to the statement; statements are cached per word count
Condition = ColumnElement[bool]
Column = ColumnElement[str] | InstrumentedAttribute[str]
# A facet: how to filter by a (bound) list of its values, and how to count its values.
FilterFn = Callable[[BindParameter[Any]], Condition]
CountFn = Callable[[list[Condition]], Select[Any, int]]
PAGE: tuple[BindParameter[int], BindParameter[int]] = (bindparam("limit"), bindparam("offset"))


def words(q: str | None) -> list[str]:
    """The lower-cased words of a query; every one of them must match."""
    found = [w for w in (q or "").lower().split() if w]
    if len(found) > MAX_WORDS:
        raise ValidationError(
            _("q: at most %(max)d words, got %(n)d") % {"max": MAX_WORDS, "n": len(found)}
        )
    return found


def word_params(q: str | None) -> dict[str, str]:
    """LIKE patterns for the words of `q`, with the wildcards escaped (escape character /)."""
    escaped = (w.replace("/", "//").replace("%", "/%").replace("_", "/_") for w in words(q))
    return {f"w{i}": f"%{w}%" for i, w in enumerate(escaped)}


def word_like(column: Column, i: int) -> Condition:
    return column.like(bindparam(f"w{i}"), escape="/")


def all_words_match(n_words: int, *columns: Column) -> Condition:
    """Each of the `n_words` bound words occurs in at least one of `columns`."""
    conditions = [or_(*(word_like(col, i) for col in columns)) for i in range(n_words)]
    return and_(true(), *conditions)


def check_paging(limit: int, offset: int) -> None:
    if not 1 <= limit <= MAX_LIMIT:
        raise ValidationError(
            _("limit: must be between 1 and %(max)d, got %(n)d") % {"max": MAX_LIMIT, "n": limit}
        )
    if offset < 0:
        raise ValidationError(_("offset: must be 0 or more, got %(n)d") % {"n": offset})


def check_choice(field: str, value: str, allowed: Iterable[str]) -> None:
    allowed = list(allowed)
    if value not in allowed:
        choices = ", ".join(allowed)
        raise ValidationError(
            _("%(field)s: must be one of %(choices)s, got %(value)r")
            % {"field": field, "choices": choices, "value": value}
        )


def active(selected: Mapping[str, Sequence[str]]) -> tuple[str, ...]:
    """The facets with at least one value chosen, in a stable order (part of a shape key)."""
    return tuple(sorted(name for name, values in selected.items() if values))


def facet_params(selected: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
    return {f"f_{name}": list(values) for name, values in selected.items() if values}


class Faceter:
    """Filter conditions and the disjunctive facet-count statement for one shape of request."""

    def __init__(
        self,
        filters: Mapping[str, FilterFn],
        counts: Mapping[str, CountFn],
        base: list[Condition],
        active: Iterable[str],
    ) -> None:
        self.filters, self.counts, self.base = filters, counts, base
        self.active = tuple(active)

    def conditions(self, skip: str | None = None) -> list[Condition]:
        conds = list(self.base)
        for name in self.active:
            if name != skip:
                conds.append(self.filters[name](bindparam(f"f_{name}", expanding=True)))
        return conds

    def statement(self) -> CompoundSelect[Any]:
        """Every facet's counts as (value, count, facet) rows, one GROUP BY per facet."""
        # Facet names are our own constants, never user input, so they can be SQL literals.
        return union_all(
            *(
                count(self.conditions(skip=name)).add_columns(literal_column(f"'{name}'"))
                for name, count in self.counts.items()
            )
        )


def read_facets(
    session: Session,
    statement: CompoundSelect[Any],
    params: Mapping[str, Any],
    selected: Mapping[str, Sequence[str]],
    labels: Mapping[str, Callable[[str], str]],
) -> dict[str, list[FacetValue]]:
    """Run a facet statement; values chosen but absent from the results are listed with 0."""
    found: dict[str, dict[str, int]] = {name: {} for name in labels}
    for value, n, name in session.execute(statement, params):
        if value is not None:
            found[name][str(value)] = int(n)
    return {
        name: _values(counts, list(selected.get(name, [])), labels[name])
        for name, counts in found.items()
    }


def _values(
    counts: dict[str, int], chosen: list[str], label: Callable[[str], str]
) -> list[FacetValue]:
    for value in chosen:
        counts.setdefault(value, 0)
    values = [
        FacetValue.model_construct(value=v, label=label(v), count=n, selected=v in chosen)
        for v, n in counts.items()
    ]
    return sorted(values, key=lambda f: (-f.count, f.label.lower()))
