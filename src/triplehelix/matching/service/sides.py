"""The sides of a need: which domains (and capabilities such as AI) it names, and who is on each.

A need naming two sides ("drones carrying blood samples between hospitals") is answered with a
suggested team: the best candidates of each side. Domain sides come from the taxonomy's domains
(their synonyms and their clusters' synonyms); capability sides from `data/sides.json`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from triplehelix.matching.service.index import Entity, plain
from triplehelix.taxonomy import Taxonomy


@dataclass(frozen=True)
class Side:
    code: str
    label: str
    role: str
    domain: str | None
    phrases: tuple[str, ...]  # analysed (normalised) phrases that name it in a need
    clusters: tuple[str, ...] = ()
    # The label and role in other languages than English, by language code.
    labels: tuple[tuple[str, str], ...] = ()
    roles: tuple[tuple[str, str], ...] = ()

    def label_in(self, language: str) -> str:
        return dict(self.labels).get(language, self.label)

    def role_in(self, language: str) -> str:
        return dict(self.roles).get(language, self.role)

    def admits(self, e: Entity, text: str) -> bool:
        """Whether the entity is on this side; `text` is its analysed profile text."""
        if self.domain is not None:
            return self.domain in e.domains
        return any(_contains(text, p) for p in self.phrases)


def _contains(text: str, phrase: str) -> bool:
    return f" {phrase} " in f" {text} "


@lru_cache(maxsize=1)
def _side_file() -> list[dict[str, object]]:
    path = resources.files("triplehelix.matching").joinpath("data/sides.json")
    sides: list[dict[str, object]] = json.loads(path.read_text("utf-8"))["sides"]
    return sides


_SIDES: dict[int, tuple[Taxonomy, list[Side]]] = {}


def sides(tax: Taxonomy) -> list[Side]:
    """Every side, built once per taxonomy (every match asks)."""
    cached = _SIDES.get(id(tax))
    if cached is None or cached[0] is not tax:
        cached = _SIDES[id(tax)] = (tax, _build(tax))
    return cached[1]


def _build(tax: Taxonomy) -> list[Side]:
    out = []
    for raw in _side_file():
        domain = raw.get("domain")
        phrases = [str(p) for p in raw.get("phrases", [])]  # type: ignore[attr-defined]
        clusters: tuple[str, ...] = ()
        label = str(raw.get("label", raw["code"]))
        labels = _names(raw.get("labels"))
        if isinstance(domain, str):
            term = tax.term("domain", domain)
            if term is None:
                raise ValueError(f"sides.json: {raw['code']}: unknown domain {domain!r}")
            label, clusters, labels = term.label, term.clusters, term.labels
            phrases += [term.label, *term.synonyms]
            for cluster in clusters:
                found = tax.term("cluster", cluster)
                phrases += list(found.synonyms) if found else []
        out.append(
            Side(
                code=str(raw["code"]), label=label, role=str(raw["role"]),
                domain=domain if isinstance(domain, str) else None,
                phrases=tuple(dict.fromkeys(p for p in map(plain, phrases) if p)),
                clusters=clusters, labels=labels, roles=_names(raw.get("roles")),
            )
        )  # fmt: skip
    return out


def _names(raw: object) -> tuple[tuple[str, str], ...]:
    """A side's {"nl": "..."} names as the sorted pairs a frozen Side keeps."""
    if not isinstance(raw, dict):
        return ()
    return tuple(sorted((str(k), str(v)) for k, v in raw.items()))


def named_sides(need: str, tax: Taxonomy) -> list[Side]:
    """The sides a need names, in the order of the first phrase of each in the need."""
    text = plain(need)
    found = []
    for side in sides(tax):
        at = [f" {text} ".find(f" {p} ") for p in side.phrases if _contains(text, p)]
        if at:
            found.append((min(at), side))
    return [s for _, s in sorted(found, key=lambda pair: pair[0])]
