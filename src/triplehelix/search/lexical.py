"""BM25 over a sparse term-by-document matrix, with the term weights computed once at build time.

Each term's postings hold its documents' BM25 weights (Lucene's idf and length normalisation,
k1 = 1.2, b = 0.75, the textbook defaults), so a query is one weighted `bincount` over the
postings of its few terms: milliseconds even for hundreds of thousands of documents.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import sparse

FloatArray = npt.NDArray[np.float32]

K1 = 1.2
B = 0.75


def bm25_idf(df: npt.NDArray[np.float64], n_docs: int) -> npt.NDArray[np.float64]:
    """Lucene's idf: never negative, even for terms in more than half the documents."""
    return np.log1p((n_docs - df + 0.5) / (df + 0.5))


@dataclass
class LexicalIndex:
    vocabulary: dict[str, int]
    indptr: npt.NDArray[np.int64]
    doc_ids: npt.NDArray[np.int32]
    weights: FloatArray
    n_docs: int

    @classmethod
    def build(cls, docs_terms: list[list[str]], k1: float = K1, b: float = B) -> LexicalIndex:
        vocabulary: dict[str, int] = {}
        rows: list[int] = []
        cols: list[int] = []
        for i, terms in enumerate(docs_terms):
            for term in terms:
                cols.append(vocabulary.setdefault(term, len(vocabulary)))
            rows.extend([i] * len(terms))
        n_docs = len(docs_terms)
        shape = (n_docs, max(len(vocabulary), 1))
        ones = np.ones(len(rows), dtype=np.float64)
        # duplicates sum to term frequencies; CSC gives each term its sorted postings
        tf = sparse.csr_matrix((ones, (rows, cols)), shape=shape).tocsc()
        tf.sum_duplicates()
        lengths = np.array([len(t) for t in docs_terms], dtype=np.float64)
        avg = float(lengths.mean()) if n_docs and lengths.mean() > 0 else 1.0
        df = np.diff(tf.indptr).astype(np.float64)
        idf = np.repeat(bm25_idf(df, n_docs), np.diff(tf.indptr))
        norm = k1 * (1.0 - b + b * lengths[tf.indices] / avg)
        weights = idf * tf.data * (k1 + 1.0) / (tf.data + norm)
        return cls(
            vocabulary=vocabulary,
            indptr=tf.indptr.astype(np.int64),
            doc_ids=tf.indices.astype(np.int32),
            weights=weights.astype(np.float32),
            n_docs=n_docs,
        )

    def term_ids(self, query_terms: list[str]) -> Counter[int]:
        return Counter(self.vocabulary[t] for t in query_terms if t in self.vocabulary)

    def scores(self, query_terms: list[str]) -> FloatArray:
        """BM25 score of every document; a query term counts once per occurrence, as in Lucene."""
        ids = self.term_ids(query_terms)
        if not ids:
            return np.zeros(self.n_docs, dtype=np.float32)
        spans = [(self.indptr[t], self.indptr[t + 1], q) for t, q in ids.items()]
        docs = np.concatenate([self.doc_ids[s:e] for s, e, _ in spans])
        weights = np.concatenate([self.weights[s:e] * q for s, e, q in spans])
        return np.bincount(docs, weights=weights, minlength=self.n_docs).astype(np.float32)

    def matched(self, query_terms: list[str], docs: list[int]) -> list[list[str]]:
        """For each of `docs`, the query terms it contains, in query order.

        One vectorised lookup per query term, not per (term, document) pair.
        """
        out: list[list[str]] = [[] for _ in docs]
        wanted = np.asarray(docs, dtype=np.int64)
        for term in dict.fromkeys(query_terms):
            t = self.vocabulary.get(term)
            if t is None or not len(wanted):
                continue
            postings = self.doc_ids[self.indptr[t] : self.indptr[t + 1]]
            at = np.minimum(np.searchsorted(postings, wanted), len(postings) - 1)
            for j in np.flatnonzero(postings[at] == wanted):
                out[j].append(term)
        return out
