"""Pure analysis of the ecosystem: value-chain coverage and its gaps in words, growth per year and
counts per place. Inputs are plain records (no database, no web), so every number can be checked
by hand on a small table; the network measures live in `insights.network`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace

from triplehelix.i18n import gettext as _
from triplehelix.insights.schemas import Growth


def N_(message: str) -> str:
    """Marks a message for the catalogue; `gaps` translates it when it writes the sentence."""
    return message


# A cell's gap sentence by how the domain's columns read ("for" a modality, "among" a helix):
# whole sentences, so that each language can order its words; CELL_GAP for any other phrase.
CELL_GAPS = {
    "for": N_("No organisation %(scope)s offers %(stage)s for %(column)s."),
    "among": N_("No organisation %(scope)s offers %(stage)s among %(column)s."),
}
CELL_GAP = N_("No organisation %(scope)s offers %(stage)s %(phrase)s %(column)s.")
SINGLE_CELLS = {
    "for": N_("Only one organisation %(scope)s covers %(stage)s for %(column)s: %(name)s."),
    "among": N_("Only one organisation %(scope)s covers %(stage)s among %(column)s: %(name)s."),
}
SINGLE_CELL = N_(
    "Only one organisation %(scope)s covers %(stage)s %(phrase)s %(column)s: %(name)s."
)

# A stage and a modality each need this many organisations (that also carry a tag of the other
# axis) before an empty cell between them is named as a gap: a single company tagged with a
# modality does not make an absent combination newsworthy.
MIN_SUPPORT = 5


@dataclass(frozen=True)
class OrgRecord:
    """What the analysis needs to know about one organisation."""

    id: str
    name: str
    kind: str = "company"
    city: str | None = None
    address: str | None = None
    founded: int | None = None
    clusters: tuple[str, ...] = ()
    stages: tuple[str, ...] = ()
    modalities: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    municipality: str | None = None
    in_region: bool = True


@dataclass(frozen=True)
class EventRecord:
    year: int
    kind: str
    organisation_ids: tuple[str, ...]


@dataclass
class Coverage:
    stages: list[str]
    modalities: list[str]
    cells: list[list[int]]
    # Names of the organisations in each cell, so a sentence can name the only one.
    members: list[list[list[str]]] = field(default_factory=list)
    stage_totals: list[int] = field(default_factory=list)
    modality_totals: list[int] = field(default_factory=list)
    # Organisations of a stage that carry any modality tag (and the other way round): the
    # evidence that a combination could exist here at all.
    stage_support: list[int] = field(default_factory=list)
    modality_support: list[int] = field(default_factory=list)


def _modalities(org: OrgRecord) -> Sequence[str]:
    return org.modalities


def coverage_grid(
    orgs: Iterable[OrgRecord],
    stages: Sequence[str],
    modalities: Sequence[str],
    values: Callable[[OrgRecord], Sequence[str]] = _modalities,
) -> Coverage:
    """Organisations per (stage, column); an organisation counts in every cell it is tagged.

    The columns are modalities unless `values` gives another second axis (an organisation's
    helix, say); `modalities` then holds that axis' codes."""
    orgs = [replace(o, modalities=tuple(values(o))) for o in orgs]
    cells = [[0] * len(modalities) for _ in stages]
    members: list[list[list[str]]] = [[[] for _ in modalities] for _ in stages]
    for org in orgs:
        for i, stage in enumerate(stages):
            if stage not in org.stages:
                continue
            for j, modality in enumerate(modalities):
                if modality in org.modalities:
                    cells[i][j] += 1
                    members[i][j].append(org.name)
    with_modality = [o for o in orgs if set(o.modalities) & set(modalities)]
    with_stage = [o for o in orgs if set(o.stages) & set(stages)]
    return Coverage(
        stages=list(stages),
        modalities=list(modalities),
        cells=cells,
        members=members,
        stage_totals=[sum(s in o.stages for o in orgs) for s in stages],
        modality_totals=[sum(m in o.modalities for o in orgs) for m in modalities],
        stage_support=[sum(s in o.stages for o in with_modality) for s in stages],
        modality_support=[sum(m in o.modalities for o in with_stage) for m in modalities],
    )


def _one(names: list[str]) -> str:
    return sorted(names)[0] if names else ""


