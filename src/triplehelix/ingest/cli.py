"""`triplehelix load`: validate a dataset folder and load it in one transaction."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from triplehelix.console import fail, migrated_engine, progress_bar
from triplehelix.db import transaction
from triplehelix.errors import ConflictError, ValidationError


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
    from triplehelix.ingest.service.loader import load_dataset

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
