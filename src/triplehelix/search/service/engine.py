"""The search engine: register documents, build the indexes, answer queries with evidence.

Storage-agnostic: a feature hands over `Document`s (from SQLite, PostgreSQL or a file) and gets
back ranked `DocumentHit`s or, aggregated by owner key, `EntityHit`s. Lexical BM25 always works;
dense retrieval joins when the embedding extra is installed, and `semantic` says whether it did.
Changes mark the index stale and the next query rebuilds it; the embedding cache makes a rebuild
cost only the lexical part plus the texts that actually changed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Literal

import numpy as np

from triplehelix.search.schemas.documents import Document, DocumentHit, EntityHit
from triplehelix.search.service import fusion
from triplehelix.search.service.dense import DenseIndex
from triplehelix.search.service.embedder import semantic_available, shared_embedder
from triplehelix.search.service.lexical import LexicalIndex
from triplehelix.search.service.text import analyse, stems, words

# how deep each retriever's list goes before fusion; deep enough for Recall@100
CANDIDATE_DEPTH = 200

Progress = Callable[[int, int], None]


class SearchEngine:
    def __init__(
        self,
        cache_dir: Path | None = None,
        semantic: bool | None = None,
        progress: Progress | None = None,
        fusion: Literal["minmax", "ceiling"] = "minmax",
        lexical_weight: float = 0.5,
    ) -> None:
        """`fusion` says how BM25 and cosine scores are put on one scale (see `fusion.py`):
        min-max over the candidates suits documents searched with their own vocabulary (the
        BEIR benchmarks); the query's ceiling suits needs phrased in other words than the
        documents', where a weak lexical match must stay weak."""
        self.fusion = fusion
        self.lexical_weight = lexical_weight
        self.cache_dir = cache_dir
        self.progress = progress
        self._want_semantic = semantic_available() if semantic is None else semantic
        self._docs: dict[str, Document] = {}
        self._order: list[Document] = []
        self._lexical: LexicalIndex | None = None
        self._dense: DenseIndex | None = None
        self._stale = True

    @property
    def semantic(self) -> bool:
        """Whether queries use dense retrieval (the embedding extra is installed and enabled)."""
        return self._want_semantic

    def __len__(self) -> int:
        return len(self._docs)

    def add(self, docs: Iterable[Document]) -> None:
        for doc in docs:
            self._docs[doc.id] = doc
        self._stale = True

    def remove(self, ids: Iterable[str]) -> None:
        for doc_id in ids:
            self._docs.pop(doc_id, None)
        self._stale = True

    def replace(self, docs: Iterable[Document]) -> None:
        self._docs = {}
        self.add(docs)

    def build(self) -> None:
        self._order = list(self._docs.values())
        self._lexical = LexicalIndex.build(analyse(d.text()) for d in self._order)
        self._dense = None
        if self._want_semantic:
            self._dense = DenseIndex.build(
                self._order, shared_embedder(), self.cache_dir, self.progress
            )
        self._stale = False

    def _ready(self) -> LexicalIndex:
        if self._stale or self._lexical is None:
            self.build()
        assert self._lexical is not None
        return self._lexical

    def search(
        self,
        query: str,
        limit: int = 10,
        types: set[str] | None = None,
        extra_terms: str = "",
    ) -> list[DocumentHit]:
        """The best `limit` documents for `query`, optionally only of the given types.

        `extra_terms` widen the lexical side only (e.g. taxonomy labels recognised in the
        query); the dense side reads the query as the person wrote it.
        """
        lexical = self._ready()
        if not self._order or limit <= 0:
            return []
        query_words = words(f"{query} {extra_terms}")
        query_terms = stems(query_words)
        lex = lexical.scores(query_terms)
        keep = self._type_mask(types)
        if self._dense is not None:
            dense = self._dense.scores(shared_embedder().embed_query(query))
            depth = max(CANDIDATE_DEPTH, limit)
            if self.fusion == "ceiling":
                fused, _ = fusion.ceiling_fusion(
                    _masked(lex, keep), lexical.ceiling(query_terms), _masked(dense, keep),
                    depth, self.lexical_weight,
                )  # fmt: skip
            else:
                fused, _ = fusion.convex_fusion(
                    _masked(lex, keep), _masked(dense, keep), depth, self.lexical_weight
                )
        else:
            dense = np.zeros_like(lex)
            fused = np.where(lex > 0, lex, -np.inf).astype(np.float32)
        fused = _masked(fused, keep)
        top = fusion.top_k(fused, limit)
        top = top[np.isfinite(fused[top])]
        ranked: list[int] = top.tolist()
        originals = dict(zip(query_terms, query_words, strict=True))
        matched = lexical.matched(query_terms, ranked)
        # one conversion per array, not one numpy scalar per hit and score
        scores, lexicals, denses = fused[top].tolist(), lex[top].tolist(), dense[top].tolist()
        columns = zip(ranked, scores, lexicals, denses, matched, strict=True)
        return [
            DocumentHit(self._order[i], score, bm25, cosine, tuple(originals[t] for t in terms))
            for i, score, bm25, cosine, terms in columns
        ]

    def search_entities(
        self,
        query: str,
        limit: int = 10,
        types: set[str] | None = None,
        extra_terms: str = "",
        depth: int = 100,
        decay: float = fusion.DECAY,
    ) -> list[EntityHit]:
        """Document hits aggregated to their owners (`Document.key`), best owners first;
        `decay` is the share each further document of an owner adds (`fusion.aggregate`)."""
        hits = self.search(query, max(depth, limit), types, extra_terms)
        owners = [h.document.owner for h in hits]
        scores = fusion.aggregate(zip(owners, (h.score for h in hits), strict=True), decay)
        best = sorted(scores, key=lambda k: (-scores[k], k))[:limit]
        by_owner: dict[str, list[DocumentHit]] = {}
        for owner, h in zip(owners, hits, strict=True):  # best first, so each owner's list too
            by_owner.setdefault(owner, []).append(h)
        return [EntityHit(key, scores[key], tuple(by_owner[key])) for key in best]

    def _type_mask(self, types: set[str] | None) -> np.ndarray | None:
        if not types:
            return None
        return np.array([d.type in types for d in self._order], dtype=bool)

    @staticmethod
    def matched_fields(doc: Document, terms: Iterable[str]) -> list[str]:
        """The fields of `doc` that contain any of the (unstemmed) matched query terms."""
        wanted = set(stems(list(terms)))
        return [name for name, text in doc.fields.items() if wanted & set(analyse(text))]

    def best_passage(self, query: str, doc_id: str) -> str | None:
        """The passage of a document closest to the query (for showing why it matched)."""
        self._ready()
        if self._dense is None:
            return None
        i = next((n for n, d in enumerate(self._order) if d.id == doc_id), None)
        if i is None:
            return None
        query_vector = shared_embedder().embed_query(query)
        return self._dense.best_passage(query_vector, self._order[i], i)


def _masked(scores: np.ndarray, keep: np.ndarray | None) -> np.ndarray:
    if keep is None:
        return scores
    return np.where(keep, scores, -np.inf).astype(np.float32)
