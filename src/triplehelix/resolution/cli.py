"""CLI groups: `import ror`, `review list|accept|reject|duplicates`, `merge`, `unmerge`."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from sqlalchemy.engine import Engine

from triplehelix.console import err, fail, migrated_engine, progress_bar
from triplehelix.db import transaction

import_app = typer.Typer(help="Import open data (ROR records).", no_args_is_help=True)
review_app = typer.Typer(help="The review queue of possible matches.", no_args_is_help=True)


def _engine() -> Engine:
    return migrated_engine()


@import_app.command("ror")
def import_ror_command(
    path: Path = typer.Argument(..., help="ROR JSON Lines file (schema v2 or v1)."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
) -> None:
    """Import ROR records: match, attach, queue for review or add; bad lines are skipped.

    Safe beside a running server: every record is decided before the first write.
    """
    from triplehelix.resolution.service.ror_import import import_ror

    if not path.is_file():
        fail(f"{path}: no such file")
    with progress_bar("Importing") as bar, transaction(_engine()) as session:
        task = bar.add_task(f"Importing {path.name}", total=None)
        summary = import_ror(
            session, path, progress=lambda d, t: bar.update(task, completed=d, total=t)
        )
    for problem in summary.problems:
        err.print(problem, markup=False, highlight=False)
    if as_json:
        typer.echo(json.dumps(summary.as_dict()))
        return
    typer.echo(
        ", ".join(f"{k} {v}" for k, v in summary.as_dict().items())
        + f"; relations added {summary.relations}"
    )


@review_app.command("list")
def review_list(
    status: str = typer.Option("pending", help="pending, accepted or rejected."),
    as_json: bool = typer.Option(False, "--json", help="Print as JSON."),
) -> None:
    """List candidate pairs with their score and evidence."""
    from dataclasses import asdict

    from triplehelix.resolution.service.review import list_candidates

    with transaction(_engine()) as session:
        pairs = list_candidates(session, status)
    if as_json:
        typer.echo(json.dumps([asdict(p) for p in pairs]))
        return
    for p in pairs:
        typer.echo(
            f"{p.id:>5}  {p.score:.2f}  {p.left.title} [{p.left.id}]"
            f"  <->  {p.right.title} [{p.right.id}]"
        )
        for line in p.evidence:
            typer.echo(f"         - {line}")


@review_app.command("accept")
def review_accept(candidate_id: int = typer.Argument(..., help="Candidate id.")) -> None:
    """Accept a pair: attach the record, or merge the duplicate."""
    from triplehelix.resolution.service.review import accept_candidate

    with transaction(_engine()) as session:
        view = accept_candidate(session, candidate_id)
    typer.echo(f"accepted {candidate_id}: {view.left.title} = {view.right.title}")


@review_app.command("reject")
def review_reject(candidate_id: int = typer.Argument(..., help="Candidate id.")) -> None:
    """Reject a pair: they are different organisations."""
    from triplehelix.resolution.service.review import reject_candidate

    with transaction(_engine()) as session:
        view = reject_candidate(session, candidate_id)
    typer.echo(f"rejected {candidate_id}: {view.left.title} != {view.right.title}")


@review_app.command("duplicates")
def review_duplicates() -> None:
    """Queue pairs of organisations already in the directory that look like one."""
    from triplehelix.resolution.service.review import find_duplicates

    with transaction(_engine()) as session:
        added = find_duplicates(session)
    typer.echo(f"queued {added} possible duplicate pair(s)")


def merge(
    survivor: str = typer.Argument(..., help="Organisation id that stays."),
    other: str = typer.Argument(..., help="Organisation id merged into it."),
) -> None:
    """Merge OTHER into SURVIVOR (OTHER's id then redirects); prints the merge id."""
    from triplehelix.resolution.service.merge import merge_organisations

    with transaction(_engine()) as session:
        record = merge_organisations(session, survivor, other)
        merge_id = record.id
    typer.echo(f"merged {other} into {survivor}: merge {merge_id}")


def unmerge(merge_id: int = typer.Argument(..., help="Merge id printed by `merge`.")) -> None:
    """Undo a merge by the id `merge` printed."""
    from triplehelix.resolution.service.merge import unmerge_organisations

    with transaction(_engine()) as session:
        record = unmerge_organisations(session, merge_id)
        other = record.other_id
    typer.echo(f"undid merge {merge_id}: {other} is back")
