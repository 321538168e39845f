"""Docs that cannot drift: the CLI reference, every setting and every API path are documented."""

from __future__ import annotations

import re
from pathlib import Path

from triplehelix.app import create_app
from triplehelix.clidoc import cli_reference
from triplehelix.config import SETTINGS_DOC, Settings

ROOT = Path(__file__).resolve().parents[1]


def test_cli_reference_is_current() -> None:
    current = (ROOT / "docs" / "cli.md").read_text("utf-8")
    assert current == cli_reference(), "run: python -m triplehelix.clidoc > docs/cli.md"


def test_every_setting_is_documented() -> None:
    text = (ROOT / "docs" / "configuration.md").read_text("utf-8")
    readme = (ROOT / "README.md").read_text("utf-8")
    for name in SETTINGS_DOC:
        assert f"`{name}`" in text, f"{name} missing from docs/configuration.md"
        assert name in readme, f"{name} missing from README.md"


def _shape(path: str) -> str:
    """Path parameters may be named differently in prose: /api/things/{id} == {thing_id}."""
    return re.sub(r"\{[^}]*\}", "{}", path)


def test_every_api_path_is_documented(tmp_path: Path) -> None:
    app = create_app(Settings(tmp_path, f"sqlite:///{tmp_path / 'x.db'}", load_bundled=False))
    paths = [p for p in app.openapi()["paths"] if p.startswith("/api") or p == "/healthz"]
    text = (ROOT / "docs" / "api.md").read_text("utf-8")
    documented = {
        _shape(p) for p in re.findall(r"`(?:GET|POST|PUT|PATCH|DELETE) (/[^`?\s]*)", text)
    }
    missing = [p for p in paths if _shape(p) not in documented]
    assert not missing, f"undocumented API paths in docs/api.md: {missing}"


def test_readme_gives_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    assert "make run" in readme
    assert "make test" in readme
    assert (ROOT / ".ci" / "run").read_text("utf-8").strip().endswith("make test")
