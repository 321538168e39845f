"""Load the taxonomy file (and an optional regional extension) into an immutable lookup object."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Term:
    scheme: str
    code: str
    label: str
    synonyms: tuple[str, ...] = ()
    inverse: str | None = None


@dataclass(frozen=True)
class Scheme:
    name: str
    label: str
    terms: tuple[Term, ...]


@dataclass(frozen=True)
class Taxonomy:
    schemes: dict[str, Scheme]
    _index: dict[tuple[str, str], Term] = field(default_factory=dict, repr=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Taxonomy:
        schemes: dict[str, Scheme] = {}
        for name, body in data.items():
            terms = tuple(
                Term(
                    scheme=name,
                    code=t["code"],
                    label=t["label"],
                    synonyms=tuple(s.lower() for s in t.get("synonyms", [])),
                    inverse=t.get("inverse"),
                )
                for t in body["terms"]
            )
            schemes[name] = Scheme(name=name, label=body.get("label", name), terms=terms)
        index = {(t.scheme, t.code): t for s in schemes.values() for t in s.terms}
        return cls(schemes=schemes, _index=index)

    def codes(self, scheme: str) -> list[str]:
        return [t.code for t in self.schemes[scheme].terms]

    def has(self, scheme: str, code: str) -> bool:
        return (scheme, code) in self._index

    def term(self, scheme: str, code: str) -> Term | None:
        return self._index.get((scheme, code))

    def label(self, scheme: str, code: str) -> str:
        term = self._index.get((scheme, code))
        return term.label if term else code.replace("_", " ").replace("-", " ")

    def recognise(self, scheme: str, text: str) -> list[tuple[str, str]]:
        """Codes of `scheme` whose label or a synonym occurs in `text`, with the phrase found."""
        lowered = f" {_normalise(text)} "
        found: list[tuple[str, str]] = []
        for term in self.schemes[scheme].terms:
            for phrase in (term.label.lower(), *term.synonyms):
                if phrase and f" {_normalise(phrase)} " in lowered:
                    found.append((term.code, phrase))
                    break
        return found

    def as_dict(self) -> dict[str, Any]:
        return {
            name: {
                "label": s.label,
                "terms": [
                    {"code": t.code, "label": t.label, "synonyms": list(t.synonyms)}
                    for t in s.terms
                ],
            }
            for name, s in self.schemes.items()
        }


def _normalise(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+(?:[-'][a-z0-9]+)*", text.lower()))


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """A regional file adds schemes or terms; a term with an existing code replaces it."""
    merged: dict[str, Any] = json.loads(json.dumps(base))
    for name, body in extra.items():
        scheme = merged.setdefault(name, {"label": body.get("label", name), "terms": []})
        known = {t["code"]: i for i, t in enumerate(scheme["terms"])}
        for term in body.get("terms", []):
            if term["code"] in known:
                scheme["terms"][known[term["code"]]] = term
            else:
                scheme["terms"].append(term)
    return merged


@lru_cache(maxsize=4)
def load_taxonomy(extra_path: str | None = None) -> Taxonomy:
    text = resources.files("triplehelix.taxonomy").joinpath("taxonomy.json").read_text("utf-8")
    data = json.loads(text)
    if extra_path:
        data = _merge(data, json.loads(Path(extra_path).read_text("utf-8")))
    return Taxonomy.from_dict(data)


def get_taxonomy() -> Taxonomy:
    return load_taxonomy(os.environ.get("TRIPLEHELIX_TAXONOMY") or None)
