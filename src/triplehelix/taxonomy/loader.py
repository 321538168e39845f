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
    # A partnership spanning clusters (a region, a wider alliance), not a cluster of its own.
    umbrella: bool = False
    # Labels by language code ("en", "nl"); `label` is the English one.
    labels: tuple[tuple[str, str], ...] = ()
    # value_chain: the domain whose chain the stage belongs to (None: cross-domain stage).
    domain: str | None = None
    # domain: the scheme of the coverage grid's second axis, and the clusters working in it.
    axis: str | None = None
    axis_phrase: str = "for"  # "Drone software among companies": how a column reads in a gap
    clusters: tuple[str, ...] = ()
    # partner_role: the organisation kinds that take this role in the partnership.
    kinds: tuple[str, ...] = ()
    # organisation_kind: the helix (industry, knowledge, government, intermediary) it belongs to.
    helix: str | None = None

    def label_in(self, language: str) -> str:
        return dict(self.labels).get(language, self.label)


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
                    umbrella=bool(t.get("umbrella", False)),
                    labels=tuple(sorted({"en": t["label"], **t.get("labels", {})}.items())),
                    domain=t.get("domain"),
                    axis=t.get("axis"),
                    clusters=tuple(t.get("clusters", [])),
                    helix=t.get("helix"),
                    axis_phrase=t.get("axis_phrase", "for"),
                    kinds=tuple(t.get("kinds", [])),
                )
                for t in body["terms"]
            )
            schemes[name] = Scheme(name=name, label=body.get("label", name), terms=terms)
        index = {(t.scheme, t.code): t for s in schemes.values() for t in s.terms}
        taxonomy = cls(schemes=schemes, _index=index)
        taxonomy.check()
        return taxonomy

    def check(self) -> None:
        """Every stage names a known domain; every domain's grid axis is a known scheme."""
        problems = []
        domains = set(self.codes("domain")) if "domain" in self.schemes else set()
        for term in self.schemes.get("value_chain", Scheme("value_chain", "", ())).terms:
            if term.domain is not None and term.domain not in domains:
                problems.append(f"value_chain.{term.code}: domain: unknown domain {term.domain!r}")
        for code in domains:
            term = self._index[("domain", code)]
            if term.axis is not None and term.axis not in self.schemes:
                problems.append(f"domain.{code}: axis: unknown scheme {term.axis!r}")
            problems += [
                f"domain.{code}: clusters: unknown cluster {c!r}"
                for c in term.clusters
                if ("cluster", c) not in self._index
            ]
        if problems:
            raise ValueError("taxonomy: " + "; ".join(problems))

    def codes(self, scheme: str) -> list[str]:
        return [t.code for t in self.schemes[scheme].terms]

    def has(self, scheme: str, code: str) -> bool:
        return (scheme, code) in self._index

    def term(self, scheme: str, code: str) -> Term | None:
        return self._index.get((scheme, code))

    def label(self, scheme: str, code: str, language: str = "en") -> str:
        term = self._index.get((scheme, code))
        return term.label_in(language) if term else code.replace("_", " ").replace("-", " ")

    def domains(self) -> list[Term]:
        return list(self.schemes["domain"].terms) if "domain" in self.schemes else []

    def stages(self, domain: str) -> list[str]:
        """The value-chain stages of one domain, in the taxonomy's order."""
        return [t.code for t in self.schemes["value_chain"].terms if t.domain == domain]

    def cross_domain_stages(self) -> list[str]:
        return [t.code for t in self.schemes["value_chain"].terms if t.domain is None]

    def partner_role(self, kind: str) -> str | None:
        """The partnership role of an organisation of this kind (partner_role terms' kinds)."""
        for term in self.schemes.get("partner_role", Scheme("partner_role", "", ())).terms:
            if kind in term.kinds:
                return term.code
        return None

    def domain_of_cluster(self, cluster: str) -> list[str]:
        """The domains a cluster works in (from the domains' `clusters`)."""
        return [t.code for t in self.domains() if cluster in t.clusters]

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
                    | ({"umbrella": True} if t.umbrella else {})
                    | ({"labels": dict(t.labels)} if len(t.labels) > 1 else {})
                    | _extras(t)
                    for t in s.terms
                ],
            }
            for name, s in self.schemes.items()
        }


def _extras(term: Term) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if term.scheme == "value_chain":
        out["domain"] = term.domain
    if term.axis is not None:
        out["axis"], out["axis_phrase"] = term.axis, term.axis_phrase
    if term.kinds:
        out["kinds"] = list(term.kinds)
    if term.clusters:
        out["clusters"] = list(term.clusters)
    if term.helix is not None:
        out["helix"] = term.helix
    return out


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
