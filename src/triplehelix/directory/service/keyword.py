"""The keyword-search path of the directory's listings, on the database's full-text index.

One `Keywords` per request holds the analysed terms and the database dialect; statements are
built per (number of terms, dialect) and take the terms as bound parameters.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, false, select, true
from sqlalchemy.orm import InstrumentedAttribute, Session

from triplehelix.i18n import current_locale
from triplehelix.search.schemas.analyse import Term, terms, with_alternatives
from triplehelix.search.service import fulltext
from triplehelix.search.service.fulltext import FullTextIndex
from triplehelix.search.service.suggest import suggest
from triplehelix.taxonomy import get_taxonomy

Key = ColumnElement[Any] | InstrumentedAttribute[Any]


@dataclass(frozen=True)
class Keywords:
    query: str
    terms: list[Term]
    dialect: str

    @classmethod
    def of(cls, session: Session, q: str | None, language: str | None = None) -> Keywords:
        """The analysed words of `q`; in a language other than English, each with the English
        words the taxonomy gives for it (language: the request's unless given)."""
        language = language or current_locale()
        tax = get_taxonomy()
        found = with_alternatives(terms(q), lambda word: tax.english_for(language, word))
        return cls(q or "", found, fulltext.dialect_of(session))

    @property
    def n(self) -> int:
        """The number of terms; -1 when words were typed but none is searchable ("?!")."""
        return len(self.terms) or (-1 if self.query.strip() else 0)

    def params(self) -> dict[str, str]:
        return fulltext.params(self.terms, self.dialect) if self.terms else {}

    def snippets(self, session: Session, index: FullTextIndex, keys: list[Any]) -> dict[Any, str]:
        return fulltext.snippets(session, index, self.terms, keys)

    def suggestion(self, session: Session, index: FullTextIndex, total: int) -> str | None:
        """Only for a search that found nothing: never a silent zero."""
        return suggest(session, index, self.query) if self.terms and total == 0 else None


def matching(index: FullTextIndex, key: Key, n_terms: int, dialect: str) -> ColumnElement[bool]:
    """`key` is one of the records matching all `n_terms` bound terms (true without terms)."""
    if n_terms <= 0:
        return true() if n_terms == 0 else false()
    return key.in_(select(fulltext.hits(index, n_terms, dialect).c.key))
