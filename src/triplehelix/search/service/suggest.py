""" "Did you mean": when a search finds nothing, a nearby query that finds something.

Words the index does not hold are replaced by the closest word it does hold (difflib's ratio,
ties to the more common word), taken from the index's own vocabulary (FTS5 `fts5vocab`,
PostgreSQL `ts_stat`). If every word is known but together they find nothing, the query without
the word that blocks the most is offered instead.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from sqlalchemy.orm import Session

from triplehelix.search.schemas.analyse import Term, terms
from triplehelix.search.service.fulltext import FullTextIndex, count, vocabulary

CUTOFF = 0.75  # difflib ratio: "vacine" -> "vaccine" 0.92, "gmo" -> "gmp" 0.67 (too far)


def closest(word: str, vocab: dict[str, int]) -> str | None:
    """The known word nearest to `word`, the more frequent of equally near ones."""
    near = difflib.get_close_matches(word, vocab, n=5, cutoff=CUTOFF)
    if not near:
        return None
    ratio = {w: difflib.SequenceMatcher(None, word, w).ratio() for w in near}
    return max(near, key=lambda w: (round(ratio[w], 3), vocab[w]))


def _known(term: Term, vocab: dict[str, int]) -> bool:
    return term.text in vocab or (bool(term.parts) and all(p in vocab for p in term.parts))


def _corrected(found: Sequence[Term], vocab: dict[str, int]) -> list[str]:
    out = []
    for term in found:
        out.append(term.text if _known(term, vocab) else (closest(term.text, vocab) or ""))
    return [w for w in out if w]


def suggest(session: Session, index: FullTextIndex, query: str | None) -> str | None:
    """A query close to `query` that finds at least one record, or None."""
    found = terms(query)
    if not found:
        return None
    vocab = vocabulary(session, index)
    corrected = _corrected(found, vocab)
    changed = corrected and corrected != [t.text for t in found]
    if changed and count(session, index, terms(" ".join(corrected))) > 0:
        return " ".join(corrected)
    if len(found) < 2:
        return None
    candidates = [[t.text for t in found if t != left_out] for left_out in found]
    scored = [(count(session, index, terms(" ".join(c))), c) for c in candidates]
    best_count, best = max(scored, key=lambda s: s[0])
    return " ".join(best) if best_count > 0 else None
