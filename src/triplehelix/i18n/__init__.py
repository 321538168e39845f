"""Languages: gettext catalogues (Babel), the request's locale, and locale-aware formatting.

English is the source language: every message is written in English in the code and templates,
and `locale/<code>/LC_MESSAGES/messages.po` holds its translation. A region adds a language by
adding a catalogue (`make catalogue LANG=de`, see docs/i18n.md); `available_locales()` lists what is
there. The locale of the running request lives in a context variable that `LocaleMiddleware`
sets, so services, templates and e-mails all read the same one.
"""

from __future__ import annotations

import gettext as _gettext
import io
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from importlib import resources
from pathlib import Path
from typing import cast

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import LazyProxy

SOURCE_LOCALE = "en"
DOMAIN = "messages"

_current: ContextVar[str] = ContextVar("triplehelix_locale", default=SOURCE_LOCALE)


def _locale_root() -> resources.abc.Traversable:
    return resources.files("triplehelix").joinpath("locale")


@cache
def available_locales() -> tuple[str, ...]:
    """The source language first, then every language with a catalogue, sorted."""
    root = _locale_root()
    found = sorted(
        entry.name
        for entry in root.iterdir()
        if entry.is_dir() and entry.joinpath("LC_MESSAGES", f"{DOMAIN}.po").is_file()
    )
    return (SOURCE_LOCALE, *[code for code in found if code != SOURCE_LOCALE])


@cache
def translations(locale: str) -> _gettext.NullTranslations:
    """The compiled catalogue of `locale` (built by `make`), else its .po compiled in memory."""
    if locale == SOURCE_LOCALE or locale not in available_locales():
        return _gettext.NullTranslations()
    folder = _locale_root().joinpath(locale, "LC_MESSAGES")
    compiled, source = folder.joinpath(f"{DOMAIN}.mo"), folder.joinpath(f"{DOMAIN}.po")
    if compiled.is_file() and _not_older(compiled, source):
        data = compiled.read_bytes()
    else:
        with source.open("rb") as po:
            catalog = read_po(po, locale=locale)
        buffer = io.BytesIO()
        write_mo(buffer, catalog)
        data = buffer.getvalue()
    return _gettext.GNUTranslations(io.BytesIO(data))


def _not_older(compiled: resources.abc.Traversable, source: resources.abc.Traversable) -> bool:
    """A .mo left from before its .po was edited is stale (a checkout without `make` since)."""
    if isinstance(compiled, Path) and isinstance(source, Path):
        return compiled.stat().st_mtime >= source.stat().st_mtime
    return True


def current_locale() -> str:
    return _current.get()


@contextmanager
def use_locale(locale: str) -> Iterator[None]:
    """Run a block (an e-mail, a CLI report, a test) in one language."""
    token = _current.set(locale if locale in available_locales() else SOURCE_LOCALE)
    try:
        yield
    finally:
        _current.reset(token)


def set_locale(locale: str) -> None:
    """Set the locale for the rest of this context (the middleware, once per request)."""
    _current.set(locale if locale in available_locales() else SOURCE_LOCALE)


def gettext(message: str) -> str:
    return translations(_current.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(_current.get()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return translations(_current.get()).pgettext(context, message)


_ = gettext


def lazy_gettext(message: str) -> str:
    """A message translated when it is turned into text, for module-level constants.

    Typed as `str` because it behaves as one wherever text is expected (f-strings, Jinja, `+`);
    call `str()` on it before it goes into JSON.
    """
    return cast(str, LazyProxy(gettext, message, enable_cache=False))


def negotiate(
    query: str | None, cookie: str | None, account: str | None, accept_language: str | None
) -> str:
    """The language to answer in: ?lang=, the cookie, the account's setting, the browser's."""
    offered = available_locales()
    for choice in (query, cookie, account):
        if choice and choice in offered:
            return choice
    if accept_language:
        ranked: list[tuple[float, int, str]] = []
        for position, part in enumerate(accept_language.split(",")):
            tag, _sep, params = part.strip().partition(";")
            quality = 1.0
            if params.strip().startswith("q="):
                try:
                    quality = float(params.strip()[2:])
                except ValueError:
                    quality = 0.0
            ranked.append((-quality, position, tag.strip().lower()))
        for neg_quality, _position, tag in sorted(ranked):
            if neg_quality >= 0:
                continue
            language = tag.split("-")[0]
            if language in offered:
                return language
    return SOURCE_LOCALE


def language_name(code: str) -> str:
    """A language named in itself ("English", "Nederlands"), as a language switch shows it."""
    name = Locale.parse(code).get_display_name(code) or code
    return name[:1].upper() + name[1:]


def babel_locale() -> Locale:
    return Locale.parse(_current.get())
