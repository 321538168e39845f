"""What the matching engine indexes: a document per organisation profile, service and facility.

A service is its own document so that one precise capability phrase can win on its own; its key
points at its organisation, so hits aggregate back to the organisation.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from triplehelix.directory import models as m
from triplehelix.search.schemas.documents import Document
from triplehelix.taxonomy import get_taxonomy

SCHEMES = {"value_chain": "value_chain", "modality": "modality", "cluster": "cluster"}

EN = "en"  # documents are indexed in the source language, whoever asks first (i18n)


def org_key(organisation_id: str) -> str:
    return f"organisation:{organisation_id}"


def facility_key(facility_id: str) -> str:
    return f"facility:{facility_id}"


def organisation_documents(org: m.Organisation) -> list[Document]:
    tax = get_taxonomy()
    labels = [tax.label(SCHEMES[t.scheme], t.code, EN) for t in org.tags if t.scheme in SCHEMES]
    technologies = [t.code.replace("-", " ") for t in org.tags if t.scheme == "technology"]
    kind = tax.label("organisation_kind", org.kind, EN)
    profile = Document(
        id=f"org:{org.id}",
        type="organisation",
        fields={
            "name": " ".join([org.name, *(a.name for a in org.aliases)]),
            "summary": org.summary or "",
            "tags": " ".join([*labels, *technologies, kind]),
        },
        key=org_key(org.id),
    )
    services = [
        Document(
            id=f"service:{s.id}",
            type="service",
            fields={"service": s.text},
            key=org_key(org.id),
        )
        for s in org.services
    ]
    return [profile, *services]


def facility_document(fac: m.Facility) -> Document:
    tax = get_taxonomy()
    return Document(
        id=f"facility:{fac.id}",
        type="facility",
        fields={
            "name": fac.name,
            "kind": tax.label("facility_kind", fac.kind, EN),
            "details": fac.details or "",
        },
        key=facility_key(fac.id),
    )


def all_documents(session: Session) -> list[Document]:
    orgs = session.scalars(
        select(m.Organisation)
        .options(
            selectinload(m.Organisation.aliases),
            selectinload(m.Organisation.tags),
            selectinload(m.Organisation.services),
        )
        .order_by(m.Organisation.id)
    )
    docs = [d for org in orgs for d in organisation_documents(org)]
    docs += [
        facility_document(f) for f in session.scalars(select(m.Facility).order_by(m.Facility.id))
    ]
    return docs
