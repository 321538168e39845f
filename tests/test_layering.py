"""The layering of `src/triplehelix`, asserted from its import statements (read with `ast`, so
imports inside functions count as much as those at the top of a module).

Bottom to top:

- **low** modules (`LOW`): plumbing every feature may use; they import only each other.
- **features**: each module has a *role*, read from its place in the feature's skeleton
  (`SKELETON`: `<feature>/<role>.py`, or `<feature>/<role>/*.py` when the role grew into a
  package): `models` < `schemas` < `service` < the surfaces `web` (api, pages, FastAPI
  dependencies) and `cli`. Nothing else sits at the top of a feature. A module imports only
  roles at or below its own, of any feature; the two surfaces never import each other, and nothing below them imports FastAPI, Starlette, Jinja2, Typer or Rich.
- **top** (`TOP`): the app factory, the command line and first-start bootstrap assemble the
  features from what `features.py` declares; nothing else imports them.

And no import circle: not between modules, and not between a feature's roles either (directory's
services may not need resolution's services while resolution's services need directory's).
See docs/development.md, "Layout".
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path

import pytest

SRC = Path(__file__).parents[1] / "src"
PACKAGE = "triplehelix"

# Low modules (a package stands for its submodules too). `migrations` is the package's own
# module (`upgrade_database`), not the migration scripts, which read the models.
LOW = frozenset(
    f"{PACKAGE}.{name}"
    for name in (
        "config",
        "console",
        "data",  # the bundled datasets (package data, no code)
        "db",
        "errors",
        "fields",
        "i18n",
        "migrations",
        "singleflight",
        "stamps",
        "writelock",
    )
)
LOW |= {PACKAGE}  # `__version__`
LOW_PACKAGES = frozenset({f"{PACKAGE}.i18n"})
TOP = frozenset(
    f"{PACKAGE}.{name}"
    for name in ("__main__", "app", "bootstrap", "cli", "clidoc", "features", "live", "routedoc")
)
RANK = {"models": 0, "schemas": 1, "service": 2, "web": 3, "cli": 3}
# The skeleton of a feature: each name is a module or, when it grows, a package whose modules
# share its role. Nothing else sits at the top of a feature package.
SKELETON = {"models": "models", "schemas": "schemas", "service": "service", "api": "web"}
SKELETON |= {"pages": "web", "deps": "web", "cli": "cli"}
# The feature packages themselves (`triplehelix.mail`: its public names) and root modules
# that are not low or top: their roles.
ROLE_OF = {
    f"{PACKAGE}.mail": "service",
    f"{PACKAGE}.search": "service",
    f"{PACKAGE}.taxonomy": "schemas",
    f"{PACKAGE}.apidocs": "web",
    f"{PACKAGE}.deps": "web",
    f"{PACKAGE}.edge": "web",
    f"{PACKAGE}.edge_openapi": "web",
    f"{PACKAGE}.headers": "web",
    f"{PACKAGE}.models": "models",
    f"{PACKAGE}.readiness": "web",  # /readyz
    f"{PACKAGE}.response_cache": "web",  # ASGI middleware
    f"{PACKAGE}.web": "web",
}
FRAMEWORKS = {
    "web": ("fastapi", "starlette", "jinja2"),
    "cli": ("typer", "click", "rich"),
}


def modules(src: Path = SRC) -> dict[str, Path]:
    """Every module under src/triplehelix by dotted name (a package by its own name)."""
    found = {}
    for path in sorted((src / PACKAGE).rglob("*.py")):
        parts = list(path.relative_to(src).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def imported(name: str, path: Path, known: Iterable[str]) -> set[str]:
    """What `name` imports: modules of the project (dotted) and top-level third-party names."""
    names = set(known)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            # `from package import module` imports the module; `from module import thing`, the module
            found |= {
                f"{base}.{a.name}" if f"{base}.{a.name}" in names else base for a in node.names
            }
    return {
        _owner(target, names) if target.split(".")[0] == PACKAGE else target.split(".")[0]
        for target in found
    } - {name}


def _owner(target: str, names: set[str]) -> str:
    while target not in names and "." in target:
        target = target.rpartition(".")[0]
    return target


def role(name: str) -> str:
    """low, top, or the role of a feature module (see the module docstring)."""
    if name in LOW or any(name.startswith(f"{p}.") for p in LOW_PACKAGES):
        return "low"
    if name in TOP:
        return "top"
    if name in ROLE_OF:
        return ROLE_OF[name]
    parts = name.split(".")
    if len(parts) > 2 and parts[2] in SKELETON:
        return SKELETON[parts[2]]
    if name.startswith(f"{PACKAGE}.migrations."):  # the scripts read the models
        return "service"
    if len(parts) == 2 and name in _packages():  # a feature package's own (empty) module
        return "service"
    return "unknown"


def feature(name: str) -> str:
    """The feature package a module belongs to (`""` for modules at the root of the package)."""
    parts = name.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and name in _packages()) else ""


@cache
def _packages() -> frozenset[str]:
    return frozenset(n for n, p in modules().items() if p.name == "__init__.py")


@cache
def graph() -> Mapping[str, frozenset[str]]:
    """Module -> what it imports: modules of the project and third-party top-level names."""
    found = modules()
    return {name: frozenset(imported(name, path, found)) for name, path in found.items()}


def internal(deps: Mapping[str, Iterable[str]]) -> dict[str, set[str]]:
    return {a: {b for b in bs if b in deps} for a, bs in deps.items()}


def cycles(deps: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """The strongly connected components with more than one member (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(deps):
        if root in index:
            continue
        work = [(root, iter(sorted(deps[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(deps.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return sorted(found)


def role_graph(deps: Mapping[str, Iterable[str]]) -> dict[str, set[str]]:
    """(feature:role) -> (feature:role) it imports, for the modules of features."""
    out: dict[str, set[str]] = {}
    for a, bs in deps.items():
        if not feature(a) or role(a) in ("low", "top"):
            continue
        node = f"{feature(a)}:{role(a)}"
        out.setdefault(node, set())
        for b in bs:
            if b in deps and feature(b) and role(b) not in ("low", "top"):
                target = f"{feature(b)}:{role(b)}"
                if target != node:
                    out[node].add(target)
    return out


def upward(deps: Mapping[str, Iterable[str]]) -> list[str]:
    """Every import that goes up or sideways between surfaces, as 'a -> b (why)'."""
    problems = []
    for a, bs in sorted(deps.items()):
        ra = role(a)
        for b in sorted(b for b in bs if b in deps):
            rb = role(b)
            if ra == "low" and rb != "low":
                problems.append(f"{a} -> {b} (a low module imports only low modules)")
            elif rb == "top" and ra != "top":
                problems.append(f"{a} -> {b} (only the top imports the top)")
            elif (ra in RANK and rb in RANK and RANK[rb] > RANK[ra]) or (
                ra in ("web", "cli") and rb in ("web", "cli") and ra != rb
            ):
                problems.append(f"{a} -> {b} ({ra} imports {rb})")
    return problems


def frameworks(deps: Mapping[str, Iterable[str]]) -> list[str]:
    """Modules below the surfaces (and the web surface) that import a surface's framework."""
    problems = []
    for a, bs in sorted(deps.items()):
        if role(a) in ("low", "top"):  # low: console (Typer, Rich), i18n's middleware (Starlette)
            continue
        for surface, names in FRAMEWORKS.items():
            if surface != role(a) and (hit := sorted(set(names) & set(bs))):
                problems.append(f"{a} imports {', '.join(hit)} ({role(a)} is not {surface})")
    return problems


def test_every_module_has_a_place_in_the_skeleton() -> None:
    assert [name for name in modules() if role(name) == "unknown"] == []


def test_no_import_cycle_between_modules() -> None:
    assert cycles(internal(graph())) == []


def test_no_import_cycle_between_the_roles_of_features() -> None:
    assert cycles(role_graph(graph())) == []


def test_every_import_goes_down() -> None:
    assert upward(graph()) == []


def test_services_import_no_web_or_cli_framework() -> None:
    assert frameworks(graph()) == []


def test_root_cli_and_app_are_imported_only_from_the_top() -> None:
    importers = {a for a, bs in graph().items() for b in bs if b in TOP}
    assert importers <= TOP, importers - TOP


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("triplehelix.console", "low"),
        ("triplehelix.i18n.middleware", "low"),
        ("triplehelix.cli", "top"),
        ("triplehelix.directory.models", "models"),
        ("triplehelix.ingest.schemas", "schemas"),
        ("triplehelix.resolution.service.merge", "service"),
        ("triplehelix.accounts.pages.admin", "web"),
        ("triplehelix.facilities.pages.resource", "web"),
        ("triplehelix.matching.cli", "cli"),
        ("triplehelix.web", "web"),
    ],
)
def test_roles_are_read_from_names(name: str, expected: str) -> None:
    assert name in modules()
    assert role(name) == expected


def test_the_graph_sees_imports_inside_functions_and_from_packages() -> None:
    deps = graph()
    assert "triplehelix.features" in deps["triplehelix.cli"]  # at the top of the module
    assert (
        "triplehelix.directory.service.export" in deps["triplehelix.directory.cli"]
    )  # in a function
    assert (
        "triplehelix.facilities.service.booking" in deps["triplehelix.facilities.pages"]
    )  # from package
    assert "fastapi" in deps["triplehelix.facilities.pages"]
    assert "triplehelix.search.service.embedder" in deps["triplehelix.matching.cli"]


def test_the_checks_find_what_they_look_for() -> None:
    """Each check on a small made-up graph with one fault of its kind."""
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []
    made_up = {
        "triplehelix.errors": {"triplehelix.directory.models"},
        "triplehelix.directory.models": {"triplehelix.directory.service"},
        "triplehelix.directory.service": {"triplehelix.cli", "fastapi"},
        "triplehelix.directory.api": {"triplehelix.matching.cli"},
        "triplehelix.matching.cli": {"typer"},
        "triplehelix.cli": set(),
    }
    assert upward(made_up) == [
        "triplehelix.directory.api -> triplehelix.matching.cli (web imports cli)",
        "triplehelix.directory.models -> triplehelix.directory.service (models imports service)",
        "triplehelix.directory.service -> triplehelix.cli (only the top imports the top)",
        "triplehelix.errors -> triplehelix.directory.models (a low module imports only low modules)",
    ]
    assert frameworks(made_up) == [
        "triplehelix.directory.service imports fastapi (service is not web)"
    ]


def shadowed_submodules() -> list[str]:
    """Names a package's `__init__` imports that a submodule of the package also carries: once
    the submodule is imported, Python sets it on the package over the imported name."""
    found = modules()
    problems = []
    for name, path in sorted(found.items()):
        if path.name != "__init__.py":
            continue
        subs = {n.rpartition(".")[2] for n in found if n.rpartition(".")[0] == name}
        for node in ast.parse(path.read_text("utf-8")).body:
            if isinstance(node, ast.ImportFrom) and node.module:
                for alias in node.names:
                    bound = alias.asname or alias.name
                    if bound in subs and f"{node.module}.{alias.name}" != f"{name}.{bound}":
                        problems.append(f"{name}: {bound} is also {name}.{bound}")
    return problems


def test_no_package_name_is_shadowed_by_its_submodule() -> None:
    assert shadowed_submodules() == []
