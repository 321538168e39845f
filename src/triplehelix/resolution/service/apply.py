"""Turn registry records into directory facts: profiles for matching, attaching to an organisation
(fill empty fields only, never overwrite curated facts), and rows for organisations that are new.

ROR types map to organisation kinds in `KIND_BY_TYPE` (first type that maps wins, in this order):
company -> company; education -> university when the name says "university" (but not "applied
sciences"), else education; healthcare -> hospital; government -> government; archive -> museum;
facility, nonprofit, other -> research_institute; funder -> investor.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from triplehelix.directory import models as m
from triplehelix.directory.service.search_text import search_text_of
from triplehelix.ingest.service.ror import RorRecord
from triplehelix.region.schemas.gazetteer import get_gazetteer
from triplehelix.region.service.locate import locate_organisation
from triplehelix.resolution.service.matcher import Profile, make_profile
from triplehelix.resolution.service.normalise import fold, site_of

ORIGIN = "ror"
REGISTRY_SCHEMES = ("ror", "wikidata", "grid", "isni", "fundref")
KIND_BY_TYPE = [
    ("company", "company"), ("education", "education"), ("healthcare", "hospital"),
    ("government", "government"), ("archive", "museum"), ("facility", "research_institute"),
    ("funder", "investor"), ("nonprofit", "research_institute"), ("other", "research_institute"),
]  # fmt: skip


def organisation_kind(record: RorRecord) -> str:
    for ror_type, kind in KIND_BY_TYPE:
        if ror_type in record.types:
            lowered = record.name.lower()
            if kind == "education" and "universit" in lowered and "applied" not in lowered:
                return "university"
            return kind
    return "research_institute"


def record_profile(record: RorRecord) -> Profile:
    links = [*record.domains, record.website]
    return make_profile(record.ror_id, record.names, record.acronyms, links, record.city)


def all_organisation_profiles(session: Session) -> list[Profile]:
    """Profiles of every organisation from three flat queries (no per-organisation loading)."""
    names: dict[str, list[str]] = {}
    links: dict[str, list[str | None]] = {}
    cities: dict[str, str | None] = {}
    for org_id, name, website, city in session.execute(
        select(m.Organisation.id, m.Organisation.name, m.Organisation.website, m.Organisation.city)
    ):
        names[org_id], links[org_id], cities[org_id] = [name], [website], city
    for org_id, alias in session.execute(
        select(m.OrganisationAlias.organisation_id, m.OrganisationAlias.name)
    ):
        names[org_id].append(alias)
    for org_id, value in session.execute(
        select(m.Identifier.organisation_id, m.Identifier.value).filter_by(scheme="domain")
    ):
        links[org_id].append(value)
    return [make_profile(k, names[k], (), links[k], cities[k]) for k in names]


def record_website(record: RorRecord) -> str | None:
    """A bare domain like the directory keeps: the first ROR domain, else the website's host."""
    if record.domains:
        return record.domains[0]
    host, whole = site_of(record.website)
    return host if whole else None


def record_source_url(record: RorRecord) -> str:
    return record.url


def record_release(record: RorRecord) -> date | None:
    try:
        return date.fromisoformat(record.last_modified) if record.last_modified else None
    except ValueError:
        return None


def source_label(record: RorRecord) -> str:
    when = f", last modified {record.last_modified}" if record.last_modified else ""
    return f"Research Organization Registry (CC0){when}"


def record_identifiers(record: RorRecord) -> list[tuple[str, str]]:
    wanted = [("ror", record.ror_id), *record.external_ids]
    website = record_website(record)
    if website:
        wanted.append(("domain", website))
    return list(dict.fromkeys(wanted))


def slugify(name: str) -> str:
    # `fold` leaves single spaces between words only, so no dash runs or edge dashes arise
    return fold(name).replace(" ", "-")[:100] or "organisation"


_RECORD_FIELDS = tuple(f.name for f in dataclasses.fields(RorRecord))


def record_to_payload(record: RorRecord) -> dict[str, Any]:
    """What `dataclasses.asdict` gives, without its deep copy (the values are immutable)."""
    return {name: getattr(record, name) for name in _RECORD_FIELDS}


def payload_to_record(payload: dict[str, Any]) -> RorRecord:
    values = dict(payload)
    for key in ("aliases", "acronyms", "types", "domains"):
        values[key] = tuple(values.get(key) or ())
    for key in ("relationships", "external_ids"):
        values[key] = tuple(tuple(pair) for pair in values.get(key) or ())
    return RorRecord(**values)


def get_source(session: Session, record: RorRecord) -> m.Source:
    url = record_source_url(record)
    source = session.scalar(select(m.Source).where(m.Source.url == url))
    if source is None:
        source = m.Source(url=url, accessed=record_release(record), label=source_label(record))
        session.add(source)
    else:
        source.accessed, source.label = record_release(record), source_label(record)
    return source


def attach_record(session: Session, org: m.Organisation, record: RorRecord) -> None:
    """Give `org` the record's identifiers and source; fill only what is empty.

    Organisations that came from the registry follow it (their facts are the registry's); curated
    ones keep every fact they have.
    """
    follow = org.origin == ORIGIN
    if follow:
        org.name, org.kind = record.name, organisation_kind(record)
    if follow or not org.city:
        org.city = record.city or org.city
    if follow or not org.website:
        org.website = record_website(record) or org.website
    if follow or org.founded is None:
        org.founded = record.established or org.founded
    if follow or not org.aliases:
        wanted = [n for n in (*record.aliases, *record.acronyms) if n != org.name]
        if [a.name for a in org.aliases] != wanted:
            org.aliases = []
            session.flush()
            org.aliases = [m.OrganisationAlias(name=n, position=i) for i, n in enumerate(wanted)]
    have = {(i.scheme, i.value) for i in org.identifiers}
    taken = _taken_identifiers(session, org.id, record)
    for scheme, value in record_identifiers(record):
        if (scheme, value) not in have and (scheme, value) not in taken:
            org.identifiers.append(m.Identifier(scheme=scheme, value=value))
    source = get_source(session, record)
    if source not in org.sources:
        org.sources.append(source)
    locate_organisation(org)


def _taken_identifiers(session: Session, org_id: str, record: RorRecord) -> set[tuple[str, str]]:
    """Registry ids another organisation already carries: never copied onto a second one."""
    values = [v for s, v in record_identifiers(record) if s in REGISTRY_SCHEMES]
    rows = session.execute(
        select(m.Identifier.scheme, m.Identifier.value).where(
            m.Identifier.value.in_(values), m.Identifier.organisation_id != org_id
        )
    )
    return {(s, v) for s, v in rows if s in REGISTRY_SCHEMES}


def new_organisation_row(record: RorRecord, org_id: str) -> dict[str, Any]:
    kind = organisation_kind(record)
    # Rows written in bulk bypass the flush hook: the same derivation, from the record.
    text = search_text_of(record.name, record.city, "", kind, (*record.aliases, *record.acronyms))
    gaz = get_gazetteer()
    municipality = gaz.locate(city=record.city, address=None, clusters=()).municipality
    return dict(
        id=org_id, name=record.name[:300], kind=kind, city=record.city, address=None,
        website=record_website(record), founded=record.established, summary="",
        search_text=text, fingerprint="", origin=ORIGIN,
        municipality=municipality, in_region=gaz.in_region(municipality, ()),
    )  # fmt: skip
