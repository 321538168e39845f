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
    select,
)
from sqlalchemy.orm import Session

from triplehelix.directory import models as m
from triplehelix.directory.schemas import CodeLabel, OrganisationList, OrganisationListItem
from triplehelix.directory.service.facets import (
    PAGE,
    Faceter,
    active,
    check_choice,
    check_paging,
    facet_params,
    read_facets,
)
from triplehelix.directory.service.keyword import Keywords, matching
from triplehelix.i18n import gettext as _
from triplehelix.i18n import lazy_gettext
from triplehelix.region.schemas.gazetteer import get_gazetteer
from triplehelix.region.schemas.marks import outside_label
from triplehelix.region.service import scope as region_scope
from triplehelix.search.service.fulltext import ORGANISATIONS, hits
from triplehelix.taxonomy import get_taxonomy

SORTS = ("relevance", "name", "founded", "-founded")
# Facet name in URLs and the API -> taxonomy scheme of its values (city has none).
ORGANISATION_FACETS = {
    "kind": "organisation_kind",
    "cluster": "cluster",
    "city": None,
    "stage": "value_chain",
    "modality": "modality",
    "domain": "domain",
    "municipality": None,
    "partner": "partner_role",
    "region": None,
}
TAG_SCHEMES = {"cluster": "cluster", "stage": "value_chain", "modality": "modality"}
TAG_SCHEMES["domain"] = "domain"
REGION_LABELS = {"in": lazy_gettext("In the region"), "out": lazy_gettext("Outside the region")}

Org, Tag = m.Organisation, m.OrganisationTag


class Statements(NamedTuple):
    total: Select[int]
    page: Select[*tuple[Any, ...]]
    facets: CompoundSelect[Any]


def _order(sort: str, rank: ColumnElement[float] | None) -> list[Any]:
    if sort == "founded":
        return [Org.founded.is_(None), Org.founded, Org.name]
    if sort == "-founded":
        return [Org.founded.is_(None), Org.founded.desc(), Org.name]
    if sort == "relevance" and rank is not None:
        exact = case((func.lower(Org.name) == bindparam("exact"), 1), else_=0)  # the named one
        return [exact.desc(), rank.desc(), func.lower(Org.name), Org.id]
    return [func.lower(Org.name), Org.id]


@lru_cache(maxsize=256)
def _statements(facets: tuple[str, ...], n_words: int, sort: str, dialect: str) -> Statements:
    # The region scope's filters and counts: the same conditions the insights count through.
    filters: dict[str, Any] = dict(region_scope.FILTERS)
    counts = {name: region_scope.COUNTS[name] for name in ORGANISATION_FACETS}  # display order
    keyword = matching(ORGANISATIONS, Org.id, n_words, dialect)
    faceter = Faceter(filters, counts, [keyword], facets)
    conds = faceter.conditions()
    columns: tuple[Any, ...] = (Org.id, Org.name, Org.kind, Org.city, Org.summary, Org.founded)
    columns += (Org.municipality, Org.in_region)
    page = select(*columns).where(*conds)
    rank = None
    if n_words > 0 and sort == "relevance":
        ranked = hits(ORGANISATIONS, n_words, dialect)
        page, rank = page.join(ranked, ranked.c.key == Org.id), ranked.c.rank
    return Statements(
        total=select(func.count()).select_from(Org).where(*conds),
        page=page.order_by(*_order(sort, rank)).limit(PAGE[0]).offset(PAGE[1]),
        facets=faceter.statement(),
    )


def _facet_label(scheme: str | None) -> Any:
    tax = get_taxonomy()
    return (lambda v: v) if scheme is None else (lambda v: tax.label(scheme, v))


def _labels() -> dict[str, Any]:
    labels = {name: _facet_label(scheme) for name, scheme in ORGANISATION_FACETS.items()}
    gaz = get_gazetteer()
    labels["municipality"] = lambda v: gaz.name(v) or v
    labels["region"] = lambda v: str(REGION_LABELS[v]) if v in REGION_LABELS else v
    partner = labels["partner"]
    labels["partner"] = lambda v: (
        _("Any partner role") if v == region_scope.ANY_PARTNER else partner(v)
    )
    return labels


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
    *,
    domain: Sequence[str] = (),
    municipality: Sequence[str] = (),
    partner: Sequence[str] = (),
    region: str | None = None,
) -> OrganisationList:
    """Organisations matching every word of `q` and, per facet, any of the values given.

    `region` is in, out or all (default); `municipality` takes CBS codes or place names;
    `partner` takes partner roles, or `any` for every member of the region's partnership. With
    search words the default order is relevance; the words go through the full-text index.
    """
    keywords = Keywords.of(session, q)
    sort = sort or ("relevance" if keywords.n > 0 else "name")
    check_choice("sort", sort, SORTS)
    check_paging(limit, offset)
    selected = {"kind": kind, "cluster": cluster, "city": city, "stage": stage}
    selected["modality"] = modality
    selected["domain"] = domain
    selected["municipality"] = region_scope.municipality_codes(municipality)
    selected["partner"] = partner
    selected["region"] = region_scope.region_values(region)
    statements = _statements(active(selected), keywords.n, sort, keywords.dialect)
    params: dict[str, Any] = {**facet_params(selected), **keywords.params()}
    params["exact"] = keywords.query.strip().lower()
    total = session.scalar(statements.total, params) or 0
    page = session.execute(statements.page, {**params, "limit": limit, "offset": offset}).all()
    labels = _labels()
    snippets = keywords.snippets(session, ORGANISATIONS, [row.id for row in page])
    return OrganisationList.model_construct(
        total=total,
        limit=limit,
        offset=offset,
        items=_list_items(session, page, snippets),
        facets=read_facets(session, statements.facets, params, selected, labels),
        suggestion=keywords.suggestion(session, ORGANISATIONS, total),
    )


TAGS = (
    select(Tag.organisation_id, Tag.scheme, Tag.code)
    .where(
        Tag.organisation_id.in_(bindparam("ids", expanding=True)),
        Tag.scheme.in_(TAG_SCHEMES.values()),
    )
    .order_by(Tag.organisation_id, Tag.position)
)


def _list_items(
    session: Session, page: Sequence[Row[Any]], snippets: dict[Any, str]
) -> list[OrganisationListItem]:
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
            domains=tags[row.id].get("domain", []),
            municipality=row.municipality,
            in_region=bool(row.in_region),
            outside=outside_label(bool(row.in_region), row.city, row.municipality),
            snippet=snippets.get(row.id),
        )
        for row in page
    ]
