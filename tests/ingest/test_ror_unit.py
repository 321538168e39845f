"""ROR parser: schema v2 and v1 records become the same flat shape; bad lines are named."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from triplehelix.ingest.service.ror import (
    LineProblem,
    RorFormatError,
    RorRecord,
    parse_ror_record,
    read_ror_lines,
)

DATA = Path(__file__).parents[1] / "data" / "ror"


def _first(name: str, ror_id: str) -> dict[str, object]:
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if f'ror.org/{ror_id}"' in json.dumps(json.loads(line)["id"]):
            return dict(json.loads(line))
    raise AssertionError(ror_id)


def test_v2_record() -> None:
    r = parse_ror_record(_first("ror_leiden_region.jsonl", "05xvt9f17"))
    assert (r.ror_id, r.name, r.city, r.domains) == (
        "05xvt9f17",
        "Leiden University Medical Center",
        "Leiden",
        ("lumc.nl",),
    )
    assert "LUMC" in r.acronyms and "Leids Universitair Medisch Centrum" in r.aliases
    assert {s for s, _ in r.external_ids} >= {"wikidata", "grid", "isni", "fundref"}
    assert ("related", "027bh9e22") in r.relationships
    assert r.last_modified == "2024-10-21"


def test_v1_record() -> None:
    r = parse_ror_record(_first("ror_leiden_region_schema_v1_only.jsonl", "004r4ve77"))
    assert (r.name, r.city, r.website) == (
        "DNV (Netherlands)",
        "Rotterdam",
        "https://www.dnvgl.nl/",
    )
    assert r.aliases == ("DNV GL (Netherlands)",)
    assert ("parent", "04c235406") in r.relationships
    assert dict(r.external_ids)["grid"] == "grid.438607.e"
    assert r.types == ("company",)


def test_missing_name_is_named() -> None:
    with pytest.raises(RorFormatError, match="ror_display"):
        parse_ror_record({"id": "https://ror.org/x", "names": [{"value": "a", "types": ["alias"]}]})


def test_bad_lines_are_reported_with_numbers(tmp_path: Path) -> None:
    good = (DATA / "ror_leiden_region.jsonl").read_text(encoding="utf-8").splitlines()[:2]
    path = tmp_path / "f.jsonl"
    path.write_text(
        "\n".join([good[0], "{not json", '{"id": ""}', good[1]]) + "\n", encoding="utf-8"
    )
    items = list(read_ror_lines(path))
    assert [type(i).__name__ for _, i in items] == [
        "RorRecord",
        "LineProblem",
        "LineProblem",
        "RorRecord",
    ]
    assert isinstance(items[1][1], LineProblem) and str(items[1][1]).startswith("line 2:")
    assert isinstance(items[3][1], RorRecord)


@pytest.mark.parametrize(
    "url",
    [
        "leidenuniv.nl",
        "https://www.LUMC.nl/en/",
        "HTTP://Example.nl:8080/a?b#c",
        "//cbg-meb.nl",
        "http://user:secret@www.example.nl/",  # user info: the slow path
        "http://[2001:db8::1]/",
        "a.nl//b",
        "http:/a.nl//b",
        "http://a_b.nl/",
        "https://bücher.de/",
        "mailto:info@example.nl",
        "www.",
    ],
)
def test_host_of_agrees_with_urlsplit(url: str) -> None:
    from urllib.parse import urlsplit

    from triplehelix.ingest.service.ror import host_of

    expected = (urlsplit(url if "//" in url else "//" + url).hostname or "").removeprefix("www.")
    assert host_of(url) == (expected or None)
