"""Needs as people phrase them, against the bundled Leiden data: does matching find who can help?

For every need in tests/matching/leiden_needs.jsonl (with the organisations and facilities that
answer it), three rankers run in the same process on the same index:
  - matching: the product (BM25 + MiniLM fused, taxonomy understanding, aggregation);
  - BM25: plain BM25 over the same documents, aggregated to owners the same way;
  - MiniLM: dense similarity alone, best passage per owner.
It prints the share of needs with an acceptable answer in the top five, MRR@10, and p50/p95
latency per need. Usage: python bench/leiden_needs.py [--json]
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from triplehelix.db import make_engine, session_factory, transaction
from triplehelix.ingest.service.loader import bundled_dataset_path, load_dataset
from triplehelix.matching.service import match_need
from triplehelix.matching.service.documents import all_documents
from triplehelix.matching.service.index import index_for
from triplehelix.migrations import upgrade_database
from triplehelix.search.service.embedder import shared_embedder
from triplehelix.search.service.engine import SearchEngine

NEEDS = Path(__file__).resolve().parents[1] / "tests" / "matching" / "leiden_needs.jsonl"
NEED_SETS = {
    "written from the profiles": NEEDS,
    "paraphrased": NEEDS.with_name("leiden_needs_paraphrased.jsonl"),
}
Ranker = Callable[[str], list[str]]


def _key(owner: str) -> str:  # "organisation:x" -> "org:x" as in the needs file
    kind, _, ident = owner.partition(":")
    return f"{'org' if kind == 'organisation' else 'facility'}:{ident}"


def evaluate(rank: Ranker, needs: list[dict[str, object]]) -> dict[str, float]:
    hits, rr, times = 0, 0.0, []
    for need in needs:
        start = time.perf_counter()
        keys = rank(str(need["need"]))[:10]
        times.append((time.perf_counter() - start) * 1000)
        accept = set(need["accept"])  # type: ignore[call-overload]
        first = next((n for n, k in enumerate(keys, 1) if k in accept), None)
        hits += bool(first and first <= 5)
        rr += 1 / first if first else 0
    return {
        "top5": round(hits / len(needs), 3),
        "mrr": round(rr / len(needs), 3),
        "p50_ms": round(float(np.percentile(times, 50)), 1),
        "p95_ms": round(float(np.percentile(times, 95)), 1),
    }


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="leiden-needs-"))
    engine = make_engine(f"sqlite:///{folder / 'bench.db'}")
    upgrade_database(engine)
    with transaction(engine) as session:
        load_dataset(session, bundled_dataset_path())
    session = session_factory(engine)()
    index = index_for(session, folder)
    docs = all_documents(session)

    def matching(need: str) -> list[str]:
        items = match_need(index, need, 10).items
        return [f"{'org' if i.type == 'organisation' else 'facility'}:{i.id}" for i in items]

    bm25 = SearchEngine(semantic=False)
    bm25.replace(docs)
    bm25.build()

    def lexical(need: str) -> list[str]:
        return [_key(h.key) for h in bm25.search_entities(need, 10, depth=len(bm25))]

    embedder = shared_embedder()
    vectors = embedder.embed([d.text() for d in docs])
    owners = [d.owner for d in docs]

    def dense(need: str) -> list[str]:
        scores = vectors @ embedder.embed_query(need)
        best: dict[str, float] = {}
        for owner, score in zip(owners, scores, strict=True):
            best[owner] = max(best.get(owner, -1.0), float(score))
        ranked = sorted(best, key=lambda k: (-best[k], k))
        return [_key(k) for k in ranked]

    for ranker in (matching, lexical, dense):  # warm every path once
        ranker("warm up")
    results = {}
    for label, path in NEED_SETS.items():
        needs = [json.loads(x) for x in path.read_text("utf-8").splitlines() if x.strip()]
        results[label] = {
            "needs": len(needs),
            "matching": evaluate(matching, needs),
            "bm25": evaluate(lexical, needs),
            "minilm": evaluate(dense, needs),
        }
    if "--json" in sys.argv:
        print(json.dumps(results))
        return
    for label, result in results.items():
        print(f"\n{result['needs']} needs, {label}; bundled Leiden data")
        print(f"{'ranker':<10}{'top-5':>8}{'MRR':>8}{'p50 ms':>9}{'p95 ms':>9}")
        for name in ("matching", "bm25", "minilm"):
            r = result[name]
            assert isinstance(r, dict)
            print(
                f"{name:<10}{r['top5']:>8.3f}{r['mrr']:>8.3f}{r['p50_ms']:>9.1f}{r['p95_ms']:>9.1f}"
            )


if __name__ == "__main__":
    main()
