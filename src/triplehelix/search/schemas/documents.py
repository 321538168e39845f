"""The engine's public value types: what a feature registers and what a search returns.

A `Document` is storage-agnostic: an id unique within the engine, a type chosen by the feature
("organisation", "service", "facility", "abstract" ...), named text fields, and an opaque `key`
naming the entity that owns it, so hits can be aggregated back to that entity. A `DocumentHit`
carries the evidence the matching layer needs to explain a result.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Document:
    id: str
    type: str
    fields: dict[str, str]
    key: str = ""

    @property
    def owner(self) -> str:
        """The owning entity's key; a document without one owns itself."""
        return self.key or self.id

    def text(self) -> str:
        return "\n".join(v for v in self.fields.values() if v)


@dataclass(frozen=True)
class DocumentHit:
    document: Document
    score: float
    lexical: float = 0.0
    dense: float = 0.0
    matched_terms: tuple[str, ...] = ()  # query words (as typed) found in the document


@dataclass(frozen=True)
class EntityHit:
    key: str
    score: float
    hits: tuple[DocumentHit, ...]
