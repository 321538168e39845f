"""`triplehelix bench ...`: the benchmark commands (the integrator mounts `bench_app`); they print
what `search.service.evaluation` measures."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn
from rich.table import Table

from triplehelix.config import get_settings
from triplehelix.search.service.evaluation import compare_rankers, index_beir

bench_app = typer.Typer(help="Measure search quality and speed.", no_args_is_help=True)

METRICS = ("ndcg_at_10", "recall_at_100", "qps", "p50_ms", "p95_ms")


@bench_app.callback()
def bench() -> None:
    """Measure search quality and speed."""  # a callback keeps `beir` a subcommand


@bench_app.command("beir")
def beir(
    path: Path = typer.Argument(..., exists=True, file_okay=False, help="BEIR dataset folder"),
    json_out: bool = typer.Option(False, "--json", help="print one JSON object"),
) -> None:
    """Run a BEIR dataset through the engine and a plain FTS5 BM25 baseline."""
    cache_dir = get_settings().data_dir / "cache"
    with progress_bar(Console(stderr=True), "embedding corpus") as progress:
        data, engine = index_beir(path, cache_dir, progress)
    result = compare_rankers(data, engine)
    if json_out:
        typer.echo(json.dumps(result))
        return
    Console().print(_table(result))


@contextmanager
def progress_bar(console: Console, label: str) -> Iterator[Callable[[int, int], None]]:
    columns = (TextColumn(label), BarColumn(), TaskProgressColumn(), TimeRemainingColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task(label, total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)


def _table(result: dict[str, object]) -> Table:
    engine, baseline = result["engine"], result["baseline"]
    assert isinstance(engine, dict) and isinstance(baseline, dict)
    table = Table(title=f"{result['dataset']}: {result['docs']} docs, {result['queries']} queries")
    for col in ("metric", "engine", "FTS5 BM25", "engine / baseline"):
        table.add_column(col, justify="right")
    for m in METRICS:
        ratio = engine[m] / baseline[m] if baseline[m] else float("nan")
        table.add_row(m, f"{engine[m]:.3f}", f"{baseline[m]:.3f}", f"{ratio:.2f}")
    return table
