"""A real uvicorn server in a child process on a free port, for the race tests, the browser
tests and the HTTP benchmark (all of which must go through a running server, not TestClient)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.error import URLError
from urllib.request import urlopen


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def live_server(
    database_url: str, data_dir: Path, extra_env: dict[str, str] | None = None, workers: int = 1
) -> Iterator[str]:
    """Serve the app on the given (already migrated) database; yields the base URL."""
    port = free_port()
    env = {**os.environ, "TRIPLEHELIX_DATABASE_URL": database_url,
           "TRIPLEHELIX_DATA_DIR": str(data_dir), **(extra_env or {})}  # fmt: skip
    command = [sys.executable, "-m", "uvicorn", "triplehelix.app:create_app",
               "--factory", "--host", "127.0.0.1", "--port", str(port),
               "--log-level", "warning", "--workers", str(workers)]  # fmt: skip
    process = subprocess.Popen(command, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(base, process)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


def _wait(base: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            with urlopen(f"{base}/healthz", timeout=1) as reply:
                if reply.status == 200:
                    return
        except (URLError, OSError):
            time.sleep(0.1)
    raise RuntimeError("server did not start within 60 s")
