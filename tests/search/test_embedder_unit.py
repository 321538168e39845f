"""The sentence encoder's precisions: bfloat16 weights give float32's vectors, under their own key."""

from __future__ import annotations

import numpy as np
import pytest

from triplehelix.config import EMBEDDING_PRECISION, SettingError
from triplehelix.search.service.embedder import MODEL_ID, Embedder, semantic_available

needs_model = pytest.mark.skipif(not semantic_available(), reason="embedding extra not installed")

TEXTS = [
    "a cleanroom to rent for cell therapy production",
    "who can sequence tumour samples for us",
    "drone delivery of blood samples between hospitals",
    "machine learning on microscopy images of cells, a longer need with more words in it than "
    "the others so that the batch is padded",
]


@needs_model
def test_bfloat16_weights_give_the_float32_vectors_under_another_cache_key() -> None:
    full, half = Embedder(precision="float32"), Embedder(precision="bfloat16")
    assert full.model_id == MODEL_ID  # caches written before keep their key
    assert half.model_id != full.model_id
    batch_full, batch_half = full.embed(TEXTS), half.embed(TEXTS)
    assert batch_half.dtype == np.float32
    assert np.allclose(np.linalg.norm(batch_half, axis=1), 1.0, atol=1e-5)
    # well below the float16 rounding the dense index stores vectors with (about 1e-3)
    assert float(np.min(np.sum(batch_full * batch_half, axis=1))) > 0.9995
    alone = np.stack([half.embed_query(t) for t in TEXTS])  # one query per forward pass, no padding
    assert float(np.min(np.sum(alone * batch_half, axis=1))) > 0.9995


def test_the_precision_setting_names_its_choices(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(EMBEDDING_PRECISION.name, "BFloat16")
    assert EMBEDDING_PRECISION.current() == "bfloat16"
    monkeypatch.setenv(EMBEDDING_PRECISION.name, "int4")
    with pytest.raises(SettingError, match="TRIPLEHELIX_EMBEDDING_PRECISION"):
        EMBEDDING_PRECISION.current()
