"""The resources, bookings, users and tokens commands, run as a person would run them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy.engine import Engine

from tests.facilities.factories import make_facility
from triplehelix.db import transaction


def run(engine: Engine, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "TRIPLEHELIX_DATABASE_URL": engine.url.render_as_string(hide_password=False),
    }
    return subprocess.run([sys.executable, "-m", "triplehelix", *args], input=stdin, env=env,
                          capture_output=True, text=True, timeout=120)  # fmt: skip


def test_commands(engine: Engine, tmp_path: Path) -> None:
    with transaction(engine) as session:
        make_facility(session)
    added = run(engine, "resources", "add", "acme-cleanroom", "Bay 1", "--approval")
    assert added.returncode == 0, added.stderr
    resource_id = int(added.stdout.strip())
    listed = run(engine, "resources", "list")
    assert f"{resource_id}\tacme-cleanroom\tBay 1\tapproval" in listed.stdout
    missing = run(engine, "resources", "add", "nowhere", "Bay")
    assert missing.returncode == 2 and "no facility 'nowhere'" in missing.stderr
    made = run(
        engine,
        "users",
        "create",
        "root@example.org",
        "--role",
        "admin",
        stdin="long enough password\n",
    )
    assert made.returncode == 0, made.stderr
    short = run(engine, "users", "create", "x@example.org", stdin="short\n")
    assert short.returncode == 2 and "password" in short.stderr
    token = run(engine, "tokens", "create", "root@example.org").stdout.strip()
    assert token.startswith("th_") and len(token) > 40
    assert run(engine, "bookings", "list").returncode == 0
