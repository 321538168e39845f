"""Benchmark: bookings per second and p95 latency with 16 concurrent clients through the HTTP
API of a real uvicorn server, on SQLite and PostgreSQL, with GET /healthz under the same load as
the baseline in the same run. Besides single bookings: weekly series of 4 (POST
/api/bookings/series, all or nothing) and joining the waiting list for a taken slot (POST
/api/waitlist).

Usage: .venv/bin/python bench/bookings_http.py [--seconds 10] [--pg URL]
PostgreSQL defaults to TRIPLEHELIX_TEST_DATABASE_URL (skipped when unset).
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from sqlalchemy import text

from triplehelix.accounts.service import create_token, create_user, grant_role
from triplehelix.db import make_engine, transaction
from triplehelix.directory.models import Facility, Organisation
from triplehelix.facilities.service import ResourceRules, add_resource
from triplehelix.facilities.service.booking import block_maintenance
from triplehelix.live import live_server
from triplehelix.migrations import upgrade_database

CLIENTS = 16


SERIES_WEEKS = 4
HALF_HOURS_A_WEEK = 7 * 48
PASSWORD = "bench password 123"


def prepare(url: str) -> tuple[dict[str, int], list[str]]:
    """Three resources (single bookings, series, waiting list), 4 people with 16 tokens, and the
    waiting-list resource taken for two years by a maintenance block (so every slot is taken)."""
    engine = make_engine(url)
    upgrade_database(engine)
    with transaction(engine) as session:
        session.add(Organisation(id="bench", name="Bench", kind="company"))
        session.add(Facility(id="bench-lab", name="Bench lab", owner_id="bench", kind="cleanroom"))
        session.flush()
        rules = ResourceRules(min_minutes=30, max_minutes=60, horizon_days=730)
        names = ("Bay", "Series bay", "Waiting bay")
        resources = {n: add_resource(session, None, "bench-lab", n, rules).id for n in names}
        users = [create_user(session, f"c{i}@bench.test", PASSWORD) for i in range(4)]
        tokens = [create_token(session, users[i % 4]) for i in range(CLIENTS)]
        admin = create_user(session, "admin@bench.test", PASSWORD)
        grant_role(session, None, admin, "admin", "")
        now = datetime.now(UTC)
        block_maintenance(session, admin, resources["Waiting bay"], now,
                          now + timedelta(days=730), "bench")  # fmt: skip
    engine.dispose()
    return resources, tokens


def load(
    base: str, seconds: float, request: Callable[[httpx.Client, int], int], expect: int
) -> dict[str, float]:
    """CLIENTS threads issue requests back to back for `seconds`; latency of each in ms."""
    latencies: list[float] = []
    failures = [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds
    counter = itertools.count()

    def client(i: int) -> None:
        with httpx.Client(base_url=base, timeout=30) as http:
            http.get("/healthz")
            while time.monotonic() < stop:
                t0 = time.perf_counter()
                status = request(http, next(counter))
                ms = (time.perf_counter() - t0) * 1000
                with lock:
                    latencies.append(ms)
                    failures[0] += status != expect

    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    began = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - began
    latencies.sort()
    return {
        "per_second": len(latencies) / elapsed,
        "p50": statistics.median(latencies),
        "p95": latencies[int(0.95 * (len(latencies) - 1))],
        "count": len(latencies),
        "failures": failures[0],
    }


def run(url: str, data_dir: Path, seconds: float, workers: int = 1) -> dict[str, dict[str, float]]:
    resources, tokens = prepare(url)
    first = (datetime.now(UTC) + timedelta(days=1)).replace(minute=0, second=0, microsecond=0)

    def body(resource: str, start: datetime) -> dict[str, object]:
        return {"resource_id": resources[resource], "start": start.isoformat(),
                "end": (start + timedelta(minutes=30)).isoformat(), "note": "bench"}  # fmt: skip

    def auth(n: int) -> dict[str, str]:
        return {"Authorization": f"Bearer {tokens[n % CLIENTS]}"}

    def book(http: httpx.Client, n: int) -> int:
        start = first + timedelta(minutes=30 * n)  # every request a fresh, free slot
        return http.post("/api/bookings", json=body("Bay", start), headers=auth(n)).status_code

    def book_series(http: httpx.Client, n: int) -> int:
        # series n: a fresh half hour, every week for SERIES_WEEKS weeks, never meeting another
        block, offset = divmod(n, HALF_HOURS_A_WEEK)
        start = first + timedelta(weeks=SERIES_WEEKS * block, minutes=30 * offset)
        until = (start + timedelta(weeks=SERIES_WEEKS - 1)).date().isoformat()
        data = body("Series bay", start) | {"repeat_until": until}
        return http.post("/api/bookings/series", json=data, headers=auth(n)).status_code

    def wait(http: httpx.Client, n: int) -> int:
        start = first + timedelta(minutes=30 * n)  # a fresh, taken slot
        return http.post(
            "/api/waitlist", json=body("Waiting bay", start), headers=auth(n)
        ).status_code

    with live_server(url, data_dir, workers=workers) as base:
        baseline = load(base, seconds, lambda http, n: http.get("/healthz").status_code, 200)
        bookings = load(base, seconds, book, 201)
        weekly = load(base, seconds, book_series, 201)
        waiting = load(base, seconds, wait, 201)
    return {"healthz": baseline, "bookings": bookings, "series": weekly, "waitlist": waiting}


def pg_url(base: str) -> tuple[str, str]:
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    admin = make_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    admin.dispose()
    return f"{base}?options=-csearch_path%3D{schema}", schema


LABELS = {
    "healthz": "GET /healthz (baseline)",
    "bookings": "POST /api/bookings",
    "series": f"POST /api/bookings/series ({SERIES_WEEKS} weekly bookings each)",
    "waitlist": "POST /api/waitlist (taken slot)",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument("--pg", default=os.environ.get("TRIPLEHELIX_TEST_DATABASE_URL", ""))
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        results["SQLite"] = run(
            f"sqlite:///{folder}/bench.db", Path(folder), args.seconds, args.workers
        )
        if args.pg:
            url, schema = pg_url(args.pg)
            try:
                results["PostgreSQL"] = run(url, Path(folder), args.seconds, args.workers)
            finally:
                admin = make_engine(args.pg)
                with admin.begin() as conn:
                    conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    print(f"uvicorn workers: {args.workers}")
    print("| database | workload | per second | p50 ms | p95 ms | requests | failed |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for db, parts in results.items():
        for name, r in parts.items():
            label = LABELS[name]
            print(f"| {db} | {label} | {r['per_second']:.0f} | {r['p50']:.0f} | {r['p95']:.0f} "
                  f"| {r['count']:.0f} | {r['failures']:.0f} |")  # fmt: skip


if __name__ == "__main__":
    main()
