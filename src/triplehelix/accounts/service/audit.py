"""The audit log and the inbox: every change is recorded (who, when, what, before and after), and
the people a change concerns get a message."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from triplehelix.accounts.models import AuditEntry, Message, User
from triplehelix.i18n import use_locale
from triplehelix.mail import recipient_locale


def record(
    session: Session,
    actor: User | None,
    action: str,
    entity: str,
    entity_id: object,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> AuditEntry:
    entry = AuditEntry(
        actor_id=actor.id if actor else None,
        actor=actor.email if actor else "system",
        action=action,
        entity=entity,
        entity_id=str(entity_id),
        before=before,
        after=after,
    )
    session.add(entry)
    return entry


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


Text = str | Callable[[], str]


def notify(
    session: Session, user_ids: set[int], subject: Text, body: Text = "", link: str = ""
) -> None:
    """Leave a message in each person's inbox. A subject or body given as a function is written
    once per recipient, in their language (`mail.recipient_locale`): pass `lambda: _(...)`."""
    for user_id in sorted(user_ids):
        with use_locale(recipient_locale(session.get(User, user_id))):
            words = [text() if callable(text) else text for text in (subject, body)]
        session.add(Message(user_id=user_id, subject=words[0], body=words[1], link=link))


def inbox(session: Session, user: User, limit: int = 100) -> list[Message]:
    query = (
        select(Message).where(Message.user_id == user.id).order_by(Message.id.desc()).limit(limit)
    )
    return list(session.scalars(query))


def mark_read(session: Session, user: User) -> None:
    for message in session.scalars(
        select(Message).where(Message.user_id == user.id, Message.read.is_(False))
    ):
        message.read = True
