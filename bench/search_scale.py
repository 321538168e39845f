"""Scale benchmark: the engine and the FTS5 baseline on 200,000 documents built from SciFact.

Each synthetic document is a SciFact passage (title + a window of whole sentences, as the engine
cuts them) followed by one sentence of another abstract, so every text is distinct and the
vocabulary and lengths stay those of real biomedical abstracts. Embedding 200,000 new texts would
take hours on a 2-core CPU, so each document reuses its source passage's cached embedding (the
`prime` step writes those vectors into a separate embedding cache under the documents' own
texts); query latency and memory depend only on the matrix shape, and every query is still
embedded for real. Each side is measured in a fresh process so peak RSS is its own.

    python bench/search_scale.py [--scifact ../shared/bench/scifact] [--docs 200000]

Needs the SciFact embeddings in the cache (run `triplehelix bench beir` on SciFact once first).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from triplehelix.search.schemas.documents import Document
from triplehelix.search.service.cache import EmbeddingCache
from triplehelix.search.service.dense import HEADING_MAX_WORDS, document_passages
from triplehelix.search.service.embedder import shared_embedder
from triplehelix.search.service.engine import SearchEngine
from triplehelix.search.service.evaluation import Fts5Baseline, load_beir, percentile
from triplehelix.search.service.text import passages, sentences

SEED = 20261121


def synthetic_corpus(scifact: Path, n: int) -> tuple[list[Document], list[str], list[str]]:
    """n documents, each source passage's embedding text, and the SciFact test queries."""
    data = load_beir(scifact)
    rng = random.Random(SEED)
    sources = [
        (d.fields["title"], p)
        for d in data.corpus
        if 0 < len(d.fields["title"].split()) <= HEADING_MAX_WORDS  # passages carry the title
        for p in passages(d.fields["text"])
    ]
    extra = [s for d in data.corpus for s in sentences(d.fields["text"])]
    docs, source_texts = [], []
    for i in range(n):
        title, body = sources[rng.randrange(len(sources))]
        text = f"{body} {extra[rng.randrange(len(extra))]}"
        docs.append(Document(f"s{i}", "doc", {"title": title, "text": text}))
        source_texts.append(f"{title}. {body}")
    return docs, source_texts, list(data.queries.values())


def prime(args: argparse.Namespace) -> None:
    docs, source_texts, _ = synthetic_corpus(args.scifact, args.docs)
    model_id = shared_embedder().model_id  # the cache key names the weights' precision
    source = EmbeddingCache(args.source_cache, model_id)
    vectors, missing = source.get(source.keys(source_texts), 384)
    if missing:
        sys.exit(f"{len(missing)} source passages are not cached; run the SciFact bench first")
    target = EmbeddingCache(args.cache, model_id)
    texts, rows = [], []
    for i, doc in enumerate(docs):
        for text in document_passages(doc):
            texts.append(text)
            rows.append(i)
    target.put(target.keys(texts), vectors[rows])


def measure(args: argparse.Namespace) -> None:
    docs, _, queries = synthetic_corpus(args.scifact, args.docs)
    start = time.perf_counter()
    if args.side == "engine":
        engine = SearchEngine(cache_dir=args.cache)
        engine.add(docs)
        engine.build()
        engine.search("warm up")
        ranker = lambda q: engine.search(q, 100)  # noqa: E731
    else:
        ranker = Fts5Baseline(docs)
    built = time.perf_counter() - start
    del docs
    times = []
    for q in queries:
        t = time.perf_counter()
        ranker(q)
        times.append((time.perf_counter() - t) * 1000)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({
        "side": args.side, "build_s": built, "p50_ms": percentile(times, 50),
        "p95_ms": percentile(times, 95), "qps": len(times) / (sum(times) / 1000),
        "peak_rss_mb": peak_mb, "mean_ms": float(np.mean(times)),
    }))  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("step", nargs="?", default="all", choices=["all", "prime", "measure"])
    parser.add_argument("--scifact", type=Path, default=Path("../shared/bench/scifact"))
    parser.add_argument("--docs", type=int, default=200_000)
    parser.add_argument("--source-cache", type=Path, default=Path("var/cache"))
    parser.add_argument("--cache", type=Path, default=Path("var/scale-cache"))
    parser.add_argument("--side", choices=["engine", "baseline"], default="engine")
    args = parser.parse_args()
    if args.step == "prime":
        return prime(args)
    if args.step == "measure":
        return measure(args)
    common = [f"--scifact={args.scifact}", f"--docs={args.docs}", f"--cache={args.cache}"]
    me = [sys.executable, __file__]
    subprocess.run([*me, "prime", *common, f"--source-cache={args.source_cache}"], check=True)
    for side in ("engine", "baseline"):
        out = subprocess.run([*me, "measure", *common, f"--side={side}"], check=True,
                             capture_output=True, text=True).stdout  # fmt: skip
        print(out.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
