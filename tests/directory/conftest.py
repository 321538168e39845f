"""Fixtures for the directory's HTTP tests: a web app over the loaded Leiden database."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from triplehelix.ingest.service.loader import bundled_dataset_path


@pytest.fixture(scope="session")
def records() -> dict[str, list[dict[str, Any]]]:
    """The bundled JSON Lines files as plain records: the reference counts are computed from."""
    folder = Path(bundled_dataset_path())
    return {
        name: [
            json.loads(line)
            for line in (folder / f"{name}.jsonl").read_text("utf-8").splitlines()
            if line.strip()
        ]
        for name in ("organisations", "facilities", "relations", "events")
    }
