"""Warm cost per path: every path of bench/mixed_load.py's lists, one client, one request at a
time, on a freshly started `triplehelix serve` (one worker), with /healthz as the baseline.

Per path: `--requests` requests one after the other on one connection, after a warm-up pass
(every organisation and facility the path takes, so the figures are the warm steady state).
Printed per path: the median and p95 latency seen by the client, and the server's CPU time per
request (its process tree, from /proc), which does not depend on what else the machine runs.
The last line weighs the kinds as mixed_load.py does: the mean server CPU of one request of the
mix, and so how many requests per second two cores could serve at most.

    python bench/page_cost.py [--requests 100] [--database sqlite|postgresql] [--pg-url URL]
        [--data-dir var/bench] [--only SUBSTRING ...]
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from directory_http import tree_cpu_seconds
from mixed_load import API_READS, KINDS, NEEDS, PAGES, WEIGHTS, prepare
from serving import PG_DEFAULT, fresh_database, machine_load, percentile, serve_process

Row = tuple[str, str, float, float, float]  # kind, path, p50 ms, p95 ms, server CPU ms


def targets() -> list[tuple[str, str]]:
    return [
        *(("page", p) for p in PAGES),
        *(("api", p) for p in API_READS),
        ("match", "/api/match?q={need}"),
        ("booking", "POST /api/bookings"),
        ("healthz", "/healthz"),
    ]


class Caller:
    """One path's requests: the org, facility, need or booking slot changes every call."""

    def __init__(self, http: httpx.Client, prepared: tuple[int, list[str], list[str], list[str]]):
        self.http = http
        self.resource, tokens, orgs, facilities = prepared
        self.auth = {"Authorization": f"Bearer {tokens[0]}"}
        self.orgs, self.facilities = itertools.cycle(orgs), itertools.cycle(facilities)
        self.needs = itertools.cycle(NEEDS)
        self.first = (datetime.now(UTC) + timedelta(days=1)).replace(minute=0, second=0,
                                                                     microsecond=0)  # fmt: skip
        self.slots = itertools.count()

    def __call__(self, path: str) -> int:
        if path.startswith("POST"):
            start = self.first + timedelta(minutes=30 * next(self.slots))
            end = start + timedelta(minutes=30)
            body = {"resource_id": self.resource, "start": start.isoformat(),
                    "end": end.isoformat(), "note": "page cost"}  # fmt: skip
            return self.http.post("/api/bookings", json=body, headers=self.auth).status_code
        url = path.format(org=next(self.orgs), fac=next(self.facilities), need=next(self.needs))
        return self.http.get(url).status_code


def measure(call: Caller, kind: str, path: str, requests: int, pid: int) -> Row:
    for _ in range(max(len(NEEDS), 60) if "{" in path else 3):
        call(path)
    latencies = []
    cpu_before = tree_cpu_seconds(pid)
    for _ in range(requests):
        t0 = time.perf_counter()
        status = call(path)
        latencies.append((time.perf_counter() - t0) * 1000)
        if status != (201 if kind == "booking" else 200):
            raise SystemExit(f"{path} answered {status}")
    cpu_ms = (tree_cpu_seconds(pid) - cpu_before) * 1000 / requests
    return kind, path, statistics.median(latencies), percentile(latencies, 0.95), cpu_ms


def mix_cpu(rows: list[Row]) -> float:
    """Mean server CPU of one mixed_load request: each kind's weight over its paths' mean."""
    by_kind = {kind: [r[4] for r in rows if r[0] == kind] for kind in KINDS}
    parts = [(w, statistics.fmean(by_kind[k])) for k, w in zip(KINDS, WEIGHTS, strict=True)
             if by_kind[k]]  # fmt: skip
    return sum(w * c for w, c in parts) / sum(w for w, _ in parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--database", default="sqlite", choices=["sqlite", "postgresql"])
    parser.add_argument("--pg-url", default=PG_DEFAULT)
    parser.add_argument("--data-dir", type=Path, default=Path("var/bench"))
    parser.add_argument("--only", nargs="*", default=[], help="Paths containing any of these.")
    args = parser.parse_args()
    chosen = [t for t in targets() if not args.only or any(o in t[1] for o in args.only)]
    print(f"page cost: {args.requests} requests per path, {args.database}; {machine_load()}")
    with (
        fresh_database(args.database, args.pg_url) as url,
        serve_process(url, args.data_dir, 1) as (base, _ready, pid),
    ):
        prepared = prepare(url, 1)
        with httpx.Client(base_url=base, timeout=60) as http:
            call = Caller(http, prepared)
            rows = [measure(call, kind, path, args.requests, pid) for kind, path in chosen]
    print("| kind | path | p50 ms | p95 ms | server CPU ms/request |\n|---|---|---:|---:|---:|")
    for kind, path, p50, p95, cpu in rows:
        print(f"| {kind} | `{path}` | {p50:.1f} | {p95:.1f} | {cpu:.1f} |")
    mean = mix_cpu(rows)
    print(f"mixed_load mix: {mean:.1f} ms server CPU per request, at most "
          f"{2000 / mean:.0f} requests/s on two cores (load tool not counted)")  # fmt: skip
    print(f"after: {machine_load()}")


if __name__ == "__main__":
    main()
