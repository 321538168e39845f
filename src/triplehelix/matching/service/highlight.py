"""Mark the words of a text that match the query's terms (by stem), to show why a result fits."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from triplehelix.search.service.text import STOPWORDS, stems

_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def marks(text: str, terms: Iterable[str]) -> list[tuple[int, int]]:
    """(start, end) spans of the words in `text` whose stem is a stem of one of `terms`."""
    wanted = set(stems([t.lower() for t in terms if t.lower() not in STOPWORDS]))
    if not wanted:
        return []
    return [(a, b) for a, b, stem in _stemmed_words(text) if stem in wanted]


@lru_cache(maxsize=8192)
def _stemmed_words(text: str) -> tuple[tuple[int, int, str], ...]:
    """Each word's span and stem. The texts are profiles' and services' (a match marks the same
    ones again and again), so they are cut and stemmed once, not once per match."""
    spans = [(w.start(), w.end(), w.group().lower()) for w in _WORD.finditer(text)]
    word_stems = stems([s[2] for s in spans])
    return tuple((a, b, stem) for (a, b, _), stem in zip(spans, word_stems, strict=True))


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
