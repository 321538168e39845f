"""Mixed load on a freshly started `triplehelix serve`: page views, API reads, match queries and
bookings from many clients at once, on loopback, with /healthz in the same run as the baseline.

Per configuration (database x workers): a fresh database, `serve` started fresh (it loads the
bundled data and warms), /readyz awaited, then `--clients` clients each pick a request kind at
random (pages 40 %, API reads 30 %, match 10 %, bookings 10 %, /healthz 10 %) back to back for
`--seconds`. A request is an error when it answers 5xx, an unexpected status or breaks the
connection, a timeout when it takes over 10 s. Printed: count, errors, timeouts, p50, p95 and
max per kind. Bookings take fresh half hours of one resource, so every one should be 201.

    python bench/mixed_load.py [--seconds 60] [--clients 50] [--workers 1 2]
        [--databases sqlite postgresql] [--pg-url URL] [--data-dir var/bench]
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import threading
import time
from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from serving import PG_DEFAULT, fresh_database, machine_load, percentile, serve
from sqlalchemy import select

from triplehelix.accounts.service import create_token, create_user
from triplehelix.db import make_engine, transaction
from triplehelix.directory.models import Facility, Organisation
from triplehelix.facilities.service import ResourceRules, add_resource

TIMEOUT = 10.0
KINDS = ("page", "api", "match", "booking", "healthz")
WEIGHTS = (40, 30, 10, 10, 10)
# Paths per kind; {org} and {fac} stand for an organisation and a facility picked at random.
PAGES = ("/", "/organisations", "/organisations/{org}", "/facilities", "/facilities/{fac}",
         "/insights", "/insights/coverage", "/insights/network", "/insights/map", "/marketplace",
         "/organisations?q=cell+therapy")  # fmt: skip
API_READS = ("/api/organisations", "/api/organisations/{org}", "/api/organisations?q=vaccine",
             "/api/facilities", "/api/facilities/{fac}", "/api/insights/coverage", "/api/events",
             "/api/municipalities")  # fmt: skip
NEEDS = ("cleanroom for cell therapy production", "GMP manufacturing of viral vectors",
         "mass spectrometry for proteomics", "animal models for preclinical toxicology",
         "regulatory advice for a medical device", "AI for drug discovery", "bioreactor scale-up",
         "clinical trial phase 1 site", "incubator space for a biotech start-up",
         "antibody discovery partner")  # fmt: skip


@dataclass
class KindResult:
    count: int
    errors: int
    timeouts: int
    p50: float
    p95: float
    max: float
    samples: list[str]


def prepare(url: str, clients: int) -> tuple[int, list[str], list[str], list[str]]:
    """One bookable resource on a bundled facility, 10 people with a token per client."""
    engine = make_engine(url)
    with transaction(engine) as session:
        facility = session.scalars(select(Facility.id).order_by(Facility.id)).first()
        assert facility is not None, "the server did not load the bundled data"
        rules = ResourceRules(min_minutes=30, max_minutes=60, horizon_days=730)
        resource = add_resource(session, None, facility, "Mixed-load bay", rules).id
        people = [create_user(session, f"mixed{i}@bench.test", "bench password 123")
                  for i in range(10)]  # fmt: skip
        tokens = [create_token(session, people[i % 10]) for i in range(clients)]
        orgs = list(session.scalars(select(Organisation.id).limit(60)))
        facilities = list(session.scalars(select(Facility.id)))
    engine.dispose()
    return resource, tokens, orgs, facilities


def run(base: str, seconds: float, clients: int, prepared: tuple[int, list[str], list[str],
        list[str]]) -> dict[str, KindResult]:  # fmt: skip
    resource, tokens, orgs, facilities = prepared
    first = (datetime.now(UTC) + timedelta(days=1)).replace(minute=0, second=0, microsecond=0)
    slots = itertools.count()
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    timeouts: dict[str, int] = defaultdict(int)
    samples: dict[str, list[str]] = defaultdict(list)
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def request(http: httpx.Client, kind: str, rng: random.Random, token: str) -> httpx.Response:
        org, fac = rng.choice(orgs), rng.choice(facilities)
        if kind == "page":
            return http.get(rng.choice(PAGES).format(org=org, fac=fac))
        if kind == "api":
            return http.get(rng.choice(API_READS).format(org=org, fac=fac))
        if kind == "match":
            return http.get("/api/match", params={"q": rng.choice(NEEDS)})
        if kind == "booking":
            start = first + timedelta(minutes=30 * next(slots))
            end = start + timedelta(minutes=30)
            body = {"resource_id": resource, "start": start.isoformat(),
                    "end": end.isoformat(), "note": "mixed load"}  # fmt: skip
            return http.post("/api/bookings", json=body,
                             headers={"Authorization": f"Bearer {token}"})  # fmt: skip
        return http.get("/healthz")

    def client(i: int) -> None:
        rng = random.Random(i)
        with httpx.Client(base_url=base, timeout=TIMEOUT) as http:
            while time.monotonic() < stop:
                kind = rng.choices(KINDS, WEIGHTS)[0]
                t0 = time.perf_counter()
                try:
                    reply = request(http, kind, rng, tokens[i])
                    wrong = reply.status_code != (201 if kind == "booking" else 200)
                    what = f"{reply.status_code} {reply.request.method} {reply.request.url.path}"
                    timed_out = False
                except httpx.TimeoutException:
                    wrong, timed_out, what = False, True, "timeout"
                except httpx.HTTPError as exc:
                    wrong, timed_out, what = True, False, type(exc).__name__
                ms = (time.perf_counter() - t0) * 1000
                with lock:
                    latencies[kind].append(ms)
                    errors[kind] += wrong
                    timeouts[kind] += timed_out
                    if (wrong or timed_out) and len(samples[kind]) < 3:
                        samples[kind].append(what)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {
        kind: KindResult(
            count=len(latencies[kind]),
            errors=errors[kind],
            timeouts=timeouts[kind],
            p50=percentile(latencies[kind], 0.5),
            p95=percentile(latencies[kind], 0.95),
            max=max(latencies[kind], default=0),
            samples=samples[kind],
        )
        for kind in KINDS
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--pg-url", default=PG_DEFAULT)
    parser.add_argument("--data-dir", type=Path, default=Path("var/bench"))
    parser.add_argument("--json", action="store_true", help="Also print each result as JSON.")
    args = parser.parse_args()
    print(f"mixed load: {args.clients} clients, {args.seconds:g} s; {machine_load()}")
    for database in args.databases:
        for workers in args.workers:
            with (
                fresh_database(database, args.pg_url) as url,
                serve(url, args.data_dir, workers) as (base, ready),
            ):
                result = run(base, args.seconds, args.clients, prepare(url, args.clients))
            print(f"\n{database}, {workers} worker(s) (ready {ready:.1f} s after start)")
            print(f"  {'kind':8} {'count':>6} {'errors':>6} {'t/o':>4} {'p50 ms':>8} "
                  f"{'p95 ms':>8} {'max ms':>8}")  # fmt: skip
            for kind, r in result.items():
                example = f"   e.g. {', '.join(r.samples)}" if r.samples else ""
                print(f"  {kind:8} {r.count:6d} {r.errors:6d} {r.timeouts:4d} "
                      f"{r.p50:8.0f} {r.p95:8.0f} {r.max:8.0f}{example}")  # fmt: skip
            if args.json:
                rows = {kind: asdict(r) for kind, r in result.items()}
                print(json.dumps({"database": database, "workers": workers, **rows}))
    print(f"\nafter: {machine_load()}")


if __name__ == "__main__":
    main()
