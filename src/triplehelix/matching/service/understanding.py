"""Query understanding: the value-chain stages, modalities, facility kinds, clusters a need names.

Pure functions over the taxonomy's labels and synonyms ("first-in-human" → clinical phase I,
"AAV" → gene therapy). The recognised terms explain results and widen the lexical query.
"""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from triplehelix.i18n import current_locale
from triplehelix.search.schemas.analyse import fold, stems, words
from triplehelix.taxonomy import Taxonomy

# A designation: letters joined to digits ("BSL-4", "ISO 5", "ML-III" is a word): as typed.
_DESIGNATION = re.compile(r"\b([^\W\d_]{2,})[-\u2010\u2011]?(\d+)\b")

SCHEMES = ("value_chain", "modality", "facility_kind", "cluster")


@dataclass(frozen=True)
class Understanding:
    # scheme -> [(code, the phrase found in the need)]
    found: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    def codes(self, scheme: str) -> set[str]:
        return {code for code, _ in self.found.get(scheme, [])}

    def ordered(self, scheme: str) -> list[str]:
        """The codes in the taxonomy's order (the first named cluster is a need's home)."""
        return [code for code, _ in self.found.get(scheme, [])]


@dataclass(frozen=True)
class Requirement:
    """Infrastructure or a capability a need may name (`data/requirements.json`)."""

    code: str
    label: str
    label_nl: str
    phrases: tuple[str, ...]  # stemmed, space-separated

    def shown(self) -> str:
        return self.label_nl if current_locale() == "nl" else self.label


def stemmed(text: str) -> str:
    """The analysed words of `text` as English Snowball stems, space-separated, padded."""
    return " " + " ".join(stems(words(text))) + " "


@lru_cache(maxsize=1)
def _requirements_file() -> dict[str, object]:
    path = resources.files("triplehelix.matching").joinpath("data/requirements.json")
    data: dict[str, object] = json.loads(path.read_text("utf-8"))
    return data


@lru_cache(maxsize=1)
def extra_synonyms() -> dict[str, dict[str, tuple[str, ...]]]:
    """scheme -> code -> stemmed phrases people use for the term beyond the taxonomy's own."""
    raw = _requirements_file()["synonyms"]
    assert isinstance(raw, dict)
    return {
        scheme: {code: tuple(stemmed(p) for p in phrases) for code, phrases in codes.items()}
        for scheme, codes in raw.items()
    }


@lru_cache(maxsize=1)
def requirements() -> tuple[Requirement, ...]:
    raw = _requirements_file()["requirements"]
    assert isinstance(raw, list)
    return tuple(
        Requirement(
            code=r["code"],
            label=r["label"],
            label_nl=r.get("nl", r["label"]),
            phrases=tuple(stemmed(p) for p in r["phrases"]),
        )
        for r in raw
    )


def understand(need: str, tax: Taxonomy) -> Understanding:
    """The taxonomy's terms the need names: its labels and synonyms as typed, and the extra
    phrases of `data/requirements.json` on Snowball stems ("irritates" = "irritating")."""
    found = _recognise(tax, need)
    need_stems = stemmed(need)
    for scheme, codes in extra_synonyms().items():
        have = {code for code, _ in found.get(scheme, [])}
        for code, phrases in codes.items():
            hit = next((p for p in phrases if p in need_stems), None)
            if code not in have and hit is not None and tax.term(scheme, code) is not None:
                found.setdefault(scheme, []).append((code, hit.strip()))
    return Understanding(found)


_PHRASE = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")
Phrases = list[tuple[str, str]]  # (as written, normalised and padded)
_TABLES: dict[int, tuple[Taxonomy, list[tuple[str, list[tuple[str, Phrases]]]]]] = {}


def _normalise(text: str) -> str:  # as Taxonomy.recognise reads labels, synonyms and text
    return " ".join(_PHRASE.findall(text.lower()))


def _recognise(tax: Taxonomy, need: str) -> dict[str, list[tuple[str, str]]]:
    """`Taxonomy.recognise` over SCHEMES, with the phrases normalised once per taxonomy
    (normalising them on every match was a tenth of a match's time)."""
    cached = _TABLES.get(id(tax))
    if cached is None or cached[0] is not tax:
        table = [
            (
                scheme,
                [
                    (t.code, [(p, f" {_normalise(p)} ") for p in (t.label.lower(), *t.synonyms)])
                    for t in tax.schemes[scheme].terms
                ],
            )
            for scheme in SCHEMES
            if scheme in tax.schemes
        ]
        cached = _TABLES[id(tax)] = (tax, table)
    lowered = f" {_normalise(need)} "
    found: dict[str, list[tuple[str, str]]] = {}
    for scheme, terms in cached[1]:
        found[scheme] = []
        for code, phrases in terms:
            hit = next((p for p, padded in phrases if padded in lowered), None)
            if hit is not None:
                found[scheme].append((code, hit))
    return found


def named_requirements(need: str) -> list[Requirement]:
    """The requirements of `data/requirements.json` the need names."""
    need_stems = stemmed(need)
    return [r for r in requirements() if any(p in need_stems for p in r.phrases)]


def expansion(found: Understanding, tax: Taxonomy) -> str:
    """Labels of the recognised stages and modalities: words profiles use for the same thing."""
    words = [
        tax.label(scheme, code, "en")  # the profiles' language, whatever the request's (i18n)
        for scheme in ("value_chain", "modality", "facility_kind")
        for code in sorted(found.codes(scheme))
    ]
    return " ".join(words)


def absent_terms(need: str, vocabulary: set[str]) -> list[tuple[str, str]]:
    """Designations in the need ("BSL-4") that no profile or facility mentions, as typed."""
    out: dict[str, str] = {}
    for m in _DESIGNATION.finditer(need):
        term = fold(m.group(1) + m.group(2))
        if term not in vocabulary:
            out.setdefault(term, m.group(0))
    return list(out.items())


def vocabulary(texts: list[str]) -> set[str]:
    """Every analysed word of the texts, and each letter run joined to a digit run after it."""
    out: set[str] = set()
    for text in texts:
        found = words(text)
        out.update(found)
        out.update(a + b for a, b in itertools.pairwise(found) if a.isalpha() and b.isdigit())
    return out
