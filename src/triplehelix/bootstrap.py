"""Bring a database up to date and, on first start, fill it with the bundled dataset.

Top layer: only the root `cli.py` imports it (`serve`).
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from triplehelix.config import Settings
from triplehelix.console import migrated_engine
from triplehelix.db import transaction
from triplehelix.directory.models import Organisation
from triplehelix.facilities.service.demo import add_demo
from triplehelix.ingest.service.loader import (
    LoadReport,
    Progress,
    bundled_dataset_path,
    load_dataset,
)
from triplehelix.marketplace.service.demo import add_demo_posts

# Features' first-start steps (demo data), in order; each gets the engine and the settings.
# Listed here, in the top layer, so that no feature imports upward to register one.
FIRST_START_HOOKS: list[Callable[[Engine, Settings], None]] = [add_demo, add_demo_posts]


def prepare_database(
    settings: Settings, progress: Progress | None = None
) -> tuple[Engine, LoadReport | None]:
    engine = migrated_engine(settings)
    report = None
    with transaction(engine) as session:
        empty = not session.scalar(select(func.count()).select_from(Organisation))
        if empty and settings.load_bundled:
            report = load_dataset(session, bundled_dataset_path(), progress=progress)
    if report is not None:
        for hook in FIRST_START_HOOKS:
            hook(engine, settings)
    return engine, report
