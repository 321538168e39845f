"""Keyword search with facets over HTTP: the directory page beside datasette's full-text search.

Serves the bundled dataset with `triplehelix serve` (SQLite), copies the same organisations into
a plain SQLite file with an FTS5 table the way datasette expects (`organisations_fts`, external
content) and serves that with `datasette serve`, then runs wrk against each target in turn, in
one run on the same cores: the directory page with `q=` (all five facets computed), datasette's
`_search=` with two facets, both plain faceted pages, and `/healthz` as the baseline.

    python bench/fulltext_http.py --datasette /path/to/venv/bin/datasette [--duration 10]

datasette is not a dependency of triplehelix: install it into a separate virtualenv for the bench
(`python3 -m venv /tmp/bench-datasette && /tmp/bench-datasette/bin/pip install datasette`).
wrk comes from the operating system (`apt-get install -y wrk`).
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

from directory_http import free_port, run_wrk, start_server

QUERY = "vaccine"
FACETED = "kind=company&city=Leiden"


def ours(q: str) -> list[tuple[str, str]]:
    return [
        (f"triplehelix /organisations?q={q} (5 facets)", f"/organisations?q={q}"),
        (f"triplehelix /organisations?{FACETED} (5 facets)", f"/organisations?{FACETED}"),
        ("baseline triplehelix /healthz", "/healthz"),
    ]


def theirs(q: str) -> list[tuple[str, str]]:
    facets = "_facet=kind&_facet=city"
    return [
        (f"datasette ?_search={q} (2 facets)", f"/directory/organisations?_search={q}&{facets}"),
        (f"datasette ?{FACETED} (2 facets)", f"/directory/organisations?{FACETED}&{facets}"),
    ]


def datasette_copy(source: Path, target: Path) -> None:
    """The organisations with an FTS5 index as datasette detects it (`<table>_fts`)."""
    db = sqlite3.connect(target)
    db.execute(f"ATTACH DATABASE '{source}' AS src")
    db.executescript(
        """
        CREATE TABLE organisations AS
          SELECT id, name, kind, city, summary, founded, search_text FROM src.organisations;
        CREATE VIRTUAL TABLE organisations_fts USING fts5(
          name, summary, search_text, content='organisations');
        INSERT INTO organisations_fts(rowid, name, summary, search_text)
          SELECT rowid, name, summary, search_text FROM organisations;
        CREATE INDEX organisations_kind ON organisations(kind);
        CREATE INDEX organisations_city ON organisations(city);
        """
    )
    db.commit()
    db.execute("DETACH DATABASE src")
    db.close()


def start_datasette(binary: str, db: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    cmd = [binary, "serve", str(db), "--port", str(port), "--setting", "default_page_size", "20"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            for _, path in theirs(QUERY):
                urllib.request.urlopen(url + path, timeout=5).read()
            return proc, url
        except OSError:
            time.sleep(0.5)
    proc.terminate()
    raise SystemExit("datasette did not come up")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasette", default="datasette")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    print(f"cores: {os.cpu_count()}, load average before: {os.getloadavg()}")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        proc, url = start_server(Path(tmp), args.workers)
        try:
            for _, path in ours(QUERY):
                urllib.request.urlopen(url + path, timeout=30).read()
            datasette_copy(Path(tmp) / "triplehelix.db", Path(tmp) / "directory.db")
            ds, ds_url = start_datasette(args.datasette, Path(tmp) / "directory.db")
            try:
                targets = [(n, url, p, proc) for n, p in ours(QUERY)]
                targets += [(n, ds_url, p, ds) for n, p in theirs(QUERY)]
                for name, base, path, server in targets:
                    r = run_wrk(base + path, args.duration, args.connections, server.pid)
                    rows.append((name, r))
                    print(f"  {name}: {r['rps']:.0f} req/s", flush=True)
            finally:
                ds.terminate()
                ds.wait(timeout=30)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    print(f"load average after: {os.getloadavg()}\n")
    print(f"wrk, {args.connections} connections, {args.duration} s per target, ", end="")
    print(f"triplehelix with {args.workers} worker(s), datasette 1 process\n")
    print("| target | req/s | p50 ms | p99 ms | server CPU ms/req | non-2xx |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, r in rows:
        print(
            f"| {name} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p99']:.1f} "
            f"| {r['cpu_ms']:.2f} | {r['non2xx']:.0f} |"
        )


if __name__ == "__main__":
    main()
