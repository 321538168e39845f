"""The language a message is written in: the recipient's.

Every sender resolves it once with `recipient_locale(user)` and renders subject and body inside
`i18n.use_locale(...)` (or calls `written_for(user, locale)`), so the words, dates and numbers of
one message all follow one language; `Mail.language` then labels the message (Content-Language).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol

from triplehelix.i18n import available_locales, current_locale, use_locale


class Recipient(Protocol):
    """Whom a message goes to: an account, which may keep a language of its own."""

    locale: str | None


def recipient_locale(user: Recipient | None) -> str:
    """The language to write to `user` in: the account's own choice (set on the account page),
    else the language of the running request (the page whoever acted is using) or CLI run."""
    chosen = user.locale if user is not None else None
    return chosen if chosen in available_locales() else current_locale()


@contextmanager
def written_for(user: Recipient | None, locale: str | None = None) -> Iterator[str]:
    """Render a message for `user` in `locale` when given, else in `recipient_locale(user)`;
    yields the language in force (an unknown code falls back to the source language)."""
    with use_locale(locale or recipient_locale(user)):
        yield current_locale()
