"""What each feature adds to the app and the command line: every extension point, in one place.

The app factory (`app.create_app`), the command line (`cli.create_cli`) and first start
(`bootstrap`) install what is declared here; no module registers itself when imported, and no
feature names another feature's module. A contribution is a "module:attribute" reference into the
feature's own package, imported only by the side that installs it (the command line never imports
the pages, the app never imports the commands). docs/development.md, "Extension points", says
what each field takes; tests/test_features.py checks that every reference resolves to the right
kind of thing from the right layer, and that every extension point is documented.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import import_module
from typing import TYPE_CHECKING, Any, TypeVar, cast

if TYPE_CHECKING:
    from fastapi import APIRouter, Request
    from sqlalchemy.engine import Engine
    from sqlalchemy.orm import Session
    from typer import Typer

    from triplehelix.config import Settings
    from triplehelix.matching.service.index import DocumentSource

T = TypeVar("T")


@dataclass(frozen=True)
class Section:
    """A block another feature adds to a page of the directory: the template variables its
    `context(request, session, record)` returns, shown by its `template` (a partial)."""

    context: str
    template: str


@dataclass(frozen=True)
class Feature:
    """One feature's contributions; each field is an extension point (docs/development.md)."""

    name: str  # the package under triplehelix/ every reference points into
    api: tuple[str, ...] = ()
    pages: tuple[str, ...] = ()
    template_globals: Mapping[str, str] = field(default_factory=dict)
    template_filters: Mapping[str, str] = field(default_factory=dict)
    sections: Mapping[str, tuple[Section, ...]] = field(default_factory=dict)
    warm: tuple[str, ...] = ()
    document_sources: tuple[str, ...] = ()
    commands: Mapping[str, str] = field(default_factory=dict)
    groups: Mapping[str, str] = field(default_factory=dict)
    info: tuple[str, ...] = ()
    before_serve: tuple[str, ...] = ()
    first_start: tuple[str, ...] = ()


# The directory pages that take sections, each from its template's `sections` loop.
SECTION_PAGES = ("organisation", "facility")

# In this order: routers are included (all `api` first), commands listed, steps run.
FEATURES: tuple[Feature, ...] = (
    Feature(
        "ingest",
        commands={"load": "triplehelix.ingest.cli:load"},
    ),
    Feature(
        "directory",
        api=("triplehelix.directory.api:router",),
        pages=("triplehelix.directory.pages:router",),
        template_globals={
            "facet_links": "triplehelix.directory.pages:_facet_links",
            "facet_titles": "triplehelix.directory.pages:FACET_TITLES",
        },
        template_filters={
            "partial_date": "triplehelix.directory.pages:partial_date",
            "org_link": "triplehelix.directory.pages:org_link",
        },
        commands={"export": "triplehelix.directory.cli:export"},
    ),
    Feature(
        "matching",
        api=("triplehelix.matching.api:router",),
        pages=("triplehelix.matching.pages:router",),
        template_globals={"marked_segments": "triplehelix.matching.service.highlight:segments"},
        sections={
            "organisation": (
                Section("triplehelix.matching.pages:similar_context", "matching/_similar.html"),
            )
        },
        warm=("triplehelix.matching.deps:warm_index",),
        commands={"match": "triplehelix.matching.cli:match"},
        info=("triplehelix.matching.cli:info",),
        before_serve=("triplehelix.matching.cli:warm_index",),
    ),
    Feature(
        "insights",
        api=("triplehelix.insights.api:router",),
        pages=("triplehelix.insights.pages:router",),
        warm=("triplehelix.insights.pages:warm_views",),
    ),
    Feature(
        "facilities",
        api=("triplehelix.facilities.api:router",),
        pages=("triplehelix.facilities.pages:router", "triplehelix.facilities.pages.manage:router"),
        sections={
            "facility": (
                Section("triplehelix.facilities.pages:facility_context", "facilities/_book.html"),
            )
        },
        groups={
            "resources": "triplehelix.facilities.cli:resources_app",
            "bookings": "triplehelix.facilities.cli:bookings_app",
        },
        first_start=("triplehelix.facilities.service.demo:add_demo",),
    ),
    Feature(
        "marketplace",
        api=("triplehelix.marketplace.api:router",),
        pages=(
            "triplehelix.marketplace.pages.insights:router",
            "triplehelix.marketplace.pages:router",
        ),
        document_sources=("triplehelix.marketplace.service.indexing:SOURCE",),
        groups={
            "posts": "triplehelix.marketplace.cli:posts_app",
            "digest": "triplehelix.marketplace.cli:digest_app",
        },
        first_start=("triplehelix.marketplace.service.demo:add_demo_posts",),
    ),
    Feature(
        "resolution",
        pages=("triplehelix.resolution.pages:router",),
        commands={
            "merge": "triplehelix.resolution.cli:merge",
            "unmerge": "triplehelix.resolution.cli:unmerge",
        },
        groups={
            "import": "triplehelix.resolution.cli:import_app",
            "review": "triplehelix.resolution.cli:review_app",
        },
    ),
    Feature(
        "accounts",
        pages=(
            "triplehelix.accounts.pages:router",
            "triplehelix.accounts.pages.account:router",
            "triplehelix.accounts.pages.admin:router",
            "triplehelix.accounts.pages.email:router",
            "triplehelix.accounts.pages.openid:router",
            "triplehelix.accounts.pages.moderation:router",
            "triplehelix.accounts.pages.language:router",
        ),
        template_globals={
            "account_of": "triplehelix.accounts.pages:account_of",
            "code_label": "triplehelix.accounts.service.labels:code_label",
            "field_label": "triplehelix.accounts.service.labels:field_label",
            "audit_label": "triplehelix.accounts.service.labels:audit_label",
        },
        template_filters={
            "code_label": "triplehelix.accounts.service.labels:code_label",
            "field_label": "triplehelix.accounts.service.labels:field_label",
        },
        groups={
            "users": "triplehelix.accounts.cli:users_app",
            "tokens": "triplehelix.accounts.cli:tokens_app",
        },
    ),
    Feature(
        "search",
        groups={"bench": "triplehelix.search.cli:bench_app"},
    ),
    Feature(
        "region",
        api=("triplehelix.region.api:router",),
        pages=("triplehelix.region.pages:router",),
        template_globals={
            "municipality_page": "triplehelix.region.pages:municipality_page",
            "municipality_name": "triplehelix.region.pages:municipality_name",
            "region_municipalities": "triplehelix.region.pages:region_municipalities",
        },
        info=("triplehelix.region.cli:info",),
    ),
    Feature(
        "mail",
        pages=("triplehelix.mail.pages:router",),
    ),
)


