"""Export the directory as the dataset's JSON shape, a flat CSV of organisations, or JSON-LD."""

from __future__ import annotations

import csv
import io
import json

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from triplehelix.directory import models as m
from triplehelix.directory.schemas import (
    OrganisationPublic,
    event_public,
    facility_public,
    organisation_public,
    relation_public,
)
from triplehelix.directory.service.jsonld import jsonld_document

FORMATS = ("json", "csv", "jsonld")


def all_organisations(session: Session) -> list[OrganisationPublic]:
    query = (
        select(m.Organisation)
        .options(
            selectinload(m.Organisation.aliases),
            selectinload(m.Organisation.tags),
            selectinload(m.Organisation.services),
            selectinload(m.Organisation.identifiers),
            selectinload(m.Organisation.sources),
        )
        .order_by(m.Organisation.id)
    )
    return [organisation_public(o) for o in session.scalars(query)]


def export_json(session: Session) -> str:
    facilities = session.scalars(select(m.Facility).order_by(m.Facility.id))
    relations = session.scalars(select(m.Relation).order_by(m.Relation.id))
    events = session.scalars(select(m.Event).order_by(m.Event.date, m.Event.id))
    doc = {
        "organisations": [o.model_dump(mode="json") for o in all_organisations(session)],
        "facilities": [facility_public(f).model_dump(mode="json") for f in facilities],
        "relations": [relation_public(r).model_dump(mode="json") for r in relations],
        "events": [event_public(e).model_dump(mode="json") for e in events],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2)


CSV_COLUMNS = [
    "id", "name", "kind", "city", "address", "website", "founded", "clusters", "value_chain",
    "modalities", "technologies", "services", "identifiers", "summary", "sources",
]  # fmt: skip


def export_csv(session: Session) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for o in all_organisations(session):
        writer.writerow(
            [
                o.id, o.name, o.kind, o.city or "", o.address or "", o.website or "",
                o.founded or "", ";".join(c.code for c in o.clusters),
                ";".join(c.code for c in o.value_chain), ";".join(c.code for c in o.modalities),
                ";".join(o.technologies), ";".join(o.services),
                ";".join(f"{i.scheme}:{i.value}" for i in o.identifiers), o.summary,
                ";".join(s.url for s in o.sources),
            ]
        )  # fmt: skip
    return out.getvalue()


def export_jsonld(session: Session, base_url: str = "") -> str:
    doc = jsonld_document(all_organisations(session), base_url)
    return json.dumps(doc, ensure_ascii=False, indent=2)


def export_directory(session: Session, fmt: str) -> str:
    if fmt == "json":
        return export_json(session)
    if fmt == "csv":
        return export_csv(session)
    if fmt == "jsonld":
        return export_jsonld(session)
    raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
