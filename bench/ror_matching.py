"""Matching precision and recall of ROR records against the bundled Leiden directory.

Labels: bench/data/ror_labels.csv (how they were made: bench/data/ROR_LABELS.md). Every ROR
record in the shared files is matched against the 223 Leiden organisations with the same code the
importer uses; an automatic match is correct when the label gives that organisation that ROR id.
Usage: python bench/ror_matching.py [ROR_DIR]
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

from triplehelix.db import make_engine, transaction
from triplehelix.ingest.service.loader import bundled_dataset_path, load_dataset
from triplehelix.ingest.service.ror import RorRecord, read_ror_lines
from triplehelix.migrations import upgrade_database
from triplehelix.resolution.service.apply import all_organisation_profiles, record_profile
from triplehelix.resolution.service.matcher import REVIEW, ProfileIndex, decide

HERE = Path(__file__).parent
SETS = {
    "region": ["ror_leiden_region.jsonl", "ror_leiden_region_schema_v1_only.jsonl"],
    "netherlands": ["ror_nl.jsonl", "ror_nl_schema_v1_only.jsonl"],
}


def leiden_index(tmp: Path) -> ProfileIndex:
    engine = make_engine(f"sqlite:///{tmp / 'bench_matching.db'}")
    upgrade_database(engine)
    with transaction(engine) as session:
        load_dataset(session, bundled_dataset_path())
        return ProfileIndex(all_organisation_profiles(session))


def evaluate(
    index: ProfileIndex, records: list[RorRecord], truth: dict[str, str]
) -> dict[str, object]:
    ids = {r.ror_id for r in records}
    positives = {(org, rid) for org, rid in truth.items() if rid in ids}
    auto, review = set(), set()
    for record in records:
        verdict, matches = decide(index.match(record_profile(record), REVIEW))
        pairs = {(m.key, record.ror_id) for m in matches}
        (auto if verdict == "auto" else review).update(pairs)
    tp = len(auto & positives)
    return {
        "records": len(records),
        "labelled_positives": len(positives),
        "auto_matches": len(auto),
        "auto_correct": tp,
        "precision": round(tp / len(auto), 3) if auto else None,
        "recall": round(tp / len(positives), 3) if positives else None,
        "review_pairs": len(review),
        "positives_in_review": len(review & positives),
        "missed": sorted(f"{o}->{r}" for o, r in positives - auto),
        "wrong": sorted(f"{o}->{r}" for o, r in auto - positives),
    }


# The NL records live beside the repository (../shared) where benchmarks may read them.
SHARED_ROR = Path(__file__).resolve().parents[2] / "shared" / "data" / "ror"


def main() -> None:
    ror_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else SHARED_ROR
    with open(HERE / "data" / "ror_labels.csv", encoding="utf-8") as handle:
        truth = {
            row["organisation_id"]: row["ror_id"] for row in csv.DictReader(handle) if row["ror_id"]
        }
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        index = leiden_index(Path(tmp))
    results = {}
    for name, files in SETS.items():
        records = [
            item
            for f in files
            for _, item in read_ror_lines(ror_dir / f)
            if isinstance(item, RorRecord)
        ]
        results[name] = evaluate(index, records, truth)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
