"""BM25 over a sparse term-by-document matrix (CSC postings), weights computed at build time.

Each term's postings hold its documents' BM25 weights (Lucene's idf and length normalisation,
k1 = 1.2, b = 0.75, the textbook defaults), so a query is one weighted `bincount` over the
postings of its few terms: milliseconds even for hundreds of thousands of documents.
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import repeat

import numpy as np
import numpy.typing as npt

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
    def build(cls, docs_terms: Iterable[list[str]], k1: float = K1, b: float = B) -> LexicalIndex:
        """Index documents given as term lists; an iterator keeps only one list alive at a time."""
        vocabulary: dict[str, int] = {}
        # typed arrays: 4 bytes per (document, term) pair instead of a Python int object
        rows, cols, tfs, lengths = array("i"), array("i"), array("f"), array("f")
        for i, terms in enumerate(docs_terms):
            counts = Counter(terms)
            cols.extend(vocabulary.setdefault(t, len(vocabulary)) for t in counts)
            tfs.extend(counts.values())
            rows.extend(repeat(i, len(counts)))
            lengths.append(len(terms))
        n_docs, n_terms = len(lengths), len(vocabulary)
        doc_of = np.frombuffer(rows, dtype=np.int32)
        term_of = np.frombuffer(cols, dtype=np.int32)
        # a stable sort by term keeps each term's postings in document order
        order = np.argsort(term_of, kind="stable")
        doc_ids = doc_of[order]
        tf = np.frombuffer(tfs, dtype=np.float32)[order]
        del order  # float32 throughout: at scale each temporary is one value per posting
        df = np.bincount(term_of, minlength=n_terms)
        indptr = np.zeros(n_terms + 1, dtype=np.int64)
        np.cumsum(df, out=indptr[1:])
        length = np.frombuffer(lengths, dtype=np.float32)
        avg = float(length.mean()) if n_docs and length.mean() > 0 else 1.0
        weights = k1 * (1.0 - b + b * length[doc_ids] / avg)
        weights += tf
        np.divide(tf * (k1 + 1.0), weights, out=weights)
        weights *= np.repeat(bm25_idf(df.astype(np.float64), n_docs).astype(np.float32), df)
        return cls(vocabulary, indptr, doc_ids, weights.astype(np.float32), n_docs)

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

    def ceiling(self, query_terms: list[str]) -> float:
        """The highest score a document could reach for the query: each term at its best weight.

        A term found in no document counts as much as the query's strongest term, so a query
        the corpus has few words for keeps a high ceiling and its lexical scores stay small.
        """
        best = [
            float(self.weights[self.indptr[t] : self.indptr[t + 1]].max()) * q
            for t, q in self.term_ids(query_terms).items()
        ]
        unknown = sum(1 for t in query_terms if t not in self.vocabulary)
        return sum(best) + unknown * (max(best) if best else 0.0)

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
