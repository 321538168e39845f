"""Match a need in plain words to organisations and facilities, ranked and explained.

The engine retrieves documents (profiles, services, facilities) lexically and by meaning and
aggregates them to their owners; this module filters, lifts results whose taxonomy agrees with what
the need names, marks the cross-cluster ones, and writes down why each result was chosen.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from triplehelix.directory.schemas import CodeLabel
from triplehelix.errors import NotFoundError, ValidationError
from triplehelix.matching import rank
from triplehelix.matching.documents import org_key
from triplehelix.matching.highlight import marks
from triplehelix.matching.index import Entity, MatchIndex
from triplehelix.matching.schemas import Marked, MatchItem, MatchResult, Why
from triplehelix.matching.understand import Understanding, expansion, understand
from triplehelix.search.documents import EntityHit
from triplehelix.taxonomy import Taxonomy, get_taxonomy

MAX_LIMIT = 50
MAX_QUERY = 500


@dataclass(frozen=True)
class MatchFilters:
    kind: list[str] = field(default_factory=list)
    cluster: list[str] = field(default_factory=list)
    city: list[str] = field(default_factory=list)
    stage: list[str] = field(default_factory=list)
    modality: list[str] = field(default_factory=list)
    shared_only: bool = False
    types: frozenset[str] = frozenset()

    def admits(self, e: Entity) -> bool:
        def any_of(wanted: list[str], have: tuple[str, ...] | list[str]) -> bool:
            return not wanted or bool(set(wanted) & set(have))

        cities = [c.lower() for c in self.city]
        return (
            (not self.types or e.type in self.types)
            and any_of(self.kind, [e.kind])
            and any_of(self.cluster, e.clusters)
            and any_of(cities, [(e.city or "").lower()])
            and any_of(self.stage, e.stages)
            and any_of(self.modality, e.modalities)
            and (not self.shared_only or (e.type == "facility" and e.shared is True))
        )


def _agreements(e: Entity, found: Understanding) -> int:
    kind = {e.kind} if e.type == "facility" else set()
    return (
        len(found.codes("value_chain") & set(e.stages))
        + len(found.codes("modality") & set(e.modalities))
        + len(found.codes("facility_kind") & kind)
    )


def _labels(tax: Taxonomy, scheme: str, codes: set[str] | tuple[str, ...]) -> list[CodeLabel]:
    return [CodeLabel(code=c, label=tax.label(scheme, c)) for c in sorted(codes)]


def _why(
    index: MatchIndex, hit: EntityHit, e: Entity, found: Understanding, home: str | None
) -> Why:
    tax = get_taxonomy()
    terms = sorted({t for h in hit.hits for t in h.matched_terms})
    services = [
        Marked(
            text=e.services[h.document.id], marks=marks(e.services[h.document.id], h.matched_terms)
        )
        for h in hit.hits
        if h.document.type == "service" and h.matched_terms
    ]
    profile = next((h for h in hit.hits if h.document.type != "service"), None)
    text = None
    if profile is not None and profile.matched_terms and e.summary:
        text = Marked(text=e.summary, marks=marks(e.summary, profile.matched_terms))
    best = hit.hits[0]
    closest = None
    if not terms:  # chosen by meaning alone: show the text that was closest
        closest = e.services.get(best.document.id) or e.summary or None
    kind = {e.kind} & found.codes("facility_kind") if e.type == "facility" else set()
    return Why(
        matched_terms=terms,
        services=services,
        text=text,
        closest_passage=closest,
        stages=_labels(tax, "value_chain", found.codes("value_chain") & set(e.stages)),
        modalities=_labels(tax, "modality", found.codes("modality") & set(e.modalities)),
        facility_kind=next(iter(_labels(tax, "facility_kind", kind)), None),
        clusters=_labels(tax, "cluster", e.clusters),
        city=e.city,
        shared=e.shared,
        owner=CodeLabel(code=e.owner_id, label=e.owner_name or "") if e.owner_id else None,
        cross_cluster=rank.is_cross_cluster(e.clusters, home, index.umbrella),
        lexical=round(max(h.lexical for h in hit.hits), 4),
        semantic=round(max(h.dense for h in hit.hits), 4),
    )


def _item(
    index: MatchIndex, hit: EntityHit, score: float, found: Understanding, home: str | None
) -> MatchItem:
    e = index.entities[hit.key]
    scheme = "facility_kind" if e.type == "facility" else "organisation_kind"
    return MatchItem(
        type=e.type if e.type in {"facility", "post"} else "organisation",
        id=e.id,
        name=e.name,
        kind=e.kind,
        kind_label=get_taxonomy().label(scheme, e.kind),
        score=round(score, 4),
        why=_why(index, hit, e, found, home),
    )


def _ranked(
    index: MatchIndex, query: str, found: Understanding, filters: MatchFilters, exclude: str = ""
) -> list[tuple[EntityHit, float]]:
    engine = index.engine
    hits = engine.search_entities(
        query, limit=len(engine), extra_terms=expansion(found, get_taxonomy()), depth=len(engine)
    )
    kept = [
        (h, rank.boosted(h.score, _agreements(index.entities[h.key], found)))
        for h in hits
        if h.key in index.entities and h.key != exclude and filters.admits(index.entities[h.key])
    ]
    return sorted(kept, key=lambda pair: (-pair[1], pair[0].key))


def match_need(
    index: MatchIndex, query: str, limit: int = 10, filters: MatchFilters | None = None
) -> MatchResult:
    query = " ".join(query.split())
    if not query:
        raise ValidationError("q: describe the need in a few words")
    if len(query) > MAX_QUERY:
        raise ValidationError(f"q: at most {MAX_QUERY} characters")
    if not 1 <= limit <= MAX_LIMIT:
        raise ValidationError(f"limit: between 1 and {MAX_LIMIT}")
    tax = get_taxonomy()
    found = understand(query, tax)
    ranked = _ranked(index, query, found, filters or MatchFilters())
    top = [(index.entities[h.key].clusters, score) for h, score in ranked[:5]]
    home = rank.need_cluster(found.ordered("cluster"), top, index.umbrella)
    return MatchResult(
        query=query,
        semantic=index.engine.semantic,
        recognised={
            scheme: _labels(tax, scheme, found.codes(scheme))
            for scheme in ("value_chain", "modality", "facility_kind", "cluster")
            if found.codes(scheme)
        },
        need_cluster=CodeLabel(code=home, label=tax.label("cluster", home)) if home else None,
        items=[_item(index, h, score, found, home) for h, score in ranked[:limit]],
    )


def similar_organisations(
    index: MatchIndex, organisation_id: str, limit: int = 5
) -> list[MatchItem]:
    """Organisations whose profiles read most like this one's (its summary, services and tags)."""
    e = index.entities.get(org_key(organisation_id))
    if e is None:
        raise NotFoundError(f"organisation {organisation_id!r} not found")
    memo_key = ("similar", organisation_id, str(limit))
    if memo_key not in index.memo:  # every organisation page asks; the answer only moves with data
        index.memo[memo_key] = _similar(index, e, limit)
    result: list[MatchItem] = index.memo[memo_key]
    return result


def _similar(index: MatchIndex, e: Entity, limit: int) -> list[MatchItem]:
    tax = get_taxonomy()
    labels = [tax.label("value_chain", c) for c in e.stages] + [
        tax.label("modality", c) for c in e.modalities
    ]
    profile = " ".join([e.summary, *e.services.values(), *labels])
    if not profile.strip():
        return []
    found = understand(profile, tax)
    filters = MatchFilters(types=frozenset({"organisation"}))
    ranked = _ranked(index, profile, found, filters, exclude=e.key)
    return [_item(index, h, score, found, None) for h, score in ranked[:limit]]
