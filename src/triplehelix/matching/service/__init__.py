"""Match a need in plain words to organisations and facilities, ranked and explained.

The engine retrieves documents (profiles, services, facilities) lexically and by meaning and
aggregates them to their owners; this module filters, lifts results whose taxonomy agrees with what
the need names, marks the cross-cluster ones, and writes down why each result was chosen.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from triplehelix.directory.schemas import CodeLabel
from triplehelix.errors import NotFoundError, ValidationError
from triplehelix.i18n import current_locale
from triplehelix.i18n import gettext as _
from triplehelix.i18n.format import format_list
from triplehelix.matching.schemas import (
    Links,
    Marked,
    MatchFacets,
    MatchItem,
    MatchResult,
    Missing,
    TeamSide,
    Understood,
    Why,
)
from triplehelix.matching.service import dutch, lay, rank
from triplehelix.matching.service.documents import org_key
from triplehelix.matching.service.highlight import marks
from triplehelix.matching.service.index import Entity, MatchIndex
from triplehelix.matching.service.sides import Side, named_sides
from triplehelix.matching.service.sides import sides as sides_of
from triplehelix.matching.service.understanding import (
    Understanding,
    absent_terms,
    expansion,
    named_requirements,
    understand,
    vocabulary,
)
from triplehelix.search.schemas.documents import EntityHit
from triplehelix.taxonomy import Taxonomy, get_taxonomy

MAX_LIMIT = 50
MAX_QUERY = 500
# A need is answered when its best result reaches the floor; its results are then shown down to
# ITEM_SHARE of the floor (a need the region serves often has a second good answer a little
# below the first). Calibrated in bench/RESULTS.md on servable and unservable need sets: needs
# answered vs needs wrongly left empty.
FLOOR = 0.34
ITEM_SHARE = 0.8
# An organisation's further matching documents (services, facilities) add this share of their
# score, squared for the next: breadth of evidence counts a little more than in the engine's
# default 0.1 (bench/RESULTS.md, the sweep of issue 13).
DECAY = 0.2
DEPTH = 200  # documents read for an unfiltered need (the engine fuses at most 2 x 200)
NEAREST = 3  # "nearest, not a match" shown when nothing passes the floor
TEAM_SIZE = 3
# A side of a team may come from a little below the floor: the team as a whole answers the need.
TEAM_FLOOR_SHARE = 0.5
REGIONS = ("in", "all")


@dataclass(frozen=True)
class MatchFilters:
    kind: list[str] = field(default_factory=list)
    cluster: list[str] = field(default_factory=list)
    city: list[str] = field(default_factory=list)
    stage: list[str] = field(default_factory=list)
    modality: list[str] = field(default_factory=list)
    shared_only: bool = False
    types: frozenset[str] = frozenset()
    region_only: bool = False

    @classmethod
    def of(cls, facets: MatchFacets, region: str, types: Iterable[str] = ()) -> MatchFilters:
        """What a match query's filters ask for (region "in": only the region's organisations)."""
        return cls(
            kind=facets.kind, cluster=facets.cluster, city=facets.city, stage=facets.stage,
            modality=facets.modality, shared_only=facets.shared, types=frozenset(types),
            region_only=region == "in",
        )  # fmt: skip

    def only_region(self) -> bool:
        """No filter but (perhaps) the region: every entity passes `admits`."""
        return not (
            self.kind or self.cluster or self.city or self.stage or self.modality
            or self.shared_only or self.types
        )  # fmt: skip

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


def _agreements(e: Entity, stages: set[str], modalities: set[str], kinds: set[str]) -> int:
    """How many of the need's recognised stages, modalities and facility kinds `e` carries."""
    kind = e.kind in kinds if e.type == "facility" else False
    return len(stages.intersection(e.stages)) + len(modalities.intersection(e.modalities)) + kind


def _labels(tax: Taxonomy, scheme: str, codes: set[str] | tuple[str, ...]) -> list[CodeLabel]:
    language = current_locale()
    return [CodeLabel(code=c, label=tax.label(scheme, c, language)) for c in sorted(codes)]


def _why(index: MatchIndex, hit: EntityHit, e: Entity, found: Understanding, home: set[str]) -> Why:
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
    index: MatchIndex, hit: EntityHit, score: float, found: Understanding, home: set[str]
) -> MatchItem:
    e = index.entities[hit.key]
    scheme = "facility_kind" if e.type == "facility" else "organisation_kind"
    return MatchItem(
        type=e.type if e.type in {"facility", "post"} else "organisation",
        id=e.id,
        name=e.name,
        kind=e.kind,
        kind_label=get_taxonomy().label(scheme, e.kind, current_locale()),
        score=_shown(score),
        why=_why(index, hit, e, found, home),
        in_region=e.in_region,
        place=e.city,
        links=_links(e),
    )


def _shown(score: float) -> float:
    return round(score, 4)


PAGES = {"facility": "facilities", "post": "marketplace", "organisation": "organisations"}


