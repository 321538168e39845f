"""Editing an organisation's profile (summary, website, services): the checks on what is typed,
and the edit itself, recorded as a Source "edited by the organisation" with the date so the
changed facts show as sourced like any other. Who may edit, and the audit log, are the accounts
feature's (`accounts.service.moderation.edit_profile`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from triplehelix import fields
from triplehelix.directory.models import Organisation, Service, Source
from triplehelix.errors import NotFoundError, ValidationError
from triplehelix.i18n import gettext as _

EDIT_LABEL = "edited by the organisation"


def _snapshot(org: Organisation) -> dict[str, object]:
    return {
        "summary": org.summary,
        "website": org.website,
        "services": [s.text for s in org.services],
    }


def dated_source(session: Session, org: Organisation, today: date | None = None) -> Source:
    # One source per organisation per day: the URL is the profile's own page, dated.
    day = today or date.today()
    url = f"/organisations/{org.id}#edited-{day.isoformat()}"
    source = session.scalar(select(Source).where(Source.url == url))
    if source is None:
        source = Source(url=url, accessed=day, label=EDIT_LABEL)
        session.add(source)
    return source


def _length_problems(summary: str, website: str, services: list[str]) -> list[str]:
    texts = [t.strip() for t in services if t.strip()]
    characters, each = _("at most %(n)s characters"), _("at most %(n)s characters each")
    limits = [
        ("summary", len(summary), fields.SUMMARY_MAX, characters),
        ("website", len(website), fields.URL_MAX, characters),
        ("services", len(texts), fields.SERVICES_MAX, _("at most %(n)s services")),
        ("services", max(map(len, texts), default=0), fields.SERVICE_MAX, each),
    ]
    out = [f"{name}: " + text % {"n": limit} for name, size, limit, text in limits if size > limit]
    bad = next((c for t in [summary, website, *texts] if (c := fields.control_character(t))), None)
    control = _("text must not contain control characters (%(found)s)")
    return out + ([control % {"found": bad}] if bad else [])


def normalise_website(value: str) -> str:
    """The directory's form of a website: host and path without scheme or trailing slash
    ("https://x.example/" -> "x.example"), as the bundled data has it; pages add https://."""
    text = value.strip()
    scheme, sep, rest = text.partition("://")
    if sep and scheme.lower() not in ("http", "https"):
        message = _("%(text)s is not a web address (http or https)") % {"text": repr(text)}
        raise ValidationError(f"website: {message}")
    bare = (rest if sep else text).strip().rstrip("/")
    host = bare.split("/", 1)[0]
    if bare and (" " in bare or "." not in host or "://" in bare):
        message = _("%(text)s is not a web address like example.org") % {"text": repr(text)}
        raise ValidationError(f"website: {message}")
    return bare


@dataclass(frozen=True)
class ProfileEdit:
    """An edited organisation, with its profile before and after the edit."""

    organisation: Organisation
    before: dict[str, object]
    after: dict[str, object]


def update_profile(
    session: Session, organisation_id: str, summary: str, website: str, services: list[str],
    today: date | None = None,
) -> ProfileEdit:  # fmt: skip
    org = session.get(Organisation, organisation_id)
    if org is None:
        raise NotFoundError(_("no organisation %(id)s") % {"id": repr(organisation_id)})

    website = normalise_website(website)
    problems = _length_problems(summary, website, services)
    if problems:
        raise ValidationError("; ".join(problems), problems)
    before = _snapshot(org)
    org.summary = summary.strip()
    org.website = website or None
    texts = [t.strip() for t in services if t.strip()]
    org.services = [Service(text=t, position=i) for i, t in enumerate(texts)]
    source = dated_source(session, org, today)
    if source not in org.sources:
        org.sources.append(source)
    return ProfileEdit(org, before, _snapshot(org))
