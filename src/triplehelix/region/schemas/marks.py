"""In the region or outside: the mark lists, match results and reports put on outside parties."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from triplehelix.directory import models as m
from triplehelix.i18n import gettext as _
from triplehelix.region.schemas.gazetteer import get_gazetteer


@dataclass(frozen=True)
class RegionMark:
    in_region: bool
    municipality: str | None
    municipality_name: str | None
    # "outside the region · Toronto" for an outside party, None for one in the region.
    outside: str | None


def outside_label(in_region: bool, city: str | None, municipality: str | None) -> str | None:
    """How an outside party is marked: "outside the region", with its place when known."""
    if in_region:
        return None
    place = city or get_gazetteer().name(municipality)
    if place:
        return _("outside the region · %(place)s") % {"place": place}
    return _("outside the region")


def mark(in_region: bool, city: str | None, municipality: str | None) -> RegionMark:
    name = get_gazetteer().name(municipality)
    return RegionMark(in_region, municipality, name, outside_label(in_region, city, municipality))


def region_marks(session: Session, ids: Iterable[str]) -> dict[str, RegionMark]:
    """The mark of each organisation id (ids not stored are left out); one query."""
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return {}
    org = m.Organisation
    rows = session.execute(
        select(org.id, org.in_region, org.city, org.municipality).where(org.id.in_(wanted))
    )
    return {r.id: mark(bool(r.in_region), r.city, r.municipality) for r in rows}
