"""Text processing shared by the lexical and dense sides: tokens, stems, sentences, passages.

Tokenisation keeps alphanumeric runs (so "AAV9", "IL-6" and "BSL-3" survive as "aav9", "il", "6",
"bsl", "3"), drops a short list of English function words, and stems with Snowball English when
PyStemmer is installed. Passages are overlapping windows of whole sentences, because the
sentence encoder truncates long inputs and a long document's best passage is what matters.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from triplehelix.search.schemas.analyse import fold

_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=[A-Z0-9(\[])")

_STOPWORDS_TEXT = """a an and are as at be been being but by can could did do does for from
had has have he her his how i if in into is it its itself may me might must my no nor not of on
or our ours she should so such than that the their them then there these they this those
to too very was we were what when where which while who whom why will with would you your yours"""
STOPWORDS = frozenset(_STOPWORDS_TEXT.split())


@lru_cache(maxsize=1)
def _stemmer() -> Callable[[list[str]], list[str]]:
    try:
        import Stemmer
    except ImportError:  # lexical search still works, only with exact word forms
        return lambda words: words
    stem: Callable[[list[str]], list[str]] = Stemmer.Stemmer("english").stemWords
    return stem


def words(text: str) -> list[str]:
    """Folded word tokens without stopwords, unstemmed (for showing matched terms).

    Folding is the query analyser's (`search.analyse.fold`), so "Délft" and "delft" meet.
    """
    return [w for w in _TOKEN.findall(fold(text)) if w not in STOPWORDS]


def stems(tokens: list[str]) -> list[str]:
    return _stemmer()(tokens)


def analyse(text: str) -> list[str]:
    """The index terms of a text: words, then stems."""
    return stems(words(text))


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


def passages(text: str, max_words: int = 120, overlap_sentences: int = 1) -> list[str]:
    """Windows of whole sentences of at most `max_words` words, each overlapping the previous one.

    120 words stays inside the encoder's 256-wordpiece limit even for technical text.
    """
    sents = sentences(text)
    if not sents:
        return []
    out: list[str] = []
    start = 0
    while start < len(sents):
        end, count = start, 0
        while end < len(sents) and (end == start or count + len(sents[end].split()) <= max_words):
            count += len(sents[end].split())
            end += 1
        out.append(" ".join(sents[start:end]))
        if end >= len(sents):
            break
        start = max(start + 1, end - overlap_sentences)
    return out
