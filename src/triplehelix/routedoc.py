"""Render the route index (docs/routes.md) from the app's own routes: every path with the file and
function that answer it, so anyone can go from a URL to its code in one step."""

from __future__ import annotations

import inspect
import tempfile
from pathlib import Path

from fastapi import routing
from fastapi.routing import APIRoute

PACKAGE_ROOT = Path(__file__).resolve().parents[1]


def _where(endpoint: object) -> tuple[str, str]:
    source = inspect.getsourcefile(endpoint)  # type: ignore[arg-type]
    path = Path(source or "").resolve()
    try:
        shown = path.relative_to(PACKAGE_ROOT.parent)
    except ValueError:
        shown = path
    return shown.as_posix(), getattr(endpoint, "__qualname__", repr(endpoint))


def route_index() -> str:
    from triplehelix.app import create_app
    from triplehelix.config import Settings

    with tempfile.TemporaryDirectory() as scratch:
        app = create_app(Settings(data_dir=Path(scratch), database_url=f"sqlite:///{scratch}/routes.db",
                                  load_bundled=False))  # fmt: skip
        app.state.engine.dispose()
    rows: dict[str, list[tuple[str, str, str, str]]] = {"API": [], "Pages": []}
    for context in routing.iter_route_contexts(app.routes):
        route = context.original_route
        if not (context.path_format and isinstance(route, APIRoute)):
            continue
        methods = ", ".join(sorted(m for m in context.methods or () if m != "HEAD"))
        path, function = _where(route.endpoint)
        kind = "API" if context.path_format.startswith("/api") else "Pages"
        rows[kind].append((context.path_format, methods, path, function))
    lines = [
        "# Route index",
        "",
        "Every route the web app serves, with the file and function that answer it. Generated from",
        "the app's routes (`python -m triplehelix.routedoc > docs/routes.md`; a test checks it is",
        "current). The API's request and response shapes are in [api.md](api.md) and at `/docs`.",
    ]
    for kind, found in rows.items():
        lines += ["", f"## {kind}", "", "| method | path | file | function |", "|---|---|---|---|"]
        lines += [f"| {m} | `{p}` | `{file}` | `{f}` |" for p, m, file, f in sorted(found)]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(route_index(), end="")
