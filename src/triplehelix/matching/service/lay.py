"""Needs in everyday words, widened with the words the profiles use (`data/lay_words.json`).

A person asks for "a pill" or whether "our cream irritates skin"; profiles say "oral small
molecule" and "toxicity testing". Neither the lexical side (no shared word) nor the sentence
encoder (trained on other text) bridges that, so a need naming an everyday phrase is read with
the profile words added after it: the need as typed stays first and whole.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

from triplehelix.matching.service.understanding import stemmed


@lru_cache(maxsize=1)
def phrases() -> tuple[tuple[str, str], ...]:
    """(stemmed everyday phrase, padded) -> the profile words it adds."""
    path = resources.files("triplehelix.matching").joinpath("data/lay_words.json")
    raw: dict[str, str] = json.loads(path.read_text("utf-8"))["phrases"]
    out = []
    for phrase, words in raw.items():
        if not stemmed(phrase).strip() or not words.strip():
            raise ValueError(f"lay_words.json: phrases: empty entry {phrase!r}: {words!r}")
        out.append((stemmed(phrase), words))
    return tuple(out)


def widen(text: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """`text` with the profile words of each everyday phrase in it added (once each), and the
    (phrase, words) pairs used; words the text already has are not added again."""
    have = stemmed(text)
    added: list[tuple[str, str]] = []
    for phrase, words in phrases():
        if phrase in have and stemmed(words) not in have:
            added.append((phrase.strip(), words))
            have += stemmed(words)[1:]
    extra = dict.fromkeys(w for _, words in added for w in words.split())
    return (f"{text} {' '.join(extra)}" if extra else text), tuple(added)
