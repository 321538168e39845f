"""Demo data: on for `make run`'s default SQLite folder, off for a real deployment, added once."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from triplehelix.accounts.models import User
from triplehelix.config import Settings
from triplehelix.db import transaction
from triplehelix.directory.models import Facility
from triplehelix.facilities.models import Resource
from triplehelix.facilities.service.demo import add_demo
from triplehelix.ingest.service.loader import bundled_dataset_path, load_dataset


def _counts(engine: Engine) -> tuple[int, int, set[str]]:
    with transaction(engine) as session:
        users = session.scalar(select(func.count()).select_from(User).where(User.is_demo)) or 0
        resources = list(session.scalars(select(Resource)))
        shared = set(session.scalars(select(Facility.id).where(Facility.shared.is_(True))))
        assert all(r.is_demo and r.facility_id in shared for r in resources)
        return users, len(resources), {r.facility_id for r in resources}


def test_demo_resources_on_every_open_facility_once(engine: Engine, tmp_path: Path) -> None:
    with transaction(engine) as session:
        load_dataset(session, bundled_dataset_path())
    off = Settings(tmp_path, "sqlite://", load_bundled=True, demo=False)
    add_demo(engine, off)
    assert _counts(engine)[:2] == (0, 0)
    on = Settings(tmp_path, "sqlite://", load_bundled=True, demo=True)
    add_demo(engine, on)
    users, resources, facilities = _counts(engine)
    assert users == 3 and len(facilities) == 23  # the dataset's 23 open facilities
    add_demo(engine, on)
    assert _counts(engine)[:2] == (users, resources)


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, True),
        ({"TRIPLEHELIX_DATABASE_URL": "postgresql+psycopg://db/x"}, False),
        ({"TRIPLEHELIX_DATABASE_URL": "postgresql+psycopg://db/x", "TRIPLEHELIX_DEMO": "1"}, True),
        ({"TRIPLEHELIX_DEMO": "0"}, False),
    ],
)
def test_demo_setting_defaults(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], expected: bool
) -> None:
    for name in ("TRIPLEHELIX_DATABASE_URL", "TRIPLEHELIX_DEMO"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert Settings.from_env().demo is expected
