"""Shared by bench/mixed_load.py and bench/cold_start.py: a fresh database, a freshly started
`triplehelix serve` on it (loopback, a free port), and latency figures.

SQLite: a new file in a temporary folder. PostgreSQL: a new database on the given server
(`CREATE DATABASE`), dropped afterwards. The embedding cache lives in `--data-dir` (default
var/bench) so runs after the first do not re-embed the directory; everything else is fresh.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from sqlalchemy import create_engine, make_url, text

from triplehelix.live import free_port

PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@contextmanager
def fresh_database(kind: str, pg_url: str) -> Iterator[str]:
    if kind == "sqlite":
        with tempfile.TemporaryDirectory(prefix="th-bench-") as folder:
            yield f"sqlite:///{Path(folder) / 'bench.db'}"
        return
    name = f"th_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(pg_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def serve(
    url: str, data_dir: Path, workers: int, env: dict[str, str] | None = None
) -> Iterator[tuple[str, float]]:
    """`triplehelix serve` (upgrade, bundled data and demo on first start, warm); yields the
    base URL once /readyz says ready, and the seconds from start to ready."""
    with serve_process(url, data_dir, workers, env) as (base, ready, _pid):
        yield base, ready


@contextmanager
def serve_process(
    url: str, data_dir: Path, workers: int, env: dict[str, str] | None = None
) -> Iterator[tuple[str, float, int]]:
    """`serve`, also yielding the server's process id (to read its CPU time)."""
    port = free_port()
    environ = {
        **os.environ,
        "TRIPLEHELIX_DATABASE_URL": url,
        "TRIPLEHELIX_DATA_DIR": str(data_dir),
        "HF_HUB_OFFLINE": "1",
        **(env or {}),
    }
    command = [sys.executable, "-m", "triplehelix", "serve", "--port", str(port),
               "--workers", str(workers)]  # fmt: skip
    started = time.monotonic()
    process = subprocess.Popen(command, env=environ, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        ready = _wait_ready(base, process, workers)
        yield base, ready - started, process.pid
    finally:
        process.terminate()
        process.wait(timeout=30)


def _wait_ready(base: str, process: subprocess.Popen[bytes], workers: int) -> float:
    """Ready when /readyz answers 200 on as many fresh connections in a row as there are
    workers times four (each worker warms on its own; a connection lands on any of them)."""
    deadline, streak = time.monotonic() + 900, 0
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            status = httpx.get(f"{base}/readyz", timeout=2).status_code
        except httpx.HTTPError:
            status = 0
        streak = streak + 1 if status == 200 else 0
        if streak >= 4 * workers:
            return time.monotonic()
        time.sleep(0.05 if status == 200 else 0.2)
    raise RuntimeError("server not ready within 900 s")


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def machine_load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min) on {os.cpu_count()} cores"
