"""Every test file is named by one scheme (docs/development.md, "Tests"), so its name says what it
tests and how.

- In a feature folder: `tests/<feature>/test_<subject>_<kind>.py`, the kind one of `KINDS`.
- In `tests/e2e/`: `test_<journey>_browser.py`.
- At the root of `tests/`: project-wide checks, `test_<concern>.py`, carrying no kind (a file
  with a kind belongs in its feature's folder).
- `EXCEPTIONS` name the few files outside the scheme, each with its reason.

Any other module (`conftest.py`, `factories.py`, helpers such as `tests/mail/server.py`) must not
look like a test file to pytest: no `test_` prefix, no `_test` suffix.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

import pytest

TESTS = Path(__file__).parent

KINDS = ("unit", "service", "api", "pages", "cli")
BROWSER = "browser"
WORDS = r"[a-z0-9]+(?:_[a-z0-9]+)*"
FEATURE_FILE = re.compile(rf"test_{WORDS}_(?:{'|'.join(KINDS)})\.py")
E2E_FILE = re.compile(rf"test_{WORDS}_{BROWSER}\.py")
ROOT_FILE = re.compile(rf"test_{WORDS}\.py")

EXCEPTIONS = {
    "sweep/test_schemathesis.py": "the generated sweep of every API route, named by its tool",
}


def _looks_like_a_test(name: str) -> bool:
    """What pytest collects by default (`python_files = test_*.py *_test.py`)."""
    return name.startswith("test_") or name.endswith("_test.py")


def naming_problem(path: PurePosixPath) -> str | None:
    """Why the module at `path` (relative to tests/) breaks the scheme, or None."""
    name, folders = path.name, path.parts[:-1]
    if str(path) in EXCEPTIONS or not _looks_like_a_test(name):
        return None
    if not folders:
        if ROOT_FILE.fullmatch(name) and not (
            FEATURE_FILE.fullmatch(name) or E2E_FILE.fullmatch(name)
        ):
            return None
        return f"{path}: a root check is test_<concern>.py without a kind; or move it to a feature"
    if folders[0] == "e2e":
        if len(folders) == 1 and E2E_FILE.fullmatch(name):
            return None
        return f"{path}: a browser test is tests/e2e/test_<journey>_browser.py"
    if len(folders) == 1 and FEATURE_FILE.fullmatch(name):
        return None
    return f"{path}: want tests/<feature>/test_<subject>_<kind>.py, kind one of {', '.join(KINDS)}"


def naming_problems(paths: Iterable[PurePosixPath]) -> list[str]:
    return [problem for path in sorted(paths) if (problem := naming_problem(path))]


def _modules() -> list[PurePosixPath]:
    return [PurePosixPath(p.relative_to(TESTS).as_posix()) for p in TESTS.rglob("*.py")]


def test_every_test_file_follows_the_scheme() -> None:
    assert naming_problems(_modules()) == []


def test_the_exceptions_still_exist() -> None:
    missing = [name for name in EXCEPTIONS if not (TESTS / name).is_file()]
    assert missing == [], "drop these from EXCEPTIONS"


@pytest.mark.parametrize(
    "path",
    [
        "directory/test_directory_service.py",
        "facilities/test_booking_race_api.py",
        "e2e/test_booking_walkthrough_browser.py",
        "test_layering.py",
        "test_test_names.py",
        "test_cli.py",  # a project-wide check of the command line, not a kind
        "mail/server.py",
        "facilities/factories.py",
        "e2e/conftest.py",
        "sweep/test_schemathesis.py",
    ],
)
def test_names_that_follow_the_scheme(path: str) -> None:
    assert naming_problem(PurePosixPath(path)) is None


@pytest.mark.parametrize(
    ("path", "wanted"),
    [
        ("directory/test_service.py", "<subject>_<kind>"),  # a kind and no subject
        ("directory/test_fulltext.py", "<subject>_<kind>"),  # a subject and no kind
        ("facilities/test_bookings_race.py", "<subject>_<kind>"),
        ("facilities/test_booking_browser.py", "<subject>_<kind>"),  # browser only in e2e
        ("facilities/test_Booking_api.py", "<subject>_<kind>"),
        ("facilities/bookings_test.py", "<subject>_<kind>"),  # pytest collects it too
        ("facilities/deep/test_booking_api.py", "<subject>_<kind>"),
        ("e2e/test_booking_flow.py", "_browser.py"),
        ("e2e/test_booking_pages.py", "_browser.py"),
        ("test_booking_service.py", "without a kind"),  # belongs in tests/facilities/
        ("test_Edge.py", "without a kind"),
    ],
)
def test_names_that_break_the_scheme_are_named(path: str, wanted: str) -> None:
    problem = naming_problem(PurePosixPath(path))
    assert problem is not None and problem.startswith(path) and wanted in problem
