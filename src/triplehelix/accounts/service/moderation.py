"""Moderated directory edits. Editors change their organisation's profile field by field; the
region office decides per field kind whether a change publishes at once or waits in the review
queue. "Claim this organisation" and "Add an organisation" always wait for review. A published
change is a sourced, dated fact (the source the editor named, else the profile's own dated
page) and is audited like every change."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from triplehelix.accounts.models import AuditEntry, ModerationPolicy, ProfileChange, User
from triplehelix.accounts.service import affiliation, audit, inbox
from triplehelix.accounts.service.labels import code_label
from triplehelix.accounts.service.permissions import require_admin, require_editor
from triplehelix.db import utcnow
from triplehelix.directory.models import Identifier, Organisation, OrganisationTag, Service, Source
from triplehelix.directory.service import profile
from triplehelix.errors import ConflictError, NotFoundError, ValidationError
from triplehelix.i18n import gettext as _
from triplehelix.i18n import lazy_gettext
from triplehelix.region.service.locate import locate_organisation
from triplehelix.taxonomy.schemas import get_taxonomy

# Taxonomy-coded fields an editor ticks; each is the scheme of the organisation's tags.
TAG_FIELDS = ("value_chain", "modality", "domain")
FIELDS = ("summary", "website", "services", "city", "address", *TAG_FIELDS, "identifiers")
MODES = ("publish", "review")
# Registry identifiers an editor may give, with the form each takes (web domains and ROR-derived
# grid/fundref ids stay with the loaders).
IDENTIFIER_FORMS = {
    "wikidata": (re.compile(r"Q[1-9][0-9]{0,11}"), lazy_gettext("a Wikidata item like Q123")),
    "kvk": (re.compile(r"[0-9]{8}"), lazy_gettext("a company-register (KvK) number of 8 digits")),
    "ror": (re.compile(r"0[a-z0-9]{6}[0-9]{2}"), lazy_gettext("a ROR id like 027bh9e22")),
    "isni": (re.compile(r"[0-9]{15}[0-9X]"), lazy_gettext("an ISNI of 16 characters")),
}


def organisation_kinds() -> list[tuple[str, str]]:
    """(code, label) of every organisation kind in the taxonomy."""
    return [(t.code, t.label_in()) for t in get_taxonomy().schemes["organisation_kind"].terms]


def choices() -> dict[str, list[tuple[str, list[tuple[str, str]]]]]:
    """The codes an editor ticks, per tag field, in groups (label, [(code, label)]): the stages
    grouped by domain (then the stages of every domain), modalities and domains in one group."""
    tax = get_taxonomy()

    def labelled(scheme: str, codes: list[str]) -> list[tuple[str, str]]:
        return [(c, tax.label(scheme, c)) for c in codes]

    stages = [(d.label_in(), labelled("value_chain", tax.stages(d.code))) for d in tax.domains()]
    stages.append(("Every domain", labelled("value_chain", tax.cross_domain_stages())))
    return {
        "value_chain": [(label, group) for label, group in stages if group],
        "modality": [("", labelled("modality", tax.codes("modality")))],
        "domain": [("", labelled("domain", tax.codes("domain")))],
    }


def current_values(org: Organisation) -> dict[str, Any]:
    return {field: _current(org, field) for field in FIELDS}


def mode_for(session: Session, field: str) -> str:
    found = session.get(ModerationPolicy, field)
    return found.mode if found else "publish"


def policies(session: Session) -> dict[str, str]:
    return {field: mode_for(session, field) for field in FIELDS}


def set_mode(session: Session, actor: User, field: str, mode: str) -> None:
    require_admin(actor)
    if field not in FIELDS or mode not in MODES:
        message = _("%(field)s / %(mode)s is not a field kind and a mode") % {
            "field": repr(field), "mode": repr(mode)
        }  # fmt: skip
        raise ValidationError(f"policy: {message}")
    before = {"mode": mode_for(session, field)}
    found = session.get(ModerationPolicy, field) or ModerationPolicy(field=field)
    found.mode = mode
    session.add(found)
    audit.record(session, actor, "policy", "moderation", field, before, {"mode": mode})


def _codes(field: str, value: Any) -> list[str]:
    taxonomy, codes = get_taxonomy(), []
    for code in (str(c).strip() for c in value):
        if code and not taxonomy.has(field, code):
            raise ValidationError(f"{field}: " + _("unknown code %(code)s") % {"code": repr(code)})
        if code and code not in codes:
            codes.append(code)
    return codes


def _identifiers(value: Any) -> dict[str, str]:
    out = {}
    for scheme, raw in dict(value).items():
        text = str(raw or "").strip()
        if scheme not in IDENTIFIER_FORMS:
            known = ", ".join(IDENTIFIER_FORMS)
            message = _("%(scheme)s is not one of %(known)s") % {
                "scheme": repr(scheme), "known": known
            }  # fmt: skip
            raise ValidationError(f"identifiers: {message}")
        pattern, form = IDENTIFIER_FORMS[scheme]
        if text and not pattern.fullmatch(text):
            message = _("%(text)s is not %(form)s") % {"text": repr(text), "form": str(form)}
            raise ValidationError(f"identifiers.{scheme}: {message}")
        if text:
            out[scheme] = text
    return out


def _clean(field: str, value: Any) -> Any:
    if field in TAG_FIELDS:
        return _codes(field, value)
    if field == "identifiers":
        return _identifiers(value)
    if field == "services":
        return [str(t).strip() for t in value if str(t).strip()]
    text = str(value or "").strip()
    if field == "website":
        return profile.normalise_website(text)
    limit = 5000 if field == "summary" else 300
    if len(text) > limit:
        raise ValidationError(f"{field}: " + _("at most %(n)s characters") % {"n": limit})
    return text


def _current(org: Organisation, field: str) -> Any:
    if field in TAG_FIELDS:
        return org.tag_codes(field)
    if field == "identifiers":
        return {i.scheme: i.value for i in org.identifiers if i.scheme in IDENTIFIER_FORMS}
    if field == "services":
        return [s.text for s in org.services]
    return getattr(org, field) or ""


def _source(session: Session, url: str) -> Source | None:
    if not url:
        return None
    if not url.startswith(("https://", "http://")):
        raise ValidationError(
            "source: " + _("give the web address (https://...) the fact comes from")
        )
    return session.scalar(select(Source).where(Source.url == url)) or Source(
        url=url, accessed=utcnow().date(), label="named by the organisation's editor"
    )


def _publish(session: Session, actor: User, org: Organisation, field: str, value: Any,
             source_url: str) -> None:  # fmt: skip
    before = {field: _current(org, field)}
    _set(org, field, value)
    source = _source(session, source_url) or profile.dated_source(session, org)
    if source not in org.sources:
        org.sources.append(source)
    audit.record(session, actor, "edit", "organisation", org.id, before, {field: value})


def _set(org: Organisation, field: str, value: Any) -> None:
    # Rows kept for values that stay, so a unique (organisation, scheme, code) is never re-inserted.
    if field in TAG_FIELDS:
        kept = {t.code: t for t in org.tags if t.scheme == field and t.code in value}
        org.tags = [t for t in org.tags if t.scheme != field] + [
            kept.get(c) or OrganisationTag(scheme=field, code=c) for c in value
        ]
        for i, tag in enumerate(org.tags):
            tag.position = i
    elif field == "identifiers":
        ids = {(i.scheme, i.value): i for i in org.identifiers}
        org.identifiers = [i for i in org.identifiers if i.scheme not in IDENTIFIER_FORMS] + [
            ids.get((s, v)) or Identifier(scheme=s, value=v) for s, v in value.items()
        ]
    elif field == "services":
        org.services = [Service(text=t, position=i) for i, t in enumerate(value)]
    else:  # the description is never null, the other texts are when empty
        setattr(org, field, value if field == "summary" else value or None)
    if field in ("city", "address"):
        locate_organisation(org)  # the municipality follows from the city (or address)


def _taken_identifiers(session: Session, org: Organisation, value: dict[str, str]) -> None:
    for scheme, text in value.items():
        owner = session.scalar(select(Identifier.organisation_id).where(
            Identifier.scheme == scheme, Identifier.value == text,
            Identifier.organisation_id != org.id))  # fmt: skip
        if owner is not None:
            message = _("%(text)s already belongs to %(owner)s") % {
                "text": repr(text), "owner": repr(owner)
            }  # fmt: skip
            raise ValidationError(f"identifiers.{scheme}: {message}")


def propose_edits(
    session: Session, user: User, organisation_id: str, values: dict[str, Any],
    source_url: str = "",
) -> tuple[list[str], list[str]]:  # fmt: skip
    """Apply or queue each changed field; returns (published fields, fields waiting)."""
    require_editor(user, organisation_id)
    org = session.get(Organisation, organisation_id)
    if org is None:
        raise NotFoundError(_("no organisation %(id)s") % {"id": repr(organisation_id)})
    problems: list[str] = []
    cleaned: dict[str, Any] = {}
    for field, value in values.items():
        try:
            if field in FIELDS:
                cleaned[field] = _clean(field, value)
            if field == "identifiers":
                _taken_identifiers(session, org, cleaned[field])
        except ValidationError as exc:
            problems.append(str(exc))
    try:
        _source(session, source_url.strip())  # a bad source URL refuses the whole form
    except ValidationError as exc:
        problems.append(str(exc))
    if problems:  # every bad field named at once; nothing is stored
        raise ValidationError("; ".join(problems), problems)
    published, waiting = [], []
    for field, value in cleaned.items():
        if value == _current(org, field):
            continue
        if mode_for(session, field) == "publish":
            _publish(session, user, org, field, value, source_url.strip())
            published.append(field)
        else:
            _queue(session, user, "edit", org.id, field, value, source_url.strip())
            waiting.append(field)
    return published, waiting


def edit_profile(
    session: Session, user: User, organisation_id: str, summary: str, website: str,
    services: list[str], today: date | None = None,
) -> Organisation:  # fmt: skip
    """An editor's direct edit of summary, website and services, published at once and
    audited (`directory.service.profile.update_profile` makes the edit)."""
    require_editor(user, organisation_id)
    edit = profile.update_profile(session, organisation_id, summary, website, services, today)
    org = edit.organisation
    audit.record(session, user, "edit", "organisation", org.id, edit.before, edit.after)
    return org


def _queue(session: Session, user: User, kind: str, organisation_id: str | None, field: str,
           value: Any, source_url: str = "") -> ProfileChange:  # fmt: skip
    change = ProfileChange(kind=kind, organisation_id=organisation_id, field=field, value=value,
                           source_url=source_url, created_by=user.id)  # fmt: skip
    session.add(change)
    session.flush()
    audit.record(session, user, "propose", "profile_change", change.id, None,
                 {"kind": kind, "organisation": organisation_id, "field": field})  # fmt: skip
    return change


def claim_organisation(
    session: Session, user: User, organisation_id: str, note: str
) -> ProfileChange:
    org = affiliation.organisation_of(session, organisation_id)
    return _queue(session, user, "claim", org.id, "", {"note": note.strip()[:1000]})


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:100]


def propose_organisation(session: Session, user: User, name: str, kind: str, city: str,
                         website: str, source_url: str) -> ProfileChange:  # fmt: skip
    """Ask for a new organisation in the directory; the region office decides."""
    if not name.strip() or not _slug(name):
        raise ValidationError("name: " + _("give the organisation's name"))
    codes = [code for code, _label in organisation_kinds()]
    if kind not in codes:
        message = _("%(scheme)s is not one of %(known)s") % {
            "scheme": repr(kind), "known": ", ".join(codes)
        }  # fmt: skip
        raise ValidationError(f"kind: {message}")
    if session.get(Organisation, _slug(name)) is not None:
        message = _("%(name)s is in the directory already") % {"name": repr(name.strip())}
        raise ConflictError(f"name: {message}")
    _source(session, source_url.strip())
    value = {"name": name.strip()[:300], "kind": kind, "city": city.strip()[:120],
             "website": profile.normalise_website(website)}  # fmt: skip
    return _queue(session, user, "add", None, "", value, source_url.strip())


def pending(session: Session) -> list[ProfileChange]:
    query = select(ProfileChange).where(ProfileChange.status == "pending")
    return list(session.scalars(query.order_by(ProfileChange.id)))


def decide_change(session: Session, admin: User, change_id: int, approve: bool) -> ProfileChange:
    require_admin(admin)
    change = session.get(ProfileChange, change_id)
    if change is None:
        raise NotFoundError(_("no proposed change %(id)s") % {"id": change_id})
    if change.status != "pending":
        raise ConflictError(
            _("change %(id)s is %(status)s, not pending")
            % {"id": change_id, "status": code_label(change.status)}
        )

    change.status, change.decided_by, change.decided_at = (
        "published" if approve else "rejected", admin.id, utcnow())  # fmt: skip
    author = session.get(User, change.created_by) if change.created_by else None
    if approve and author is not None:
        _apply(session, admin, author, change)
    audit.record(session, admin, change.status, "profile_change", change.id,
                 {"status": "pending"}, {"status": change.status})  # fmt: skip
    if author is not None:

        def subject() -> str:
            if approve:
                return _("Your proposed change was published")
            return _("Your proposed change was rejected")

        inbox.notify(session, {author.id}, subject,
                     link=f"/organisations/{change.organisation_id or ''}")  # fmt: skip
    return change


def _apply(session: Session, admin: User, author: User, change: ProfileChange) -> None:
    from triplehelix.accounts.service import grant_role

    if change.kind == "edit":
        org = session.get(Organisation, change.organisation_id)
        if org is None:
            raise NotFoundError(_("no organisation %(id)s") % {"id": repr(change.organisation_id)})

        _publish(session, admin, org, change.field, change.value, change.source_url)
    elif change.kind == "claim" and change.organisation_id:
        grant_role(session, admin, author, "editor", change.organisation_id)
        affiliation.set_affiliation(session, admin, author, change.organisation_id, "approval")
    elif change.kind == "add":
        value = dict(change.value)
        org = Organisation(id=_slug(value["name"]), name=value["name"], kind=value["kind"],
                           city=value["city"] or None, website=value["website"] or None,
                           origin="proposed")  # fmt: skip
        session.add(org)
        source = _source(session, change.source_url)
        if source is not None:
            org.sources.append(source)
        change.organisation_id = org.id
        audit.record(session, admin, "create", "organisation", org.id, None, value)


def revert_edit(session: Session, actor: User, entry_id: int) -> Organisation:
    """Put the fields of one audited profile edit back as they were before it (itself a new,
    audited edit, so the revert can be reverted too; the municipality follows a reverted city).
    Region admins only."""
    require_admin(actor)
    entry = session.get(AuditEntry, entry_id)
    if entry is None or entry.entity != "organisation" or entry.action != "edit":
        raise NotFoundError(_("no profile edit %(id)s in the audit log") % {"id": entry_id})
    org = session.get(Organisation, entry.entity_id)
    if org is None:
        raise NotFoundError(_("no organisation %(id)s") % {"id": repr(entry.entity_id)})

    for field, value in (entry.before or {}).items():
        if field in FIELDS and value != _current(org, field):
            _publish(session, actor, org, field, value, "")
    return org
