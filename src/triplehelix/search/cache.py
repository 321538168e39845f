"""A file cache of embeddings keyed by content hash, so a restart never re-embeds a text.

The key is sha256(model id, text). Each `put` appends one shard (a keys file and a vectors
file, written under temporary names and renamed, so a crash never leaves half a shard). Vectors
are memory-mapped on read: a large cache costs no memory until its rows are used.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import numpy as np
import numpy.typing as npt

FloatMatrix = npt.NDArray[np.float32]


def content_key(model_id: str, text: str) -> bytes:
    return hashlib.sha256(f"{model_id}\x00{text}".encode()).digest()


class EmbeddingCache:
    def __init__(self, directory: Path, model_id: str) -> None:
        slug = hashlib.sha256(model_id.encode()).hexdigest()[:16]
        self.directory = Path(directory) / f"embeddings-{slug}"
        self.model_id = model_id
        self._index: dict[bytes, tuple[int, int]] = {}
        self._vectors: list[FloatMatrix] = []
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
            keys = np.load(keys_file)
            shard = len(self._vectors)
            self._vectors.append(np.load(vecs_file, mmap_mode="r"))
            for row, key in enumerate(keys):
                self._index[key.tobytes()] = (shard, row)

    def __len__(self) -> int:
        return len(self._index)

    def keys(self, texts: list[str]) -> list[bytes]:
        return [content_key(self.model_id, t) for t in texts]

    def get(self, keys: list[bytes], dimension: int) -> tuple[FloatMatrix, list[int]]:
        """The cached vectors for `keys` (zeros where missing) and the positions missing."""
        out = np.zeros((len(keys), dimension), dtype=np.float32)
        missing: list[int] = []
        for i, key in enumerate(keys):
            where = self._index.get(key)
            if where is None:
                missing.append(i)
            else:
                out[i] = self._vectors[where[0]][where[1]]
        return out, missing

    def put(self, keys: list[bytes], vectors: FloatMatrix) -> None:
        new = [i for i, k in enumerate(keys) if k not in self._index]
        if not new:
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        name = f"{len(self._shards()):06d}-{os.getpid()}"
        key_arr = np.frombuffer(b"".join(keys[i] for i in new), dtype=np.uint8).reshape(-1, 32)
        vecs = np.ascontiguousarray(vectors[new], dtype=np.float32)
        for suffix, arr in (("vecs", vecs), ("keys", key_arr)):  # keys last: they publish the shard
            tmp = self.directory / f"{name}.{suffix}.tmp.npy"
            np.save(tmp, arr)
            tmp.replace(self.directory / f"{name}.{suffix}.npy")
        shard = len(self._vectors)
        self._vectors.append(vecs)
        for row, i in enumerate(new):
            self._index[keys[i]] = (shard, row)
