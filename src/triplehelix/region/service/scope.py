"""One scope: the filters that choose a set of organisations, as SQL conditions.

The directory listing (with its facet counts), the API, the map, coverage, growth, network, the
municipality pages and the reports all choose their organisations through `FILTERS` (the listing)
or `scope_ids` (everything else, which calls the same condition functions), so the same filter
gives the same set everywhere.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, case, func, literal, or_, select
from sqlalchemy.orm import Session

from triplehelix.directory import models as m
from triplehelix.errors import ValidationError
from triplehelix.i18n import gettext as _
from triplehelix.region.schemas.gazetteer import get_gazetteer
from triplehelix.taxonomy import get_taxonomy

Org, Tag, Rel = m.Organisation, m.OrganisationTag, m.Relation
Condition = ColumnElement[bool]
REGION_CHOICES = ("in", "out", "all")
# Facet name in URLs and the API -> the tag scheme it filters on.
TAG_FACETS = {
    "cluster": "cluster",
    "stage": "value_chain",
    "modality": "modality",
    "domain": "domain",
}
ANY_PARTNER = "any"


def _tagged(scheme: str) -> Callable[[Any], Condition]:
    def condition(values: Any) -> Condition:
        tagged = select(Tag.organisation_id).where(Tag.scheme == scheme, Tag.code.in_(values))
        return Org.id.in_(tagged)

    return condition


def region_column() -> ColumnElement[str]:
    return case((Org.in_region.is_(True), literal("in")), else_=literal("out"))


def members() -> Select[Any]:
    """Ids of the members of the region's partnership (member_of its organisation)."""
    partnership = get_gazetteer().partnership or ""
    return select(Rel.source_id).where(Rel.kind == "member_of", Rel.target_id == partnership)


def partner_role_column() -> ColumnElement[str | None]:
    """The partnership role of an organisation, from its kind (taxonomy partner_role)."""
    tax = get_taxonomy()
    whens = [
        (Org.kind.in_(list(t.kinds)), literal(t.code))
        for t in tax.schemes["partner_role"].terms
        if t.kinds
    ]
    return case(*whens, else_=literal(None))


def _partner(values: Any) -> Condition:
    chosen = or_(partner_role_column().in_(values), literal(ANY_PARTNER).in_(values))
    return Org.id.in_(members()) & chosen


FILTERS: dict[str, Callable[[Any], Condition]] = {
    "kind": lambda values: Org.kind.in_(values),
    "city": lambda values: Org.city.in_(values),
    "municipality": lambda values: Org.municipality.in_(values),
    "region": lambda values: region_column().in_(values),
    "partner": _partner,
    **{facet: _tagged(scheme) for facet, scheme in TAG_FACETS.items()},
}


def _column_count(column: Any) -> Callable[[list[Condition]], Select[Any]]:
    return lambda conds: select(column, func.count()).where(*conds).group_by(column)


def _tag_count(scheme: str) -> Callable[[list[Condition]], Select[Any]]:
    def count(conds: list[Condition]) -> Any:
        return (
            select(Tag.code, func.count())
            .join(Org, Org.id == Tag.organisation_id)
            .where(Tag.scheme == scheme, *conds)
            .group_by(Tag.code)
        )

    return count


def _partner_count(conds: list[Condition]) -> Any:
    role = partner_role_column()
    return select(role, func.count()).where(Org.id.in_(members()), *conds).group_by(role)


# How the listing counts each facet's values (with every other filter applied).
COUNTS: dict[str, Callable[[list[Condition]], Select[Any]]] = {
    "kind": _column_count(Org.kind),
    "city": _column_count(Org.city),
    "municipality": _column_count(Org.municipality),
    "region": _column_count(region_column()),
    "partner": _partner_count,
    **{facet: _tag_count(scheme) for facet, scheme in TAG_FACETS.items()},
}


def region_values(region: str | None) -> list[str]:
    """`region=in|out|all` as facet values: all means no filter."""
    region = region or "all"
    if region not in REGION_CHOICES:
        raise ValidationError(
            _("region: must be one of in, out, all, got %(value)r") % {"value": region}
        )
    return [] if region == "all" else [region]


def municipality_codes(values: Sequence[str]) -> list[str]:
    """Municipalities given by CBS code or by name/place ("Katwijk", "Valkenburg"); an unknown
    one is kept as given, so a listing shows it with 0."""
    gaz = get_gazetteer()
    return list(dict.fromkeys(gaz.code(v) or v for v in values if v))


def check_municipality(value: str) -> str:
    code = get_gazetteer().code(value)
    if code is None:
        known = ", ".join(sorted(get_gazetteer().municipalities))
        raise ValidationError(
            _("municipality: unknown municipality %(value)r (known: %(known)s)")
            % {"value": value, "known": known}
        )
    return code


def check_code(field: str, scheme: str, value: str) -> None:
    tax = get_taxonomy()
    if not tax.has(scheme, value):
        known = ", ".join(tax.codes(scheme))
        raise ValidationError(
            _("%(field)s: unknown %(scheme)s %(value)r (known: %(known)s)")
            % {
                "field": field,
                "scheme": tax.scheme_label(scheme).lower(),
                "value": value,
                "known": known,
            }
        )


def conditions(selected: Mapping[str, Sequence[str]]) -> list[Condition]:
    return [FILTERS[name](list(values)) for name, values in selected.items() if values]


def scope_ids(
    session: Session,
    *,
    cluster: str | None = None,
    municipality: str | None = None,
    domain: str | None = None,
    region: str = "in",
) -> set[str]:
    """The organisations a region figure covers: by default those in the region only."""
    selected: dict[str, list[str]] = {"region": region_values(region)}
    if cluster:
        check_code("cluster", "cluster", cluster)
        selected["cluster"] = [cluster]
    if municipality:
        selected["municipality"] = [check_municipality(municipality)]
    if domain:
        check_code("domain", "domain", domain)
        selected["domain"] = [domain]
    return set(session.scalars(select(Org.id).where(*conditions(selected))))


def scope_params(
    *,
    cluster: str | None = None,
    municipality: str | None = None,
    domain: str | None = None,
    region: str = "in",
) -> dict[str, str]:
    """The directory query parameters that list exactly the organisations of a scope."""
    params = {"cluster": cluster, "municipality": municipality, "domain": domain}
    out = {k: v for k, v in params.items() if v}
    if region != "all":
        out["region"] = region
    return out


def scope_phrase(cluster: str | None = None, municipality: str | None = None) -> str:
    """How a scope reads inside a sentence, in the request's language: "in the region",
    "in Katwijk", "in NL Space Campus in Katwijk" ("in de regio", "in Katwijk", ...).

    The gap sentences of the coverage grids put this where their scope goes; `municipality` is a
    CBS code, `cluster` a cluster code (labelled in the request's language)."""
    places = []
    if cluster:
        places.append(_("in %(place)s") % {"place": get_taxonomy().label("cluster", cluster)})
    if municipality:
        name = get_gazetteer().name(municipality) or municipality
        places.append(_("in %(place)s") % {"place": name})
    return " ".join(places) if places else _("in the region")