def resolve(spec: str) -> object:
    """The attribute a "module:attribute" reference names (importing its module)."""
    module, _, attr = spec.partition(":")
    return getattr(import_module(module), attr)


def _instance(spec: str, kind: type[T]) -> T:
    found = resolve(spec)
    if not isinstance(found, kind):
        raise TypeError(f"{spec} is a {type(found).__name__}, not a {kind.__name__}")
    return found


def _function(spec: str) -> Callable[..., Any]:
    found = resolve(spec)
    if not callable(found):
        raise TypeError(f"{spec} is a {type(found).__name__}, not a function")
    return found


# The web side, installed by `app.create_app`.


def routers() -> list[APIRouter]:
    """Every feature's API routers, then every feature's page routers (so no page route can
    answer a path under /api)."""
    from fastapi import APIRouter

    specs = [s for f in FEATURES for s in f.api] + [s for f in FEATURES for s in f.pages]
    return [_instance(spec, APIRouter) for spec in specs]


def template_globals() -> dict[str, object]:
    return {name: resolve(spec) for f in FEATURES for name, spec in f.template_globals.items()}


def template_filters() -> dict[str, Callable[..., Any]]:
    return {name: _function(spec) for f in FEATURES for name, spec in f.template_filters.items()}


SectionContext = Callable[["Request", "Session", Any], dict[str, Any]]


def sections() -> dict[str, list[tuple[SectionContext, str]]]:
    """Per directory page, the (context function, partial template) of each section added."""
    return {
        page: [
            (cast(SectionContext, _function(s.context)), s.template)
            for f in FEATURES
            for s in f.sections.get(page, ())
        ]
        for page in SECTION_PAGES
    }


WarmStep = Callable[["Session", "Settings"], object]


def warm_steps() -> list[tuple[str, WarmStep]]:
    """(name, step) to run before /readyz says ready, in each worker process."""
    return [(spec, cast(WarmStep, _function(spec))) for f in FEATURES for spec in f.warm]


@cache
def document_sources() -> tuple[DocumentSource, ...]:
    """Given to the matching index as a function: asked when the index is built, so the command
    line imports no matching engine to list its commands."""
    from triplehelix.matching.service.index import DocumentSource

    return tuple(_instance(s, DocumentSource) for f in FEATURES for s in f.document_sources)


# The command line, installed by `cli.create_cli`.


def commands() -> list[tuple[str, Callable[..., Any]]]:
    return [(name, _function(spec)) for f in FEATURES for name, spec in f.commands.items()]


def groups() -> list[tuple[str, Typer]]:
    from typer import Typer

    return [(name, _instance(spec, Typer)) for f in FEATURES for name, spec in f.groups.items()]


InfoHook = Callable[["Settings"], dict[str, object]]


def info_hooks() -> list[InfoHook]:
    return [cast(InfoHook, _function(spec)) for f in FEATURES for spec in f.info]


ServeStep = Callable[["Settings"], object]


def before_serve() -> list[ServeStep]:
    return [cast(ServeStep, _function(spec)) for f in FEATURES for spec in f.before_serve]


# First start, run by `bootstrap.prepare_database`.

FirstStartHook = Callable[["Engine", "Settings"], object]


def first_start_hooks() -> list[FirstStartHook]:
    return [cast(FirstStartHook, _function(spec)) for f in FEATURES for spec in f.first_start]
