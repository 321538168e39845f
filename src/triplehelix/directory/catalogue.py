"""Reading facilities (faceted catalogue, detail) and the event timeline of the directory.

Re-exported by `directory.service`; kept apart so each module stays short.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.strategy_options import _AbstractLoad

from triplehelix.directory import models as m
from triplehelix.directory.facets import Condition, Faceter, all_words_match, check_paging
from triplehelix.directory.schemas import (
    EventList,
    FacilityDetail,
    FacilityList,
    FacilitySummary,
    event_public,
    facility_public,
    organisation_summary,
)
from triplehelix.errors import NotFoundError, ValidationError
from triplehelix.taxonomy import get_taxonomy

Fac, Org, Tag, Ev = m.Facility, m.Organisation, m.OrganisationTag, m.Event
# The shared facet's values as they appear in URLs, computed in SQL so GROUP BY sees NULL too.
SHARED_VALUE = case((Fac.shared.is_(True), "yes"), (Fac.shared.is_(False), "no"), else_="unknown")
SHARED_LABELS = {"yes": "Open to others", "no": "In-house only", "unknown": "Not stated"}


def _shared_filter(values: Sequence[str]) -> Condition:
    for value in values:
        if value not in SHARED_LABELS:
            raise ValidationError(f"shared: must be yes, no or unknown, got {value!r}")
    return SHARED_VALUE.in_(values)


def _facility_counts(column: Any, *joins: Any) -> Any:
    def count(conds: list[Condition]) -> Select[Any, int]:
        query = select(column, func.count()).select_from(Fac).join(Org, Org.id == Fac.owner_id)
        for target, onclause in joins:
            query = query.join(target, onclause)
        return query.where(*conds).group_by(column)

    return count


def list_facilities(
    session: Session,
    q: str | None = None,
    kind: Sequence[str] = (),
    owner: Sequence[str] = (),
    cluster: Sequence[str] = (),
    shared: Sequence[str] = (),
    limit: int = 50,
    offset: int = 0,
) -> FacilityList:
    """Facilities matching every word of `q` (name, details or owner) and the facet values."""
    check_paging(limit, offset)
    in_cluster = Tag.scheme == "cluster"
    owner_tagged = (Tag, (Tag.organisation_id == Fac.owner_id) & in_cluster)
    clustered = select(Tag.organisation_id).where(in_cluster)
    faceter = Faceter(
        filters={
            "kind": Fac.kind.in_,
            "owner": Fac.owner_id.in_,
            "cluster": lambda v: Fac.owner_id.in_(clustered.where(Tag.code.in_(v))),
            "shared": _shared_filter,
        },
        counts={
            "kind": _facility_counts(Fac.kind),
            "cluster": _facility_counts(Tag.code, owner_tagged),
            "shared": _facility_counts(SHARED_VALUE),
            "owner": _facility_counts(Fac.owner_id),
        },
        base=[
            all_words_match(q, func.lower(Fac.name), func.lower(Fac.details), func.lower(Org.name))
        ],
        selected={"kind": kind, "owner": owner, "cluster": cluster, "shared": shared},
    )
    conds = faceter.conditions()
    base = select(Fac).join(Org, Org.id == Fac.owner_id).where(*conds)
    total = session.scalar(select(func.count()).select_from(base.subquery())) or 0
    rows = session.scalars(
        base.options(selectinload(Fac.owner), selectinload(Fac.sources))
        .order_by(func.lower(Fac.name), Fac.id)
        .limit(limit)
        .offset(offset)
    )
    items = [facility_public(f) for f in rows]
    facets = _facility_facets(session, faceter)
    return FacilityList(total=total, limit=limit, offset=offset, items=items, facets=facets)


def _facility_facets(session: Session, faceter: Faceter) -> dict[str, Any]:
    tax = get_taxonomy()
    names = dict(
        session.execute(select(Org.id, Org.name).where(Org.id.in_(select(Fac.owner_id)))).all()
    )
    return faceter.facets(
        session,
        {
            "kind": lambda v: tax.label("facility_kind", v),
            "cluster": lambda v: tax.label("cluster", v),
            "shared": lambda v: SHARED_LABELS.get(v, v),
            "owner": lambda v: names.get(v, v),
        },
    )


def get_facility(session: Session, facility_id: str) -> FacilityDetail:
    fac = session.scalar(
        select(Fac)
        .where(Fac.id == facility_id)
        .options(selectinload(Fac.owner).selectinload(Org.tags), selectinload(Fac.sources))
    )
    if fac is None:
        raise NotFoundError(f"facility {facility_id!r} does not exist")
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


def event_options() -> list[_AbstractLoad]:
    return [
        selectinload(Ev.participants).selectinload(m.EventOrganisation.organisation),
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
) -> EventList:
    """The timeline, newest first, filtered by kind, a year range and a participant."""
    check_paging(limit, offset)
    base: list[Condition] = []
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
        selected={"kind": kind},
    )
    conds = faceter.conditions()
    total = session.scalar(select(func.count()).select_from(Ev).where(*conds)) or 0
    rows = session.scalars(
        select(Ev)
        .where(*conds)
        .options(*event_options())
        .order_by(Ev.year.desc(), Ev.date.desc(), Ev.id.desc())
        .limit(limit)
        .offset(offset)
    )
    first, last = session.execute(select(func.min(Ev.year), func.max(Ev.year))).one()
    tax = get_taxonomy()
    return EventList(
        total=total,
        limit=limit,
        offset=offset,
        items=[event_public(e) for e in rows],
        facets=faceter.facets(session, {"kind": lambda v: tax.label("event_kind", v)}),
        first_year=first,
        last_year=last,
    )
