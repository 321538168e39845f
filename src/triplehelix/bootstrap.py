"""Bring a database up to date and, on first start, fill it with the bundled dataset.

Top layer: only the root `cli.py` imports it (`serve`). After the first load it runs the features'
`first_start` steps (`triplehelix.features`).
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from triplehelix import features
from triplehelix.config import Settings
from triplehelix.console import migrated_engine
from triplehelix.db import transaction
from triplehelix.directory.models import Organisation
from triplehelix.ingest.service.loader import (
    LoadReport,
    Progress,
    bundled_dataset_path,
    load_dataset,
)


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
        for hook in features.first_start_hooks():  # the features' demo data
            hook(engine, settings)
    return engine, report
