"""Keyword search on the database's own full-text engine (SQLite FTS5 or PostgreSQL), one interface.

A feature asks for `hits(index, n_terms, dialect)` — a subquery of (key, rank) to filter by and
order by — binds `params(terms, dialect)`, and reads `snippets` for the page it shows. Terms come
from `search.analyse`, so only letters and digits ever reach a query: FTS5 gets each as a quoted
string, PostgreSQL as a bound value of `plainto_tsquery` / `to_tsquery`. Per term: its stemmed
form in any field, its Dutch stem, a prefix of a name word, for a letter-digit compound
("bsl3") the phrase of its parts ("bsl 3"), and the English phrases a word typed in the
request's language stands for (`Term.alternatives`, from the taxonomy: "medicijnen" ->
"medicines"). Rank: bm25 (FTS5) / ts_rank_cd, names weighted most.
The index objects themselves are described and kept in step by `search.fulltext_ddl`.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import Float, Integer, String, TextualSelect, bindparam, func, select, text
from sqlalchemy.orm import Session
from sqlalchemy.sql.selectable import Subquery
from sqlalchemy.types import TypeEngine

from triplehelix.search.schemas.analyse import LANGUAGES, Term, stems
from triplehelix.search.service.fulltext_ddl import PREFIX

START, STOP = "\x02", "\x03"  # snippet markers: control characters never found in our text
WEIGHTS = (10.0, 3.0, 1.0)  # bm25 column weights: name, summary, body


@dataclass(frozen=True)
class FullTextIndex:
    name: str
    key_type: type[TypeEngine[Any]] = String

    @property
    def table(self) -> str:
        return f"{PREFIX}{self.name}"


ORGANISATIONS = FullTextIndex("organisations")
FACILITIES = FullTextIndex("facilities")
EVENTS = FullTextIndex("events", Integer)


def dialect_of(session: Session) -> str:
    return session.get_bind().dialect.name


def _quoted(word: str) -> str:
    # Terms are letters and digits only (search.analyse); quoting makes each a plain string.
    return f'"{word}"'


def _dutch(word: str) -> str:
    return stems([word], LANGUAGES[1])[0]


def fts5_query(terms: Sequence[Term]) -> str:
    """The FTS5 MATCH expression: every term, each in any of its forms."""
    clauses = []
    for term in terms:
        forms = [_quoted(term.text), f"name : {_quoted(term.text)}*"]
        if (dutch := _dutch(term.text)) != term.text:
            forms.append(_quoted(dutch))
        if term.parts:
            forms.append(_quoted(" ".join(term.parts)))
        forms += [_quoted(phrase) for phrase in term.alternatives]  # a phrase in quotes
        clauses.append(f"({' OR '.join(forms)})")
    return " AND ".join(clauses)


def _pg_query(n_terms: int) -> str:
    parts = [
        f"(plainto_tsquery('english', :ft{i}) || plainto_tsquery('dutch', :ft{i})"
        f" || to_tsquery('simple', :fp{i}) || phraseto_tsquery('simple', :fc{i})"
        f" || to_tsquery('english', :fx{i}))"
        for i in range(n_terms)
    ]
    return " && ".join(parts)


def params(terms: Sequence[Term], dialect: str) -> dict[str, str]:
    """Bound values of the match for `terms`: one FTS5 expression, or per-term tsquery inputs."""
    if dialect == "sqlite":
        return {"fts_q": fts5_query(terms)}
    out: dict[str, str] = {}
    for i, term in enumerate(terms):
        out[f"ft{i}"] = term.text
        out[f"fp{i}"] = f"{term.text}:*A"  # a prefix of a word of the name (weight A)
        out[f"fc{i}"] = " ".join(term.parts) or term.text
        out[f"fx{i}"] = _pg_alternatives(term)
    return out


def _pg_alternatives(term: Term) -> str:
    """The English phrases a term stands for as tsquery text ("stem <-> cell | vaccine"); the
    term itself when it has none. Only analysed letters and digits ever get here."""
    phrases = term.alternatives or (term.text,)
    return " | ".join(f"({' <-> '.join(phrase.split())})" for phrase in phrases)


@lru_cache(maxsize=128)
def _hits_text(index: FullTextIndex, n_terms: int, dialect: str) -> TextualSelect:
    t = index.table
    if dialect == "sqlite":
        weights = ", ".join(str(w) for w in WEIGHTS)
        sql = (
            f"SELECT k.key AS key, -bm25({t}, {weights}) AS rank FROM {t}"
            f" JOIN {t}_keys k ON k.id = {t}.rowid WHERE {t} MATCH :fts_q"
        )
    else:
        sql = (
            f"SELECT f.key AS key, ts_rank_cd(f.document, q.q) AS rank"
            f" FROM {t} f, (SELECT {_pg_query(n_terms)} AS q) q WHERE f.document @@ q.q"
        )
    return text(sql).columns(key=index.key_type(), rank=Float())


def hits(index: FullTextIndex, n_terms: int, dialect: str) -> Subquery:
    """(key, rank) of every record matching all `n_terms` terms; higher rank is better."""
    return _hits_text(index, n_terms, dialect).subquery(f"{index.name}_hits")


def snippet_html(raw: str) -> str:
    """A snippet as HTML: the text escaped, the matched words in <mark>."""
    return html.escape(raw).replace(START, "<mark>").replace(STOP, "</mark>")


def snippets(
    session: Session, index: FullTextIndex, terms: Sequence[Term], keys: Iterable[Any]
) -> dict[Any, str]:
    """Highlighted snippets (FTS5 `snippet`, PostgreSQL `ts_headline`) of the given records."""
    keys = list(keys)
    if not terms or not keys:
        return {}
    dialect, t = dialect_of(session), index.table
    if dialect == "sqlite":
        sql = (
            # the summary's passage when it holds a match, else the name's, else the best of any
            # field (the body is derived text, written for search rather than for reading)
            f"SELECT k.key, CASE WHEN instr(snippet({t}, 1, char(2), char(3), '…', 16), char(2))"
            f" THEN snippet({t}, 1, char(2), char(3), '…', 16)"
            f" WHEN instr(snippet({t}, 0, char(2), char(3), '…', 16), char(2))"
            f" THEN snippet({t}, 0, char(2), char(3), '…', 16)"
            f" ELSE snippet({t}, -1, char(2), char(3), '…', 16) END FROM {t}"
            f" JOIN {t}_keys k ON k.id = {t}.rowid WHERE {t} MATCH :fts_q AND k.key IN :keys"
        )
    else:
        options = "'StartSel=' || chr(2) || ', StopSel=' || chr(3) || ', MaxWords=24, MinWords=8'"
        sql = (
            f"SELECT f.key, ts_headline('english', f.summary, q.q, {options})"
            f" FROM {t} f, (SELECT {_pg_query(len(terms))} AS q) q"
            f" WHERE f.key IN :keys AND f.document @@ q.q"
        )
    statement = text(sql).bindparams(bindparam("keys", expanding=True))
    rows = session.execute(statement, {**params(terms, dialect), "keys": keys})
    return {key: snippet_html(raw) for key, raw in rows if raw and START in raw}


def count(session: Session, index: FullTextIndex, terms: Sequence[Term]) -> int:
    """How many records match all of `terms`."""
    dialect = dialect_of(session)
    statement = select(func.count()).select_from(hits(index, len(terms), dialect))
    return int(session.scalar(statement, params(terms, dialect)) or 0)


def vocabulary(session: Session, index: FullTextIndex) -> dict[str, int]:
    """The index's own unstemmed words with the number of records holding each."""
    t = index.table
    if dialect_of(session) == "sqlite":
        sql = f"SELECT term, doc FROM {t}_vocab"
    else:
        sql = f"SELECT word, ndoc FROM ts_stat('SELECT words FROM {t}')"
    return {str(word): int(n) for word, n in session.execute(text(sql))}
