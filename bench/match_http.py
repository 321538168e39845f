"""GET /api/match over HTTP on the bundled Leiden data, one worker, beside /healthz in the same run.

Serves the bundled dataset with `triplehelix serve --workers 1` from a fresh data folder (query
embedding included in every request: the needs rotate through the 70 English Leiden needs, so
nothing is answered from a cache), then measures:
  - one client, sequential requests for `--seconds`: p50 / p95 latency (Python client);
  - 16 concurrent connections with wrk (Debian's wrk, a Lua script rotating the needs): matches/s;
  - /healthz the same two ways, as the baseline of what the machine gives in this run.
The server remembers the last 2,048 query vectors (`search.embedder.QUERY_CACHE`), so after the
warm-up the rotating needs skip the forward pass; `--distinct` appends the request's number to
every need ("... trial 1234"), so every request embeds a query never seen before.
`--data-dir` reuses a folder (its embedding cache) between short runs. The load average is
printed before and after.
Usage: python bench/match_http.py [--seconds 5] [--distinct] [--data-dir DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

import numpy as np
from directory_http import free_port  # type: ignore[import-not-found]

NEEDS = Path(__file__).resolve().parents[1] / "tests" / "matching"


def _paths() -> list[str]:
    needs = []
    for name in ("leiden_needs.jsonl", "leiden_needs_paraphrased.jsonl"):
        lines = (NEEDS / name).read_text("utf-8").splitlines()
        needs += [json.loads(x)["need"] for x in lines if x.strip()]
    return ["/api/match?" + urllib.parse.urlencode({"q": n}) for n in needs]


def _serve(data_dir: Path) -> tuple[subprocess.Popen[bytes], str]:
    import sys

    port = free_port()
    env = {**os.environ, "TRIPLEHELIX_DATA_DIR": str(data_dir), "TRIPLEHELIX_DATABASE_URL": ""}
    cmd = [sys.executable, "-m", "triplehelix", "serve", "--port", str(port), "--workers", "1"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url + "/api/match?q=warm+up", timeout=60).read()
            # the app warms its other caches (insight pictures) in a thread after start: wait,
            # or that work shares the cores with the first seconds measured
            urllib.request.urlopen(url + "/readyz", timeout=60).read()
            return proc, url
        except OSError:
            time.sleep(0.5)
    proc.terminate()
    raise SystemExit(f"server at {url} did not come up")


def one_client(
    url: str, paths: list[str], seconds: float, distinct: bool = False
) -> dict[str, float]:
    times, n, end = [], 0, time.monotonic() + seconds
    while time.monotonic() < end:
        start = time.perf_counter()
        path = paths[n % len(paths)] + (f"+{n + 1_000_000}" if distinct else "")
        urllib.request.urlopen(url + path, timeout=30).read()
        times.append((time.perf_counter() - start) * 1000)
        n += 1
    return {
        "requests": n,
        "p50_ms": round(float(np.percentile(times, 50)), 1),
        "p95_ms": round(float(np.percentile(times, 95)), 1),
    }


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its live children (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    pids = [pid]
    for task in Path(f"/proc/{pid}/task").iterdir():
        children = (task / "children").read_text().split()
        pids += [int(c) for c in children]
    total = 0
    for p in pids:
        fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / tick


def wrk(url: str, paths: list[str], seconds: float, distinct: bool = False) -> float:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        quoted = ",".join(json.dumps(p) for p in paths)
        # each wrk thread numbers its requests from its own start (threads differ by 10^7)
        f.write(f"local p = {{{quoted}}}\nlocal i = 0\nlocal n = 0\nbase = 0\n")
        f.write("setup = function(t) n = n + 1\n t:set('base', n * 10000000) end\n")
        suffix = " .. '+' .. (base + i)" if distinct else ""
        f.write(
            "request = function() i = i + 1\n"
            f" return wrk.format('GET', p[(i % #p) + 1]{suffix}) end\n"
        )
    out = subprocess.run(
        ["wrk", "-t2", "-c16", f"-d{int(seconds)}s", "-s", f.name, url],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    line = next(x for x in out.splitlines() if x.startswith("Requests/sec"))
    return float(line.split()[1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--distinct", action="store_true")
    parser.add_argument("--data-dir", type=Path)
    args = parser.parse_args()
    folder = args.data_dir or Path(tempfile.mkdtemp(prefix="match-http-"))
    folder.mkdir(parents=True, exist_ok=True)
    proc, url = _serve(folder)
    print(f"load average before: {os.getloadavg()}")
    try:
        paths = _paths()
        for p in paths:  # every need once: the index and model are warm
            urllib.request.urlopen(url + p, timeout=60).read()
        d = args.distinct
        single = one_client(url, paths, args.seconds, d)
        before = cpu_seconds(proc.pid)
        rate = wrk(url, paths, args.seconds, d)
        cpu_ms = (cpu_seconds(proc.pid) - before) * 1000 / (rate * int(args.seconds))
        rows = {
            "/api/match": (single, rate),
            "/healthz": (
                one_client(url, ["/healthz"], args.seconds),
                wrk(url, ["/healthz"], args.seconds),
            ),
        }
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    print(f"load average after: {os.getloadavg()}; distinct queries: {args.distinct}")
    print(f"server CPU per /api/match under 16 connections: {cpu_ms:.2f} ms")
    print(f"{'target':<12}{'1 client p50':>14}{'p95 ms':>9}{'16 conns req/s':>16}")
    for name, (single, rate) in rows.items():
        print(f"{name:<12}{single['p50_ms']:>14.1f}{single['p95_ms']:>9.1f}{rate:>16.1f}")


if __name__ == "__main__":
    main()
