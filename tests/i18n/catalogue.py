"""The messages in the code and templates (extracted as `make catalogue` does) and the catalogues."""

from __future__ import annotations

import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
LOCALE_DIR = ROOT / "src" / "triplehelix" / "locale"
KEYWORDS = {**DEFAULT_KEYWORDS, "lazy_gettext": None}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w*)\}")

Message = str | tuple[str, ...]


@cache
def extracted() -> frozenset[Message]:
    """Every message id the source marks, plural messages as (singular, plural)."""
    with (ROOT / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)  # type: ignore[no-untyped-call]
    found: set[Message] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        if message == "" or message == ("", ""):
            continue
        found.add(message if isinstance(message, str) else tuple(message))
    return frozenset(found)


@cache
def catalogue(locale: str) -> Catalog:
    with (LOCALE_DIR / locale / "LC_MESSAGES" / "messages.po").open("rb") as po:
        return read_po(po, locale=locale)


def translated_locales() -> list[str]:
    return sorted(p.name for p in LOCALE_DIR.iterdir() if (p / "LC_MESSAGES").is_dir())


def placeholders(text: str) -> set[str]:
    return {a or b for a, b in PLACEHOLDER.findall(text)}


class _Text(HTMLParser):
    """The text a person reads on a page: text nodes and the attributes a browser shows."""

    SHOWN = ("title", "placeholder", "aria-label", "alt")

    def __init__(self) -> None:
        super().__init__()
        self.pieces: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        shown_value = tag == "input" and dict(attrs).get("type") in ("submit", "button", "reset")
        for name, value in attrs:
            if value and (name in self.SHOWN or (shown_value and name == "value")):
                self.pieces.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.pieces.append(data)


def shown_text(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    return [" ".join(piece.split()) for piece in parser.pieces]


def untranslated(html: str, locale: str) -> list[str]:
    """English messages of the catalogue that a page in `locale` shows as a whole text piece.

    Only messages whose translation differs from the English and that carry no placeholder can be
    recognised this way; those are most of the UI (headings, buttons, labels, table headers).
    """
    english = {
        message.id
        for message in catalogue(locale)
        if isinstance(message.id, str)
        and message.id
        and isinstance(message.string, str)
        and message.string.strip() != message.id.strip()
        and not placeholders(message.id)
        and sum(ch.isalpha() for ch in message.id) >= 3
    }
    return sorted({piece for piece in shown_text(html) if piece in english})
