"""Directory HTTP benchmark: the faceted organisations page, its API twin and a baseline, with wrk.

Serves the bundled dataset with `triplehelix serve` from a fresh data folder, then runs wrk
(16 connections, 20 s by default) against each target in turn and prints req/s and p50/p99
latency as a Markdown table, with the machine's load average before and after. The baseline
(`/healthz`: routing and JSON, no database) puts the page figures to scale in the same run.
The server's CPU time per request (its whole process tree, from /proc) is printed too: on a
machine shared with other work, latency tails follow the load, CPU per request does not.

    python bench/directory_http.py [--workers 1 2] [--duration 20] [--connections 16]

wrk comes from the operating system: `apt-get install -y wrk` (Debian/Ubuntu).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

FILTERS = "kind=company&city=Leiden"
TARGETS = [
    ("HTML /organisations (facets kind+city)", f"/organisations?{FILTERS}"),
    ("API /api/organisations (same filters)", f"/api/organisations?{FILTERS}"),
    ("baseline /healthz (no database)", "/healthz"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(data_dir: Path, workers: int) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {**os.environ, "TRIPLEHELIX_DATA_DIR": str(data_dir), "TRIPLEHELIX_DATABASE_URL": ""}
    cmd = [sys.executable, "-m", "triplehelix", "serve", "--port", str(port)]
    cmd += ["--workers", str(workers)]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            for _, path in TARGETS:  # warm up every route and each worker's caches
                for _ in range(4 * workers):
                    urllib.request.urlopen(url + path, timeout=5).read()
            return proc, url
        except OSError:
            time.sleep(0.5)
    proc.terminate()
    raise SystemExit(f"server at {url} did not come up")


def tree_cpu_seconds(root: int) -> float:
    """User + system CPU time of a process and all its descendants (Linux /proc)."""
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(entry.name)
        parents[pid] = int(fields[1])
        times[pid] = (int(fields[11]) + int(fields[12])) / tick
    tree, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent]
        tree.update(children)
        frontier += children
    return sum(times.get(pid, 0.0) for pid in tree)


def to_ms(text: str) -> float:
    value, unit = float(re.match(r"[\d.]+", text).group()), re.sub(r"[\d.]+", "", text)  # type: ignore[union-attr]
    return value * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def run_wrk(url: str, duration: int, connections: int, server: int) -> dict[str, float]:
    cpu_before = tree_cpu_seconds(server)
    cmd = ["wrk", f"-t{min(connections, 2)}", f"-c{connections}", f"-d{duration}s", "--latency"]
    out = subprocess.run([*cmd, url], capture_output=True, text=True, check=True).stdout
    cpu = tree_cpu_seconds(server) - cpu_before
    requests = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    latency = dict(re.findall(r"^\s*(50|99)%\s+(\S+)\s*$", out, re.M))
    if set(latency) != {"50", "99"}:
        raise SystemExit(f"could not read wrk's latency distribution:\n{out}")
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)$", out, re.M)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        "p50": to_ms(latency["50"]),
        "p99": to_ms(latency["99"]),
        "cpu_ms": 1000 * cpu / max(requests, 1),
        "non2xx": float(errors.group(1)) if errors else 0.0,
        "socket_errors": 1.0 if socket_errors else 0.0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: install it with `apt-get install -y wrk`")
    print(f"cores: {os.cpu_count()}, load average before: {os.getloadavg()}")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for workers in args.workers:
            proc, url = start_server(Path(tmp), workers)
            try:
                for name, path in TARGETS:
                    r = run_wrk(url + path, args.duration, args.connections, proc.pid)
                    rows.append((workers, name, r))
                    print(f"  workers={workers} {name}: {r['rps']:.0f} req/s", flush=True)
            finally:
                proc.terminate()
                proc.wait(timeout=30)
    print(f"load average after: {os.getloadavg()}\n")
    print(f"wrk, {args.connections} connections, {args.duration} s per target\n")
    print("| workers | target | req/s | p50 ms | p99 ms | server CPU ms/req | non-2xx |")
    print("|---:|---|---:|---:|---:|---:|---:|")
    for workers, name, r in rows:
        print(
            f"| {workers} | {name} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p99']:.1f} "
            f"| {r['cpu_ms']:.2f} | {r['non2xx']:.0f} |"
        )


if __name__ == "__main__":
    main()
