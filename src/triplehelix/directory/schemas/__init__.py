"""Public shapes of directory records, shared by the API, the exports and the pages."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel

from triplehelix.directory import models as m
from triplehelix.region.schemas.marks import outside_label
from triplehelix.taxonomy import get_taxonomy


class SourcePublic(BaseModel):
    url: str
    accessed: date | None = None
    label: str | None = None


class CodeLabel(BaseModel):
    code: str
    label: str


class IdentifierPublic(BaseModel):
    scheme: str
    value: str
    url: str | None = None


class OrganisationSummary(BaseModel):
    id: str
    name: str
    kind: str
    kind_label: str
    city: str | None
    clusters: list[CodeLabel]
    summary: str
    # CBS municipality code (gazetteer), whether it is in the region, and the mark of an
    # outside party ("outside the region · Toronto"; None in the region).
    municipality: str | None = None
    in_region: bool = True
    outside: str | None = None


class OrganisationPublic(OrganisationSummary):
    aliases: list[str]
    address: str | None
    website: str | None
    founded: int | None
    value_chain: list[CodeLabel]
    domains: list[CodeLabel] = []
    modalities: list[CodeLabel]
    technologies: list[str]
    services: list[str]
    identifiers: list[IdentifierPublic]
    sources: list[SourcePublic]


class FacilityPublic(BaseModel):
    id: str
    name: str
    owner_id: str
    owner_name: str
    kind: str
    kind_label: str
    details: str
    shared: bool | None
    sources: list[SourcePublic]
    snippet: str | None = None  # HTML, as on OrganisationListItem


class RelationPublic(BaseModel):
    source_id: str
    source_name: str
    target_id: str
    target_name: str
    kind: str
    label: str
    since: int | None
    sources: list[SourcePublic]


class EventPublic(BaseModel):
    date: str
    year: int
    kind: str
    kind_label: str
    summary: str
    organisations: list[CodeLabel]  # code = organisation id, label = its name
    sources: list[SourcePublic]
    snippet: str | None = None  # HTML, as on OrganisationListItem


IDENTIFIER_URLS = {
    "ror": "https://ror.org/{}",
    "wikidata": "https://www.wikidata.org/wiki/{}",
    "domain": "https://{}",
    "grid": "https://www.grid.ac/institutes/{}",
    "isni": "https://isni.org/isni/{}",
    "kvk": "https://www.kvk.nl/zoeken/?source=all&q={}",
    "fundref": "https://doi.org/10.13039/{}",
}


def identifier_url(scheme: str, value: str) -> str | None:
    pattern = IDENTIFIER_URLS.get(scheme)
    if pattern is None:
        return None
    if scheme == "ror" and value.startswith("http"):
        return value
    return pattern.format(value.replace(" ", ""))


def _codes(org: m.Organisation, scheme: str, tax_scheme: str) -> list[CodeLabel]:
    tax = get_taxonomy()
    return [CodeLabel(code=c, label=tax.label(tax_scheme, c)) for c in org.tag_codes(scheme)]


def sources_public(sources: list[m.Source]) -> list[SourcePublic]:
    return [SourcePublic(url=s.url, accessed=s.accessed, label=s.label) for s in sources]


def organisation_summary(org: m.Organisation) -> OrganisationSummary:
    return OrganisationSummary(
        id=org.id,
        name=org.name,
        kind=org.kind,
        kind_label=get_taxonomy().label("organisation_kind", org.kind),
        city=org.city,
        clusters=_codes(org, "cluster", "cluster"),
        summary=org.summary,
        municipality=org.municipality,
        in_region=bool(org.in_region),
        outside=outside_label(bool(org.in_region), org.city, org.municipality),
    )


def organisation_public(org: m.Organisation) -> OrganisationPublic:
    return OrganisationPublic(
        **organisation_summary(org).model_dump(),
        aliases=[a.name for a in org.aliases],
        address=org.address,
        website=org.website,
        founded=org.founded,
        value_chain=_codes(org, "value_chain", "value_chain"),
        domains=_codes(org, "domain", "domain"),
        modalities=_codes(org, "modality", "modality"),
        technologies=org.tag_codes("technology"),
        services=[s.text for s in org.services],
        identifiers=[
            IdentifierPublic(scheme=i.scheme, value=i.value, url=identifier_url(i.scheme, i.value))
            for i in sorted(org.identifiers, key=lambda i: (i.scheme, i.value))
        ],
        sources=sources_public(org.sources),
    )


def facility_public(fac: m.Facility) -> FacilityPublic:
    return FacilityPublic(
        id=fac.id,
        name=fac.name,
        owner_id=fac.owner_id,
        owner_name=fac.owner.name,
        kind=fac.kind,
        kind_label=get_taxonomy().label("facility_kind", fac.kind),
        details=fac.details,
        shared=fac.shared,
        sources=sources_public(fac.sources),
    )


def relation_public(rel: m.Relation) -> RelationPublic:
    return RelationPublic(
        source_id=rel.source_id,
        source_name=rel.source.name,
        target_id=rel.target_id,
        target_name=rel.target.name,
        kind=rel.kind,
        label=get_taxonomy().label("relation_kind", rel.kind),
        since=rel.since,
        sources=sources_public(rel.sources),
    )


def event_public(ev: m.Event) -> EventPublic:
    return EventPublic(
        date=ev.date,
        year=ev.year,
        kind=ev.kind,
        kind_label=get_taxonomy().label("event_kind", ev.kind),
        summary=ev.summary,
        organisations=[
            CodeLabel(code=p.organisation_id, label=p.organisation.name) for p in ev.participants
        ],
        sources=sources_public(ev.sources),
    )


# --- Listings and detail pages (directory service results) -----------------------------------


class FacetValue(BaseModel):
    value: str
    label: str
    count: int
    selected: bool = False


class OrganisationListItem(OrganisationSummary):
    value_chain: list[CodeLabel]
    modalities: list[CodeLabel]
    founded: int | None
    domains: list[CodeLabel] = []
    # HTML: the best-matching passage, escaped, matched words in <mark>; only when searching.
    snippet: str | None = None


class OrganisationList(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[OrganisationListItem]
    facets: dict[str, list[FacetValue]]
    # When a search finds nothing: a query from the index's own words that finds something.
    suggestion: str | None = None


class RelationLink(BaseModel):
    """A relation seen from one organisation: `label` reads "this organisation LABEL other"."""

    kind: str
    label: str
    direction: str  # "out" when this organisation is the relation's source, else "in"
    other_id: str
    other_name: str
    since: int | None
    sources: list[SourcePublic]


class FacilitySummary(BaseModel):
    id: str
    name: str
    kind: str
    kind_label: str
    shared: bool | None


class OrganisationDetail(OrganisationPublic):
    facilities: list[FacilitySummary]
    relations: list[RelationLink]
    events: list[EventPublic]


class FacilityList(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[FacilityPublic]
    facets: dict[str, list[FacetValue]]
    suggestion: str | None = None


class FacilityDetail(FacilityPublic):
    owner: OrganisationSummary
    siblings: list[FacilitySummary]  # other facilities of the same owner


class EventList(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[EventPublic]
    facets: dict[str, list[FacetValue]]
    first_year: int | None
    last_year: int | None
    suggestion: str | None = None


class HomeFigures(BaseModel):
    counts: dict[str, int]
    organisations_by_kind: list[FacetValue]
    organisations_by_cluster: list[FacetValue]
    facilities_by_kind: list[FacetValue]
    relations_by_kind: list[FacetValue]
    latest_events: list[EventPublic]
