"""Query understanding: the value-chain stages, modalities, facility kinds, clusters a need names.

Pure functions over the taxonomy's labels and synonyms ("first-in-human" → clinical phase I,
"AAV" → gene therapy). The recognised terms explain results and widen the lexical query.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from triplehelix.search.analyse import fold, words
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


def understand(need: str, tax: Taxonomy) -> Understanding:
    return Understanding({s: tax.recognise(s, need) for s in SCHEMES if s in tax.schemes})


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
