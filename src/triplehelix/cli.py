"""The `triplehelix` command line, assembled from the features' CLIs. Exit 0 ok, 2 bad input,
1 else.

Only what belongs to no feature is defined here: `serve`, `info` and `db upgrade`. Every other
command lives in its feature's `cli.py`; the console helpers they share are in `console.py`.
"""

from __future__ import annotations

import json
import sys
from importlib import import_module

import typer

from triplehelix.config import get_settings
from triplehelix.console import err, migrated_engine, progress_bar, safe_url
from triplehelix.db import make_engine, transaction
from triplehelix.directory.cli import export
from triplehelix.errors import DomainError, NotFoundError, ValidationError
from triplehelix.ingest.cli import load
from triplehelix.matching.cli import match

app = typer.Typer(help="triplehelix: run a regional innovation ecosystem.", no_args_is_help=True)
db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)
app.add_typer(db_app, name="db")

# Feature command groups: (module:attribute, name). Each is a Typer app of its own.
SUBCOMMANDS: list[tuple[str, str]] = [
    ("triplehelix.resolution.cli:import_app", "import"),
    ("triplehelix.resolution.cli:review_app", "review"),
    ("triplehelix.accounts.cli:users_app", "users"),
    ("triplehelix.accounts.cli:tokens_app", "tokens"),
    ("triplehelix.facilities.cli:resources_app", "resources"),
    ("triplehelix.facilities.cli:bookings_app", "bookings"),
    ("triplehelix.search.cli:bench_app", "bench"),
    ("triplehelix.marketplace.cli:posts_app", "posts"),
    ("triplehelix.marketplace.cli:digest_app", "digest"),
]


# Single feature commands: (module:function, name).
COMMANDS: list[tuple[str, str]] = [
    ("triplehelix.resolution.cli:merge", "merge"),
    ("triplehelix.resolution.cli:unmerge", "unmerge"),
]


_mounted: set[str] = set()  # mounting twice (main() after the docs generator) would duplicate


def _mount_subcommands() -> None:
    if _mounted:
        return
    _mounted.add("all")
    for spec, name in SUBCOMMANDS:
        module, _, attr = spec.partition(":")
        app.add_typer(getattr(import_module(module), attr), name=name)
    for spec, name in COMMANDS:
        module, _, attr = spec.partition(":")
        app.command(name)(getattr(import_module(module), attr))


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Interface to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
    workers: int = typer.Option(1, help="Worker processes (PostgreSQL, or SQLite with WAL)."),
) -> None:
    """Upgrade the database, load the bundled dataset on first start, and serve the web app."""
    import uvicorn

    from triplehelix.bootstrap import prepare_database

    settings = get_settings()
    with progress_bar("Loading bundled dataset") as bar:
        task = bar.add_task("Loading bundled dataset", total=None)
        _, report = prepare_database(
            settings, lambda done, total: bar.update(task, completed=done, total=total)
        )
    if report:
        err.print(f"Loaded {report.dataset}", markup=False)
    if settings.warm:  # TRIPLEHELIX_WARM=0: nothing is built before the first request
        from triplehelix.matching.cli import warm_index

        warm_index(settings)
    err.print(f"Database: {safe_url(settings.database_url)}", markup=False)
    err.print(f"Serving on http://{host}:{port}", markup=False)
    uvicorn.run(
        "triplehelix.app:create_app", factory=True, host=host, port=port, workers=workers,
        log_level="warning",
    )  # fmt: skip


app.command("load")(load)  # feature commands sit among the root's in `--help` order


INFO_HOOKS: list[str] = [
    "triplehelix.matching.cli:info",
    "triplehelix.region.cli:info",
]  # "module:function" returning dict[str, object] to add to `info`


@app.command()
def info(as_json: bool = typer.Option(False, "--json", help="Print as JSON.")) -> None:
    """Counts of what is stored, and the database in use."""
    from triplehelix.directory.service.stats import directory_counts

    settings = get_settings()
    engine = migrated_engine(settings)
    with transaction(engine) as session:
        data: dict[str, object] = {
            "database": safe_url(settings.database_url),
            "backend": engine.dialect.name,
            **directory_counts(session),
        }
    for spec in INFO_HOOKS:
        module, _, attr = spec.partition(":")
        data.update(getattr(import_module(module), attr)(settings))
    if as_json:
        typer.echo(json.dumps(data))
        return
    for key, value in data.items():
        typer.echo(f"{key:>14}: {value}")


app.command("export")(export)
app.command("match")(match)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply every database migration."""
    from triplehelix.migrations import upgrade_database

    settings = get_settings()
    upgrade_database(make_engine(settings.database_url))
    typer.echo(f"Database is up to date: {safe_url(settings.database_url)}")


def main() -> None:
    _mount_subcommands()
    try:
        app(standalone_mode=True)
    except NotFoundError as exc:
        err.print(f"error: {exc}", style="bold red", markup=False)
        sys.exit(2)
    except ValidationError as exc:
        for problem in exc.problems:
            err.print(problem, markup=False)
        sys.exit(2)
    except DomainError as exc:
        err.print(f"error: {exc}", style="bold red", markup=False)
        sys.exit(1)
