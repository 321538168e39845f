"""Retrieval evaluation: a BEIR folder through the engine and a plain SQLite FTS5 BM25.

Both run in the same process on the same machine, one query at a time, so their quality and
latency figures can stand side by side. The engine's latency includes embedding the query.
Metrics follow BEIR: nDCG@10 with graded gains and log2 discount, Recall@100. The command
`triplehelix bench beir` prints what `compare_rankers` returns; the scripts in `bench/` reuse the
loader, the metrics and the baseline.
"""

from __future__ import annotations

import json
import math
import re
import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from triplehelix.search.schemas.documents import Document
from triplehelix.search.service.engine import Progress, SearchEngine

Qrels = dict[str, dict[str, int]]
Ranker = Callable[[str], list[str]]


@dataclass(frozen=True)
class Dataset:
    name: str
    corpus: list[Document]
    queries: dict[str, str]  # only the queries that have judgements
    qrels: Qrels


@dataclass(frozen=True)
class Figures:
    ndcg_at_10: float
    recall_at_100: float
    qps: float
    p50_ms: float
    p95_ms: float


def load_beir(path: Path, split: str = "test") -> Dataset:
    corpus = [
        Document(
            id=str(r["_id"]), type="doc", fields={"title": r.get("title", ""), "text": r["text"]}
        )
        for r in _jsonl(path / "corpus.jsonl")
    ]
    qrels: Qrels = {}
    with (path / "qrels" / f"{split}.tsv").open(encoding="utf-8") as f:
        for line in f:
            qid, did, score = line.rstrip("\n").split("\t")[:3]
            if qid == "query-id":  # header
                continue
            qrels.setdefault(qid, {})[did] = int(score)
    queries = {
        str(r["_id"]): r["text"] for r in _jsonl(path / "queries.jsonl") if str(r["_id"]) in qrels
    }
    return Dataset(path.name, corpus, queries, qrels)


def _jsonl(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def ndcg_at(ranked: list[str], relevant: dict[str, int], k: int = 10) -> float:
    dcg = sum(relevant.get(d, 0) / math.log2(i + 2) for i, d in enumerate(ranked[:k]))
    ideal = sorted(relevant.values(), reverse=True)[:k]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg > 0 else 0.0


def recall_at(ranked: list[str], relevant: dict[str, int], k: int = 100) -> float:
    wanted = {d for d, g in relevant.items() if g > 0}
    return len(wanted & set(ranked[:k])) / len(wanted) if wanted else 0.0


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def evaluate(ranker: Ranker, data: Dataset) -> Figures:
    ndcg, recall, times = [], [], []
    for qid, text in data.queries.items():
        start = time.perf_counter()
        ranked = ranker(text)
        times.append((time.perf_counter() - start) * 1000)
        ndcg.append(ndcg_at(ranked, data.qrels[qid]))
        recall.append(recall_at(ranked, data.qrels[qid]))
    n = len(times)
    return Figures(
        ndcg_at_10=sum(ndcg) / n,
        recall_at_100=sum(recall) / n,
        qps=n / (sum(times) / 1000),
        p50_ms=percentile(times, 50),
        p95_ms=percentile(times, 95),
    )


class Fts5Baseline:
    """Plain BM25 as SQLite ships it: FTS5 with the porter tokenizer, terms OR-ed."""

    def __init__(self, corpus: list[Document]) -> None:
        self.db = sqlite3.connect(":memory:")
        self.db.execute(
            "CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, body, tokenize='porter')"
        )
        self.db.executemany("INSERT INTO docs VALUES (?, ?)", ((d.id, d.text()) for d in corpus))

    def __call__(self, query: str, limit: int = 100) -> list[str]:
        terms = [t for t in re.findall(r"\w+", query.lower()) if t]
        if not terms:
            return []
        match = " OR ".join(f'"{t}"' for t in dict.fromkeys(terms))
        sql = "SELECT id FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT ?"
        return [row[0] for row in self.db.execute(sql, (match, limit))]


def engine_ranker(engine: SearchEngine, limit: int = 100) -> Ranker:
    return lambda q: [h.document.id for h in engine.search(q, limit)]


def index_beir(
    path: Path, cache_dir: Path | None, progress: Progress | None = None
) -> tuple[Dataset, SearchEngine]:
    """The dataset at `path` and an engine over its corpus; `progress` follows the embedding."""
    data = load_beir(path)
    engine = SearchEngine(cache_dir=cache_dir, progress=progress)
    engine.add(data.corpus)
    engine.build()
    return data, engine


def compare_rankers(data: Dataset, engine: SearchEngine) -> dict[str, object]:
    """The engine's figures and the FTS5 baseline's on the same queries, as one JSON object."""
    engine.search("warm up")  # the first query pays one-off costs; no query is timed cold
    engine_figures = evaluate(engine_ranker(engine), data)
    baseline_figures = evaluate(Fts5Baseline(data.corpus), data)
    return {
        "dataset": data.name,
        "docs": len(data.corpus),
        "queries": len(data.queries),
        "engine": asdict(engine_figures),
        "baseline": asdict(baseline_figures),
    }
