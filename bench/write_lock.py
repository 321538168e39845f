"""How long a CLI write (load, load --replace, import ror) holds SQLite's write lock.

A probe thread takes the write lock itself (`BEGIN IMMEDIATE`, then `ROLLBACK`) every 10 ms on
its own connection while the command runs in a child process; the longest time one probe waited
is how long a booking would have waited. The command's own run time is printed beside it (the
baseline: a write lock held for the whole command would make both equal).

    python bench/write_lock.py sqlite:////tmp/x.db -- load src/triplehelix/data/leiden --replace
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
import time


def probe(path: str, stop: threading.Event, waits: list[float]) -> None:
    conn = sqlite3.connect(path, timeout=120, isolation_level=None)
    while not stop.is_set():
        started = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        waits.append(time.perf_counter() - started)
        conn.execute("ROLLBACK")
        time.sleep(0.01)
    conn.close()


def main(argv: list[str]) -> None:
    url, command = argv[0], argv[argv.index("--") + 1 :]
    path = url.split("///", 1)[1]
    env = {**os.environ, "TRIPLEHELIX_DATABASE_URL": url}
    # make sure the file exists and is migrated before the probe opens it
    subprocess.run([sys.executable, "-m", "triplehelix", "info"], env=env, check=False,
                   capture_output=True)  # fmt: skip
    stop, waits = threading.Event(), []  # type: ignore[var-annotated]
    thread = threading.Thread(target=probe, args=(path, stop, waits))
    thread.start()
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "triplehelix", *command], env=env,
                            capture_output=True, text=True)  # fmt: skip
    elapsed = time.perf_counter() - started
    stop.set()
    thread.join()
    waits.sort()
    print(f"command: triplehelix {' '.join(command)} (exit {result.returncode})")
    if result.returncode:
        print(result.stderr[-2000:])
    print(f"  command run time     {elapsed:8.2f} s (baseline: a lock held throughout)")
    print(f"  longest lock wait    {waits[-1]:8.3f} s over {len(waits)} probes")
    print(f"  p99 lock wait        {waits[int(len(waits) * 0.99)]:8.3f} s")


if __name__ == "__main__":
    main(sys.argv[1:])
