"""Insight service: reads the directory tables, chooses the scope (cluster, municipality) and feeds
the pure analysis functions; the API, the pages and the charts all call these functions.

"The region" is every organisation with a cluster tag: organisations without one are outside
counterparties (acquirers, investors, national bodies) that the directory keeps for its relations.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from triplehelix.directory import models as m
from triplehelix.errors import ValidationError
from triplehelix.insights import analysis as a
from triplehelix.insights import geo
from triplehelix.insights import network as nw
from triplehelix.insights.schemas import (
    BridgeOut,
    CoverageOut,
    DataInfo,
    EdgeOut,
    GrowthOut,
    MapOut,
    MunicipalityCount,
    NetworkOut,
    NodeOut,
    PlacedOrganisation,
    Scope,
)
from triplehelix.taxonomy import get_taxonomy


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
        )
        for o in orgs
    ]


def primary_cluster(org: a.OrgRecord) -> str | None:
    """The cluster a picture colours an organisation by: its first tag in taxonomy order."""
    order = get_taxonomy().codes("cluster")
    tagged = [c for c in order if c in org.clusters]
    return tagged[0] if tagged else None


def select_scope(
    records: list[a.OrgRecord], cluster: str | None = None, city: str | None = None
) -> tuple[list[a.OrgRecord], Scope]:
    """The organisations a view covers, and how to say so in a sentence."""
    cluster, city = cluster or None, city or None
    taxonomy = get_taxonomy()
    if cluster is not None and not taxonomy.has("cluster", cluster):
        known = ", ".join(taxonomy.codes("cluster"))
        raise ValidationError(f"cluster: unknown cluster {cluster!r} (known: {known})")
    table = geo.sites()
    chosen = [r for r in records if r.clusters] if cluster is None and city is None else records
    if cluster is not None:
        chosen = [r for r in chosen if cluster in r.clusters]
    if city is not None:
        wanted = city.lower()
        chosen = [
            r
            for r in chosen
            if (geo.municipality_of(r, table) or "").lower() == wanted
            or (r.city or "").lower() == wanted
        ]
    places = [f"in {taxonomy.label('cluster', cluster)}"] if cluster else []
    places += [f"in {city}"] if city else []
    phrase = " ".join(places) if places else "in the region"
    return chosen, Scope(cluster=cluster, city=city, phrase=phrase, organisations=len(chosen))


def coverage(session: Session, cluster: str | None = None, city: str | None = None) -> CoverageOut:
    taxonomy = get_taxonomy()
    chosen, scope = select_scope(organisation_records(session), cluster, city)
    grid = a.coverage_grid(chosen, taxonomy.codes("value_chain"), taxonomy.codes("modality"))
    return CoverageOut(
        stages=grid.stages,
        modalities=grid.modalities,
        cells=grid.cells,
        gaps=a.gap_sentences(grid, taxonomy.label, scope.phrase),
        stage_labels=[taxonomy.label("value_chain", s) for s in grid.stages],
        modality_labels=[taxonomy.label("modality", c) for c in grid.modalities],
        stage_totals=grid.stage_totals,
        modality_totals=grid.modality_totals,
        scope=scope,
    )


def event_records(session: Session) -> list[a.EventRecord]:
    events = session.scalars(select(m.Event).options(selectinload(m.Event.participants)))
    return [
        a.EventRecord(e.year, e.kind, tuple(p.organisation_id for p in e.participants))
        for e in events
    ]


def growth(
    session: Session, cluster: str | None = None, first_year: int | None = None
) -> GrowthOut:
    """Founded, moved in and events per kind per year for the organisations in scope; an event
    counts when any organisation taking part is in scope."""
    chosen, scope = select_scope(organisation_records(session), cluster)
    ids = {r.id for r in chosen}
    events = [e for e in event_records(session) if ids & set(e.organisation_ids)]
    years = [r.founded for r in chosen if r.founded is not None] + [e.year for e in events]
    start = first_year if first_year is not None else a.default_first_year(years)
    series = a.growth_series(chosen, events, get_taxonomy().codes("event_kind"), start)
    return GrowthOut(**vars(series), scope=scope)


def network(
    session: Session, kinds: list[str] | None = None, cluster: str | None = None
) -> NetworkOut:
    """The relation graph (optionally only some relation kinds, or only relations touching a
    cluster) with its measures; nodes are the organisations that have a relation in it."""
    taxonomy = get_taxonomy()
    all_kinds = taxonomy.codes("relation_kind")
    bad = [k for k in kinds or [] if k not in all_kinds]
    if bad:
        raise ValidationError(
            f"kind: unknown relation kind {bad[0]!r} (known: {', '.join(all_kinds)})"
        )
    chosen_kinds = kinds or all_kinds
    records = {r.id: r for r in organisation_records(session)}
    in_scope = {r.id for r in select_scope(list(records.values()), cluster)[0]} if cluster else None
    relations = session.scalars(select(m.Relation).where(m.Relation.kind.in_(chosen_kinds)))
    edges = [
        nw.EdgeRecord(r.source_id, r.target_id, r.kind)
        for r in relations
        if in_scope is None or r.source_id in in_scope or r.target_id in in_scope
    ]
    edges.sort(key=lambda e: (e.source, e.target, e.kind))
    used = sorted({e.source for e in edges} | {e.target for e in edges})
    nodes = [nw.NodeRecord(i, records[i].name, primary_cluster(records[i])) for i in used]
    result = nw.analyse_network(nodes, edges)
    labels: dict[str | None, str] = {
        c: taxonomy.label("cluster", c) for c in taxonomy.codes("cluster")
    }
    names = nw.community_names(result, labels)
    return NetworkOut(
        nodes=[
            NodeOut(
                id=n.id,
                name=n.name,
                cluster=n.group,
                degree=n.degree,
                betweenness=n.betweenness,
                community=n.community,
                bridge=n.bridge,
            )
            for n in result.nodes
        ],
        edges=[EdgeOut(source=e.source, target=e.target, kind=e.kind) for e in result.edges],
        bridges=[
            BridgeOut(
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


def region_map(session: Session, cluster: str | None = None) -> MapOut:
    """Organisations placed at their site and counted per municipality."""
    chosen, _ = select_scope(organisation_records(session), cluster)
    table = geo.sites()
    placed = [(r, geo.place(r, table)) for r in chosen]
    counts = a.counts_by(p.municipality for _, p in placed if p is not None)
    return MapOut(
        municipalities=[
            MunicipalityCount(
                code=mu.code,
                name=mu.name,
                organisations=counts.get(mu.name, 0),
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
        outside_region=sum(1 for _, p in placed if p is None),
        attribution=geo.ATTRIBUTION,
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
    return DataInfo(
        dataset=", ".join(f"{n} {name}" for name, n in count.items()),
        accessed=accessed.isoformat() if accessed else None,
        sources=sources,
        generated=date.today().isoformat(),
    )


def filter_options() -> dict[str, list[tuple[str, str]]]:
    """Choices for the cluster, municipality and relation-kind selectors."""
    taxonomy = get_taxonomy()
    return {
        "clusters": [(c, taxonomy.label("cluster", c)) for c in taxonomy.codes("cluster")],
        "cities": [(mu.name, mu.name) for mu in geo.municipalities()],
        "kinds": [(k, taxonomy.label("relation_kind", k)) for k in taxonomy.codes("relation_kind")],
    }
