"""The one query analyser: what a person typed, turned into safe search terms.

Every search box hands its text here before any query syntax sees it. The text is folded
(lower case, diacritics removed: "Délft" -> "delft"), cut into runs of letters and digits (so
punctuation, quotes, brackets and FTS operators such as `AND`, `NEAR(`, `*` and `"` never reach
FTS5 or tsquery), and function words are dropped. A letter run joined to a digit run by a hyphen
is one term ("BSL-3" = "BSL3" -> `bsl3`, remembered with its parts `bsl` `3` so text that spells
"BSL 3" still matches); any other hyphen separates words ("cryo-EM" = "cryo EM"). Stems come from
Snowball (PyStemmer), English and Dutch, so "antibody" and "antibodies" meet.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from triplehelix.errors import ValidationError

MAX_TERMS = 12  # each term adds to the statement; statements are cached per term count
LANGUAGES = ("english", "dutch")

_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
# "bsl-3", "covid-19", "il-6": a letter run and a digit run joined by a hyphen are one term
_JOINED = re.compile(r"(?<![^\W\d_])([^\W\d_]+)[-\u2010\u2011\u2012\u2013](\d+)(?![^\W_])")
_COMPOUND = re.compile(r"^(?:([^\W\d_]+)(\d+)|(\d+)([^\W\d_]+))$")

_STOPWORDS_TEXT = """a an and are as at be been being but by can could did do does for from
had has have he her his how i if in into is it its itself may me might must my no nor not of on
or our ours she should so such than that the their them then there these they this those
to too very was we were what when where which while who whom why will with would you your yours
de het een en"""
STOPWORDS = frozenset(_STOPWORDS_TEXT.split())


@dataclass(frozen=True)
class Term:
    """One search term: its folded form and, for a letter-digit compound, its two parts.

    `alternatives`: English phrases the word stands for when it was typed in another language
    ("medicijnen" -> "medicines"), from the taxonomy (`with_alternatives`); any of them matches.
    """

    text: str
    parts: tuple[str, ...] = ()
    alternatives: tuple[str, ...] = ()


def fold(text: str) -> str:
    """Lower case without diacritics: "Délft" -> "delft"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    """The folded words of `text`, letter-digit compounds joined, function words dropped."""
    joined = _JOINED.sub(r"\1\2", fold(text))
    return [w for w in _TOKEN.findall(joined) if w not in STOPWORDS]


def _term(word: str) -> Term:
    compound = _COMPOUND.match(word)
    if compound is None:
        return Term(word)
    return Term(word, tuple(p for p in compound.groups() if p))


def terms(text: str | None, max_terms: int = MAX_TERMS) -> list[Term]:
    """The distinct terms of a query, in the order typed; too many is a ValidationError."""
    found = [_term(w) for w in dict.fromkeys(words(text or ""))]
    if len(found) > max_terms:
        raise ValidationError(f"q: at most {max_terms} words, got {len(found)}")
    return found


def with_alternatives(found: list[Term], lookup: Callable[[str], Sequence[str]]) -> list[Term]:
    """The terms, each with the English phrases `lookup` gives for it, analysed like a query."""
    out = []
    for term in found:
        phrases = [" ".join(words(p)) for p in lookup(term.text)]
        alternatives = tuple(dict.fromkeys(p for p in phrases if p and p != term.text))
        out.append(replace(term, alternatives=alternatives) if alternatives else term)
    return out


@lru_cache(maxsize=8)
def _stemmer(language: str) -> Callable[[list[str]], list[str]]:
    import Stemmer

    stem_words: Callable[[list[str]], list[str]] = Stemmer.Stemmer(language).stemWords
    return stem_words


def stems(tokens: list[str], language: str = "english") -> list[str]:
    """Snowball stems of already-folded words ("antibodies" -> "antibodi")."""
    return _stemmer(language)(tokens)


def stem_variants(word: str) -> list[str]:
    """The word's distinct stems in every supported language, English first."""
    return list(dict.fromkeys(stems([word], language)[0] for language in LANGUAGES))


def normalised(text: str | None) -> str:
    """The terms of a query as one plain string, the same for every spelling of the same query."""
    return " ".join(t.text for t in terms(text))
