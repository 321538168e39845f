"""A load and a replace on SQLite while 16 clients book through a real server.

The loads compute everything before their first write, so they hold the write lock briefly;
bookings wait for it (busy timeout) instead of failing. The bar: no 5xx, every booking that got
201 is still stored afterwards, and the loads themselves succeed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import httpx
from sqlalchemy import select

from tests.facilities.factories import make_resource, make_user, slot
from triplehelix.accounts.service import create_token
from triplehelix.db import make_engine, transaction
from triplehelix.facilities.models import Booking
from triplehelix.ingest.service.loader import bundled_dataset_path, load_dataset
from triplehelix.live import live_server
from triplehelix.migrations import upgrade_database

CLIENTS = 16
FACILITY = "halix-cgmp-plant"  # in the bundled data, so a replace keeps it


def _changed_copy(folder: Path) -> Path:
    """The bundled data with every organisation's summary and services changed."""
    target = folder / "changed"
    shutil.copytree(bundled_dataset_path(), target)
    path = target / "organisations.jsonl"
    records = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    for record in records:
        record["summary"] = (record.get("summary") or "") + " Changed."
        record["services"] = list(reversed(record.get("services") or []))
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
    return target


def _cli(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TRIPLEHELIX_DATABASE_URL": url}
    return subprocess.run([sys.executable, "-m", "triplehelix", *args], env=env,
                          capture_output=True, text=True, timeout=120)  # fmt: skip


def test_load_and_replace_while_sixteen_clients_book(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'live.db'}"
    engine = make_engine(url)
    upgrade_database(engine)
    with transaction(engine) as session:
        load_dataset(session, bundled_dataset_path())
        resource_id = make_resource(session, FACILITY).id
        people = [make_user(session, f"booker{i}@example.org") for i in range(CLIENTS)]
        tokens = [create_token(session, person) for person in people]
    changed = _changed_copy(tmp_path)
    start, _ = slot(2)
    stop = threading.Event()
    booked: list[int] = []
    codes: list[int] = []
    guard = threading.Lock()

    def client(i: int, base: str) -> None:
        headers = {"Authorization": f"Bearer {tokens[i]}"}
        with httpx.Client(base_url=base, timeout=30, headers=headers) as http:
            k = 0
            while not stop.is_set():
                begin = start + timedelta(minutes=30 * (k * CLIENTS + i))
                body = {"resource_id": resource_id, "start": begin.isoformat(),
                        "end": (begin + timedelta(minutes=30)).isoformat(), "note": "load"}  # fmt: skip
                reply = http.post("/api/bookings", json=body)
                with guard:
                    codes.append(reply.status_code)
                    if reply.status_code == 201:
                        booked.append(reply.json()["id"])
                k += 1

    started = time.monotonic()
    with live_server(url, tmp_path, {"TRIPLEHELIX_DEMO": "0", "TRIPLEHELIX_WARM": "0"}) as base:
        threads = [threading.Thread(target=client, args=(i, base)) for i in range(CLIENTS)]
        for t in threads:
            t.start()
        try:
            time.sleep(1)  # bookings under way before the loads start
            before = len(codes)
            loaded = _cli(url, "load", str(bundled_dataset_path()))
            replaced = _cli(url, "load", str(changed), "--replace", "--json")
            during = len(codes) - before
        finally:
            stop.set()
            for t in threads:
                t.join()
    assert loaded.returncode == 0, loaded.stderr
    assert replaced.returncode == 0, replaced.stderr
    assert json.loads(replaced.stdout)["organisations"]["updated"] > 200
    assert time.monotonic() - started < 60
    assert during >= CLIENTS, f"only {during} bookings were answered while the loads ran"
    assert not [c for c in codes if c >= 500], sorted(set(codes))
    assert set(codes) == {201}, sorted(set(codes))
    with transaction(engine) as session:
        stored = set(session.scalars(select(Booking.id).where(Booking.id.in_(booked))))
    engine.dispose()
    assert stored == set(booked), f"{len(set(booked) - stored)} booked slot(s) lost"
