"""What a post is made of: its types, states, partnership kinds and IP statuses, and the check of
the fields a type takes (domains and stages from the taxonomy, TRL 1-9 for technology posts)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from triplehelix.taxonomy import get_taxonomy

TYPES: dict[str, str] = {
    "technology_offer": "Technology offer",
    "technology_request": "Technology request",
    "business_offer": "Business offer",
    "business_request": "Business request",
    "research_partner": "Research partner search",
    "infrastructure_capacity": "Infrastructure capacity",
    "internship": "Internship / graduation project",
    "job": "Job",
}
STATES = ("draft", "submitted", "returned", "published", "expired", "withdrawn")
# An offer is matched to requests and the other way round; a partner search to partner searches.
OPPOSITE: dict[str, tuple[str, ...]] = {
    "technology_offer": ("technology_request",),
    "technology_request": ("technology_offer", "infrastructure_capacity"),
    "business_offer": ("business_request",),
    "business_request": ("business_offer",),
    "research_partner": ("research_partner",),
    "infrastructure_capacity": ("technology_request",),
}
REQUESTS = ("technology_request", "business_request", "research_partner")
TECHNOLOGY = ("technology_offer", "technology_request")
PARTNERSHIP: dict[str, str] = {
    "licence": "Licence agreement",
    "research_cooperation": "Research cooperation",
    "technical_cooperation": "Technical cooperation",
    "supplier": "Supplier agreement",
    "subcontracting": "Subcontracting",
    "joint_venture": "Joint venture",
    "investment": "Investment / financial agreement",
    "commercial_agency": "Commercial agency / distribution",
    "facility_use": "Use of facilities",
    "employment": "Employment / internship",
}
IP_STATUS: dict[str, str] = {
    "": "not stated",
    "patent_granted": "Patent granted",
    "patent_applied": "Patent applied for",
    "secret_know_how": "Secret know-how",
    "copyright": "Copyright",
    "exclusive_rights": "Exclusive rights",
    "none": "No IP involved",
}
# The region's three domains when the taxonomy carries no `domain` scheme of its own.
FALLBACK_DOMAINS = {"life_sciences": "Life sciences and health", "space": "Space",
                    "drones": "Drones and autonomous systems"}  # fmt: skip
MAX_TITLE, MAX_TEXT = 200, 8000
MAX_EXPIRY_DAYS = 2 * 366


def domains() -> dict[str, str]:
    tax = get_taxonomy()
    if "domain" in tax.schemes:
        return {t.code: t.label for t in tax.schemes["domain"].terms}
    return dict(FALLBACK_DOMAINS)


def stages() -> dict[str, str]:
    return {t.code: t.label for t in get_taxonomy().schemes["value_chain"].terms}


@dataclass
class PostFields:
    """The editable fields of a post, as given by a form or the API."""

    type: str
    title: str
    text: str
    domains: list[str] = field(default_factory=list)
    stages: list[str] = field(default_factory=list)
    partnership: list[str] = field(default_factory=list)
    trl: int | None = None
    ip_status: str = ""
    location: str = ""
    expires: date | None = None
    contact_public: bool = False


def _unknown(name: str, given: list[str], known: dict[str, str]) -> list[str]:
    return [f"{name}: unknown code {c!r} (known: {', '.join(sorted(known))})"
            for c in given if c not in known]  # fmt: skip


def problems(f: PostFields, today: date) -> list[str]:
    """Every problem with `f`, each naming its field; empty when the post may be stored."""
    found: list[str] = []
    if f.type not in TYPES:
        found.append(f"type: {f.type!r} is not one of {', '.join(TYPES)}")
    if not f.title.strip():
        found.append("title: give a title")
    if len(f.title) > MAX_TITLE:
        found.append(f"title: at most {MAX_TITLE} characters")
    if not f.text.strip():
        found.append("text: say what is offered or sought")
    if len(f.text) > MAX_TEXT:
        found.append(f"text: at most {MAX_TEXT} characters")
    found += _unknown("domains", f.domains, domains())
    found += _unknown("stages", f.stages, stages())
    found += _unknown("partnership", f.partnership, PARTNERSHIP)
    found += _unknown("ip_status", [f.ip_status], IP_STATUS)
    if f.trl is not None and f.type not in TECHNOLOGY:
        found.append("trl: only technology offers and requests have a readiness level")
    if f.trl is not None and not 1 <= f.trl <= 9:
        found.append("trl: a technology readiness level is 1 to 9")
    if f.expires is not None and not today < f.expires <= date.fromordinal(
        today.toordinal() + MAX_EXPIRY_DAYS
    ):
        found.append(f"expires: a date after today and at most {MAX_EXPIRY_DAYS} days ahead")
    return found
