"""Query understanding: the value-chain stages, modalities, facility kinds, clusters a need names.

Pure functions over the taxonomy's labels and synonyms ("first-in-human" → clinical phase I,
"AAV" → gene therapy). The recognised terms explain results and widen the lexical query.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from triplehelix.taxonomy import Taxonomy

SCHEMES = ("value_chain", "modality", "facility_kind", "cluster")


@dataclass(frozen=True)
class Understanding:
    # scheme -> [(code, the phrase found in the need)]
    found: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    def codes(self, scheme: str) -> set[str]:
        return {code for code, _ in self.found.get(scheme, [])}


def understand(need: str, tax: Taxonomy) -> Understanding:
    return Understanding({s: tax.recognise(s, need) for s in SCHEMES if s in tax.schemes})


def expansion(found: Understanding, tax: Taxonomy) -> str:
    """Labels of the recognised stages and modalities: words profiles use for the same thing."""
    words = [
        tax.label(scheme, code)
        for scheme in ("value_chain", "modality", "facility_kind")
        for code in sorted(found.codes(scheme))
    ]
    return " ".join(words)
