"""Warm before ready: build what the first requests need, then say so on /readyz.

`create_app` starts `warm` in a background thread when the app starts (each worker process
does its own); /healthz stays liveness (the process answers), /readyz answers 503 with
Retry-After until every warm step has run, then 200. A failing step is reported, not fatal.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from importlib import import_module
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from triplehelix.config import Settings

# "module:function(session, settings)" steps; features append theirs.
WARM_STEPS: list[str] = [
    "triplehelix.readiness:warm_matching",
    "triplehelix.readiness:warm_insights",
]


def warm_matching(session: Session, settings: Settings) -> None:
    from triplehelix.matching.service.index import index_for

    index_for(session, settings.data_dir)


def warm_insights(session: Session, settings: Settings) -> None:
    """The insight views' inputs (coverage, growth, network, map) at their default scope, and
    the pictures the pages draw from them, in every language (both are cached per language)."""
    from triplehelix.i18n import available_locales, use_locale
    from triplehelix.insights import pages, service

    for locale in available_locales():
        with use_locale(locale):
            views = {
                "coverage": service.coverage(session),
                "growth": service.growth(session),
                "network": service.network(session),
                "map": service.region_map(session),
            }
            for view, data in views.items():
                pages.inline_svg(view, data)


class Readiness:
    def __init__(self) -> None:
        self.done = threading.Event()
        self.problems: list[str] = []

    def run(self, sessions: sessionmaker[Session], settings: Settings) -> None:
        for spec in WARM_STEPS:
            module, _, name = spec.partition(":")
            step: Callable[[Session, Settings], Any] = getattr(import_module(module), name)
            try:
                with sessions() as session:
                    step(session, settings)
            except Exception as exc:
                self.problems.append(f"{spec}: {type(exc).__name__}: {exc}")
        self.done.set()

    def start(self, sessions: sessionmaker[Session], settings: Settings) -> None:
        threading.Thread(target=self.run, args=(sessions, settings), daemon=True).start()

    def status(self) -> tuple[int, dict[str, object]]:
        if not self.done.is_set():
            return 503, {"status": "warming"}
        return 200, {"status": "ready", "problems": self.problems}
