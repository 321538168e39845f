"""What every command line module shares: stderr, failing with exit code 2, a progress bar, a
database URL without its password, and an engine with every migration applied.

A low module: it names no feature and no command, so the root `cli.py` and every feature's
`cli.py` import it without importing each other.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy.engine import Engine, make_url

from triplehelix.config import Settings, get_settings
from triplehelix.db import make_engine
from triplehelix.migrations import upgrade_database

err = Console(stderr=True)


@contextmanager
def progress_bar(description: str) -> Iterator[Progress]:
    """A progress bar on stderr; shown only while there is work, transient afterwards."""
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as bar:
        yield bar


def fail(message: str, problems: list[str] | None = None, code: int = 2) -> NoReturn:
    for problem in problems or []:
        err.print(problem, markup=False, highlight=False)
    err.print(f"error: {message}", style="bold red", markup=False)
    raise typer.Exit(code)


def safe_url(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def migrated_engine(settings: Settings | None = None) -> Engine:
    """An engine on the configured database with every migration applied (for CLI commands)."""
    engine = make_engine((settings or get_settings()).database_url)
    upgrade_database(engine)
    return engine
