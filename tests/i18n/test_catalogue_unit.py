"""Every English message has a current Dutch translation: a new string without Dutch fails here."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from tests.i18n.catalogue import catalogue, extracted, placeholders, translated_locales


def _key(message_id: str | Sequence[str]) -> str:
    return message_id if isinstance(message_id, str) else message_id[0]


@pytest.mark.parametrize("locale", translated_locales())
def test_every_message_in_the_source_has_a_translation(locale: str) -> None:
    entries = {_key(m.id): m for m in catalogue(locale) if m.id}
    missing = sorted(_key(m) for m in extracted() if _key(m) not in entries)
    assert not missing, f"not in the {locale} catalogue (run `make catalogue`): {missing[:20]}"
    empty = sorted(
        _key(m)
        for m in extracted()
        if not all(s.strip() for s in _strings(entries[_key(m)].string))
    )
    assert not empty, f"no {locale} translation yet: {empty[:20]}"


def _strings(string: str | Sequence[str] | None) -> tuple[str, ...]:
    if string is None:
        return ("",)
    return (string,) if isinstance(string, str) else tuple(string)


@pytest.mark.parametrize("locale", translated_locales())
def test_no_translation_is_fuzzy_or_obsolete(locale: str) -> None:
    source = {_key(m) for m in extracted()}
    messages = [m for m in catalogue(locale) if m.id]
    fuzzy = sorted(_key(m.id) for m in messages if m.fuzzy)
    obsolete = sorted(_key(m.id) for m in messages if _key(m.id) not in source)
    obsolete += sorted(_key(m.id) for m in catalogue(locale).obsolete.values())
    assert not fuzzy, f"fuzzy {locale} translations: {fuzzy[:20]}"
    assert not obsolete, (
        f"{locale} translations of messages no longer in the source: {obsolete[:20]}"
    )


@pytest.mark.parametrize("locale", translated_locales())
def test_translations_keep_the_placeholders(locale: str) -> None:
    wrong = []
    for m in catalogue(locale):
        if not m.id:
            continue
        ids = (m.id,) if isinstance(m.id, str) else m.id
        wanted = set().union(*(placeholders(i) for i in ids))
        for string in _strings(m.string):
            if string and placeholders(string) != wanted:
                wrong.append(_key(m.id))
    assert not wrong, f"{locale} translations that change placeholders: {wrong[:20]}"


def test_the_extraction_finds_messages_in_code_and_templates() -> None:
    """Guards the check itself: if extraction found nothing, every test above would pass."""
    assert len(extracted()) > 0
