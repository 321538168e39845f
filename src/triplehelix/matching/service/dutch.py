"""Dutch needs in English words: the profiles are written in English, people here type Dutch.

A need is read word by word with the shared analyser (`search.analyse`). A word found in the
glossary (`data/glossary_nl.json`) or among the taxonomy's Dutch labels, by its folded form or
its Dutch Snowball stem, is replaced by its English words; a Dutch compound of two known words
("celtherapieproductie") is split. Words that are not Dutch pass unchanged, so an English need
reads folded, without punctuation ("GMP, viral vector" is "gmp viral vector"). Both the
lexical and the semantic side see the English wording.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from triplehelix.search.schemas.analyse import fold, stems
from triplehelix.search.schemas.analyse import words as analysed_words
from triplehelix.taxonomy import Taxonomy

# Function words that say a need is Dutch (the analyser drops de/het/een/en already).
DUTCH_MARKERS = frozenset(
    [
        "voor",
        "van",
        "met",
        "naar",
        "bij",
        "op",
        "ons",
        "onze",
        "wij",
        "we",
        "ik",
        "zoek",
        "zoeken",
        "zoekt",
        "nodig",
        "die",
        "dat",
        "uit",
        "aan",
        "om",
        "tussen",
        "tegen",
        "als",
        "ook",
        "waar",
        "wie",
        "welke",
        "binnen",
        "buiten",
    ]
)
_PLAIN = re.compile(r"[^\W_]+", re.UNICODE)  # words and numbers, function words kept
_LINKS = ("", "s", "e", "en")  # Dutch compounds glue their parts with -s-, -e-, -en-


@dataclass(frozen=True)
class Reading:
    text: str  # the need in the words the profiles use
    language: str  # "nl" or "en"
    translated: tuple[tuple[str, str], ...] = ()  # (dutch word, english words)


@lru_cache(maxsize=1)
def _glossary_file() -> dict[str, str]:
    path = resources.files("triplehelix.matching").joinpath("data/glossary_nl.json")
    words: dict[str, str] = json.loads(path.read_text("utf-8"))["words"]
    for dutch, english in words.items():
        if not dutch.strip() or not english.strip():
            raise ValueError(f"glossary_nl.json: words: empty entry {dutch!r}: {english!r}")
    return {fold(dutch): english for dutch, english in words.items()}


_TABLES: dict[int, tuple[Taxonomy, dict[str, str]]] = {}


def glossary(tax: Taxonomy) -> dict[str, str]:
    """Folded Dutch word or stem -> English words; the taxonomy's one-word Dutch labels too."""
    cached = _TABLES.get(id(tax))
    if cached is not None and cached[0] is tax:
        return cached[1]
    entries = dict(_glossary_file())
    for scheme in tax.schemes.values():
        for term in scheme.terms:
            nl = dict(term.labels).get("nl")
            if nl and nl != term.label and len(nl.split()) == 1:
                entries.setdefault(fold(nl), term.label)
    by_stem = {stems([w], "dutch")[0]: en for w, en in entries.items()}
    table = {**by_stem, **entries}
    _TABLES[id(tax)] = (tax, table)
    return table


def _lookup(word: str, table: dict[str, str]) -> str | None:
    if word in table:
        return table[word]
    stem = stems([word], "dutch")[0]
    if stem in table:
        return table[stem]
    if len(word) < 8:
        return None
    for cut in range(4, len(word) - 3):  # two known words glued: "celtherapie" + "productie"
        head, tail = word[:cut], word[cut:]
        for link in _LINKS:
            if link and not head.endswith(link):
                continue
            first = head[: len(head) - len(link)] if link else head
            a, b = table.get(first), _lookup_plain(tail, table)
            if a and b:
                return f"{a} {b}"
    return None


def _lookup_plain(word: str, table: dict[str, str]) -> str | None:
    return table.get(word) or table.get(stems([word], "dutch")[0])


def read(need: str, tax: Taxonomy) -> Reading:
    """The need in English words when it is Dutch; as typed otherwise."""
    folded = fold(need).split()
    table = glossary(tax)
    found = analysed_words(need)
    translated = [(w, en) for w in found if (en := _lookup(w, table)) and en != w]
    dutch = bool(DUTCH_MARKERS & set(folded)) or len(translated) * 2 >= max(1, len(found))
    if not dutch or not translated:  # the analyser's words: punctuation never changes a match
        return Reading(" ".join(_PLAIN.findall(fold(need))) or need, "nl" if dutch else "en")
    english = dict(translated)
    text = " ".join(english.get(w, w) for w in found if w not in DUTCH_MARKERS)
    return Reading(text, "nl", tuple(translated))
