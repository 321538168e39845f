"""Reading the directory: faceted organisation listings, organisation detail, home figures.

Facilities and the event timeline live in `directory.catalogue` and are re-exported here, so
the API, the pages and the CLI have one module to call. Every function takes a session, raises
domain errors (never HTTP ones) and returns pydantic shapes from `directory.schemas`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, case, func, literal, or_, select
from sqlalchemy.orm import Session, selectinload

from triplehelix.directory import models as m
from triplehelix.directory.catalogue import (
    event_options,
    get_facility,
    list_events,
    list_facilities,
)
from triplehelix.directory.facets import (
    Condition,
    Faceter,
    all_words_match,
    check_choice,
    check_paging,
    words,
)
from triplehelix.directory.schemas import (
    CodeLabel,
    FacetValue,
    FacilitySummary,
    HomeFigures,
    OrganisationDetail,
    OrganisationList,
    OrganisationListItem,
    RelationLink,
    event_public,
    organisation_public,
    organisation_summary,
    sources_public,
)
from triplehelix.directory.stats import directory_counts
from triplehelix.errors import NotFoundError
from triplehelix.taxonomy import get_taxonomy

__all__ = [
    "get_facility",
    "get_organisation",
    "home_figures",
    "list_events",
    "list_facilities",
    "list_organisations",
]

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


def _tag_filter(scheme: str) -> Any:
    def condition(values: Sequence[str]) -> Condition:
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


def _organisation_faceter(q: str | None, selected: dict[str, Sequence[str]]) -> Faceter:
    filters: dict[str, Any] = {"kind": Org.kind.in_, "city": Org.city.in_}
    counts: dict[str, Any] = {"kind": _column_count(Org.kind), "city": _column_count(Org.city)}
    for facet, scheme in TAG_SCHEMES.items():
        filters[facet], counts[facet] = _tag_filter(scheme), _tag_count(scheme)
    counts = {name: counts[name] for name in ORGANISATION_FACETS}  # display order
    return Faceter(filters, counts, [all_words_match(q, Org.search_text)], selected)


def _facet_label(scheme: str | None) -> Any:
    tax = get_taxonomy()
    return (lambda v: v) if scheme is None else (lambda v: tax.label(scheme, v))


def _order(sort: str, q: str | None) -> list[Any]:
    if sort == "founded":
        return [Org.founded.is_(None), Org.founded, Org.name]
    if sort == "-founded":
        return [Org.founded.is_(None), Org.founded.desc(), Org.name]
    if sort == "relevance" and words(q):
        return [_relevance(q).desc(), Org.name]
    return [func.lower(Org.name), Org.id]


def _relevance(q: str | None) -> ColumnElement[int]:
    """A word in the name weighs more than one in the summary, which beats one elsewhere."""
    name, summary = func.lower(Org.name), func.lower(Org.summary)
    score: ColumnElement[int] = literal(0)
    for word in words(q):
        score = score + case((name.contains(word, autoescape=True), 4), else_=0)
        score = score + case((summary.contains(word, autoescape=True), 1), else_=0)
    return score + case((name == (q or "").strip().lower(), 10), else_=0)


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
    faceter = _organisation_faceter(q, {**selected, "modality": modality})
    conds = faceter.conditions()
    total = session.scalar(select(func.count()).select_from(Org).where(*conds)) or 0
    rows = session.scalars(
        select(Org)
        .where(*conds)
        .options(selectinload(Org.tags))
        .order_by(*_order(sort, q))
        .limit(limit)
        .offset(offset)
    )
    labels = {name: _facet_label(scheme) for name, scheme in ORGANISATION_FACETS.items()}
    return OrganisationList(
        total=total,
        limit=limit,
        offset=offset,
        items=[_list_item(o) for o in rows],
        facets=faceter.facets(session, labels),
    )


def _list_item(org: m.Organisation) -> OrganisationListItem:
    tax = get_taxonomy()

    def codes(scheme: str, tax_scheme: str) -> list[CodeLabel]:
        return [CodeLabel(code=c, label=tax.label(tax_scheme, c)) for c in org.tag_codes(scheme)]

    return OrganisationListItem(
        **organisation_summary(org).model_dump(),
        value_chain=codes("value_chain", "value_chain"),
        modalities=codes("modality", "modality"),
        founded=org.founded,
    )


def get_organisation(session: Session, organisation_id: str) -> OrganisationDetail:
    """Everything known about one organisation, with its relations in both directions."""
    org = session.scalar(
        select(Org)
        .where(Org.id == organisation_id)
        .options(
            selectinload(Org.aliases),
            selectinload(Org.tags),
            selectinload(Org.services),
            selectinload(Org.identifiers),
            selectinload(Org.sources),
        )
    )
    if org is None:
        raise NotFoundError(f"organisation {organisation_id!r} does not exist")
    facilities = session.scalars(
        select(m.Facility).where(m.Facility.owner_id == org.id).order_by(m.Facility.name)
    )
    events = session.scalars(
        select(m.Event)
        .join(m.EventOrganisation)
        .where(m.EventOrganisation.organisation_id == org.id)
        .options(*event_options())
        .order_by(m.Event.year, m.Event.date, m.Event.id)
    )
    return OrganisationDetail(
        **organisation_public(org).model_dump(),
        facilities=[
            FacilitySummary(
                id=f.id,
                name=f.name,
                kind=f.kind,
                kind_label=get_taxonomy().label("facility_kind", f.kind),
                shared=f.shared,
            )
            for f in facilities
        ],
        relations=_relation_links(session, org.id),
        events=[event_public(e) for e in events],
    )


def _relation_links(session: Session, organisation_id: str) -> list[RelationLink]:
    R = m.Relation
    relations = session.scalars(
        select(R)
        .where(or_(R.source_id == organisation_id, R.target_id == organisation_id))
        .options(selectinload(R.source), selectinload(R.target), selectinload(R.sources))
    )
    tax = get_taxonomy()
    links = []
    for rel in relations:
        outgoing = rel.source_id == organisation_id
        term = tax.term("relation_kind", rel.kind)
        label = tax.label("relation_kind", rel.kind)
        if not outgoing and term is not None and term.inverse:
            label = term.inverse
        other = rel.target if outgoing else rel.source
        links.append(
            RelationLink(
                kind=rel.kind,
                label=label,
                direction="out" if outgoing else "in",
                other_id=other.id,
                other_name=other.name,
                since=rel.since,
                sources=sources_public(rel.sources),
            )
        )
    return sorted(links, key=lambda r: (r.label, r.other_name.lower()))


def _grouped(session: Session, column: Any, scheme: str, *joins: Any) -> list[FacetValue]:
    query = select(column, func.count()).group_by(column)
    for join in joins:
        query = query.where(join)
    tax = get_taxonomy()
    values = [
        FacetValue(value=str(v), label=tax.label(scheme, str(v)), count=int(n))
        for v, n in session.execute(query)
        if v is not None
    ]
    return sorted(values, key=lambda f: (-f.count, f.label.lower()))


def home_figures(session: Session, latest: int = 6) -> HomeFigures:
    """Headline figures for the start page: counts, breakdowns and the latest events."""
    events = session.scalars(
        select(m.Event)
        .options(*event_options())
        .order_by(m.Event.year.desc(), m.Event.date.desc(), m.Event.id.desc())
        .limit(latest)
    )
    return HomeFigures(
        counts=directory_counts(session),
        organisations_by_kind=_grouped(session, Org.kind, "organisation_kind"),
        organisations_by_cluster=_grouped(session, Tag.code, "cluster", Tag.scheme == "cluster"),
        facilities_by_kind=_grouped(session, m.Facility.kind, "facility_kind"),
        relations_by_kind=_grouped(session, m.Relation.kind, "relation_kind"),
        latest_events=[event_public(e) for e in events],
    )
