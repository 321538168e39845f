"""The `triplehelix` command line: thin commands over services. Exit 0 ok, 2 bad input, 1 else."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import import_module
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy.engine import make_url

from triplehelix.config import get_settings
from triplehelix.db import make_engine, transaction
from triplehelix.errors import ConflictError, DomainError, NotFoundError, ValidationError

app = typer.Typer(help="triplehelix: run a regional innovation ecosystem.", no_args_is_help=True)
db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)
app.add_typer(db_app, name="db")
err = Console(stderr=True)

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


def fail(message: str, problems: list[str] | None = None, code: int = 2) -> None:
    for problem in problems or []:
        err.print(problem, markup=False, highlight=False)
    err.print(f"error: {message}", style="bold red", markup=False)
    raise typer.Exit(code)


def safe_url(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


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


@app.command()
def load(
    path: Path = typer.Argument(..., help="A dataset folder in the bundled format."),
    replace: bool = typer.Option(
        False,
        "--replace",
        help="Make the directory exactly the new data: update what is in both, delete dataset "
        "records the new data no longer has. Resources, bookings, imported identifiers, review "
        "state and accounts' organisations of every organisation that remains are kept; "
        "organisations added by registry imports stay. Refused, listing what would be lost, "
        "when a dropped organisation or facility has resources, bookings, accounts, imported "
        "records or review items, unless --prune.",
    ),
    prune: bool = typer.Option(
        False,
        "--prune",
        help="With --replace: also delete what depends on the dropped records.",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
) -> None:
    """Validate a dataset folder and load it in one transaction (nothing is written on error).

    Safe beside a running server: everything is validated and compared first, then written in
    one short transaction; on SQLite other writes wait only for that (busy requests get 503).
    """
    from triplehelix.bootstrap import migrated_engine
    from triplehelix.ingest.loader import load_dataset

    if not path.is_dir():
        fail(f"{path}: not a dataset folder (expected organisations.jsonl and friends)")
    if prune and not replace:
        fail("--prune only makes sense with --replace")
    engine = migrated_engine()
    try:
        with progress_bar("Loading") as bar, transaction(engine) as session:
            task = bar.add_task(f"Loading {path.name}", total=None)
            report = load_dataset(
                session, path, replace=replace, prune=prune,
                progress=lambda done, total: bar.update(task, completed=done, total=total),
            )  # fmt: skip
    except ValidationError as exc:
        fail(f"{exc}; nothing was loaded", exc.problems)
    except ConflictError as exc:
        fail(str(exc), exc.problems)
    finally:
        engine.dispose()
    if as_json:
        typer.echo(json.dumps(report.as_dict()))
        return
    typer.echo(f"Loaded {report.dataset}")
    for kind, counts in report.counts.items():
        typer.echo(
            f"  {kind}: {counts.added} added, {counts.updated} updated, "
            f"{counts.unchanged} unchanged"
        )
    for kind, count in report.removed.items():
        typer.echo(f"  {kind}: {count} removed")


INFO_HOOKS: list[str] = [
    "triplehelix.matching.cli:info",
    "triplehelix.region.cli:info",
]  # "module:function" returning dict[str, object] to add to `info`


@app.command()
def info(as_json: bool = typer.Option(False, "--json", help="Print as JSON.")) -> None:
    """Counts of what is stored, and the database in use."""
    from triplehelix.bootstrap import migrated_engine
    from triplehelix.directory.stats import directory_counts

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


@app.command()
def export(
    fmt: str = typer.Option("json", "--format", help="json, csv or jsonld."),
    out: Path | None = typer.Option(None, "--out", help="Write to this file instead of stdout."),
) -> None:
    """Export the directory (organisations with identifiers and sources; JSON has everything)."""
    from triplehelix.bootstrap import migrated_engine
    from triplehelix.directory.export import FORMATS, export_directory

    if fmt not in FORMATS:
        fail(f"--format: {fmt!r} is not one of {', '.join(FORMATS)}")
    engine = migrated_engine()
    with transaction(engine) as session:
        text = export_directory(session, fmt)
    if out is None:
        sys.stdout.write(text)
    else:
        out.write_text(text, encoding="utf-8")
        err.print(f"Wrote {out}", markup=False)


@app.command()
def match(
    text: str = typer.Argument(..., help="The need, in plain words."),
    limit: int = typer.Option(10, "--limit", help="How many results."),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
    region: str = typer.Option("all", "--region", help="in: only the region; all: everyone."),
) -> None:
    """Who in the region can help with a need: ranked organisations and facilities, with why."""
    from triplehelix.matching.cli import run_match

    if region not in ("in", "all"):
        raise typer.BadParameter("--region: 'in' or 'all'")
    run_match(text, limit, as_json, region)


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
