"""Docs that cannot drift: the CLI reference, the route index, every setting and every API path
are documented."""

from __future__ import annotations

import re
from pathlib import Path

from triplehelix.app import create_app
from triplehelix.clidoc import cli_reference
from triplehelix.config import SETTINGS, Settings, settings_table
from triplehelix.routedoc import route_index

ROOT = Path(__file__).resolve().parents[1]


def test_cli_reference_is_current() -> None:
    current = (ROOT / "docs" / "cli.md").read_text("utf-8")
    assert current == cli_reference(), "run: python -m triplehelix.clidoc > docs/cli.md"


def test_route_index_is_current() -> None:
    current = (ROOT / "docs" / "routes.md").read_text("utf-8")
    assert current == route_index(), "run: python -m triplehelix.routedoc > docs/routes.md"


def test_route_index_names_files_that_hold_the_function() -> None:
    lines = route_index().splitlines()
    rows = [line.split("|") for line in lines if line.startswith("| ") and "`" in line]
    assert len(rows) > 100
    for row in rows:
        path, function = row[3].strip(" `"), row[4].strip(" `").rpartition(".")[2]
        assert f"def {function}(" in (ROOT / path).read_text("utf-8"), row


def _table_names(text: str) -> set[str]:
    """The TRIPLEHELIX_ names in a document's table rows (lines starting with `|`)."""
    rows = [line for line in text.splitlines() if line.startswith("|")]
    return set(re.findall(r"`(TRIPLEHELIX_\w+)`", "\n".join(rows)))


def test_every_setting_is_documented() -> None:
    """docs/configuration.md's table is the declarations' (name, default, help), row for row."""
    text = (ROOT / "docs" / "configuration.md").read_text("utf-8")
    assert settings_table() in text, (
        "docs/configuration.md: replace the settings table with `python -m triplehelix.config`"
    )
    rows = re.findall(r"^\| `(TRIPLEHELIX_\w+)` \|", text, re.MULTILINE)
    assert rows == [s.name for s in SETTINGS], "a table row names an undeclared setting"


def test_the_readme_lists_every_setting() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    assert _table_names(readme) == {s.name for s in SETTINGS}


def test_the_docs_name_only_declared_settings() -> None:
    """A TRIPLEHELIX_ variable in any doc is a declared setting (or the test suite's database)."""
    declared = {s.name for s in SETTINGS} | {"TRIPLEHELIX_TEST_DATABASE_URL"}
    for doc in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        named = set(re.findall(r"TRIPLEHELIX_[A-Z_]*[A-Z]", doc.read_text("utf-8")))
        assert named <= declared, f"{doc.name} names undeclared settings: {named - declared}"


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
