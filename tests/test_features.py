"""The extension points (`triplehelix.features`): every registration resolves to the kind of
thing its point takes, from the feature's own package and the layer that point belongs to; the
app factory and the command line install all of them; each point is documented; and nothing
registers itself as a side effect of being imported."""

from __future__ import annotations

import ast
import inspect
import re
from dataclasses import fields
from pathlib import Path

import typer.main
from fastapi import FastAPI, routing

from tests.test_layering import SRC, modules, role
from triplehelix import features
from triplehelix.app import create_app
from triplehelix.cli import create_cli
from triplehelix.config import Settings
from triplehelix.web import templates

ROOT = Path(__file__).resolve().parents[1]
POINTS = [f.name for f in fields(features.Feature) if f.name != "name"]
# The roles a point's references may have (tests/test_layering.py), and for functions the
# number of arguments the installer passes.
ROLES = {
    "api": {"web"},
    "pages": {"web"},
    "template_globals": {"web", "service", "schemas"},
    "template_filters": {"web", "service", "schemas"},
    "sections": {"web"},
    "warm": {"web"},
    "document_sources": {"service"},
    "commands": {"cli"},
    "groups": {"cli"},
    "info": {"cli"},
    "before_serve": {"cli"},
    "first_start": {"service"},
}
ARGUMENTS = {"sections": 3, "warm": 2, "info": 1, "before_serve": 1, "first_start": 2}


def references(point: str) -> list[tuple[features.Feature, str]]:
    """(feature, "module:attribute") of every registration at `point`."""
    found = []
    for feature in features.FEATURES:
        value = getattr(feature, point)
        if isinstance(value, dict):
            items = value.values()
            specs = [s.context for group in items for s in group] if point == "sections" else items
        else:
            specs = value
        found += [(feature, spec) for spec in specs]
    return found


def test_every_point_has_its_layer_and_arguments_declared() -> None:
    assert sorted(ROLES) == sorted(POINTS)


def test_every_registration_resolves_from_its_own_feature_and_layer() -> None:
    known = modules()
    for point in POINTS:
        for feature, spec in references(point):
            module, _, attr = spec.partition(":")
            assert module.startswith(f"triplehelix.{feature.name}."), (point, spec)
            assert module in known and attr, (point, spec)
            assert role(module) in ROLES[point], (point, spec, role(module))
            found = features.resolve(spec)
            if point in ARGUMENTS:
                assert len(inspect.signature(found).parameters) == ARGUMENTS[point], spec  # type: ignore[arg-type]


def test_every_registration_is_of_its_kind() -> None:
    """The typed readers check each kind (a router, a Typer group, a document source, a
    function) and raise naming the reference that is not."""
    assert len(features.routers()) == len(references("api")) + len(references("pages"))
    assert len(features.groups()) == len(references("groups"))
    assert len(features.document_sources()) == len(references("document_sources"))
    assert len(features.commands()) == len(references("commands"))
    assert len(features.template_filters()) == len(references("template_filters"))
    assert len(features.template_globals()) == len(references("template_globals"))
    sections = features.sections()
    assert set(sections) == set(features.SECTION_PAGES)
    assert {page for f in features.FEATURES for page in f.sections} <= set(sections)
    for page in features.SECTION_PAGES:
        for _, template in sections[page]:
            templates.env.get_template(template)  # raises when the partial does not exist
    assert len(features.warm_steps()) == len(references("warm"))
    assert len(features.info_hooks()) == len(references("info"))
    assert len(features.before_serve()) == len(references("before_serve"))
    assert len(features.first_start_hooks()) == len(references("first_start"))


def test_an_unfit_registration_is_named() -> None:
    try:
        features._instance("triplehelix.directory.pages:FACET_TITLES", FastAPI)
    except TypeError as exc:
        assert "triplehelix.directory.pages:FACET_TITLES" in str(exc)
    else:
        raise AssertionError("a dict passed for a FastAPI app")


def test_the_app_installs_every_web_contribution(tmp_path: Path) -> None:
    app = create_app(Settings(tmp_path, f"sqlite:///{tmp_path / 'x.db'}", load_bundled=False))
    installed = {id(c.original_route) for c in routing.iter_route_contexts(app.routes)}
    for router in features.routers():
        assert {id(r) for r in router.routes} <= installed
    assert set(features.template_globals()) <= set(templates.env.globals)
    assert set(features.template_filters()) <= set(templates.env.filters)
    assert app.state.sections == features.sections()
    assert [name for name, _ in app.state.readiness.steps] == [s for _, s in references("warm")]


def test_the_command_line_installs_every_command_and_group() -> None:
    tree = typer.main.get_command(create_cli())
    names = list(getattr(tree, "commands", {}))
    declared = [n for f in features.FEATURES for n in [*f.commands, *f.groups]]
    assert set(declared) <= set(names)
    assert len(names) == len(set(names)), "a command name is declared twice"


def test_every_extension_point_is_documented() -> None:
    """docs/development.md, "Extension points", has one table row per point, in order."""
    text = (ROOT / "docs" / "development.md").read_text("utf-8")
    section = text.split("## Extension points", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `(\w+)` \|", section, re.MULTILINE)
    assert rows == POINTS


def _registrations(tree: ast.AST) -> list[int]:
    """Lines that put something into the Jinja environment (`templates.env.globals[...] = ...`,
    `.filters.update(...)`)."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                into = target.value if isinstance(target, ast.Subscript) else None
                if isinstance(into, ast.Attribute) and into.attr in ("globals", "filters"):
                    lines.append(node.lineno)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            if isinstance(owner, ast.Attribute) and owner.attr in ("globals", "filters"):
                lines.append(node.lineno)
    return lines


def test_nothing_registers_itself_when_imported() -> None:
    """Only the environment's own module (`web.py`, its i18n and formatting helpers) and the
    app factory put names into the templates; only `features.py` imports a module by name."""
    package = SRC / "triplehelix"
    for path in sorted(package.rglob("*.py")):
        name = path.relative_to(package).as_posix()
        tree = ast.parse(path.read_text("utf-8"))
        if name not in ("web.py", "app.py"):
            assert _registrations(tree) == [], name
        if name != "features.py":
            imported = {
                a.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) for a in n.names
            }
            assert "import_module" not in imported, name
