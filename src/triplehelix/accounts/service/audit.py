"""The audit log: every change is recorded (who, when, what, before and after). The messages
the people a change concerns get are the inbox's (`accounts.service.inbox`)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from triplehelix.accounts.models import AuditEntry, User

State = dict[str, Any] | None  # a record before or after the change (None: not there)


def record(
    session: Session,
    actor: User | None,
    action: str,
    entity: str,
    entity_id: object,
    before: State,
    after: State,
) -> AuditEntry:
    made = entry(actor, action, entity, entity_id, before, after)
    session.add(made)
    return made


def entry(
    actor: User | None, action: str, entity: str, entity_id: object, before: State, after: State
) -> AuditEntry:
    """The entry `record` adds, unsaved."""
    return AuditEntry(
        actor_id=actor.id if actor else None,
        actor=actor.email if actor else "system",
        action=action,
        entity=entity,
        entity_id=str(entity_id),
        before=before,
        after=after,
    )


def audit_entries(
    session: Session, entity: str | None = None, entity_id: str | None = None, limit: int = 200
) -> list[AuditEntry]:
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if entity:
        query = query.where(AuditEntry.entity == entity)
    if entity_id:
        query = query.where(AuditEntry.entity_id == entity_id)
    return list(session.scalars(query))


def changed_fields(
    before: dict[str, Any] | None, after: dict[str, Any] | None
) -> list[tuple[str, Any, Any]]:
    """(field, before, after) for each field whose value differs, in a stable order."""
    old, new = before or {}, after or {}
    return [
        (k, old.get(k), new.get(k))
        for k in sorted(old.keys() | new.keys())
        if old.get(k) != new.get(k)
    ]


__all__ = ["audit_entries", "changed_fields", "entry", "record"]
