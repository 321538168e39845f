"""Bring a database up to date and, on first start, fill it with the bundled dataset."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from triplehelix.config import Settings
from triplehelix.db import make_engine, transaction
from triplehelix.directory.models import Organisation
from triplehelix.ingest.loader import LoadReport, Progress, bundled_dataset_path, load_dataset
from triplehelix.migrations import upgrade_database


# Other features add first-start steps here (for example demo bookings); each gets the engine.
def _demo_bookings(engine: Engine, settings: Settings) -> None:
    from triplehelix.facilities.demo import add_demo

    add_demo(engine, settings)


def _demo_posts(engine: Engine, settings: Settings) -> None:
    from triplehelix.marketplace.demo import add_demo_posts

    add_demo_posts(engine, settings)


FIRST_START_HOOKS: list[Callable[[Engine, Settings], None]] = [_demo_bookings, _demo_posts]


def migrated_engine(settings: Settings | None = None) -> Engine:
    """An engine on the configured database with every migration applied (for CLI commands)."""
    from triplehelix.config import get_settings

    engine = make_engine((settings or get_settings()).database_url)
    upgrade_database(engine)
    return engine


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
