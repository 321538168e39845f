"""Concurrent query embeddings share forward passes, each caller gets its own vector, a failure
reaches every caller of its batch; the embedder's query cache answers repeats."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import numpy.typing as npt
import pytest

from triplehelix.search.service.embedder import QueryBatcher


class SlowForward:
    """A stand-in for the model: a vector from the text, and a pass that waits to be released."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []
        self.release = threading.Event()

    def __call__(self, texts: list[str]) -> npt.NDArray[np.float32]:
        self.calls.append(list(texts))
        self.release.wait(timeout=10)
        return np.array([[len(t), ord(t[0])] for t in texts], dtype=np.float32)


def test_queries_arriving_during_a_pass_share_the_next_one() -> None:
    forward = SlowForward()
    batcher = QueryBatcher(forward)
    texts = [f"{chr(97 + n)} need {'x' * n}" for n in range(8)]
    with ThreadPoolExecutor(8) as pool:
        first = pool.submit(batcher.embed, texts[0])
        while not forward.calls:  # the first pass is running; the others queue behind it
            threading.Event().wait(0.001)
        rest = [pool.submit(batcher.embed, t) for t in texts[1:]]
        while len(batcher._pending) < 7:
            threading.Event().wait(0.001)
        forward.release.set()
        vectors = [first.result(), *(f.result() for f in rest)]
    assert forward.calls == [texts[:1], texts[1:]]
    assert batcher.batches == 2
    for text, vector in zip(texts, vectors, strict=True):
        assert vector.tolist() == [len(text), ord(text[0])]


def test_a_lone_query_runs_at_once() -> None:
    forward = SlowForward()
    forward.release.set()
    batcher = QueryBatcher(forward)
    assert batcher.embed("alone").tolist() == [5, ord("a")]
    assert forward.calls == [["alone"]]


def test_a_failing_pass_fails_every_caller_of_its_batch_and_the_next_pass_works() -> None:
    calls = []

    def forward(texts: list[str]) -> npt.NDArray[np.float32]:
        calls.append(texts)
        if len(calls) == 1:
            raise RuntimeError("model broke")
        return np.ones((len(texts), 2), dtype=np.float32)

    batcher = QueryBatcher(forward)
    with pytest.raises(RuntimeError, match="model broke"):
        batcher.embed("first")
    assert batcher.embed("second").tolist() == [1.0, 1.0]
    assert not batcher._busy and not batcher._pending


def test_the_embedder_remembers_query_vectors() -> None:
    from triplehelix.search.service.embedder import semantic_available, shared_embedder

    if not semantic_available():
        pytest.skip("the embeddings extra is not installed")
    embedder = shared_embedder()
    hits = embedder.cache_hits
    first = embedder.embed_query("a query for the cache test")
    again = embedder.embed_query("a query for the cache test")
    assert embedder.cache_hits == hits + 1 and again is first
    assert not first.flags.writeable  # shared between requests: nobody may change it
    other = embedder.embed_query("another query for the cache test")
    assert float(first @ other) < 0.9999
