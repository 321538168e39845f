"""The live matching index of one database: documents plus the entity facts results are shown with.

The index follows the data: every use compares a cheap version of the directory (counts and the
latest change) with the one it was built from and rebuilds when they differ. Embeddings are cached
on disk by content hash, so a rebuild or a restart only embeds texts that changed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from triplehelix.directory import models as m
from triplehelix.facilities.models import Resource
from triplehelix.matching.service.documents import all_documents, facility_key, org_key
from triplehelix.matching.service.understanding import (
    extra_synonyms,
    requirements,
    stemmed,
    vocabulary,
)
from triplehelix.search.schemas.analyse import words
from triplehelix.search.schemas.documents import Document
from triplehelix.search.service.engine import Progress, SearchEngine
from triplehelix.singleflight import SingleFlight
from triplehelix.taxonomy import get_taxonomy

LEXICAL_WEIGHT = 0.3


def plain(text: str) -> str:
    """Folded words without function words, space-separated, for phrase lookups."""
    return " ".join(words(text))


@dataclass(frozen=True)
class Entity:
    """What a result shows and filters on, for an organisation or a facility."""

    key: str
    type: str
    id: str
    name: str
    kind: str
    city: str | None
    clusters: tuple[str, ...]
    stages: tuple[str, ...] = ()
    modalities: tuple[str, ...] = ()
    summary: str = ""
    shared: bool | None = None
    owner_id: str | None = None
    owner_name: str | None = None
    services: dict[str, str] = field(default_factory=dict)  # document id -> service text
    domains: tuple[str, ...] = ()
    in_region: bool = True
    website: str | None = None
    bookable: bool = False  # a facility with resources that can be booked


@dataclass(frozen=True)
class DocumentSource:
    """Another feature's documents in the index: a cheap version, the documents, their entities."""

    version: Callable[[Session], tuple[object, ...]]
    documents: Callable[[Session], list[Document]]
    entities: Callable[[Session], dict[str, Entity]]


# Other features' documents: their `document_sources` in `triplehelix.features`, given (as the
# function that imports them) by the app factory and the command line; docs/development.md.
_PROVIDERS: list[Callable[[], Sequence[DocumentSource]]] = []


def use_document_sources(provider: Callable[[], Sequence[DocumentSource]]) -> None:
    _PROVIDERS[:] = [provider]


def _sources() -> list[DocumentSource]:
    return [source for provider in _PROVIDERS for source in provider()]


def data_version(session: Session) -> tuple[object, ...]:
    """Counts and latest changes of what the index reads, in one round trip (every match asks)."""
    row = session.execute(select(*_VERSION_COLUMNS)).one()
    extra = [v for source in _sources() for v in source.version(session)]
    return (*row, *extra)


_VERSION_COLUMNS = [
    select(func.count()).select_from(m.Organisation).scalar_subquery(),
    select(func.max(m.Organisation.updated_at)).scalar_subquery(),
    select(func.count()).select_from(m.Service).scalar_subquery(),
    select(func.max(m.Service.id)).scalar_subquery(),
    select(func.count()).select_from(m.Facility).scalar_subquery(),
    select(func.max(m.Facility.fingerprint)).scalar_subquery(),
]


def load_entities(session: Session) -> dict[str, Entity]:
    orgs = session.scalars(
        select(m.Organisation).options(
            selectinload(m.Organisation.tags), selectinload(m.Organisation.services)
        )
    )
    entities: dict[str, Entity] = {}
    for o in orgs:
        entities[org_key(o.id)] = Entity(
            key=org_key(o.id), type="organisation", id=o.id, name=o.name, kind=o.kind,
            city=o.city, clusters=tuple(o.tag_codes("cluster")),
            stages=tuple(o.tag_codes("value_chain")), modalities=tuple(o.tag_codes("modality")),
            summary=o.summary or "", services={f"service:{s.id}": s.text for s in o.services},
            domains=tuple(o.domains), in_region=bool(o.in_region), website=o.website,
        )  # fmt: skip
    bookable = set(session.scalars(select(Resource.facility_id).distinct()))
    for f in session.scalars(select(m.Facility)):
        owner = entities[org_key(f.owner_id)]
        entities[facility_key(f.id)] = Entity(
            key=facility_key(f.id), type="facility", id=f.id, name=f.name, kind=f.kind,
            city=owner.city, clusters=owner.clusters, stages=owner.stages,
            modalities=owner.modalities, summary=f.details or "", shared=f.shared,
            owner_id=owner.id, owner_name=owner.name, domains=owner.domains,
            in_region=owner.in_region, website=owner.website, bookable=f.id in bookable,
        )  # fmt: skip
    return entities


