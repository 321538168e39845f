"""The inbox: the messages the people a change concerns get, in their own language, and reading
them."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from triplehelix.accounts.models import Message, User
from triplehelix.i18n import use_locale
from triplehelix.mail import recipient_locale

Text = str | Callable[[], str]


def notify(
    session: Session, user_ids: set[int], subject: Text, body: Text = "", link: str = ""
) -> None:
    """Leave a message in each person's inbox. A subject or body given as a function is written
    once per recipient, in their language (`mail.recipient_locale`): pass `lambda: _(...)`."""
    session.add_all(compose(session, user_ids, subject, body, link))


def compose(
    session: Session, user_ids: set[int], subject: Text, body: Text = "", link: str = ""
) -> list[Message]:
    """The messages `notify` leaves, unsaved."""
    messages = []
    for user_id in sorted(user_ids):
        with use_locale(recipient_locale(session.get(User, user_id))):
            words = [text() if callable(text) else text for text in (subject, body)]
        messages.append(Message(user_id=user_id, subject=words[0], body=words[1], link=link))
    return messages


def list_messages(session: Session, user: User, limit: int = 100) -> list[Message]:
    query = (
        select(Message).where(Message.user_id == user.id).order_by(Message.id.desc()).limit(limit)
    )
    return list(session.scalars(query))


def mark_read(session: Session, user: User) -> None:
    for message in session.scalars(
        select(Message).where(Message.user_id == user.id, Message.read.is_(False))
    ):
        message.read = True
