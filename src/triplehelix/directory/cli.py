"""`triplehelix export`: the directory as JSON, CSV or JSON-LD."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from triplehelix.console import err, fail, migrated_engine
from triplehelix.db import transaction


def export(
    fmt: str = typer.Option("json", "--format", help="json, csv or jsonld."),
    out: Path | None = typer.Option(None, "--out", help="Write to this file instead of stdout."),
) -> None:
    """Export the directory (organisations with identifiers and sources; JSON has everything)."""
    from triplehelix.directory.service.export import FORMATS, export_directory

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
