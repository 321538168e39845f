"""The faceted organisation listing: search words, five disjunctive facets, sorting, paging.

Re-exported by `directory.service`. Statements are built once per request shape (active facets,
number of words, sort) and cached; values travel as bound parameters.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any, NamedTuple

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Row,
    Select,
    bindparam,
    case,
    func,
    literal,
    select,
)
from sqlalchemy.orm import Session

from triplehelix.directory import models as m
from triplehelix.directory.facets import (
    PAGE,
    Condition,
    Faceter,
    active,
    all_words_match,
    check_choice,
    check_paging,
    facet_params,
    read_facets,
    word_like,
    word_params,
    words,
)
from triplehelix.directory.schemas import CodeLabel, OrganisationList, OrganisationListItem
from triplehelix.taxonomy import get_taxonomy

SORTS = ("relevance", "name", "founded", "-founded")
# Facet name in URLs and the API -> taxonomy scheme of its values (city has none).
ORGANISATION_FACETS = {
    "kind": "organisation_kind",
    "cluster": "cluster",
    "city": None,
    "stage": "value_chain",
    "modality": "modality",
}
TAG_SCHEMES = {"cluster": "cluster", "stage": "value_chain", "modality": "modality"}

Org, Tag = m.Organisation, m.OrganisationTag


class Statements(NamedTuple):
    total: Select[int]
    page: Select[*tuple[Any, ...]]
    facets: CompoundSelect[Any]


def _tag_filter(scheme: str) -> Any:
    def condition(values: Any) -> Condition:
        tagged = select(Tag.organisation_id).where(Tag.scheme == scheme, Tag.code.in_(values))
        return Org.id.in_(tagged)

    return condition


def _column_count(column: Any) -> Any:
    return lambda conds: select(column, func.count()).where(*conds).group_by(column)


def _tag_count(scheme: str) -> Any:
    def count(conds: list[Condition]) -> Select[Any, int]:
        return (
            select(Tag.code, func.count())
            .join(Org, Org.id == Tag.organisation_id)
            .where(Tag.scheme == scheme, *conds)
            .group_by(Tag.code)
        )

    return count


def _order(sort: str, n_words: int) -> list[Any]:
    if sort == "founded":
        return [Org.founded.is_(None), Org.founded, Org.name]
    if sort == "-founded":
        return [Org.founded.is_(None), Org.founded.desc(), Org.name]
    if sort == "relevance" and n_words:
        return [_relevance(n_words).desc(), Org.name]
    return [func.lower(Org.name), Org.id]


def _relevance(n_words: int) -> ColumnElement[int]:
    """A word in the name weighs more than one in the summary; the exact name beats both."""
    name, summary = func.lower(Org.name), func.lower(Org.summary)
    score: ColumnElement[int] = literal(0)
    for i in range(n_words):
        score = score + case((word_like(name, i), 4), else_=0)
        score = score + case((word_like(summary, i), 1), else_=0)
    return score + case((name == bindparam("exact"), 10), else_=0)


@lru_cache(maxsize=256)
def _statements(facets: tuple[str, ...], n_words: int, sort: str) -> Statements:
    filters: dict[str, Any] = {"kind": Org.kind.in_, "city": Org.city.in_}
    counts: dict[str, Any] = {"kind": _column_count(Org.kind), "city": _column_count(Org.city)}
    for facet, scheme in TAG_SCHEMES.items():
        filters[facet], counts[facet] = _tag_filter(scheme), _tag_count(scheme)
    counts = {name: counts[name] for name in ORGANISATION_FACETS}  # display order
    faceter = Faceter(filters, counts, [all_words_match(n_words, Org.search_text)], facets)
    conds = faceter.conditions()
    columns = (Org.id, Org.name, Org.kind, Org.city, Org.summary, Org.founded)
    return Statements(
        total=select(func.count()).select_from(Org).where(*conds),
        page=select(*columns)
        .where(*conds)
        .order_by(*_order(sort, n_words))
        .limit(PAGE[0])
        .offset(PAGE[1]),
        facets=faceter.statement(),
    )


def _facet_label(scheme: str | None) -> Any:
    tax = get_taxonomy()
    return (lambda v: v) if scheme is None else (lambda v: tax.label(scheme, v))


def list_organisations(
    session: Session,
    q: str | None = None,
    kind: Sequence[str] = (),
    cluster: Sequence[str] = (),
    city: Sequence[str] = (),
    stage: Sequence[str] = (),
    modality: Sequence[str] = (),
    sort: str | None = None,
    limit: int = 20,
    offset: int = 0,
) -> OrganisationList:
    """Organisations matching every word of `q` and, per facet, any of the values given."""
    sort = sort or ("relevance" if words(q) else "name")
    check_choice("sort", sort, SORTS)
    check_paging(limit, offset)
    selected = {"kind": kind, "cluster": cluster, "city": city, "stage": stage}
    selected["modality"] = modality
    statements = _statements(active(selected), len(words(q)), sort)
    params: dict[str, Any] = {**facet_params(selected), **word_params(q)}
    params["exact"] = (q or "").strip().lower()
    total = session.scalar(statements.total, params) or 0
    page = session.execute(statements.page, {**params, "limit": limit, "offset": offset}).all()
    labels = {name: _facet_label(scheme) for name, scheme in ORGANISATION_FACETS.items()}
    return OrganisationList.model_construct(
        total=total,
        limit=limit,
        offset=offset,
        items=_list_items(session, page),
        facets=read_facets(session, statements.facets, params, selected, labels),
    )


TAGS = (
    select(Tag.organisation_id, Tag.scheme, Tag.code)
    .where(
        Tag.organisation_id.in_(bindparam("ids", expanding=True)),
        Tag.scheme.in_(TAG_SCHEMES.values()),
    )
    .order_by(Tag.organisation_id, Tag.position)
)


def _list_items(session: Session, page: Sequence[Row[Any]]) -> list[OrganisationListItem]:
    """Listing rows from plain columns and one tag query: no ORM objects on the hot path."""
    tags: dict[str, dict[str, list[CodeLabel]]] = {row.id: {} for row in page}
    tax = get_taxonomy()
    for org_id, scheme, code in session.execute(TAGS, {"ids": list(tags)}):
        label = CodeLabel.model_construct(code=code, label=tax.label(scheme, code))
        tags[org_id].setdefault(scheme, []).append(label)
    return [
        OrganisationListItem.model_construct(
            id=row.id,
            name=row.name,
            kind=row.kind,
            kind_label=tax.label("organisation_kind", row.kind),
            city=row.city,
            summary=row.summary,
            founded=row.founded,
            clusters=tags[row.id].get("cluster", []),
            value_chain=tags[row.id].get("value_chain", []),
            modalities=tags[row.id].get("modality", []),
        )
        for row in page
    ]
