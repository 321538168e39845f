"""Reading facilities (faceted catalogue, detail) and the event timeline of the directory.

`list_facilities` is the one facility catalogue: the directory's listing (page and API) and the
booking catalogue of `facilities` (which narrows it to the facilities with a resource free in a
time window) both search through it. Re-exported by `directory.service`; kept apart so each
module stays short.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import Select, bindparam, case, func, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.interfaces import LoaderOption

from triplehelix.directory import models as m
from triplehelix.directory.schemas import (
    EventList,
    FacilityDetail,
    FacilityList,
    FacilitySummary,
    event_public,
    facility_public,
    organisation_summary,
)
from triplehelix.directory.service.facets import (
    PAGE,
    Condition,
    Faceter,
    active,
    check_choice,
    check_paging,
    facet_params,
    read_facets,
)
from triplehelix.directory.service.keyword import Keywords, matching
from triplehelix.errors import NotFoundError
from triplehelix.i18n import gettext as _
from triplehelix.i18n import lazy_gettext
from triplehelix.search.service.fulltext import EVENTS, FACILITIES, hits
from triplehelix.taxonomy import get_taxonomy

Fac, Org, Tag, Ev = m.Facility, m.Organisation, m.OrganisationTag, m.Event
# The shared facet's values as they appear in URLs, computed in SQL so GROUP BY sees NULL too.
SHARED_VALUE = case((Fac.shared.is_(True), "yes"), (Fac.shared.is_(False), "no"), else_="unknown")
SHARED_LABELS = {
    "yes": lazy_gettext("Open to others"),
    "no": lazy_gettext("In-house only"),
    "unknown": lazy_gettext("Not stated"),
}


def _facility_counts(column: Any, *joins: Any) -> Any:
    def count(conds: list[Condition]) -> Select[Any, int]:
        query = select(column, func.count()).select_from(Fac).join(Org, Org.id == Fac.owner_id)
        for target, onclause in joins:
            query = query.join(target, onclause)
        return query.where(*conds).group_by(column)

    return count


@lru_cache(maxsize=64)
def _facility_statements(
    facets: tuple[str, ...], n_words: int, dialect: str, within: bool = False
) -> tuple[Any, Any, Any]:
    in_cluster = Tag.scheme == "cluster"
    base = [matching(FACILITIES, Fac.id, n_words, dialect)]
    if within:
        base.append(Fac.id.in_(bindparam("within", expanding=True)))
    owner_tagged = (Tag, (Tag.organisation_id == Fac.owner_id) & in_cluster)
    clustered = select(Tag.organisation_id).where(in_cluster)
    faceter = Faceter(
        filters={
            "kind": Fac.kind.in_,
            "owner": Fac.owner_id.in_,
            "cluster": lambda v: Fac.owner_id.in_(clustered.where(Tag.code.in_(v))),
            "shared": SHARED_VALUE.in_,
        },
        counts={
            "kind": _facility_counts(Fac.kind),
            "shared": _facility_counts(SHARED_VALUE),
            "cluster": _facility_counts(Tag.code, owner_tagged),
            "owner": _facility_counts(Fac.owner_id),
        },
        base=base,
        active=facets,
    )
    found = select(Fac).join(Org, Org.id == Fac.owner_id).where(*faceter.conditions())
    page = found.options(selectinload(Fac.owner), selectinload(Fac.sources))
    order: list[Any] = [func.lower(Fac.name), Fac.id]
    if n_words > 0:  # with search words, the best match first
        ranked = hits(FACILITIES, n_words, dialect)
        page, order = page.join(ranked, ranked.c.key == Fac.id), [ranked.c.rank.desc(), *order]
    page = page.order_by(*order).limit(PAGE[0]).offset(PAGE[1])
    return select(func.count()).select_from(found.subquery()), page, faceter.statement()


def list_facilities(
    session: Session,
    q: str | None = None,
    kind: Sequence[str] = (),
    owner: Sequence[str] = (),
    cluster: Sequence[str] = (),
    shared: Sequence[str] = (),
    limit: int = 50,
    offset: int = 0,
    *,
    within: Collection[str] | None = None,
) -> FacilityList:
    """Facilities matching every word of `q` (name, details or owner) and the facet values; with
    `within`, only the facilities of those ids."""
    check_paging(limit, offset)
    for value in shared:
        check_choice("shared", value, SHARED_LABELS)
    selected = {"kind": kind, "owner": owner, "cluster": cluster, "shared": shared}
    keywords = Keywords.of(session, q)
    shape = (active(selected), keywords.n, keywords.dialect, within is not None)
    total_stmt, page_stmt, facets_stmt = _facility_statements(*shape)
    params: dict[str, Any] = {**facet_params(selected), **keywords.params()}
    if within is not None:
        params["within"] = list(within)
    total = session.scalar(total_stmt, params) or 0
    rows = session.scalars(page_stmt, {**params, "limit": limit, "offset": offset})
    items = [facility_public(f) for f in rows]
    snippets = keywords.snippets(session, FACILITIES, [f.id for f in items])
    for item in items:
        item.snippet = snippets.get(item.id)
    tax = get_taxonomy()
    names = dict(
        session.execute(select(Org.id, Org.name).where(Org.id.in_(select(Fac.owner_id)))).all()
    )
    labels: dict[str, Callable[[str], str]] = {
        "kind": lambda v: tax.label("facility_kind", v),
        "shared": lambda v: str(SHARED_LABELS[v]) if v in SHARED_LABELS else v,
        "cluster": lambda v: tax.label("cluster", v),
        "owner": lambda v: str(names.get(v, v)),
    }
    facets = read_facets(session, facets_stmt, params, selected, labels)
    suggestion = keywords.suggestion(session, FACILITIES, total)
    return FacilityList(
        total=total, limit=limit, offset=offset, items=items, facets=facets, suggestion=suggestion
    )


def facility_owners(session: Session) -> list[m.Organisation]:
    """The organisations that own a facility, by name (the catalogue's choice of owners)."""
    query = select(Org).where(Org.id.in_(select(Fac.owner_id))).order_by(Org.name)
    return list(session.scalars(query))


def get_facility(session: Session, facility_id: str) -> FacilityDetail:
    fac = session.scalar(
        select(Fac)
        .where(Fac.id == facility_id)
        .options(selectinload(Fac.owner).selectinload(Org.tags), selectinload(Fac.sources))
    )
    if fac is None:
        raise NotFoundError(_("facility %(id)r does not exist") % {"id": facility_id})
    tax = get_taxonomy()
    siblings = session.scalars(
        select(Fac).where(Fac.owner_id == fac.owner_id, Fac.id != fac.id).order_by(Fac.name)
    )
    return FacilityDetail(
        **facility_public(fac).model_dump(),
        owner=organisation_summary(fac.owner),
        siblings=[
            FacilitySummary(
                id=s.id,
                name=s.name,
                kind=s.kind,
                kind_label=tax.label("facility_kind", s.kind),
                shared=s.shared,
            )
            for s in siblings
        ],
    )


def event_options() -> list[LoaderOption]:
    return [
        selectinload(Ev.participants)
        .selectinload(m.EventOrganisation.organisation)
        .load_only(Org.id, Org.name),
        selectinload(Ev.sources),
    ]


def list_events(
    session: Session,
    kind: Sequence[str] = (),
    year_from: int | None = None,
    year_to: int | None = None,
    organisation: str | None = None,
    limit: int = 100,
    offset: int = 0,
    q: str | None = None,
) -> EventList:
    """The timeline, newest first (best match first with `q`), filtered by kind, a year range,
    a participant and words."""
    check_paging(limit, offset)
    keywords = Keywords.of(session, q)
    base: list[Condition] = [matching(EVENTS, Ev.id, keywords.n, keywords.dialect)]
    if year_from is not None:
        base.append(Ev.year >= year_from)
    if year_to is not None:
        base.append(Ev.year <= year_to)
    if organisation:
        involved = select(m.EventOrganisation.event_id).where(
            m.EventOrganisation.organisation_id == organisation
        )
        base.append(Ev.id.in_(involved))
    faceter = Faceter(
        filters={"kind": Ev.kind.in_},
        counts={"kind": lambda c: select(Ev.kind, func.count()).where(*c).group_by(Ev.kind)},
        base=base,
        active=active({"kind": kind}),
    )
    conds = faceter.conditions()
    params = {**facet_params({"kind": kind}), **keywords.params()}
    total = session.scalar(select(func.count()).select_from(Ev).where(*conds), params) or 0
    page = select(Ev).where(*conds).options(*event_options())
    order: list[Any] = [Ev.year.desc(), Ev.date.desc(), Ev.id.desc()]
    if keywords.n > 0:
        ranked = hits(EVENTS, keywords.n, keywords.dialect)
        page, order = page.join(ranked, ranked.c.key == Ev.id), [ranked.c.rank.desc(), *order]
    rows = list(session.scalars(page.order_by(*order).limit(limit).offset(offset), params))
    snippets = keywords.snippets(session, EVENTS, [e.id for e in rows])
    first, last = session.execute(select(func.min(Ev.year), func.max(Ev.year))).one()
    tax = get_taxonomy()
    return EventList(
        total=total,
        limit=limit,
        offset=offset,
        items=[event_public(e).model_copy(update={"snippet": snippets.get(e.id)}) for e in rows],
        facets=read_facets(
            session,
            faceter.statement(),
            params,
            {"kind": kind},
            {"kind": lambda v: tax.label("event_kind", v)},
        ),
        first_year=first,
        last_year=last,
        suggestion=keywords.suggestion(session, EVENTS, total),
    )