def _links(e: Entity) -> Links:
    page = f"/{PAGES.get(e.type, 'organisations')}/{e.id}"
    return Links(
        page=page,
        website=e.website,
        book=f"/facilities/{e.id}/resources" if e.type == "facility" and e.bookable else None,
        interest=f"{page}#interest" if e.type == "post" else None,
    )


def _ranked(
    index: MatchIndex, query: str, found: Understanding, filters: MatchFilters, exclude: str = ""
) -> list[tuple[EntityHit, float]]:
    engine = index.engine
    # Unfiltered (or only region-filtered) needs read the best DEPTH documents: everything a
    # match shows (items, nearest, team sides above half the floor) comes from far above that.
    depth = DEPTH if filters.only_region() else len(engine)
    hits = engine.search_entities(
        query,
        limit=depth,
        extra_terms=expansion(found, get_taxonomy()),
        depth=depth,
        decay=DECAY,
    )
    stages, modalities = found.codes("value_chain"), found.codes("modality")
    kinds = found.codes("facility_kind")
    unfiltered = filters.only_region()
    kept = [
        (h, rank.regional(rank.boosted(h.score, _agreements(e, stages, modalities, kinds)),
                          e.in_region))
        for h in hits
        if (e := index.entities.get(h.key)) is not None
        and h.key != exclude
        and (unfiltered or filters.admits(e))
        and (e.in_region or not filters.region_only)
    ]  # fmt: skip
    return sorted(kept, key=lambda pair: (-pair[1], pair[0].key))


def match_need(
    index: MatchIndex,
    query: str,
    limit: int = 10,
    filters: MatchFilters | None = None,
    floor: float = FLOOR,
    strict: bool = True,
) -> MatchResult:
    """The need's matches above the floor, what the region lacks, and a team for two-sided needs.

    `filters.region_only` keeps outside parties out; otherwise they rank below comparable
    in-region results (`rank.regional`). `floor=0` shows every candidate (the old behaviour).
    `strict`: a requirement the need names and nothing in scope has leaves no items (a person's
    need); otherwise it is reported in `missing` and the items above the floor stay (a post's
    matches, whose text describes more than it requires).
    """
    query = " ".join(query.split())
    if not query:
        raise ValidationError("q: " + _("describe the need in a few words"))
    if len(query) > MAX_QUERY:
        raise ValidationError("q: " + _("at most %(n)s characters") % {"n": MAX_QUERY})
    if not 1 <= limit <= MAX_LIMIT:
        raise ValidationError("limit: " + _("between 1 and %(n)s") % {"n": MAX_LIMIT})
    filters = filters or MatchFilters()
    tax, language = get_taxonomy(), current_locale()
    reading = dutch.read(query, tax)
    # everyday words ("a pill") gain the profiles' words ("oral small molecule"), on both sides
    text, widened = lay.widen(reading.text)
    # the taxonomy's phrases are read in the need as typed ("BSL-2") and in the words added
    found = understand(f"{query} {text}" if reading.translated or widened else query, tax)
    ranked = _ranked(index, text, found, filters)
    named = named_sides(reading.text, tax)
    domains = [s for s in named if s.domain is not None]
    home = {c for s in domains for c in s.clusters if c not in index.umbrella}
    if not home:
        top = [(index.entities[h.key].clusters, score) for h, score in ranked[:5]]
        guess = rank.need_cluster(found.ordered("cluster"), top, index.umbrella)
        home = {guess} if guess else set()
    missing = _missing(index, query, found, filters)
    # the floor is compared with scores as items show them (4 places), so a floor set to a
    # shown score keeps that item
    answered = bool(ranked) and _shown(ranked[0][1]) >= floor and not (missing and strict)
    passing = [(h, sc) for h, sc in ranked if _shown(sc) >= floor * ITEM_SHARE] if answered else []
    items = [_item(index, h, sc, found, home) for h, sc in passing[:limit]]
    nearest = [] if items else [_item(index, h, sc, found, home) for h, sc in ranked[:NEAREST]]
    if found.codes("modality") and not any(x.domain == "life_sciences" for x in named):
        named += [x for x in sides_of(tax) if x.domain == "life_sciences"]  # modalities are LS
    team_pool = [(h, sc) for h, sc in ranked if sc >= floor * TEAM_FLOOR_SHARE]
    team = _team(index, named, team_pool, found, home) if len(named) >= 2 and not missing else []
    message = None
    lacking = format_list([m.label for m in missing], style="or")
    if missing and not items and filters.region_only:
        message = _("Nothing in the region offers %(lacking)s") % {"lacking": lacking}
    elif missing and not items:
        message = _("Nothing in the directory offers %(lacking)s") % {"lacking": lacking}
    elif not items and filters.region_only:
        message = _("Nothing in the region fits this need closely enough to recommend")
    elif not items:
        message = _("Nothing in the directory fits this need closely enough to recommend")
    first_home = sorted(home)[0] if len(home) == 1 else None
    return MatchResult(
        query=query,
        semantic=index.engine.semantic,
        recognised={
            scheme: _labels(tax, scheme, found.codes(scheme))
            for scheme in ("value_chain", "modality", "facility_kind", "cluster")
            if found.codes(scheme)
        },
        need_cluster=CodeLabel(code=first_home, label=tax.label("cluster", first_home, language))
        if first_home
        else None,
        items=items,
        nearest=nearest,
        missing=missing,
        team=team,
        message=message,
        understood=Understood(
            language="nl" if reading.language == "nl" else "en",
            read_as=text,
            translated=list(reading.translated),
            domains=[CodeLabel(code=s.code, label=s.label_in(language)) for s in domains],
            sides=[CodeLabel(code=s.code, label=s.label_in(language)) for s in named],
            region="in" if filters.region_only else "all",
            floor=floor,
        ),
    )


