"""The command line as a user runs it: real processes, real exit codes (0 ok, 2 bad input, 1 else)."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from triplehelix.ingest.service.loader import bundled_dataset_path


def run(tmp_path: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TRIPLEHELIX_DATA_DIR": str(tmp_path / "var"), "NO_COLOR": "1"}
    env.pop("TRIPLEHELIX_DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "triplehelix", *args],
        capture_output=True, text=True, env=env, input=stdin, timeout=300,
    )  # fmt: skip


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cli")
    result = run(folder, "load", str(bundled_dataset_path()))
    assert result.returncode == 0, result.stderr
    return folder


def test_load_prints_summary_and_info_counts(loaded: Path) -> None:
    info = json.loads(run(loaded, "info", "--json").stdout)
    assert info["organisations"] == 255
    assert info["facilities"] == 34
    assert info["relations"] == 389
    assert info["events"] == 130
    assert info["backend"] == "sqlite"
    records = [
        json.loads(line)
        for line in (bundled_dataset_path() / "organisations.jsonl").read_text("utf-8").splitlines()
    ]
    assert info["domains"] == {
        d: sum(d in r["domains"] for r in records) for d in ("life_sciences", "space", "drones")
    }
    assert set(info["municipalities"]) == {
        "GM0537",
        "GM0546",
        "GM0547",
        "GM0575",
        "GM0579",
        "GM0626",
        "GM0638",
    }
    assert info["municipalities"]["GM0537"]["name"] == "Katwijk"
    assert info["in_region"] + info["outside_region"] == 255
    assert str(loaded / "var") in info["database"]


def test_load_again_reports_unchanged(loaded: Path) -> None:
    result = run(loaded, "load", str(bundled_dataset_path()), "--json")
    assert result.returncode == 0
    report = json.loads(result.stdout)
    assert report["organisations"] == {"added": 0, "updated": 0, "unchanged": 255}


def test_bad_dataset_exits_2_names_file_line_field(loaded: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad"
    shutil.copytree(bundled_dataset_path(), bad)
    lines = (bad / "facilities.jsonl").read_text("utf-8").splitlines()
    record = json.loads(lines[4])
    record["owner"] = "no-such-org"
    lines[4] = json.dumps(record)
    (bad / "facilities.jsonl").write_text("\n".join(lines) + "\n", "utf-8")
    result = run(loaded, "load", str(bad), "--replace")
    assert result.returncode == 2
    assert "facilities.jsonl:5: owner: unknown organisation 'no-such-org'" in result.stderr
    assert "nothing was loaded" in result.stderr
    assert json.loads(run(loaded, "info", "--json").stdout)["organisations"] == 255


def test_missing_folder_and_bad_usage_exit_2(tmp_path: Path) -> None:
    assert run(tmp_path, "load", str(tmp_path / "nowhere")).returncode == 2
    assert run(tmp_path, "export", "--format", "xml").returncode == 2
    assert run(tmp_path, "no-such-command").returncode == 2


def test_export_formats(loaded: Path, tmp_path: Path) -> None:
    doc = json.loads(run(loaded, "export", "--format", "json").stdout)
    assert len(doc["organisations"]) == 255
    assert len(doc["relations"]) == 389
    rows = list(csv.DictReader(io.StringIO(run(loaded, "export", "--format", "csv").stdout)))
    assert len(rows) == 255
    assert {"id", "name", "identifiers", "sources"} <= set(rows[0])
    out = tmp_path / "org.jsonld"
    assert run(loaded, "export", "--format", "jsonld", "--out", str(out)).returncode == 0
    graph = json.loads(out.read_text("utf-8"))
    assert graph["@context"] == "https://schema.org"
    names = {node["name"] for node in graph["@graph"]}
    assert "Leiden University" in names


def test_db_upgrade_on_empty_folder(tmp_path: Path) -> None:
    result = run(tmp_path, "db", "upgrade")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "var" / "triplehelix.db").exists()
