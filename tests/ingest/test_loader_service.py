"""The loader: the bundled dataset loads, idempotently, and bad input leaves data untouched."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine

from triplehelix.db import transaction
from triplehelix.directory import models as m
from triplehelix.directory.service.stats import directory_counts
from triplehelix.errors import ValidationError
from triplehelix.ingest.service.loader import bundled_dataset_path, load_dataset


def _load(engine: Engine, folder: Path, replace: bool = False) -> dict[str, object]:
    with transaction(engine) as session:
        return load_dataset(session, folder, replace=replace).as_dict()


def _counts(engine: Engine) -> dict[str, int]:
    with transaction(engine) as session:
        return directory_counts(session)


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    folder = tmp_path / "region"
    shutil.copytree(bundled_dataset_path(), folder)
    return folder


def _rewrite(path: Path, line: int, change: dict[str, object] | str) -> None:
    lines = path.read_text("utf-8").splitlines()
    if isinstance(change, str):
        lines[line - 1] = change
    else:
        record = json.loads(lines[line - 1])
        record.update(change)
        lines[line - 1] = json.dumps(record)
    path.write_text("\n".join(lines) + "\n", "utf-8")


def test_bundled_dataset_loads_with_documented_counts(engine: Engine) -> None:
    report = _load(engine, bundled_dataset_path())
    assert report["organisations"] == {"added": 255, "updated": 0, "unchanged": 0}
    counts = _counts(engine)
    assert counts["organisations"] == 255
    assert counts["facilities"] == 34
    # the one partner_of once stored in both directions was dropped from the data (CHANGES.md)
    assert counts["relations"] == 389
    assert counts["events"] == 130


def test_loading_twice_changes_nothing(engine: Engine) -> None:
    _load(engine, bundled_dataset_path())
    before = _counts(engine)
    report = _load(engine, bundled_dataset_path())
    assert all(c["added"] == 0 and c["updated"] == 0 for k, c in report.items() if k != "dataset")  # type: ignore[index]
    assert _counts(engine) == before


def test_changed_record_is_updated(engine: Engine, dataset: Path) -> None:
    _load(engine, dataset)
    _rewrite(dataset / "organisations.jsonl", 1, {"summary": "A new summary."})
    report = _load(engine, dataset)
    assert report["organisations"] == {"added": 0, "updated": 1, "unchanged": 254}
    with transaction(engine) as s:
        assert s.get(m.Organisation, "20med-therapeutics").summary == "A new summary."  # type: ignore[union-attr]


def test_replace_removes_records_not_in_the_new_dataset(engine: Engine, dataset: Path) -> None:
    _load(engine, bundled_dataset_path())
    for name in ("facilities", "relations", "events"):
        (dataset / f"{name}.jsonl").unlink()
    lines = (dataset / "organisations.jsonl").read_text("utf-8").splitlines()[:5]
    (dataset / "organisations.jsonl").write_text("\n".join(lines) + "\n", "utf-8")
    _load(engine, dataset, replace=True)
    assert _counts(engine)["organisations"] == 5
    assert _counts(engine)["relations"] == 0


BAD_INPUTS = [
    ("organisations.jsonl", 3, '{"id": "x", "name": ', "organisations.jsonl:3: (line): malformed JSON"),
    ("organisations.jsonl", 4, {"kind": "spaceship"}, "organisations.jsonl:4: kind: unknown organisation kind code 'spaceship'"),
    ("organisations.jsonl", 5, {"founded": "long ago"}, "organisations.jsonl:5: founded:"),
    ("organisations.jsonl", 6, {"modalities": ["telepathy"]}, "organisations.jsonl:6: modalities: unknown modality code 'telepathy'"),
    ("organisations.jsonl", 7, {"id": "abn-amro"}, "organisations.jsonl:7: id: duplicate id 'abn-amro'"),
    ("organisations.jsonl", 8, {"colour": "blue"}, "organisations.jsonl:8: colour: Extra inputs are not permitted"),
    ("organisations.jsonl", 9, {"domains": ["quantum"]}, "organisations.jsonl:9: domains: unknown domain code 'quantum'"),
    ("organisations.jsonl", 10, {"value_chain": ["drone_racing"]}, "organisations.jsonl:10: value_chain: unknown value chain code 'drone_racing'"),
    ("organisations.jsonl", 11, {"municipality": "GM9999"}, "organisations.jsonl:11: municipality: unknown municipality code 'GM9999'"),
    ("organisations.jsonl", 12, {"domains": "space"}, "organisations.jsonl:12: domains: Input should be a valid list"),
    ("facilities.jsonl", 2, {"owner": "nobody-inc"}, "facilities.jsonl:2: owner: unknown organisation 'nobody-inc'"),
    ("relations.jsonl", 3, {"target": "ghost-org"}, "relations.jsonl:3: target: unknown organisation 'ghost-org'"),
    ("events.jsonl", 2, {"orgs": ["leiden-university", "ghost-org"]}, "events.jsonl:2: orgs.1: unknown organisation 'ghost-org'"),
    ("events.jsonl", 3, {"date": "March 2020"}, "events.jsonl:3: date: Value error, must be YYYY or YYYY-MM-DD"),
]  # fmt: skip


@pytest.mark.parametrize(("file", "line", "change", "message"), BAD_INPUTS)
def test_bad_input_is_reported_and_nothing_changes(
    engine: Engine,
    dataset: Path,
    file: str,
    line: int,
    change: dict[str, object] | str,
    message: str,
) -> None:
    _load(engine, bundled_dataset_path())
    with transaction(engine) as s:
        before = sorted(s.scalars(select(m.Organisation.fingerprint)))
    _rewrite(dataset / file, line, change)
    _rewrite(dataset / "organisations.jsonl", 1, {"summary": "changed"})  # would update if loaded
    with pytest.raises(ValidationError) as caught:
        _load(engine, dataset)
    assert any(p.startswith(message) for p in caught.value.problems), caught.value.problems
    with transaction(engine) as s:
        assert sorted(s.scalars(select(m.Organisation.fingerprint))) == before


def test_all_problems_are_reported_at_once(engine: Engine, dataset: Path) -> None:
    _rewrite(dataset / "organisations.jsonl", 4, {"kind": "spaceship"})
    _rewrite(dataset / "relations.jsonl", 3, {"target": "ghost-org"})
    _rewrite(dataset / "events.jsonl", 3, {"date": "March 2020"})
    with pytest.raises(ValidationError) as caught:
        _load(engine, dataset)
    assert len(caught.value.problems) == 3
    assert _counts(engine)["organisations"] == 0


def test_replace_with_bad_input_keeps_existing_data(engine: Engine, dataset: Path) -> None:
    _load(engine, bundled_dataset_path())
    _rewrite(dataset / "relations.jsonl", 3, {"kind": "married_to"})
    with pytest.raises(ValidationError):
        _load(engine, dataset, replace=True)
    assert _counts(engine)["organisations"] == 255


def test_domains_municipality_and_region_are_stored(engine: Engine) -> None:
    _load(engine, bundled_dataset_path())
    records = [
        json.loads(line)
        for line in (bundled_dataset_path() / "organisations.jsonl").read_text("utf-8").splitlines()
    ]
    with transaction(engine) as s:
        stored = {o.id: o for o in s.scalars(select(m.Organisation))}
        for r in records:
            assert stored[r["id"]].domains == r["domains"], r["id"]
            assert stored[r["id"]].city == r["city"]  # kept as written
        # The Katwijk villages and the campus of a record without a city
        assert stored["drone-center-valkenburg"].municipality == "GM0537"
        assert {
            stored[r["id"]].municipality for r in records if r["city"] == "Katwijk (Rijnsburg)"
        } == {"GM0537"}
        assert stored["esa-estec"].municipality == "GM0575"
        assert stored["esa-estec"].in_region
        ccrm = next(o for o in stored.values() if o.city == "Toronto")
        assert ccrm.municipality is None and not ccrm.in_region


def test_a_place_missing_from_the_gazetteer_is_a_warning(dataset: Path) -> None:
    from triplehelix.ingest.service.validate import parse_dataset

    _rewrite(dataset / "organisations.jsonl", 2, {"city": "Atlantis", "municipality": None})
    warnings = parse_dataset(dataset).warnings
    assert any(
        w.startswith("organisations.jsonl:2: city: 'Atlantis' is not in the gazetteer")
        for w in warnings
    ), warnings
