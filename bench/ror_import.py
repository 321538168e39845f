"""ROR import throughput on a synthetic 120,000-record file (ROR's full size), with a baseline.

The file is made by varying the 721 real NL records (new ids, numbered names and domains), so
every record is new to the directory. Baseline: plain `json.loads` of every line of the same file.
Measured: the importer into a fresh database that holds the bundled Leiden directory (first
import), then the same file again (every record unchanged). SQLite unless
`ROR_BENCH_DATABASE_URL` names a PostgreSQL server (a scratch schema is made there and dropped).
Usage: python bench/ror_import.py [N] [ROR_DIR]
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, make_url, text

from triplehelix.db import make_engine, transaction
from triplehelix.ingest.service.loader import bundled_dataset_path, load_dataset
from triplehelix.migrations import upgrade_database
from triplehelix.resolution.service.ror_import import import_ror

ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"


def synthetic(ror_dir: Path, out: Path, n: int) -> None:
    seeds = [
        json.loads(line)
        for name in ("ror_nl.jsonl", "ror_nl_schema_v1_only.jsonl")
        for line in (ror_dir / name).read_text(encoding="utf-8").splitlines()
    ]
    with out.open("w", encoding="utf-8") as handle:
        for i in range(n):
            raw = json.loads(json.dumps(seeds[i % len(seeds)]))
            code = "".join(ALPHABET[(i >> (5 * k)) & 31] for k in range(6))
            raw["id"] = f"https://ror.org/0{code}00"
            raw["relationships"] = []
            if "names" in raw:
                for name in raw["names"]:
                    name["value"] = f"{name['value']} {i}"
                raw["domains"] = [f"s{i}.{d}" for d in raw.get("domains") or []]
            else:
                raw["name"] = f"{raw['name']} {i}"
                raw["aliases"] = [f"{a} {i}" for a in raw.get("aliases") or []]
            handle.write(json.dumps(raw, ensure_ascii=False) + "\n")


@contextmanager
def database_url(tmp: Path) -> Iterator[str]:
    """A fresh SQLite file, or a scratch schema on the PostgreSQL server in the environment."""
    server = os.environ.get("ROR_BENCH_DATABASE_URL")
    if not server:
        yield f"sqlite:///{tmp / 'bench.db'}"
        return
    admin = create_engine(server)
    with admin.begin() as conn:
        conn.execute(text('CREATE SCHEMA "ror_bench"'))
    try:
        yield (
            make_url(server)
            .update_query_dict({"options": "-csearch_path=ror_bench"})
            .render_as_string(hide_password=False)
        )
    finally:
        with admin.begin() as conn:
            conn.execute(text('DROP SCHEMA "ror_bench" CASCADE'))
        admin.dispose()


# The NL records live beside the repository (../shared) where benchmarks may read them.
SHARED_ROR = Path(__file__).resolve().parents[2] / "shared" / "data" / "ror"


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 120_000
    ror_dir = Path(sys.argv[2]) if len(sys.argv) > 2 else SHARED_ROR
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "synthetic.jsonl"
        synthetic(ror_dir, path, n)
        t, cpu = time.perf_counter(), time.process_time()
        with path.open(encoding="utf-8") as handle:
            parsed = sum(1 for line in handle if json.loads(line))
        baseline, baseline_cpu = time.perf_counter() - t, time.process_time() - cpu
        with database_url(Path(tmp)) as url:
            engine = make_engine(url)
            upgrade_database(engine)
            with transaction(engine) as session:
                load_dataset(session, bundled_dataset_path())
            runs = {}
            for label in ("first", "again"):
                t, cpu = time.perf_counter(), time.process_time()
                with transaction(engine) as session:
                    summary = import_ror(session, path)
                runs[label] = {
                    "seconds": round(time.perf_counter() - t, 1),
                    "cpu_seconds": round(time.process_time() - cpu, 1),
                    **summary.as_dict(),
                }
            engine.dispose()
    print(json.dumps({"records": n, "database": engine.dialect.name,
                      "baseline_json_parse_seconds": round(baseline, 2),
                      "baseline_json_parse_cpu_seconds": round(baseline_cpu, 2),
                      "parsed": parsed, **runs}, indent=2))  # fmt: skip


if __name__ == "__main__":
    main()
