"""Cold start: a freshly started `triplehelix serve`, /readyz awaited, then 50 concurrent first
requests to each page kind in turn; max and p95 latency per kind (target: at most 1 s each).

Baseline: the same with TRIPLEHELIX_WARM=0 (nothing built before the first request; /readyz is
ready at once). Each mode gets its own fresh database and server; the embedding cache on disk
(`--data-dir`) is shared, so only the in-memory work differs.

    python bench/cold_start.py [--clients 50] [--workers 1] [--database sqlite|postgresql]
        [--pg-url URL] [--data-dir var/bench]
"""

from __future__ import annotations

import argparse
import threading
import time
from pathlib import Path

import httpx
from serving import PG_DEFAULT, fresh_database, machine_load, percentile, serve
from sqlalchemy import select

from triplehelix.db import make_engine, transaction
from triplehelix.directory.models import Facility, Organisation

TIMEOUT = 60.0


def page_kinds(url: str) -> dict[str, str]:
    engine = make_engine(url)
    with transaction(engine) as session:
        org = session.scalars(select(Organisation.id).order_by(Organisation.id)).first()
        fac = session.scalars(select(Facility.id).order_by(Facility.id)).first()
    engine.dispose()
    return {
        "home": "/", "organisations": "/organisations", "organisation": f"/organisations/{org}",
        "search": "/organisations?q=cell+therapy", "facilities": "/facilities",
        "facility": f"/facilities/{fac}", "insights": "/insights",
        "coverage": "/insights/coverage", "growth": "/insights/growth",
        "network": "/insights/network", "map": "/insights/map", "report": "/insights/report",
        "coverage.svg": "/insights/coverage.svg", "match page": "/match?q=gmp+manufacturing",
        "api match": "/api/match?q=gmp+manufacturing",
        "api similar": f"/api/organisations/{org}/similar",
        "marketplace": "/marketplace", "municipalities": "/municipalities",
        "api organisations": "/api/organisations",
    }  # fmt: skip


def burst(base: str, path: str, clients: int) -> tuple[list[float], list[str]]:
    """`clients` connections, opened first, then one request each at the same moment."""
    barrier = threading.Barrier(clients)
    latencies: list[float] = []
    problems: list[str] = []
    lock = threading.Lock()

    def one() -> None:
        with httpx.Client(base_url=base, timeout=TIMEOUT) as http:
            http.get("/healthz")
            barrier.wait()
            t0 = time.perf_counter()
            try:
                status = http.get(path).status_code
                problem = "" if status == 200 else str(status)
            except httpx.HTTPError as exc:
                problem = type(exc).__name__
            ms = (time.perf_counter() - t0) * 1000
            with lock:
                latencies.append(ms)
                if problem:
                    problems.append(problem)

    threads = [threading.Thread(target=one) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, problems


def measure(args: argparse.Namespace, warm: bool) -> tuple[float, dict[str, tuple[float, float,
            int]]]:  # fmt: skip
    env = {"TRIPLEHELIX_WARM": "1" if warm else "0"}
    with (
        fresh_database(args.database, args.pg_url) as url,
        serve(url, args.data_dir, args.workers, env) as (base, ready),
    ):
        out = {}
        for kind, path in page_kinds(url).items():
            latencies, problems = burst(base, path, args.clients)
            out[kind] = (percentile(latencies, 0.95), max(latencies), len(problems))
    return ready, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--database", default="sqlite", choices=["sqlite", "postgresql"])
    parser.add_argument("--pg-url", default=PG_DEFAULT)
    parser.add_argument("--data-dir", type=Path, default=Path("var/bench"))
    args = parser.parse_args()
    print(f"cold start: {args.clients} concurrent first requests per page kind, "
          f"{args.database}, {args.workers} worker(s); {machine_load()}")  # fmt: skip
    ready_warm, warm = measure(args, warm=True)
    ready_cold, cold = measure(args, warm=False)
    print(f"ready after start: {ready_warm:.1f} s warmed, {ready_cold:.1f} s with WARM=0")
    print(f"  {'page kind':18} {'p95 ms':>8} {'max ms':>8} {'fail':>4}   "
          f"{'WARM=0 p95':>10} {'max':>8} {'fail':>4}")  # fmt: skip
    for kind, (p95, top, failed) in warm.items():
        c95, ctop, cfailed = cold[kind]
        mark = "" if top <= 1000 else "  > 1 s"
        print(f"  {kind:18} {p95:8.0f} {top:8.0f} {failed:4d}   {c95:10.0f} {ctop:8.0f} "
              f"{cfailed:4d}{mark}")  # fmt: skip
    print(f"after: {machine_load()}")


if __name__ == "__main__":
    main()