def _missing(
    index: MatchIndex, query: str, found: Understanding, filters: MatchFilters
) -> list[Missing]:
    """Requirements the need names that no organisation or facility in scope has."""
    tax, language = get_taxonomy(), current_locale()
    kinds, stages, modalities, mentioned = _scope(index, filters)
    out = [
        Missing(scheme="facility_kind", code=c, label=tax.label("facility_kind", c, language))
        for c in sorted(found.codes("facility_kind") - kinds)
    ]
    out += [
        Missing(scheme="value_chain", code=c, label=tax.label("value_chain", c, language))
        for c in sorted(found.codes("value_chain") - stages)
    ]
    out += [
        Missing(scheme="modality", code=c, label=tax.label("modality", c, language))
        for c in sorted(found.codes("modality") - modalities)
    ]
    # a designation inside a recognised phrase ("BSL-3" of "BSL-3 lab") is that term, not another
    recognised = vocabulary([p for scheme in found.found.values() for _, p in scheme])
    out += [
        Missing(scheme="term", code=code, label=shown)
        for code, shown in absent_terms(query, index.vocabulary)
        if code not in recognised
    ]
    out += [
        Missing(scheme="term", code=r.code, label=r.shown())
        for r in named_requirements(query)
        if f"requirement:{r.code}" not in mentioned
    ]
    return out


Scope = tuple[set[str], set[str], set[str], set[str]]


def _scope(index: MatchIndex, filters: MatchFilters) -> Scope:
    """Facility kinds, stages, modalities and mentions of the entities in scope, per filters.

    A facility kind is present when a facility has it or a profile names it. Memoised per
    filters until the next rebuild: otherwise every match walks every entity."""
    memo_key = ("scope", repr(filters))

    def compute() -> Scope:
        scope = [
            e
            for e in index.entities.values()
            if filters.admits(e) and (e.in_region or not filters.region_only)
        ]
        mentioned = {c for e in scope for c in index.mentions.get(e.key, ())}
        kinds = {e.kind for e in scope if e.type == "facility"}
        kinds |= {c.partition(":")[2] for c in mentioned if c.startswith("facility_kind:")}
        stages = {c for e in scope for c in e.stages}
        modalities = {c for e in scope for c in e.modalities}
        return (kinds, stages, modalities, mentioned)

    found: Scope = index.memo.get(memo_key, compute)
    return found


def _team(
    index: MatchIndex,
    named: list[Side],
    passing: list[tuple[EntityHit, float]],
    found: Understanding,
    home: set[str],
) -> list[TeamSide]:
    """The best candidates above the floor on each side the need names; none if a side is empty."""
    tax = get_taxonomy()
    team = []
    for side in named:
        members = [
            (h, sc)
            for h, sc in passing
            if side.admits(index.entities[h.key], index.texts.get(h.key, ""))
        ][:TEAM_SIZE]
        if not members:
            return []
        team.append(
            TeamSide(
                role=side.role_in(current_locale()), domain=side.domain,
                label=side.label_in(current_locale()),
                clusters=_labels(tax, "cluster", side.clusters),
                items=[_item(index, h, sc, found, home) for h, sc in members],
            )
        )  # fmt: skip
    return team


def similar_organisations(
    index: MatchIndex, organisation_id: str, limit: int = 5
) -> list[MatchItem]:
    """Organisations whose profiles read most like this one's (its summary, services and tags)."""
    e = index.entities.get(org_key(organisation_id))
    if e is None:
        raise NotFoundError(f"organisation {organisation_id!r} not found")
    # the items carry labels, so each language keeps its own answer; every organisation page
    # asks, and the answer only moves with data
    memo_key = ("similar", organisation_id, str(limit), current_locale())
    result: list[MatchItem] = index.memo.get(memo_key, lambda: _similar(index, e, limit))
    return result


def _similar(index: MatchIndex, e: Entity, limit: int) -> list[MatchItem]:
    tax = get_taxonomy()
    labels = [tax.label("value_chain", c, "en") for c in e.stages] + [
        tax.label("modality", c, "en") for c in e.modalities
    ]  # the profiles' own language, whoever asks
    profile = " ".join([e.summary, *e.services.values(), *labels])
    if not profile.strip():
        return []
    found = understand(profile, tax)
    filters = MatchFilters(types=frozenset({"organisation"}))
    ranked = _ranked(index, profile, found, filters, exclude=e.key)
    return [_item(index, h, score, found, set()) for h, score in ranked[:limit]]
