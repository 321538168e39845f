"""Settings: one declaration per setting parses the environment; a bad value names its variable."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from dataclasses import fields
from pathlib import Path

import pytest

from triplehelix.config import (
    BASE_URL,
    BUSY_TIMEOUT,
    DATA_DIR,
    DATABASE_URL,
    GAZETTEER,
    MAIL_FROM,
    OIDC_ISSUER,
    SECURE_COOKIES,
    SETTINGS,
    TAXONOMY,
    TRUSTED_PROXIES,
    WARM,
    Setting,
    SettingError,
    Settings,
)
from triplehelix.errors import ValidationError
from triplehelix.region.schemas.gazetteer import get_gazetteer, load_gazetteer
from triplehelix.taxonomy.schemas import get_taxonomy, load_taxonomy

SRC = Path(__file__).resolve().parents[1] / "src" / "triplehelix"


def test_every_settings_field_is_declared_once() -> None:
    assert sorted(s.field for s in SETTINGS) == sorted(f.name for f in fields(Settings))
    names = [s.name for s in SETTINGS]
    assert len(set(names)) == len(names)
    assert all(name.startswith("TRIPLEHELIX_") for name in names)


def test_an_empty_environment_gives_the_declared_defaults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    folder = (Path.cwd() / "var").resolve()
    assert Settings.from_env({}) == Settings(
        data_dir=folder,
        database_url=f"sqlite:///{folder / 'triplehelix.db'}",
        load_bundled=True,
        demo=True,  # the default SQLite data gets the demo data
        warm=True,
        busy_timeout=30.0,
        mail_from="triplehelix <triplehelix@localhost>",
    )


def test_from_env_reads_the_process_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRIPLEHELIX_BUSY_TIMEOUT", "7")
    assert Settings.from_env().busy_timeout == 7.0


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1", True), ("true", True), (" YES ", True), ("on", True),
     ("0", False), ("false", False), ("No", False), ("off", False), ("", False)],
)  # fmt: skip
def test_a_flag_takes_the_usual_spellings(value: str, expected: bool) -> None:
    assert WARM.read({WARM.name: value}) is expected


def test_an_unset_flag_is_its_default() -> None:
    assert WARM.read({}) is True
    assert Settings.from_env({"TRIPLEHELIX_DATABASE_URL": "sqlite:///x.db"}).demo is False


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        (WARM, "maybe"),
        (BUSY_TIMEOUT, "abc"),
        (BUSY_TIMEOUT, "-1"),
        (BUSY_TIMEOUT, "3601"),
        (BUSY_TIMEOUT, "nan"),
        (SECURE_COOKIES, "on"),
        (BASE_URL, "example.org"),
        (BASE_URL, "ftp://example.org"),
        (OIDC_ISSUER, "https://"),
        (TAXONOMY, "/no/such/taxonomy.json"),
        (GAZETTEER, "/no/such/gazetteer.json"),
    ],
)
def test_a_bad_value_is_refused_naming_the_variable(setting: Setting[object], value: str) -> None:
    with pytest.raises(SettingError, match=f"^{setting.name}: expected|^{setting.name}: no such"):
        Settings.from_env({setting.name: value})
    with pytest.raises(ValidationError) as caught:  # the CLI's exit 2, never a traceback
        setting.read({setting.name: value})
    assert caught.value.problems == [str(caught.value)]


def test_seconds_are_a_number_in_range() -> None:
    assert BUSY_TIMEOUT.read({BUSY_TIMEOUT.name: "2.5"}) == 2.5
    assert BUSY_TIMEOUT.read({BUSY_TIMEOUT.name: "0"}) == 0.0
    assert BUSY_TIMEOUT.read({BUSY_TIMEOUT.name: " "}) == 30.0


def test_text_is_trimmed_and_blank_is_the_default() -> None:
    assert MAIL_FROM.read({MAIL_FROM.name: " office@region.example "}) == "office@region.example"
    assert MAIL_FROM.read({MAIL_FROM.name: "  "}) == "triplehelix <triplehelix@localhost>"


def test_a_choice_is_case_insensitive() -> None:
    assert SECURE_COOKIES.read({SECURE_COOKIES.name: " AUTO "}) == "auto"
    assert SECURE_COOKIES.read({SECURE_COOKIES.name: "1"}) == "1"
    assert SECURE_COOKIES.read({}) == "auto"


def test_an_address_loses_its_trailing_slash_and_blank_is_off() -> None:
    assert BASE_URL.read({BASE_URL.name: " https://ecosystem.example/ "}) == (
        "https://ecosystem.example"
    )
    assert BASE_URL.read({BASE_URL.name: ""}) == "http://127.0.0.1:8000"
    assert OIDC_ISSUER.read({}) == ""
    assert OIDC_ISSUER.read({OIDC_ISSUER.name: "https://idp.example/"}) == "https://idp.example"


def test_a_list_is_comma_separated() -> None:
    assert TRUSTED_PROXIES.read({TRUSTED_PROXIES.name: " 10.0.0.1, ,10.0.0.2 "}) == (
        "10.0.0.1",
        "10.0.0.2",
    )
    assert TRUSTED_PROXIES.read({}) == ()


def test_the_data_folder_and_the_database_follow_each_other(tmp_path: Path) -> None:
    s = Settings.from_env({DATA_DIR.name: str(tmp_path / "data")})
    assert s.data_dir == (tmp_path / "data").resolve()
    assert s.database_url == f"sqlite:///{s.data_dir / 'triplehelix.db'}"
    url = "postgresql+psycopg://app@db.example/triplehelix"
    assert Settings.from_env({DATABASE_URL.name: f" {url} "}).database_url == url


def test_a_bad_database_url_is_refused_without_repeating_it() -> None:
    with pytest.raises(SettingError, match=r"^TRIPLEHELIX_DATABASE_URL: ") as caught:
        Settings.from_env({DATABASE_URL.name: "not a url, password sekrit"})
    assert "sekrit" not in str(caught.value)


def test_a_file_setting_names_an_existing_file(tmp_path: Path) -> None:
    path = tmp_path / "extra.json"
    path.write_text("{}", "utf-8")
    assert TAXONOMY.read({TAXONOMY.name: f" {path} "}) == str(path)
    assert TAXONOMY.read({TAXONOMY.name: ""}) is None
    assert Settings.from_env({GAZETTEER.name: str(path)}).gazetteer == str(path)


def test_the_taxonomy_path_comes_from_the_declared_setting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    extra = tmp_path / "quantum.json"
    extra.write_text(
        json.dumps({"domain": {"terms": [{"code": "quantum", "label": "Quantum", "axis": "helix",
                                          "labels": {"nl": "Quantum"}}]}}),
        "utf-8",
    )  # fmt: skip
    monkeypatch.setenv(TAXONOMY.name, str(extra))
    assert get_taxonomy() is load_taxonomy(Settings.from_env().taxonomy)
    assert "quantum" in [d.code for d in get_taxonomy().domains()]
    monkeypatch.setenv(TAXONOMY.name, str(tmp_path / "missing.json"))
    with pytest.raises(SettingError, match=r"^TRIPLEHELIX_TAXONOMY: no such file"):
        get_taxonomy()
    monkeypatch.delenv(TAXONOMY.name)
    assert get_taxonomy() is load_taxonomy(None)
    assert "quantum" not in [d.code for d in get_taxonomy().domains()]


def test_the_gazetteer_path_comes_from_the_declared_setting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(GAZETTEER.name, str(tmp_path / "missing.json"))
    with pytest.raises(SettingError, match=r"^TRIPLEHELIX_GAZETTEER: no such file"):
        get_gazetteer()
    monkeypatch.setenv(GAZETTEER.name, "")
    assert get_gazetteer() is load_gazetteer(None)


def test_a_bad_setting_stops_the_cli_with_its_name(tmp_path: Path) -> None:
    env = {**os.environ, "TRIPLEHELIX_DATA_DIR": str(tmp_path / "var"), "NO_COLOR": "1",
           "TRIPLEHELIX_BUSY_TIMEOUT": "soon"}  # fmt: skip
    env.pop("TRIPLEHELIX_DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "triplehelix", "info"],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    assert result.returncode == 2
    assert "TRIPLEHELIX_BUSY_TIMEOUT: expected seconds between 0 and 3600, got 'soon'" in (
        result.stderr
    )
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "var").exists()  # nothing was created before the refusal


# Modules that touch os.environ for something other than a setting of the product.
NOT_SETTINGS = {
    "config.py": "reads every declared setting",
    "search/service/embedder.py": "sets the Hugging Face libraries' own defaults (offline, quiet)",
    "live.py": "hands the environment on to a child server process (tests, benchmarks)",
}


def _environment_reads(path: Path) -> list[int]:
    lines = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Attribute) and node.attr in {"environ", "getenv", "environb"}:
            lines.append(node.lineno)
        elif isinstance(node, ast.ImportFrom) and node.module == "os":
            lines += [
                node.lineno for a in node.names if a.name in {"environ", "getenv", "environb"}
            ]
    return lines


def test_only_the_declarations_read_settings_from_the_environment() -> None:
    found = {
        path.relative_to(SRC).as_posix(): lines
        for path in sorted(SRC.rglob("*.py"))
        if (lines := _environment_reads(path))
    }
    assert set(found) <= set(NOT_SETTINGS), {p: found[p] for p in set(found) - set(NOT_SETTINGS)}
    assert "config.py" in found  # the check sees what it is looking for
