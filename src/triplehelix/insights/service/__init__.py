"""Insight service: reads the directory tables, chooses the scope (cluster, municipality) and feeds
the pure analysis functions; the API, the pages and the charts all call these functions.

"The region" is every organisation in the region (`in_region`: its municipality is one of the
region's, or it carries a region cluster); the others are outside counterparties (acquirers,
investors, national bodies) that the directory keeps for its relations. Every view chooses its
organisations through `region.scope.scope_ids`, the same conditions as the directory listing.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from datetime import date
from typing import Any, Concatenate, ParamSpec, TypeVar
from urllib.parse import urlencode

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from triplehelix.directory import models as m
from triplehelix.errors import ValidationError
from triplehelix.i18n import current_locale, ngettext
from triplehelix.i18n import gettext as _
from triplehelix.i18n.format import format_number
from triplehelix.insights.schemas import (
    BridgePublic,
    CoveragePublic,
    DataInfo,
    DomainCoverage,
    Edge,
    GrowthPublic,
    MapPublic,
    MunicipalityCount,
    NetworkPublic,
    NodePublic,
    PlacedOrganisation,
    Scope,
)
from triplehelix.insights.service import analysis as a
from triplehelix.insights.service import geo
from triplehelix.insights.service import network as nw
from triplehelix.region.schemas.gazetteer import get_gazetteer
from triplehelix.region.service import scope as region_scope
from triplehelix.singleflight import SingleFlight
from triplehelix.taxonomy import Taxonomy, get_taxonomy

P = ParamSpec("P")
T = TypeVar("T")


def data_version(session: Session) -> tuple[object, ...]:
    """What the insight views depend on, in a few aggregate queries: any load, import or edit of
    organisations, their tags, relations or events changes it."""
    out: list[object] = []
    for count_of, latest in (
        (m.Organisation.id, m.Organisation.updated_at),
        (m.OrganisationTag.id, m.OrganisationTag.id),
        (m.Relation.id, m.Relation.id),
        (m.Event.id, m.Event.id),
    ):
        out += session.execute(select(func.count(count_of), func.max(latest))).one()
    return tuple(out)


# The views' inputs (the numbers and words the pictures are drawn from), one computation per key.
VIEWS: SingleFlight[tuple[object, ...], Any] = SingleFlight(size=256)


def _freeze(value: object) -> object:
    return tuple(value) if isinstance(value, list) else value


def single_flight(
    view: Callable[Concatenate[Session, P], T],
) -> Callable[Concatenate[Session, P], T]:
    """Cache a view by database, data version, arguments and language (labels and sentences in a
    view follow the request's language); concurrent first calls compute it once. The result is
    shared: callers must not change it."""

    signature = inspect.signature(view)

    @functools.wraps(view)
    def cached(session: Session, /, *args: P.args, **kwargs: P.kwargs) -> T:
        url = session.get_bind().engine.url.render_as_string(hide_password=True)
        bound = signature.bind(session, *args, **kwargs)
        bound.apply_defaults()  # coverage(s) and coverage(s, cluster=None) are one key
        named = tuple((k, _freeze(v)) for k, v in bound.arguments.items() if k != "session")
        key = (view.__name__, url, current_locale(), data_version(session), named)
        result: T = VIEWS.get(key, lambda: view(session, *args, **kwargs))
        return result

    return cached


def organisation_records(session: Session) -> list[a.OrgRecord]:
    orgs = session.scalars(
        select(m.Organisation)
        .options(selectinload(m.Organisation.tags))
        .order_by(m.Organisation.id)
    )
    return [
        a.OrgRecord(
            id=o.id,
            name=o.name,
            kind=o.kind,
            city=o.city,
            address=o.address,
            founded=o.founded,
            clusters=tuple(o.tag_codes("cluster")),
            stages=tuple(o.tag_codes("value_chain")),
            modalities=tuple(o.tag_codes("modality")),
            domains=tuple(o.tag_codes("domain")),
            municipality=o.municipality,
            in_region=bool(o.in_region),
        )
        for o in orgs
    ]


def primary_cluster(org: a.OrgRecord) -> str | None:
    """The cluster a picture colours an organisation by: its first tag in taxonomy order."""
    order = get_taxonomy().codes("cluster")
    tagged = [c for c in order if c in org.clusters]
    return tagged[0] if tagged else None


def select_scope(
    session: Session,
    records: list[a.OrgRecord],
    cluster: str | None = None,
    city: str | None = None,
    municipality: str | None = None,
    domain: str | None = None,
) -> tuple[list[a.OrgRecord], Scope]:
    """The organisations in the region a view covers, and how to say so in a sentence.

    `city` is read as a place name and stands for its municipality (`?city=Katwijk` and
    `?municipality=GM0537` are the same scope)."""
    cluster, domain = cluster or None, domain or None
    taxonomy, gaz = get_taxonomy(), get_gazetteer()
    wanted = municipality or city or None
    code = region_scope.check_municipality(wanted) if wanted else None
    ids = region_scope.scope_ids(session, cluster=cluster, municipality=code, domain=domain)
    chosen = [r for r in records if r.id in ids]
    places = [_("in %(place)s") % {"place": label(taxonomy)("cluster", cluster)}] if cluster else []
    places += [_("in %(place)s") % {"place": gaz.name(code)}] if code else []
    phrase = " ".join(places) if places else _("in the region")
    params = region_scope.scope_params(cluster=cluster, municipality=code, domain=domain)
    return chosen, Scope(
        cluster=cluster,
        city=city or None,
        municipality=code,
        municipality_name=gaz.name(code),
        domain=domain,
        phrase=phrase,
        organisations=len(chosen),
        params=params,
    )


def label(taxonomy: Taxonomy) -> Callable[[str, str], str]:
    """The taxonomy's labels in the current language, as the analysis asks for them."""
    language = current_locale()
    return lambda scheme, code: taxonomy.label(scheme, code, language)


def _axis_values(taxonomy: Taxonomy, axis: str) -> tuple[list[str], Any]:
    """The columns of a grid on `axis` and how to read an organisation's values on it."""
    if axis == "modality":
        return taxonomy.codes("modality"), lambda o: o.modalities
    if axis == "helix":
        helix = {t.code: t.helix for t in taxonomy.schemes["organisation_kind"].terms}
        return taxonomy.codes("helix"), lambda o: (helix.get(o.kind),)
    if axis == "organisation_kind":
        return taxonomy.codes("organisation_kind"), lambda o: (o.kind,)
    return taxonomy.codes(axis), lambda o: ()


def _column_params(taxonomy: Taxonomy, axis: str, column: str) -> list[tuple[str, str]]:
    """The directory filter that selects one column of a grid."""
    if axis == "helix":
        kinds = [t.code for t in taxonomy.schemes["organisation_kind"].terms if t.helix == column]
        return [("kind", k) for k in kinds]
    if axis == "organisation_kind":
        return [("kind", column)]
    return [("modality", column)]


def domain_coverage(
    taxonomy: Taxonomy, chosen: list[a.OrgRecord], scope: Scope, domain: str
) -> DomainCoverage:
    term = taxonomy.term("domain", domain)
    assert term is not None
    axis = term.axis or "modality"
    columns, values = _axis_values(taxonomy, axis)
    members = [r for r in chosen if domain in r.domains]
    grid = a.coverage_grid(members, taxonomy.stages(domain), columns, values)
    base = [(k, v) for k, v in scope.params.items() if k != "domain"] + [("domain", domain)]

    def link(stage: str | None, column: str | None) -> str:
        query = [("stage", stage)] if stage else []
        query += _column_params(taxonomy, axis, column) if column else []
        return f"/organisations?{urlencode([*query, *base])}"

    named = label(taxonomy)
    term_label = term.label_in(current_locale())
    subject = term_label[:1].lower() + term_label[1:]
    found = a.gaps(grid, named, scope.phrase, axis=axis, phrase=term.axis_phrase, subject=subject)
    stages, cols = grid.stages, grid.modalities

    return DomainCoverage(
        domain=domain,
        domain_label=term_label,
        axis=axis,
        axis_label=taxonomy.scheme_label(axis),
        organisations=len(members),
        stages=grid.stages,
        columns=grid.modalities,
        cells=grid.cells,
        gaps=[text for text, _, _ in found],
        gap_links=[
            link(None if i is None else stages[i], None if j is None else cols[j])
            for _, i, j in found
        ],
        stage_labels=[named("value_chain", s) for s in grid.stages],
        column_labels=[named(axis, c) for c in grid.modalities],
        stage_totals=grid.stage_totals,
        column_totals=grid.modality_totals,
        links=[[link(s, c) for c in grid.modalities] for s in grid.stages],
    )


@single_flight
def coverage(
    session: Session,
    cluster: str | None = None,
    city: str | None = None,
    municipality: str | None = None,
    domain: str | None = None,
) -> CoveragePublic:
    """One grid per domain present in the scope (or only `domain`): a scope with no organisation
    in a domain says nothing about that domain."""
    taxonomy = get_taxonomy()
    records = organisation_records(session)
    chosen, scope = select_scope(session, records, cluster, city, municipality, domain)
    present = [d.code for d in taxonomy.domains() if any(d.code in r.domains for r in chosen)]
    return CoveragePublic(
        domains=[domain_coverage(taxonomy, chosen, scope, d) for d in present],
        scope=scope,
    )


def event_records(session: Session) -> list[a.EventRecord]:
    events = session.scalars(select(m.Event).options(selectinload(m.Event.participants)))
    return [
        a.EventRecord(e.year, e.kind, tuple(p.organisation_id for p in e.participants))
        for e in events
    ]


@single_flight
def growth(
    session: Session,
    cluster: str | None = None,
    first_year: int | None = None,
    municipality: str | None = None,
) -> GrowthPublic:
    """Founded, moved in and events per kind per year for the organisations in scope; an event
    counts when any organisation taking part is in scope."""
    records = organisation_records(session)
    chosen, scope = select_scope(session, records, cluster, municipality=municipality)
    ids = {r.id for r in chosen}
    events = [e for e in event_records(session) if ids & set(e.organisation_ids)]
    years = [r.founded for r in chosen if r.founded is not None] + [e.year for e in events]
    start = first_year if first_year is not None else a.default_first_year(years)
    series = a.growth_series(chosen, events, get_taxonomy().codes("event_kind"), start)
    return GrowthPublic(**series.model_dump(), scope=scope)


@single_flight
def network(
    session: Session, kinds: list[str] | None = None, cluster: str | None = None
) -> NetworkPublic:
    """The relation graph (optionally only some relation kinds, or only relations touching a
    cluster) with its measures; nodes are the organisations that have a relation in it."""
    taxonomy = get_taxonomy()
    all_kinds = taxonomy.codes("relation_kind")
    bad = [k for k in kinds or [] if k not in all_kinds]
    if bad:
        raise ValidationError(
            "kind: "
            + _("unknown relation kind %(kind)s (known: %(known)s)")
            % {"kind": repr(bad[0]), "known": ", ".join(all_kinds)}
        )
    chosen_kinds = kinds or all_kinds
    records = {r.id: r for r in organisation_records(session)}
    in_scope = (
        {r.id for r in select_scope(session, list(records.values()), cluster)[0]}
        if cluster
        else None
    )
    relations = session.scalars(select(m.Relation).where(m.Relation.kind.in_(chosen_kinds)))
    edges = [
        Edge(r.source_id, r.target_id, r.kind)
        for r in relations
        if in_scope is None or r.source_id in in_scope or r.target_id in in_scope
    ]
    edges.sort(key=lambda e: (e.source, e.target, e.kind))
    used = sorted({e.source for e in edges} | {e.target for e in edges})
    nodes = [nw.NodeRecord(i, records[i].name, primary_cluster(records[i])) for i in used]
    result = nw.analyse_network(nodes, edges)
    domain_label = {d.code: d.label_in(current_locale()) for d in taxonomy.domains()}
    names = nw.community_names(result, {i: records[i].domains for i in used}, domain_label)
    return NetworkPublic(
        nodes=[NodePublic.model_validate(n.model_dump(exclude={"reaches"})) for n in result.nodes],
        edges=result.edges,
        bridges=[
            BridgePublic(
                id=b.id,
                name=b.name,
                betweenness=b.betweenness,
                degree=b.degree,
                community=names[b.community],
                links_to={names[c]: n for c, n in b.reaches.items()},
            )
            for b in result.bridges
        ],
        communities=names,
        kinds=chosen_kinds,
    )


@single_flight
def region_map(
    session: Session, cluster: str | None = None, municipality: str | None = None
) -> MapPublic:
    """Organisations in the region placed at their site and counted per municipality (by the
    municipality the gazetteer gave them, so the counts are the directory's)."""
    records = organisation_records(session)
    chosen, scope = select_scope(session, records, cluster, municipality=municipality)
    table = geo.sites()
    placed = [(r, geo.place(r, table)) for r in chosen]
    counts = a.counts_by(r.municipality for r in chosen)
    return MapPublic(
        municipalities=[
            MunicipalityCount(
                code=mu.code,
                name=mu.name,
                organisations=counts.get(mu.code, 0),
                population=mu.population,
            )
            for mu in geo.municipalities()
        ],
        organisations=[
            PlacedOrganisation(
                id=r.id,
                name=r.name,
                municipality=p.municipality,
                how=p.how,
                lon=p.at[0],
                lat=p.at[1],
                cluster=primary_cluster(r),
            )
            for r, p in placed
            if p is not None
        ],
        outside_region=len(records) - len(chosen),
        unplaced=sum(1 for _, p in placed if p is None),
        focus=scope.municipality,
        attribution=str(geo.ATTRIBUTION),
    )


def data_info(session: Session) -> DataInfo:
    """Where the numbers come from: counts of records and sources and their latest access date."""
    accessed = session.scalar(select(func.max(m.Source.accessed)))
    sources = session.scalar(select(func.count()).select_from(m.Source)) or 0
    count = {
        name: session.scalar(select(func.count()).select_from(model)) or 0
        for name, model in (
            ("organisations", m.Organisation),
            ("relations", m.Relation),
            ("events", m.Event),
        )
    }
    nouns = {
        "organisations": ngettext(
            "%(num)s organisation", "%(num)s organisations", count["organisations"]
        ),
        "relations": ngettext("%(num)s relation", "%(num)s relations", count["relations"]),
        "events": ngettext("%(num)s event", "%(num)s events", count["events"]),
    }
    return DataInfo(
        dataset=", ".join(nouns[name] % {"num": format_number(n)} for name, n in count.items()),
        accessed=accessed.isoformat() if accessed else None,
        sources=sources,
        generated=date.today().isoformat(),
    )


def filter_options() -> dict[str, list[tuple[str, str]]]:
    """Choices for the cluster, municipality and relation-kind selectors."""
    taxonomy, named = get_taxonomy(), label(get_taxonomy())
    return {
        "clusters": [(c, named("cluster", c)) for c in taxonomy.codes("cluster")],
        "cities": [(mu.code, mu.name) for mu in geo.municipalities()],
        "domains": [(d.code, d.label_in(current_locale())) for d in taxonomy.domains()],
        "kinds": [(k, named("relation_kind", k)) for k in taxonomy.codes("relation_kind")],
    }