def gaps(
    grid: Coverage,
    label: Callable[[str, str], str],
    scope: str = "in the region",
    min_support: int = MIN_SUPPORT,
    axis: str = "modality",
    phrase: str = "for",
    subject: str = "",
) -> list[tuple[str, int | None, int | None]]:
    """Gaps in words, each with the stage row and/or column it is about, from the numbers:
    absent and single-organisation stages and modalities first, then empty and single cells
    between well-supported stages and modalities (biggest first).

    With another second `axis` than modality (the helix of the organisation), column sentences
    read "among <column>" (`phrase`), and a column's own sentence reads "Among <subject>
    organisations <scope>, none is from <column>" (`subject`: the domain)."""
    st = [label("value_chain", s) for s in grid.stages]
    mo = [label(axis, m) for m in grid.modalities]

    def column_gap(j: int, none: bool) -> str:
        words = {"scope": scope, "column": mo[j]}
        if axis == "modality":
            if none:
                return _("No organisation %(scope)s works on %(column)s.") % words
            return _("Only one organisation %(scope)s works on %(column)s.") % words
        words = {"scope": scope, "column": lower(mo[j]), "subject": subject}
        if subject:
            if none:
                return (
                    _("Among %(subject)s organisations %(scope)s, none is from %(column)s.") % words
                )
            return (
                _("Among %(subject)s organisations %(scope)s, only one is from %(column)s.") % words
            )
        if none:
            return _("Among organisations %(scope)s, none is from %(column)s.") % words
        return _("Among organisations %(scope)s, only one is from %(column)s.") % words

    def lower(text: str) -> str:
        return text if axis == "modality" else text[:1].lower() + text[1:]

    def cell_gap(i: int, j: int, name: str | None) -> str:
        words = {"scope": scope, "stage": st[i], "column": lower(mo[j]), "name": name or ""}
        words["phrase"] = phrase
        if name is None:
            sentence = CELL_GAPS.get(phrase, CELL_GAP)
        else:
            sentence = SINGLE_CELLS.get(phrase, SINGLE_CELL)
        return _(sentence) % words

    out: list[tuple[str, int | None, int | None]] = [
        (
            _("No organisation %(scope)s covers %(stage)s.") % {"scope": scope, "stage": st[i]},
            i,
            None,
        )
        for i, n in enumerate(grid.stage_totals)
        if n == 0
    ]
    out += [
        (column_gap(j, none=True), None, j) for j, n in enumerate(grid.modality_totals) if n == 0
    ]
    out += [
        (
            _("Only one organisation %(scope)s covers %(stage)s.")
            % {"scope": scope, "stage": st[i]},
            i,
            None,
        )
        for i, n in enumerate(grid.stage_totals)
        if n == 1
    ]
    out += [
        (column_gap(j, none=False), None, j) for j, n in enumerate(grid.modality_totals) if n == 1
    ]
    rows, cols = grid.stage_support, grid.modality_support
    pairs = [
        (rows[i] * cols[j], i, j)
        for i in range(len(grid.stages))
        for j in range(len(grid.modalities))
        if rows[i] >= min_support and cols[j] >= min_support
    ]
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    for _score, i, j in pairs:
        if grid.cells[i][j] == 0:
            out.append((cell_gap(i, j, None), i, j))
    for _score, i, j in pairs:
        if grid.cells[i][j] == 1:
            out.append((cell_gap(i, j, _one(grid.members[i][j])), i, j))
    return out


def gap_sentences(
    grid: Coverage,
    label: Callable[[str, str], str],
    scope: str = "in the region",
    min_support: int = MIN_SUPPORT,
    axis: str = "modality",
    phrase: str = "for",
) -> list[str]:
    """The gap sentences alone (see `gaps`)."""
    return [text for text, _, _ in gaps(grid, label, scope, min_support, axis, phrase)]


def growth_series(
    orgs: Iterable[OrgRecord],
    events: Iterable[EventRecord],
    event_kinds: Sequence[str],
    first_year: int | None = None,
) -> Growth:
    """Founded (from the organisation's founding year), moved in (moved_in events) and events per
    kind per year, from `first_year` (default: the earliest year with data) to the latest."""
    founded = Counter(o.founded for o in orgs if o.founded is not None)
    events = list(events)
    moved = Counter(e.year for e in events if e.kind == "moved_in")
    per_kind = {k: Counter(e.year for e in events if e.kind == k) for k in event_kinds}
    all_years = set(founded) | {e.year for e in events}
    if not all_years:
        return Growth(
            years=[], founded=[], moved_in=[], events={k: [] for k in event_kinds},
            cumulative_founded=[], cumulative_moved_in=[], cumulative_events=[], before={},
        )  # fmt: skip
    start = first_year if first_year is not None else min(all_years)
    years = list(range(start, max(all_years) + 1))

    def before(counter: Counter[int]) -> int:
        return sum(n for y, n in counter.items() if y < start)

    def running(counter: Counter[int]) -> list[int]:
        total, out = before(counter), []
        for y in years:
            total += counter[y]
            out.append(total)
        return out

    all_events = Counter(e.year for e in events)
    return Growth(
        years=years,
        founded=[founded[y] for y in years],
        moved_in=[moved[y] for y in years],
        events={k: [c[y] for y in years] for k, c in per_kind.items()},
        cumulative_founded=running(founded),
        cumulative_moved_in=running(moved),
        cumulative_events=running(all_events),
        before={
            "founded": before(founded),
            "moved_in": before(moved),
            "events": before(all_events),
        },
    )


def default_first_year(years: Iterable[int], span: int = 40) -> int | None:
    """The window a chart shows: the last `span` years up to the latest year with data."""
    years = list(years)
    return max(min(years), max(years) - span + 1) if years else None


def counts_by(items: Iterable[str | None]) -> dict[str, int]:
    """How many of each value, largest first then by name; None is left out."""
    counted = Counter(i for i in items if i is not None)
    return dict(sorted(counted.items(), key=lambda kv: (-kv[1], kv[0])))
