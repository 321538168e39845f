"""`triplehelix import ror --json` twice, then merge and unmerge, through the real CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from triplehelix import cli

REGION = Path(__file__).parents[1] / "data" / "ror" / "ror_leiden_region.jsonl"


def test_import_review_merge(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRIPLEHELIX_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    app = cli.create_cli()
    runner = CliRunner()
    first = runner.invoke(app, ["import", "ror", str(REGION), "--json"])
    assert first.exit_code == 0, first.output
    assert json.loads(first.stdout.splitlines()[-1])["new"] == 61
    again = runner.invoke(app, ["import", "ror", str(REGION), "--json"])
    assert json.loads(again.stdout.splitlines()[-1])["unchanged"] == 61
    merged = runner.invoke(app, ["merge", "erasmus-mc", "erasmus-mc-cancer-institute"])
    assert merged.exit_code == 0 and "merge 1" in merged.stdout
    undone = runner.invoke(app, ["unmerge", "1"])
    assert undone.exit_code == 0 and "is back" in undone.stdout
