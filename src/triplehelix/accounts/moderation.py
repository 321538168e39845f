"""Moderated directory edits. Editors change their organisation's profile field by field; the
region office decides per field kind whether a change publishes at once or waits in the review
queue. "Claim this organisation" and "Add an organisation" always wait for review. A published
change is a sourced, dated fact (the source the editor named, else the profile's own dated
page) and is audited like every change."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from triplehelix.accounts import affiliation, audit, profile
from triplehelix.accounts.models import ModerationPolicy, ProfileChange, User, utcnow
from triplehelix.accounts.permissions import require_admin, require_editor
from triplehelix.directory.models import Organisation, Service, Source
from triplehelix.directory.search_text import organisation_search_text
from triplehelix.errors import ConflictError, NotFoundError, ValidationError
from triplehelix.taxonomy.loader import get_taxonomy

FIELDS = ("summary", "website", "services", "city", "address")
MODES = ("publish", "review")


def organisation_kinds() -> list[tuple[str, str]]:
    """(code, label) of every organisation kind in the taxonomy."""
    return [(t.code, t.label) for t in get_taxonomy().schemes["organisation_kind"].terms]


def mode_for(session: Session, field: str) -> str:
    found = session.get(ModerationPolicy, field)
    return found.mode if found else "publish"


def policies(session: Session) -> dict[str, str]:
    return {field: mode_for(session, field) for field in FIELDS}


def set_mode(session: Session, actor: User, field: str, mode: str) -> None:
    require_admin(actor)
    if field not in FIELDS or mode not in MODES:
        raise ValidationError(f"policy: {field!r} / {mode!r} is not a field kind and a mode")
    before = {"mode": mode_for(session, field)}
    found = session.get(ModerationPolicy, field) or ModerationPolicy(field=field)
    found.mode = mode
    session.add(found)
    audit.record(session, actor, "policy", "moderation", field, before, {"mode": mode})


def _clean(field: str, value: Any) -> Any:
    if field == "services":
        return [str(t).strip() for t in value if str(t).strip()]
    text = str(value or "").strip()
    if field == "website":
        return profile.normalise_website(text)
    limit = 5000 if field == "summary" else 300
    if len(text) > limit:
        raise ValidationError(f"{field}: at most {limit} characters")
    return text


def _current(org: Organisation, field: str) -> Any:
    if field == "services":
        return [s.text for s in org.services]
    return getattr(org, field) or ""


def _source(session: Session, url: str) -> Source | None:
    if not url:
        return None
    if not url.startswith(("https://", "http://")):
        raise ValidationError("source: give the web address (https://...) the fact comes from")
    return session.scalar(select(Source).where(Source.url == url)) or Source(
        url=url, accessed=utcnow().date(), label="named by the organisation's editor"
    )


def _publish(session: Session, actor: User, org: Organisation, field: str, value: Any,
             source_url: str) -> None:  # fmt: skip
    before = {field: _current(org, field)}
    if field == "services":
        org.services = [Service(text=t, position=i) for i, t in enumerate(value)]
    else:
        setattr(org, field, value or None)
    org.search_text = organisation_search_text(org)
    source = _source(session, source_url) or profile.dated_source(session, org)
    if source not in org.sources:
        org.sources.append(source)
    audit.record(session, actor, "edit", "organisation", org.id, before, {field: value})


def propose_edits(
    session: Session, user: User, organisation_id: str, values: dict[str, Any],
    source_url: str = "",
) -> tuple[list[str], list[str]]:  # fmt: skip
    """Apply or queue each changed field; returns (published fields, fields waiting)."""
    require_editor(user, organisation_id)
    org = session.get(Organisation, organisation_id)
    if org is None:
        raise NotFoundError(f"no organisation {organisation_id!r}")
    cleaned = {f: _clean(f, v) for f, v in values.items() if f in FIELDS}
    _source(session, source_url.strip())  # a bad source URL refuses the whole form
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
        raise ValidationError("name: give the organisation's name")
    codes = [code for code, _ in organisation_kinds()]
    if kind not in codes:
        raise ValidationError(f"kind: {kind!r} is not one of {', '.join(codes)}")
    if session.get(Organisation, _slug(name)) is not None:
        raise ConflictError(f"name: {name.strip()!r} is in the directory already")
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
        raise NotFoundError(f"no proposed change {change_id}")
    if change.status != "pending":
        raise ConflictError(f"change {change_id} is {change.status}, not pending")
    change.status, change.decided_by, change.decided_at = (
        "published" if approve else "rejected", admin.id, utcnow())  # fmt: skip
    author = session.get(User, change.created_by) if change.created_by else None
    if approve and author is not None:
        _apply(session, admin, author, change)
    audit.record(session, admin, change.status, "profile_change", change.id,
                 {"status": "pending"}, {"status": change.status})  # fmt: skip
    if author is not None:
        audit.notify(session, {author.id}, f"Your proposed change was {change.status}",
                     link=f"/organisations/{change.organisation_id or ''}")  # fmt: skip
    return change


def _apply(session: Session, admin: User, author: User, change: ProfileChange) -> None:
    from triplehelix.accounts.service import grant_role

    if change.kind == "edit":
        org = session.get(Organisation, change.organisation_id)
        if org is None:
            raise NotFoundError(f"no organisation {change.organisation_id!r}")
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
        org.search_text = organisation_search_text(org)
        change.organisation_id = org.id
        audit.record(session, admin, "create", "organisation", org.id, None, value)
