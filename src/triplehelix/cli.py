"""The `triplehelix` command line, assembled from the features' CLIs. Exit 0 ok, 2 bad input,
1 else.

Only what belongs to no feature is defined here: `serve`, `info` and `db upgrade`. Every other
command lives in its feature's `cli.py` and is installed by `create_cli` from
`triplehelix.features`; the console helpers they share are in `console.py`.
"""

from __future__ import annotations

import json
import sys

import typer

from triplehelix import features
from triplehelix.config import get_settings
from triplehelix.console import err, migrated_engine, progress_bar, safe_url
from triplehelix.db import make_engine, transaction
from triplehelix.errors import DomainError, NotFoundError, ValidationError
from triplehelix.matching.service.index import use_document_sources


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
        for step in features.before_serve():
            step(settings)
    err.print(f"Database: {safe_url(settings.database_url)}", markup=False)
    err.print(f"Serving on http://{host}:{port}", markup=False)
    uvicorn.run(
        "triplehelix.app:create_app", factory=True, host=host, port=port, workers=workers,
        log_level="warning",
    )  # fmt: skip


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
    for hook in features.info_hooks():
        data.update(hook(settings))
    if as_json:
        typer.echo(json.dumps(data))
        return
    for key, value in data.items():
        typer.echo(f"{key:>14}: {value}")


def db_upgrade() -> None:
    """Apply every database migration."""
    from triplehelix.migrations import upgrade_database

    settings = get_settings()
    upgrade_database(make_engine(settings.database_url))
    typer.echo(f"Database is up to date: {safe_url(settings.database_url)}")


def create_cli() -> typer.Typer:
    """The command tree: the root's own commands, then what every feature adds (its `commands`
    and `groups` in `triplehelix.features`), in `--help` order."""
    root = typer.Typer(
        help="triplehelix: run a regional innovation ecosystem.", no_args_is_help=True
    )
    root.command()(serve)
    root.command()(info)
    for name, command in features.commands():
        root.command(name)(command)
    db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)
    db_app.command("upgrade")(db_upgrade)
    root.add_typer(db_app, name="db")
    for name, group in features.groups():
        root.add_typer(group, name=name)
    use_document_sources(features.document_sources)
    return root


def main() -> None:
    try:
        create_cli()(standalone_mode=True)
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
