"""schema.org Organization as JSON-LD, for the organisation page and `export --format jsonld`."""

from __future__ import annotations

from typing import Any

from triplehelix.directory.schemas import OrganisationPublic

SCHEMA_TYPES = {
    "university": "CollegeOrUniversity",
    "education": "EducationalOrganization",
    "hospital": "Hospital",
    "university_medical_center": "Hospital",
    "government": "GovernmentOrganization",
    "public_agency": "GovernmentOrganization",
    "museum": "Museum",
    "research_institute": "ResearchOrganization",
    "company": "Corporation",
}


def organisation_jsonld(org: OrganisationPublic, base_url: str = "") -> dict[str, Any]:
    doc: dict[str, Any] = {
        "@type": SCHEMA_TYPES.get(org.kind, "Organization"),
        "@id": f"{base_url}/organisations/{org.id}",
        "identifier": org.id,
        "name": org.name,
        "description": org.summary or None,
        "alternateName": org.aliases or None,
        "url": f"https://{org.website}" if org.website else None,
        "foundingDate": str(org.founded) if org.founded else None,
        "knowsAbout": [c.label for c in org.value_chain + org.modalities] + org.services or None,
        "sameAs": [i.url for i in org.identifiers if i.url and i.scheme != "domain"] or None,
        "subjectOf": [s.url for s in org.sources] or None,
    }
    if org.city or org.address:
        doc["address"] = {
            "@type": "PostalAddress",
            "addressLocality": org.city,
            "streetAddress": org.address,
            "addressCountry": "NL" if org.city else None,
        }
        doc["address"] = {k: v for k, v in doc["address"].items() if v is not None}
    return {k: v for k, v in doc.items() if v is not None}


def jsonld_document(orgs: list[OrganisationPublic], base_url: str = "") -> dict[str, Any]:
    """A whole directory: one @graph of organisations."""
    return {
        "@context": "https://schema.org",
        "@graph": [organisation_jsonld(o, base_url) for o in orgs],
    }


def jsonld_page(org: OrganisationPublic, base_url: str = "") -> dict[str, Any]:
    """One organisation, as embedded in its page."""
    return {"@context": "https://schema.org", **organisation_jsonld(org, base_url)}
