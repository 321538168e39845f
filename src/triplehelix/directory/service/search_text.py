"""The lower-cased text the directory's keyword filter searches, derived from an organisation, and
the flush hook that keeps `Organisation.search_text` current: before every flush it re-derives
the text of each organisation whose name, city, summary, kind, aliases, services or tags changed
(an organisation added, or one of those rows added, edited or removed), so no writer sets it.

Importing this module registers the hook on every `Session`. The directory's service package
imports it, and so does every module elsewhere that writes organisations (the loader, the
registry import, merges, moderation): `tests/directory/test_search_text_service.py` checks each."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeGuard, TypeVar

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, UOWTransaction
from sqlalchemy.orm.attributes import get_history

from triplehelix.directory import models as m
from triplehelix.taxonomy import get_taxonomy

SCHEMES = {"cluster": "cluster", "value_chain": "value_chain", "modality": "modality"}
# What the text is built from: the organisation's own fields and its rows of these kinds.
FIELDS = ("name", "city", "summary", "kind", "aliases", "services", "tags")
Part = m.OrganisationAlias | m.Service | m.OrganisationTag
P = TypeVar("P", m.OrganisationAlias, m.Service, m.OrganisationTag)


def search_text_of(
    name: str,
    city: str | None,
    summary: str | None,
    kind: str,
    aliases: Iterable[str] = (),
    services: Iterable[str] = (),
    tags: Iterable[tuple[str, str]] = (),
) -> str:
    """The text from plain values: alias names, service texts and (scheme, code) tags."""
    tax = get_taxonomy()
    parts = [name, city or "", summary or "", *aliases, *services]
    for scheme, code in tags:
        parts.append(code.replace("-", " ").replace("_", " "))
        if scheme in SCHEMES:
            parts.append(tax.label(SCHEMES[scheme], code, "en"))
    parts.append(tax.label("organisation_kind", kind, "en"))
    return " ".join(p for p in parts if p).lower()


def _text(
    org: m.Organisation,
    aliases: Iterable[m.OrganisationAlias],
    services: Iterable[m.Service],
    tags: Iterable[m.OrganisationTag],
) -> str:
    return search_text_of(
        org.name, org.city, org.summary, org.kind,
        [a.name for a in aliases], [s.text for s in services], [(t.scheme, t.code) for t in tags],
    )  # fmt: skip


def organisation_search_text(org: m.Organisation) -> str:
    return _text(org, org.aliases, org.services, org.tags)


def _inputs_changed(org: m.Organisation) -> bool:
    attrs = inspect(org).attrs
    return any(attrs[name].history.has_changes() for name in FIELDS)


def _is_part(row: object) -> TypeGuard[Part]:
    return isinstance(row, (m.OrganisationAlias, m.Service, m.OrganisationTag))


def _owners(row: Part) -> set[str]:
    """The organisations a row belongs to, and belonged to before this flush."""
    moved = get_history(row, "organisation_id").deleted
    return {o for o in (row.organisation_id, *moved) if o}


class _Pending:
    """What is about to be flushed: the organisations to re-derive, and the rows they are
    built from, some of which their owners' loaded collections may not show yet (a row added
    with `session.add`, deleted with `session.delete`, or moved to another organisation)."""

    def __init__(self, session: Session) -> None:
        new, dirty, self.deleted = session.new, session.dirty, session.deleted
        self.stale = {o for o in new if isinstance(o, m.Organisation)}
        self.stale |= {o for o in dirty if isinstance(o, m.Organisation) and _inputs_changed(o)}
        touched = (r for r in (*new, *self.deleted, *dirty) if _is_part(r))
        self.rows = [r for r in touched if r not in dirty or session.is_modified(r)]
        for owner_id in set().union(*map(_owners, self.rows)) - {o.id for o in self.stale}:
            org = session.get(m.Organisation, owner_id)
            if org is not None and org not in self.deleted:
                self.stale.add(org)

    def _rows(self, org: m.Organisation, kind: type[P], loaded: list[P]) -> list[P]:
        """`org`'s rows of one kind as they will be after the flush."""
        mine = [r for r in loaded if r.organisation_id in (org.id, None)]
        mine += [r for r in self.rows if isinstance(r, kind) and r.organisation_id == org.id]
        return [r for r in dict.fromkeys(mine) if r not in self.deleted]

    def text(self, org: m.Organisation) -> str:
        aliases = self._rows(org, m.OrganisationAlias, org.aliases)
        services = self._rows(org, m.Service, org.services)
        return _text(org, aliases, services, self._rows(org, m.OrganisationTag, org.tags))


@event.listens_for(Session, "before_flush")
def _refresh_search_text(session: Session, _context: UOWTransaction, _instances: object) -> None:
    pending = _Pending(session)
    for org in pending.stale:
        org.search_text = pending.text(org)
