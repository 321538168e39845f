"""Read a dataset folder and check every record; collect all problems as `file:line: field: msg`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar

from pydantic import BaseModel
from pydantic import ValidationError as PydanticError

from triplehelix.ingest.schemas import (
    DatasetManifest,
    EventRecord,
    FacilityRecord,
    OrganisationRecord,
    RelationRecord,
)
from triplehelix.ingest.service.lines import LineError, read_json_lines
from triplehelix.region.schemas.gazetteer import Gazetteer, get_gazetteer
from triplehelix.taxonomy import Taxonomy

R = TypeVar("R", bound=BaseModel)

FILES = {
    "organisations": "organisations.jsonl",
    "facilities": "facilities.jsonl",
    "relations": "relations.jsonl",
    "events": "events.jsonl",
}


@dataclass
class Line(Generic[R]):
    file: str
    number: int
    record: R


@dataclass
class ParsedDataset:
    folder: Path
    manifest: DatasetManifest
    organisations: list[Line[OrganisationRecord]] = field(default_factory=list)
    facilities: list[Line[FacilityRecord]] = field(default_factory=list)
    relations: list[Line[RelationRecord]] = field(default_factory=list)
    events: list[Line[EventRecord]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def size(self) -> int:
        return (
            len(self.organisations) + len(self.facilities) + len(self.relations) + len(self.events)
        )


def _read_jsonl(path: Path, model: type[R], problems: list[str]) -> list[Line[R]]:
    lines: list[Line[R]] = []
    if not path.exists():
        return lines
    for number, data, _ in read_json_lines(path):
        where = f"{path.name}:{number}"
        if isinstance(data, LineError):
            problems.append(f"{where}: (line): {data.message}")
            continue
        if not isinstance(data, dict):
            problems.append(f"{where}: (line): expected a JSON object")
            continue
        try:
            lines.append(Line(path.name, number, model.model_validate(data)))
        except PydanticError as exc:
            for err in exc.errors():
                loc = ".".join(str(p) for p in err["loc"]) or "(record)"
                problems.append(f"{where}: {loc}: {err['msg']}")
    return lines


def _read_manifest(folder: Path, problems: list[str]) -> DatasetManifest:
    path = folder / "dataset.json"
    if not path.exists():
        return DatasetManifest()
    try:
        return DatasetManifest.model_validate_json(path.read_text("utf-8"))
    except PydanticError as exc:
        for err in exc.errors():
            loc = ".".join(str(p) for p in err["loc"]) or "(file)"
            problems.append(f"dataset.json:1: {loc}: {err['msg']}")
        return DatasetManifest()


def parse_dataset(folder: Path) -> ParsedDataset:
    """Parse and shape-check every file; taxonomy and reference checks follow in `check_dataset`."""
    problems: list[str] = []
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder}: not a dataset folder")
    if not (folder / FILES["organisations"]).exists():
        problems.append(f"{FILES['organisations']}:0: (file): missing from {folder}")
    data = ParsedDataset(folder=folder, manifest=_read_manifest(folder, problems))
    data.organisations = _read_jsonl(folder / FILES["organisations"], OrganisationRecord, problems)
    if (folder / FILES["organisations"]).exists() and not data.organisations and not problems:
        problems.append(f"{FILES['organisations']}:0: (file): no organisations in it")
    data.facilities = _read_jsonl(folder / FILES["facilities"], FacilityRecord, problems)
    data.relations = _read_jsonl(folder / FILES["relations"], RelationRecord, problems)
    data.events = _read_jsonl(folder / FILES["events"], EventRecord, problems)
    data.problems = problems
    data.warnings = merge_undirected(data) + place_warnings(data, get_gazetteer())
    return data


def merge_undirected(data: ParsedDataset) -> list[str]:
    """A partner_of given in both directions is one relation: keep the first, add the sources."""
    first: dict[tuple[str, str], Line[RelationRecord]] = {}
    kept: list[Line[RelationRecord]] = []
    warnings: list[str] = []
    for line in data.relations:
        r = line.record
        if r.kind != "partner_of":
            kept.append(line)
            continue
        a, b = sorted((r.source, r.target))
        earlier = first.get((a, b))
        if earlier is None:
            first[(a, b)] = line
            kept.append(line)
        elif earlier.record.source == r.target and earlier.record.target == r.source:
            sources = list(dict.fromkeys(earlier.record.sources + r.sources))
            earlier.record = earlier.record.model_copy(update={"sources": sources})
            earlier.record.since = earlier.record.since or r.since
            warnings.append(
                f"{line.file}:{line.number}: (record): partner_of is undirected and already given "
                f"at line {earlier.number} the other way round; merged"
            )
        else:
            kept.append(line)  # an exact repeat: check_dataset reports it
    data.relations = kept
    return warnings


def _codes(tax: Taxonomy, scheme: str, where: str, name: str, values: Iterable[str]) -> list[str]:
    return [
        f"{where}: {name}: unknown {scheme.replace('_', ' ')} code {value!r}"
        for value in values
        if not tax.has(scheme, value)
    ]


def _duplicates(lines: Iterable[Line[R]], key: str) -> list[str]:
    seen: dict[str, str] = {}
    problems = []
    for line in lines:
        value = getattr(line.record, key)
        where = f"{line.file}:{line.number}"
        if value in seen:
            problems.append(f"{where}: {key}: duplicate id {value!r} (first at {seen[value]})")
        else:
            seen[value] = where
    return problems


def _duplicate_identifiers(data: ParsedDataset) -> list[str]:
    seen: dict[tuple[str, str], str] = {}
    problems = []
    for o in data.organisations:
        for scheme, value in o.record.identifiers.items():
            if scheme == "domain":
                continue
            where = f"{o.file}:{o.number}"
            if (scheme, value) in seen:
                problems.append(
                    f"{where}: identifiers.{scheme}: {value!r} already belongs to the "
                    f"organisation at {seen[(scheme, value)]}"
                )
            seen.setdefault((scheme, value), where)
    return problems


def _places(gaz: Gazetteer, where: str, org: OrganisationRecord) -> list[str]:
    if org.municipality is not None and org.municipality not in gaz.municipalities:
        return [f"{where}: municipality: unknown municipality code {org.municipality!r}"]
    return []


def place_warnings(data: ParsedDataset, gaz: Gazetteer) -> list[str]:
    """Cities the gazetteer does not list: loaded, but counted as outside the region."""
    return [
        f"{o.file}:{o.number}: city: {o.record.city!r} is not in the gazetteer; "
        "counted as outside the region unless it carries a region cluster"
        for o in data.organisations
        if o.record.city
        and o.record.municipality is None
        and not gaz.knows(o.record.city)
        and gaz.address(o.record.city) is None
    ]


def check_dataset(
    data: ParsedDataset, tax: Taxonomy, known_ids: set[str], gaz: Gazetteer | None = None
) -> list[str]:
    """Taxonomy codes, duplicate ids, references; `known_ids` are organisations already stored."""
    gaz = gaz or get_gazetteer()
    problems = _duplicates(data.organisations, "id") + _duplicates(data.facilities, "id")
    for o in data.organisations:
        w, org = f"{o.file}:{o.number}", o.record
        problems += _codes(tax, "organisation_kind", w, "kind", [org.kind])
        problems += _codes(tax, "cluster", w, "clusters", org.clusters)
        problems += _codes(tax, "value_chain", w, "value_chain", org.value_chain)
        problems += _codes(tax, "domain", w, "domains", org.domains)
        problems += _codes(tax, "modality", w, "modalities", org.modalities)
        problems += _places(gaz, w, org)
    problems += _duplicate_identifiers(data)
    org_ids = known_ids | {o.record.id for o in data.organisations}

    def ref(where: str, name: str, value: str) -> list[str]:
        return [] if value in org_ids else [f"{where}: {name}: unknown organisation {value!r}"]

    for f in data.facilities:
        w = f"{f.file}:{f.number}"
        problems += _codes(tax, "facility_kind", w, "kind", [f.record.kind])
        problems += ref(w, "owner", f.record.owner)
    seen_rel: dict[tuple[str, str, str], str] = {}
    for rl in data.relations:
        w, r = f"{rl.file}:{rl.number}", rl.record
        problems += _codes(tax, "relation_kind", w, "kind", [r.kind])
        problems += ref(w, "source", r.source) + ref(w, "target", r.target)
        ends = sorted((r.source, r.target)) if r.kind == "partner_of" else [r.source, r.target]
        key = (ends[0], ends[1], r.kind)
        if key in seen_rel:
            problems.append(f"{w}: (record): duplicate relation (first at {seen_rel[key]})")
        seen_rel.setdefault(key, w)
    for e in data.events:
        w = f"{e.file}:{e.number}"
        problems += _codes(tax, "event_kind", w, "kind", [e.record.kind])
        for i, org_id in enumerate(e.record.orgs):
            problems += ref(w, f"orgs.{i}", org_id)
    return problems
