"""One bad line never loses the rest: bad UTF-8, deep nesting, huge lines, bad fields are named
per line by the ROR importer and the loader; property tests (bounded) with random bytes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import Engine

from triplehelix.db import transaction
from triplehelix.ingest.service import lines
from triplehelix.ingest.service.loader import bundled_dataset_path
from triplehelix.ingest.service.ror import LineProblem, RorRecord, read_ror_lines
from triplehelix.ingest.service.validate import parse_dataset
from triplehelix.resolution.service.ror_import import import_ror

ROR = Path(__file__).parents[1] / "data" / "ror" / "ror_leiden_region.jsonl"
BOUNDED = settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))


def _good_ror() -> list[bytes]:
    return ROR.read_bytes().splitlines()[:3]


BAD_ROR = [
    (b'{"id": "https://ror.org/0abc\xff\xfe"}', "not valid UTF-8"),
    (b"[" * 5000 + b"]" * 5000, "nested too deeply"),
    (b'{"id": ""}', "id: missing"),
    (b'{"id": "javascript:alert(1)", "name": "x"}', "id: missing or not a ROR id"),
]


def test_ror_bad_lines_are_named_and_the_rest_imports(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = _good_ror()
    blank_name = json.loads(good[0])
    blank_name["names"] = [{"value": "  ", "types": ["ror_display"], "lang": None}]
    blank_name["id"] = "https://ror.org/0zzzzzz99"
    huge = b'{"id": "https://ror.org/0aaaaaa00", "pad": "' + b"x" * 60_000 + b'"}'
    monkeypatch.setattr(lines, "MAX_LINE", 50_000)
    rows = [good[0], *[b for b, _ in BAD_ROR], json.dumps(blank_name).encode(), huge, *good[1:]]
    path = tmp_path / "ror.jsonl"
    path.write_bytes(b"\n".join(rows) + b"\n")
    items = list(read_ror_lines(path))
    problems = {n: str(i) for n, i in items if isinstance(i, LineProblem)}
    for number, (_, message) in enumerate(BAD_ROR, start=2):
        assert message in problems[number], problems
    assert "name: blank" in problems[6] and "line too long" in problems[7]
    assert sum(isinstance(i, RorRecord) for _, i in items) == len(good)
    with transaction(engine) as session:
        summary = import_ror(session, path)
    assert summary.new + summary.matched + summary.queued == len(good)


@BOUNDED
@given(junk=st.binary(min_size=1, max_size=300))
def test_ror_reader_never_raises_on_random_bytes(tmp_path_factory: pytest.TempPathFactory,
                                                 junk: bytes) -> None:  # fmt: skip
    path = tmp_path_factory.mktemp("ror") / "r.jsonl"
    line = junk.replace(b"\n", b" ").replace(b"\r", b" ")
    path.write_bytes(b"\n".join([_good_ror()[0], line, _good_ror()[1]]) + b"\n")
    items = list(read_ror_lines(path))
    assert [n for n, i in items if isinstance(i, RorRecord)][:1] == [1]
    assert isinstance(items[-1][1], RorRecord)


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    folder = tmp_path / "region"
    shutil.copytree(bundled_dataset_path(), folder)
    return folder


def _set_line(path: Path, number: int, change: dict[str, object] | bytes) -> None:
    rows = path.read_bytes().splitlines()
    if isinstance(change, bytes):
        rows[number - 1] = change
    else:
        rows[number - 1] = json.dumps({**json.loads(rows[number - 1]), **change}).encode()
    path.write_bytes(b"\n".join(rows) + b"\n")


LOADER_CASES = [
    ("events.jsonl", {"date": "2024-13-45"}, "events.jsonl:2: date:", "not a calendar date"),
    ("relations.jsonl", "self", "relations.jsonl:2: (record)", "related to itself"),
    ("organisations.jsonl", {"sources": ["javascript:alert(1)"]}, "organisations.jsonl:2: sources.0", "http(s) URL"),
    ("organisations.jsonl", {"website": "javascript:alert(1)"}, "organisations.jsonl:2: website", "not javascript:"),
    ("organisations.jsonl", {"summary": "nul\u0000byte"}, "organisations.jsonl:2: summary", "control characters"),
    ("organisations.jsonl", {"services": ["s" * 301]}, "organisations.jsonl:2: services.0", "at most 300"),
    ("organisations.jsonl", b'{"id": "a\xff"}', "organisations.jsonl:2: (line)", "not valid UTF-8"),
    ("facilities.jsonl", b"[" * 50_000, "facilities.jsonl:2: (line)", "nested too deeply"),
]  # fmt: skip


@pytest.mark.parametrize(("file", "change", "where", "message"), LOADER_CASES)
def test_loader_names_each_bad_line(
    dataset: Path, file: str, change: dict[str, object] | bytes | str, where: str, message: str
) -> None:
    path = dataset / file
    if change == "self":
        record = json.loads(path.read_bytes().splitlines()[1])
        change = {"target": record["source"]}
    _set_line(path, 2, change)  # type: ignore[arg-type]
    problems = parse_dataset(dataset).problems
    assert any(p.startswith(where) and message in p for p in problems), problems
    assert not any(f"{file}:3:" in p for p in problems)  # the next line is still read


def test_empty_organisations_file_is_refused(dataset: Path) -> None:
    (dataset / "organisations.jsonl").write_text("\n", "utf-8")
    assert (
        "organisations.jsonl:0: (file): no organisations in it" in parse_dataset(dataset).problems
    )


@BOUNDED
@given(junk=st.binary(min_size=1, max_size=300))
def test_loader_never_raises_on_random_bytes(tmp_path_factory: pytest.TempPathFactory,
                                             junk: bytes) -> None:  # fmt: skip
    folder = tmp_path_factory.mktemp("junk")
    (folder / "organisations.jsonl").write_bytes(
        b'{"id": "acme", "name": "Acme", "kind": "company"}\n'
        + junk.replace(b"\n", b" ").replace(b"\r", b" ")
        + b'\n{"id": "beta", "name": "Beta", "kind": "company"}\n'
    )
    data = parse_dataset(folder)
    assert [o.record.id for o in data.organisations][-1] == "beta"
    assert all(p.startswith("organisations.jsonl:2: ") for p in data.problems), data.problems


@BOUNDED
@given(
    page=st.one_of(st.integers(), st.text(max_size=30)),
    q=st.text(max_size=50),
    kind=st.text(max_size=20),
)
def test_directory_page_parameters_never_5xx(
    leiden_client: TestClient, page: int | str, q: str, kind: str
) -> None:
    response = leiden_client.get("/organisations", params={"page": page, "q": q, "kind": kind})
    assert response.status_code < 500


@BOUNDED
@given(week=st.text(max_size=30), resource=st.one_of(st.integers(), st.text(max_size=12)))
def test_resource_page_parameters_never_5xx(
    leiden_client: TestClient, week: str, resource: int | str
) -> None:
    response = leiden_client.get(
        f"/resources/{quote(str(resource), safe='')}", params={"week": week}
    )
    assert response.status_code < 500
