"""The race: 50 clients at once ask a real running server for one slot; exactly one wins.

Runs on SQLite and PostgreSQL, for equal slots and for overlapping but unequal ones.
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from tests.facilities.factories import make_facility, make_resource, make_user, slot
from triplehelix.accounts.service import create_token
from triplehelix.db import transaction
from triplehelix.facilities.models import Booking
from triplehelix.live import live_server

CLIENTS = 50


def _prepare(engine: Engine) -> tuple[int, list[str]]:
    with transaction(engine) as session:
        make_facility(session)
        resource = make_resource(session, max_minutes=240)
        # ten people with five clients each (argon2-hashing fifty passwords would be slow)
        people = [make_user(session, f"u{i}@example.org") for i in range(10)]
        tokens = [create_token(session, people[i % 10]) for i in range(CLIENTS)]
        return resource.id, tokens


def _race(
    base: str, bodies: list[dict[str, object]], tokens: list[str], path: str = "/api/bookings"
) -> list[httpx.Response]:
    barrier = threading.Barrier(len(bodies))
    replies: list[httpx.Response | None] = [None] * len(bodies)

    def one(i: int) -> None:
        with httpx.Client(base_url=base, timeout=60) as client:
            client.get("/healthz")  # connect before the start line
            barrier.wait()
            replies[i] = client.post(path, json=bodies[i],
                                     headers={"Authorization": f"Bearer {tokens[i]}"})  # fmt: skip

    threads = [threading.Thread(target=one, args=(i,)) for i in range(len(bodies))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return [r for r in replies if r is not None]


def _body(resource_id: int, start: datetime, end: datetime) -> dict[str, object]:
    return {
        "resource_id": resource_id,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "note": "race",
    }


@pytest.mark.parametrize("shape", ["same", "overlapping"])
def test_fifty_clients_one_slot(engine: Engine, tmp_path: Path, shape: str) -> None:
    resource_id, tokens = _prepare(engine)
    start, end = slot(48, 60)
    if shape == "same":
        bodies = [_body(resource_id, start, end) for _ in range(CLIENTS)]
    else:  # each starts a minute later; all of them share [start+49min, end)
        bodies = [_body(resource_id, start + timedelta(minutes=i), end + timedelta(minutes=i))
                  for i in range(CLIENTS)]  # fmt: skip
    url = engine.url.render_as_string(hide_password=False)
    with live_server(url, tmp_path) as base:
        replies = _race(base, bodies, tokens)
    codes = sorted(r.status_code for r in replies)
    assert codes == [201] + [409] * (CLIENTS - 1), codes
    conflict = next(r for r in replies if r.status_code == 409).json()["detail"]
    assert "already booked from" in conflict and "booking" in conflict
    with transaction(engine) as session:
        held = session.scalar(
            select(func.count()).select_from(Booking).where(Booking.status == "confirmed")
        )
    assert held == 1


def test_fifty_clients_one_slot_on_two_workers(engine: Engine, tmp_path: Path) -> None:
    """The same race against two server processes: on SQLite their writers queue on one file
    lock (writelock), on PostgreSQL on the exclusion constraint."""
    resource_id, tokens = _prepare(engine)
    start, end = slot(48, 60)
    bodies = [_body(resource_id, start, end) for _ in range(CLIENTS)]
    url = engine.url.render_as_string(hide_password=False)
    with live_server(url, tmp_path, workers=2) as base:
        replies = _race(base, bodies, tokens)
    codes = sorted(r.status_code for r in replies)
    assert codes == [201] + [409] * (CLIENTS - 1), codes
    with transaction(engine) as session:
        held = session.scalar(
            select(func.count()).select_from(Booking).where(Booking.status == "confirmed")
        )
    assert held == 1


def test_racing_weekly_series_one_wins_whole(engine: Engine, tmp_path: Path) -> None:
    """Twenty clients post the same three-week series at once: one is stored whole, every other
    is refused whole (no series half-booked, no overlap)."""
    resource_id, tokens = _prepare(engine)
    start, end = slot(48, 60)
    until = (start + timedelta(weeks=2)).date().isoformat()
    bodies = [_body(resource_id, start, end) | {"repeat_until": until} for _ in range(20)]
    url = engine.url.render_as_string(hide_password=False)
    with live_server(url, tmp_path) as base:
        replies = _race(base, bodies, tokens[:20], "/api/bookings/series")
    codes = sorted(r.status_code for r in replies)
    assert codes == [201] + [409] * 19, codes
    with transaction(engine) as session:
        held = session.scalar(
            select(func.count()).select_from(Booking).where(Booking.status == "confirmed")
        )
    assert held == 3
