"""ROR import throughput on a synthetic 120,000-record file (ROR's full size), with a baseline.

The file is made by varying the 721 real NL records (new ids, numbered names and domains), so
every record is new to the directory. Baseline: plain `json.loads` of every line of the same file.
Measured: the importer into a fresh SQLite database that holds the bundled Leiden directory (first
import), then the same file again (every record unchanged).
Usage: python bench/ror_import.py [N] [ROR_DIR]
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

from triplehelix.db import make_engine, transaction
from triplehelix.ingest.loader import bundled_dataset_path, load_dataset
from triplehelix.migrations import upgrade_database
from triplehelix.resolution.ror_import import import_ror

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


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 120_000
    ror_dir = Path(sys.argv[2]) if len(sys.argv) > 2 else Path("/work/shared/data/ror")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "synthetic.jsonl"
        synthetic(ror_dir, path, n)
        t = time.perf_counter()
        with path.open(encoding="utf-8") as handle:
            parsed = sum(1 for line in handle if json.loads(line))
        baseline = time.perf_counter() - t
        engine = make_engine(f"sqlite:///{Path(tmp) / 'bench.db'}")
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
    print(json.dumps({"records": n, "baseline_json_parse_seconds": round(baseline, 2),
                      "parsed": parsed, **runs}, indent=2))  # fmt: skip


if __name__ == "__main__":
    main()
