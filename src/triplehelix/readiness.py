"""Warm before ready: build what the first requests need, then say so on /readyz.

`create_app` starts `warm` in a background thread when the app starts (each worker process
does its own); /healthz stays liveness (the process answers), /readyz answers 503 with
Retry-After until every warm step (the features' `warm`, from `triplehelix.features`) has run,
then 200. A failing step is reported, not fatal.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

from sqlalchemy.orm import Session, sessionmaker

from triplehelix.config import Settings


class Readiness:
    def __init__(self, steps: Sequence[tuple[str, Callable[[Session, Settings], object]]]) -> None:
        self.steps = list(steps)  # (name, step), the features' `warm` (triplehelix.features)
        self.done = threading.Event()
        self.problems: list[str] = []

    def run(self, sessions: sessionmaker[Session], settings: Settings) -> None:
        for spec, step in self.steps:
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
