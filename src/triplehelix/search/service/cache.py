"""A file cache of embeddings keyed by content hash, so a restart never re-embeds a text.

The key is sha256(model id, text). Each `put` appends shards (a keys file and a vectors file,
written under temporary names and renamed, so a crash never leaves half a shard). Only the keys
stay in memory; a `get` reads the shards it needs one at a time, and shards are small, so
reading a large cache never holds more than one shard beside the result.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

FloatMatrix = npt.NDArray[np.float32]
SHARD_ROWS = 16_384  # 25 MB of float32 vectors at 384 dimensions


def content_key(model_id: str, text: str) -> bytes:
    return hashlib.sha256(f"{model_id}\x00{text}".encode()).digest()


class EmbeddingCache:
    def __init__(self, directory: Path, model_id: str) -> None:
        slug = hashlib.sha256(model_id.encode()).hexdigest()[:16]
        self.directory = Path(directory) / f"embeddings-{slug}"
        self.model_id = model_id
        self._index: dict[bytes, tuple[int, int]] = {}
        self._files: list[Path] = []
        self._load()

    def _shards(self) -> list[Path]:
        if not self.directory.exists():
            return []
        return sorted(self.directory.glob("*.keys.npy"))

    def _load(self) -> None:
        for keys_file in self._shards():
            vecs_file = keys_file.with_name(keys_file.name.replace(".keys.", ".vecs."))
            if not vecs_file.exists():
                continue
            shard = len(self._files)
            self._files.append(vecs_file)
            for row, key in enumerate(np.load(keys_file)):
                self._index[key.tobytes()] = (shard, row)

    def __len__(self) -> int:
        return len(self._index)

    def keys(self, texts: list[str]) -> list[bytes]:
        return [content_key(self.model_id, t) for t in texts]

    def get(
        self, keys: list[bytes], dimension: int, dtype: type[np.floating[Any]] = np.float32
    ) -> tuple[npt.NDArray[Any], list[int]]:
        """The cached vectors for `keys` (zeros where missing) and the positions missing."""
        out = np.zeros((len(keys), dimension), dtype=dtype)
        missing: list[int] = []
        wanted: dict[int, tuple[list[int], list[int]]] = {}
        for i, key in enumerate(keys):
            where = self._index.get(key)
            if where is None:
                missing.append(i)
            else:
                positions, rows = wanted.setdefault(where[0], ([], []))
                positions.append(i)
                rows.append(where[1])
        for shard, (positions, rows) in wanted.items():
            out[positions] = np.load(self._files[shard])[rows]
        return out, missing

    def put(self, keys: list[bytes], vectors: FloatMatrix) -> None:
        new = [i for i, k in enumerate(keys) if k not in self._index]
        self.directory.mkdir(parents=True, exist_ok=True)
        for start in range(0, len(new), SHARD_ROWS):
            self._write_shard([keys[i] for i in new[start : start + SHARD_ROWS]],
                              vectors[new[start : start + SHARD_ROWS]])  # fmt: skip

    def _write_shard(self, keys: list[bytes], vectors: FloatMatrix) -> None:
        name = f"{len(self._files):06d}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        key_arr = np.frombuffer(b"".join(keys), dtype=np.uint8).reshape(-1, 32)
        vecs = np.ascontiguousarray(vectors, dtype=np.float32)
        for suffix, arr in (("vecs", vecs), ("keys", key_arr)):  # keys last: they publish the shard
            tmp = self.directory / f"{name}.{suffix}.tmp.npy"
            np.save(tmp, arr)
            tmp.replace(self.directory / f"{name}.{suffix}.npy")
        shard = len(self._files)
        self._files.append(self.directory / f"{name}.vecs.npy")
        for row, key in enumerate(keys):
            self._index[key] = (shard, row)