class MatchIndex:
    def __init__(self, cache_dir: Path | None, semantic: bool | None = None) -> None:
        # Needs come in people's words, profiles are a few phrases: lexical evidence is scaled
        # by the query's own ceiling and weighs less than meaning (bench/RESULTS.md, Leiden needs).
        self.engine = SearchEngine(
            cache_dir=cache_dir, semantic=semantic, fusion="ceiling", lexical_weight=LEXICAL_WEIGHT
        )
        self.entities: dict[str, Entity] = {}
        self.umbrella: set[str] = set()
        self.vocabulary: set[str] = set()  # every word profiles and facilities use
        self.texts: dict[str, str] = {}  # entity key -> its words, for phrase lookups
        # entity key -> "facility_kind:<code>" / "requirement:<code>" its own texts name
        self.mentions: dict[str, frozenset[str]] = {}
        self.version: tuple[object, ...] | None = None
        # Results that depend only on the data (similar organisations), dropped on every rebuild.
        # answers that only move with the data; concurrent first askers compute one once
        self.memo: SingleFlight[tuple[str, ...], Any] = SingleFlight(size=4096)
        self._lock = threading.Lock()

    def ensure(self, session: Session, progress: Progress | None = None) -> None:
        """Rebuild when the directory changed since the last build (cheap check otherwise)."""
        version = data_version(session)
        if version == self.version:
            return
        with self._lock:
            if version == self.version:
                return
            self.engine.progress = progress
            extra = [d for source in _sources() for d in source.documents(session)]
            docs = all_documents(session) + extra
            self.engine.replace(docs)
            self.engine.build()
            self.entities = load_entities(session)
            for source in _sources():
                self.entities.update(source.entities(session))
            self.texts = {
                k: plain(" ".join([e.name, e.summary, *e.services.values()]))
                for k, e in self.entities.items()
            }
            self.mentions = _mentions(self.entities)
            self.vocabulary = vocabulary([d.text() for d in docs])
            self.memo = SingleFlight(size=4096)
            self.umbrella = {t.code for t in get_taxonomy().schemes["cluster"].terms if t.umbrella}
            self.version = version


def _mentions(entities: dict[str, Entity]) -> dict[str, frozenset[str]]:
    """What each entity's name, summary and services name: facility kinds and requirements.

    An organisation that sequences tumour samples offers sequencing without a facility record
    of that kind; the missing-requirement rule reads these, not only the facility kinds."""
    tax = get_taxonomy()
    extra = extra_synonyms().get("facility_kind", {})
    phrases = [
        (f"facility_kind:{t.code}", p)
        for t in tax.schemes["facility_kind"].terms
        for p in (stemmed(t.label), *map(stemmed, t.synonyms), *extra.get(t.code, ()))
    ]
    phrases += [(f"requirement:{r.code}", p) for r in requirements() for p in r.phrases]
    out = {}
    for key, e in entities.items():
        text = stemmed(" ".join([e.name, e.summary, *e.services.values()]))
        out[key] = frozenset(code for code, p in phrases if p.strip() and p in text)
    return out


_INDEXES: dict[tuple[str, str], MatchIndex] = {}
_REGISTRY_LOCK = threading.Lock()


def index_for(session: Session, data_dir: Path, progress: Progress | None = None) -> MatchIndex:
    """The process-wide index of the session's database, up to date with its data."""
    url = session.get_bind().engine.url
    key = (url.render_as_string(hide_password=True), str(data_dir))
    with _REGISTRY_LOCK:
        index = _INDEXES.get(key)
        if index is None:
            index = _INDEXES[key] = MatchIndex(data_dir / "embeddings")
    index.ensure(session, progress)
    return index
