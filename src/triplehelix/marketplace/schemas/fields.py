"""What a post is made of: its types, states, partnership kinds and IP statuses, and the check of
the fields a type takes (domains and stages from the taxonomy, TRL 1-9 for technology posts)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from triplehelix.i18n import current_locale
from triplehelix.i18n import gettext as _
from triplehelix.taxonomy import get_taxonomy


def N_(message: str) -> str:
    """Marks a message for the catalogue; it is translated where it is shown (`labels`)."""
    return message


# The English names below are the source texts: the search index and the codes' documentation use
# them as they are; pages, mails and the API show them through `translated` and `type_label`.

TYPES: dict[str, str] = {
    "technology_offer": N_("Technology offer"),
    "technology_request": N_("Technology request"),
    "business_offer": N_("Business offer"),
    "business_request": N_("Business request"),
    "research_partner": N_("Research partner search"),
    "infrastructure_capacity": N_("Infrastructure capacity"),
    "internship": N_("Internship / graduation project"),
    "job": N_("Job"),
}
STATES = ("draft", "submitted", "returned", "published", "expired", "withdrawn")
STATE_NAMES: dict[str, str] = {
    "draft": N_("draft"),
    "submitted": N_("waiting for review"),
    "returned": N_("returned to the poster"),
    "published": N_("published"),
    "expired": N_("expired"),
    "withdrawn": N_("withdrawn"),
}
INTEREST_STATE_NAMES: dict[str, str] = {
    "pending": N_("waiting for an answer"),
    "accepted": N_("accepted"),
    "declined": N_("declined"),
}
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
    "licence": N_("Licence agreement"),
    "research_cooperation": N_("Research cooperation"),
    "technical_cooperation": N_("Technical cooperation"),
    "supplier": N_("Supplier agreement"),
    "subcontracting": N_("Subcontracting"),
    "joint_venture": N_("Joint venture"),
    "investment": N_("Investment / financial agreement"),
    "commercial_agency": N_("Commercial agency / distribution"),
    "facility_use": N_("Use of facilities"),
    "employment": N_("Employment / internship"),
}
IP_STATUS: dict[str, str] = {
    "": N_("not stated"),
    "patent_granted": N_("Patent granted"),
    "patent_applied": N_("Patent applied for"),
    "secret_know_how": N_("Secret know-how"),
    "copyright": N_("Copyright"),
    "exclusive_rights": N_("Exclusive rights"),
    "none": N_("No IP involved"),
}
# The region's three domains when the taxonomy carries no `domain` scheme of its own.
FALLBACK_DOMAINS = {"life_sciences": N_("Life sciences and health"), "space": N_("Space"),
                    "drones": N_("Drones and autonomous systems")}  # fmt: skip
MAX_TITLE, MAX_TEXT = 200, 8000
MAX_EXPIRY_DAYS = 2 * 366


def domains() -> dict[str, str]:
    """Domain codes and their English names (the check of a post and the search index)."""
    tax = get_taxonomy()
    if "domain" in tax.schemes:
        return {t.code: t.label_in() for t in tax.schemes["domain"].terms}
    return dict(FALLBACK_DOMAINS)


def stages() -> dict[str, str]:
    return {t.code: t.label_in() for t in get_taxonomy().schemes["value_chain"].terms}


def domain_labels() -> dict[str, str]:
    """Domain codes and their names in the current language, as pages and mails show them."""
    tax = get_taxonomy()
    if "domain" in tax.schemes:
        return {t.code: t.label_in(current_locale()) for t in tax.schemes["domain"].terms}
    return translated(FALLBACK_DOMAINS)


def stage_labels() -> dict[str, str]:
    terms = get_taxonomy().schemes["value_chain"].terms
    return {t.code: t.label_in(current_locale()) for t in terms}


def translated(names: dict[str, str]) -> dict[str, str]:
    """One of the name tables above in the current language, in the same order."""
    return {code: _(text) if text else text for code, text in names.items()}


def type_label(code: str) -> str:
    return _(TYPES[code]) if code in TYPES else code


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
    return [f"{name}: " + _("unknown code %(code)s (known: %(known)s)")
            % {"code": repr(c), "known": ", ".join(sorted(known))}
            for c in given if c not in known]  # fmt: skip


def problems(f: PostFields, today: date) -> list[str]:
    """Every problem with `f`, each naming its field (the name stays English, as the API and the
    form call it) and saying what is wrong in the current language; empty when it may be stored."""
    found: list[str] = []
    if f.type not in TYPES:
        found.append("type: " + _("%(value)s is not one of %(known)s")
                     % {"value": repr(f.type), "known": ", ".join(TYPES)})  # fmt: skip
    if not f.title.strip():
        found.append("title: " + _("give a title"))
    if len(f.title) > MAX_TITLE:
        found.append("title: " + _("at most %(n)s characters") % {"n": MAX_TITLE})
    if not f.text.strip():
        found.append("text: " + _("say what is offered or sought"))
    if len(f.text) > MAX_TEXT:
        found.append("text: " + _("at most %(n)s characters") % {"n": MAX_TEXT})
    found += _unknown("domains", f.domains, domains())
    found += _unknown("stages", f.stages, stages())
    found += _unknown("partnership", f.partnership, PARTNERSHIP)
    found += _unknown("ip_status", [f.ip_status], IP_STATUS)
    if f.trl is not None and f.type not in TECHNOLOGY:
        found.append("trl: " + _("only technology offers and requests have a readiness level"))
    if f.trl is not None and not 1 <= f.trl <= 9:
        found.append("trl: " + _("a technology readiness level is 1 to 9"))
    if f.expires is not None and not today < f.expires <= date.fromordinal(
        today.toordinal() + MAX_EXPIRY_DAYS
    ):
        found.append("expires: " + _("a date after today and at most %(days)s days ahead")
                     % {"days": MAX_EXPIRY_DAYS})  # fmt: skip
    return found
