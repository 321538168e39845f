"""The language a message is written in: the recipient's.

Every sender resolves it once with `recipient_locale(user)` and renders subject and body inside
`i18n.use_locale(...)` (or calls `written_for(user, locale)`), so the words, dates and numbers of
one message all follow one language; `Mail.language` then labels the message (Content-Language).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from triplehelix.i18n import current_locale, use_locale


def recipient_locale(user: object | None) -> str:
    """The language to write to `user` in.

    Today this is the language of the running request (the page the person, or whoever acted,
    is using) or of the command-line run; the lead wires the account's own preference here at
    the merge with the account-language change, which every sender then follows unchanged.
    """
    return current_locale()


@contextmanager
def written_for(user: object | None, locale: str | None = None) -> Iterator[str]:
    """Render a message for `user` in `locale` when given, else in `recipient_locale(user)`;
    yields the language in force (an unknown code falls back to the source language)."""
    with use_locale(locale or recipient_locale(user)):
        yield current_locale()
