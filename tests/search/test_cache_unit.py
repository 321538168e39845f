from __future__ import annotations

from pathlib import Path

import numpy as np

from triplehelix.search.service.cache import EmbeddingCache, content_key


def test_vectors_survive_a_restart(tmp_path: Path) -> None:
    cache = EmbeddingCache(tmp_path, "model-a")
    keys = cache.keys(["alpha", "beta"])
    cache.put(keys, np.array([[1, 0], [0, 1]], dtype=np.float32))
    reopened = EmbeddingCache(tmp_path, "model-a")
    vectors, missing = reopened.get(reopened.keys(["beta", "gamma", "alpha"]), 2)
    assert missing == [1]
    assert vectors.tolist() == [[0, 1], [0, 0], [1, 0]]


def test_keys_depend_on_the_model(tmp_path: Path) -> None:
    assert content_key("model-a", "x") != content_key("model-b", "x")
    EmbeddingCache(tmp_path, "model-a").put(
        [content_key("model-a", "x")], np.ones((1, 2), np.float32)
    )
    assert len(EmbeddingCache(tmp_path, "model-b")) == 0


def test_putting_known_keys_writes_nothing(tmp_path: Path) -> None:
    cache = EmbeddingCache(tmp_path, "m")
    keys = cache.keys(["a"])
    cache.put(keys, np.ones((1, 2), np.float32))
    cache.put(keys, np.zeros((1, 2), np.float32))
    assert len(list(cache.directory.glob("*.npy"))) == 2
    assert EmbeddingCache(tmp_path, "m").get(keys, 2)[0].tolist() == [[1, 1]]
