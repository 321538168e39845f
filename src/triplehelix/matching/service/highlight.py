"""Mark the words of a text that match the query's terms (by stem), to show why a result fits."""

from __future__ import annotations

import re
from collections.abc import Iterable

from triplehelix.search.service.text import STOPWORDS, stems

_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def marks(text: str, terms: Iterable[str]) -> list[tuple[int, int]]:
    """(start, end) spans of the words in `text` whose stem is a stem of one of `terms`."""
    wanted = set(stems([t.lower() for t in terms if t.lower() not in STOPWORDS]))
    if not wanted:
        return []
    spans = [(w.start(), w.end(), w.group().lower()) for w in _WORD.finditer(text)]
    if not spans:
        return []
    word_stems = stems([s[2] for s in spans])
    return [(a, b) for (a, b, _), stem in zip(spans, word_stems, strict=True) if stem in wanted]


def segments(text: str, spans: list[tuple[int, int]]) -> list[tuple[str, bool]]:
    """The text cut into (piece, marked) segments, for templates that escape each piece."""
    out: list[tuple[str, bool]] = []
    at = 0
    for start, end in sorted(spans):
        if start < at:
            continue
        if start > at:
            out.append((text[at:start], False))
        out.append((text[start:end], True))
        at = end
    if at < len(text):
        out.append((text[at:], False))
    return out
