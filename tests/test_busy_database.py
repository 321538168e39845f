"""SQLite: a request that cannot get the write lock in time answers 503 with Retry-After.

Another connection holds the write lock (as a long write beside the server would); bookings wait
`busy_timeout` seconds and are refused with 503, none with 500, and each within a bounded time
even when several queue in one process. Once the lock is free, booking works again.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

from fastapi.testclient import TestClient

from tests.facilities.factories import make_facility, make_resource, make_user, slot
from triplehelix.accounts.service import create_token
from triplehelix.app import create_app
from triplehelix.config import Settings
from triplehelix.db import make_engine, transaction
from triplehelix.migrations import upgrade_database

TIMEOUT = 0.5
QUEUED = 8  # queued one after another they would take 8 x 0.5 s


def test_bookings_answer_503_while_the_write_lock_is_held(tmp_path: Path) -> None:
    path = tmp_path / "busy.db"
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    upgrade_database(engine)
    with transaction(engine) as session:
        make_facility(session)
        resource_id = make_resource(session).id
        token = create_token(session, make_user(session, "busy@example.org"))
    engine.dispose()
    start, end = slot(48, 60)
    body = {"resource_id": resource_id, "start": start.isoformat(), "end": end.isoformat()}
    headers = {"Authorization": f"Bearer {token}"}
    app = create_app(Settings(tmp_path, url, load_bundled=False, busy_timeout=TIMEOUT))
    holder = sqlite3.connect(path, isolation_level=None)
    with TestClient(app) as client:
        holder.execute("BEGIN IMMEDIATE")
        replies: list[tuple[int, str | None, float]] = []

        def book() -> None:
            began = time.monotonic()
            reply = client.post("/api/bookings", json=body, headers=headers)
            elapsed = time.monotonic() - began
            replies.append((reply.status_code, reply.headers.get("Retry-After"), elapsed))

        threads = [threading.Thread(target=book) for _ in range(QUEUED)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert len(replies) == QUEUED, replies
        assert all(code == 503 and after for code, after, _ in replies), replies
        # each waited about the timeout, not the sum of the timeouts of those queued before it
        assert max(elapsed for *_, elapsed in replies) < TIMEOUT * 2 + 1.5, replies
        page = client.get(f"/resources/{resource_id}")
        assert page.status_code == 200  # reading never waits (WAL)
        holder.execute("ROLLBACK")
        done = client.post("/api/bookings", json=body, headers=headers)
        assert done.status_code == 201, done.text
    holder.close()
    app.state.engine.dispose()
