"""Load the taxonomy file (and an optional regional extension) into an immutable lookup object.

Codes are stable and language-free; every term carries a label per language (`labels`, English
as `label`), relations their inverse per language (`inverse_labels`), domains their axis phrase
per language (`axis_phrases`), and any term the words people type for it in another language
(`synonyms_by_language`: {"nl": {"medicijnen": "medicines"}}, each the English words the records
use). Labels follow the request's language (`triplehelix.i18n.current_locale`) unless one is
asked for; a language without a label falls back to English. See docs/i18n.md.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from triplehelix.config import TAXONOMY
from triplehelix.i18n import SOURCE_LOCALE, current_locale
from triplehelix.search.schemas.analyse import stems
from triplehelix.search.schemas.analyse import words as analysed_words

Pairs = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Term:
    scheme: str
    code: str
    label: str
    synonyms: tuple[str, ...] = ()
    inverse: str | None = None
    # A partnership spanning clusters (a region, a wider alliance), not a cluster of its own.
    umbrella: bool = False
    # Labels by language code ("en", "nl"); `label` is the English one.
    labels: Pairs = ()
    inverse_labels: Pairs = ()  # relation_kind: the inverse by language
    # Words typed in another language -> the English words the records use, by language.
    synonyms_by_language: tuple[tuple[str, Pairs], ...] = ()
    # value_chain: the domain whose chain the stage belongs to (None: cross-domain stage).
    domain: str | None = None
    # domain: the scheme of the coverage grid's second axis, and the clusters working in it.
    axis: str | None = None
    axis_phrase: str = "for"  # "Drone software among companies": how a column reads in a gap
    axis_phrases: Pairs = ()  # the same by language ("voor", "onder")
    clusters: tuple[str, ...] = ()
    # partner_role: the organisation kinds that take this role in the partnership.
    kinds: tuple[str, ...] = ()
    # organisation_kind: the helix (industry, knowledge, government, intermediary) it belongs to.
    helix: str | None = None

    def label_in(self, language: str | None = None) -> str:
        """The label in `language` (default: the request's), else the English one."""
        return dict(self.labels).get(language or current_locale(), self.label)

    def inverse_in(self, language: str | None = None) -> str | None:
        if self.inverse is None:
            return None
        return dict(self.inverse_labels).get(language or current_locale(), self.inverse)

    def axis_phrase_in(self, language: str | None = None) -> str:
        return dict(self.axis_phrases).get(language or current_locale(), self.axis_phrase)

    def synonyms_in(self, language: str) -> dict[str, str]:
        """The words typed for this term in `language` -> their English words."""
        return dict(dict(self.synonyms_by_language).get(language, ()))


@dataclass(frozen=True)
class Scheme:
    name: str
    label: str
    terms: tuple[Term, ...]
    labels: Pairs = ()

    def label_in(self, language: str | None = None) -> str:
        return dict(self.labels).get(language or current_locale(), self.label)


@dataclass(frozen=True)
class Taxonomy:
    schemes: dict[str, Scheme]
    _index: dict[tuple[str, str], Term] = field(default_factory=dict, repr=False)
    _words: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict, repr=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Taxonomy:
        schemes: dict[str, Scheme] = {}
        for name, body in data.items():
            terms = tuple(
                Term(
                    scheme=name,
                    code=t["code"],
                    label=t["label"],
                    synonyms=tuple(s.lower() for s in t.get("synonyms", [])),
                    inverse=t.get("inverse"),
                    umbrella=bool(t.get("umbrella", False)),
                    labels=_pairs({"en": t["label"], **t.get("labels", {})}),
                    inverse_labels=_pairs(
                        {"en": t["inverse"], **t.get("inverse_labels", {})}
                        if "inverse" in t
                        else {}
                    ),
                    synonyms_by_language=tuple(
                        (lang, _pairs({k.lower(): v.lower() for k, v in words.items()}))
                        for lang, words in sorted(t.get("synonyms_by_language", {}).items())
                    ),
                    axis_phrases=_pairs(
                        {"en": t.get("axis_phrase", "for"), **t.get("axis_phrases", {})}
                    ),
                    domain=t.get("domain"),
                    axis=t.get("axis"),
                    clusters=tuple(t.get("clusters", [])),
                    helix=t.get("helix"),
                    axis_phrase=t.get("axis_phrase", "for"),
                    kinds=tuple(t.get("kinds", [])),
                )
                for t in body["terms"]
            )
            label = body.get("label", name)
            scheme_labels = _pairs({"en": label, **body.get("labels", {})})
            schemes[name] = Scheme(name=name, label=label, terms=terms, labels=scheme_labels)
        index = {(t.scheme, t.code): t for s in schemes.values() for t in s.terms}
        taxonomy = cls(schemes=schemes, _index=index)
        taxonomy.check()
        return taxonomy

    def check(self) -> None:
        """Every stage names a known domain; every domain's grid axis is a known scheme."""
        problems = []
        domains = set(self.codes("domain")) if "domain" in self.schemes else set()
        for term in self.schemes.get("value_chain", Scheme("value_chain", "", ())).terms:
            if term.domain is not None and term.domain not in domains:
                problems.append(f"value_chain.{term.code}: domain: unknown domain {term.domain!r}")
        for code in domains:
            term = self._index[("domain", code)]
            if term.axis is not None and term.axis not in self.schemes:
                problems.append(f"domain.{code}: axis: unknown scheme {term.axis!r}")
            problems += [
                f"domain.{code}: clusters: unknown cluster {c!r}"
                for c in term.clusters
                if ("cluster", c) not in self._index
            ]
        if problems:
            raise ValueError("taxonomy: " + "; ".join(problems))

    def codes(self, scheme: str) -> list[str]:
        return [t.code for t in self.schemes[scheme].terms]

    def has(self, scheme: str, code: str) -> bool:
        return (scheme, code) in self._index

    def term(self, scheme: str, code: str) -> Term | None:
        return self._index.get((scheme, code))

    def label(self, scheme: str, code: str, language: str | None = None) -> str:
        """The code's label in `language`, by default the request's (English when absent)."""
        term = self._index.get((scheme, code))
        return term.label_in(language) if term else code.replace("_", " ").replace("-", " ")

    def scheme_label(self, scheme: str, language: str | None = None) -> str:
        found = self.schemes.get(scheme)
        return found.label_in(language) if found else scheme.replace("_", " ")

    def languages(self) -> list[str]:
        """Every language some label is written in, English first."""
        found = {lang for t in self._index.values() for lang, _ in t.labels}
        return [SOURCE_LOCALE, *sorted(found - {SOURCE_LOCALE})]

    def english_words(self, language: str) -> dict[str, tuple[str, ...]]:
        """A word typed in `language` (folded, and by its Snowball stem) -> English phrases.

        From the terms' one-word labels in that language (-> the English label) and their
        `synonyms_by_language`; what search expands a query word with (`search.analyse`).
        Empty for English; a language without a Snowball stemmer (`_STEMMERS`) is looked up by
        the folded word only.
        """
        if language == SOURCE_LOCALE:
            return {}
        cached = self._words.get(language)
        if cached is not None:
            return cached
        pairs: list[tuple[str, str]] = []
        for term in self._index.values():
            own = dict(term.labels).get(language)
            if own and own.lower() != term.label.lower() and len(analysed_words(own)) == 1:
                pairs.append((own, term.label))
            pairs += list(term.synonyms_in(language).items())
        table: dict[str, list[str]] = {}
        stemmer = _STEMMERS.get(language)
        for typed, english in pairs:
            found = analysed_words(typed)
            if len(found) != 1 or found == analysed_words(english):
                continue
            keys = {found[0]} | ({stems(found, stemmer)[0]} if stemmer else set())
            for key in keys:
                phrases = table.setdefault(key, [])
                if english.lower() not in phrases:
                    phrases.append(english.lower())
        result = {key: tuple(phrases) for key, phrases in table.items()}
        self._words[language] = result
        return result

    def english_for(self, language: str, word: str) -> tuple[str, ...]:
        """The English phrases a folded query word typed in `language` stands for, if any."""
        table = self.english_words(language)
        found = table.get(word)
        stemmer = _STEMMERS.get(language)
        if found is None and stemmer and table:
            found = table.get(stems([word], stemmer)[0])
        return found or ()

    def domains(self) -> list[Term]:
        return list(self.schemes["domain"].terms) if "domain" in self.schemes else []

    def stages(self, domain: str) -> list[str]:
        """The value-chain stages of one domain, in the taxonomy's order."""
        return [t.code for t in self.schemes["value_chain"].terms if t.domain == domain]

    def cross_domain_stages(self) -> list[str]:
        return [t.code for t in self.schemes["value_chain"].terms if t.domain is None]

    def partner_role(self, kind: str) -> str | None:
        """The partnership role of an organisation of this kind (partner_role terms' kinds)."""
        for term in self.schemes.get("partner_role", Scheme("partner_role", "", ())).terms:
            if kind in term.kinds:
                return term.code
        return None

    def domain_of_cluster(self, cluster: str) -> list[str]:
        """The domains a cluster works in (from the domains' `clusters`)."""
        return [t.code for t in self.domains() if cluster in t.clusters]

    def recognise(self, scheme: str, text: str) -> list[tuple[str, str]]:
        """Codes of `scheme` whose label or a synonym occurs in `text`, with the phrase found."""
        lowered = f" {_normalise(text)} "
        found: list[tuple[str, str]] = []
        for term in self.schemes[scheme].terms:
            for phrase in (term.label.lower(), *term.synonyms):
                if phrase and f" {_normalise(phrase)} " in lowered:
                    found.append((term.code, phrase))
                    break
        return found

    def as_dict(self, language: str | None = None) -> dict[str, Any]:
        """The taxonomy as JSON: stable codes, labels in `language` (default: the request's)
        and every language's labels, synonyms and inverse labels beside them."""
        return {
            name: {
                "label": s.label_in(language),
                "terms": [
                    {"code": t.code, "label": t.label_in(language), "synonyms": list(t.synonyms)}
                    | ({"umbrella": True} if t.umbrella else {})
                    | ({"labels": dict(t.labels)} if len(t.labels) > 1 else {})
                    | _extras(t, language)
                    for t in s.terms
                ],
            }
            | ({"labels": dict(s.labels)} if len(s.labels) > 1 else {})
            for name, s in self.schemes.items()
        }


_STEMMERS = {"nl": "dutch", "de": "german", "fr": "french", "es": "spanish", "it": "italian"}


def _pairs(mapping: dict[str, str]) -> Pairs:
    return tuple(sorted(mapping.items()))


def _extras(term: Term, language: str | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if term.scheme == "value_chain":
        out["domain"] = term.domain
    if term.inverse is not None:
        out["inverse"] = term.inverse_in(language)
        out["inverse_labels"] = dict(term.inverse_labels)
    if term.synonyms_by_language:
        out["synonyms_by_language"] = {
            lang: dict(words) for lang, words in term.synonyms_by_language
        }
    if term.axis is not None:
        out["axis"], out["axis_phrase"] = term.axis, term.axis_phrase_in(language)
        out["axis_phrases"] = dict(term.axis_phrases)
    if term.kinds:
        out["kinds"] = list(term.kinds)
    if term.clusters:
        out["clusters"] = list(term.clusters)
    if term.helix is not None:
        out["helix"] = term.helix
    return out


def _normalise(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+(?:[-'][a-z0-9]+)*", text.lower()))


# What a regional term without its own "label" adds to the term of the same code (languages).
_PER_LANGUAGE = ("labels", "inverse_labels", "axis_phrases", "synonyms_by_language")


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """A regional file adds schemes or terms; a term with an existing code replaces it.

    A regional term with a code but no "label" extends the existing term instead: its labels,
    inverse labels, axis phrases and synonyms per language are added (a region's own language).
    """
    merged: dict[str, Any] = json.loads(json.dumps(base))
    for name, body in extra.items():
        scheme = merged.setdefault(name, {"label": body.get("label", name), "terms": []})
        scheme["labels"] = {**scheme.get("labels", {}), **body.get("labels", {})}
        known = {t["code"]: i for i, t in enumerate(scheme["terms"])}
        for term in body.get("terms", []):
            if term["code"] not in known:
                if "label" not in term:
                    raise ValueError(f"taxonomy: {name}.{term['code']}: a new term needs a label")
                scheme["terms"].append(term)
            elif "label" in term:
                scheme["terms"][known[term["code"]]] = term
            else:
                old = scheme["terms"][known[term["code"]]]
                for key in _PER_LANGUAGE:
                    if key in term:
                        old[key] = {**old.get(key, {}), **term[key]}
    return merged


@lru_cache(maxsize=4)
def load_taxonomy(extra_path: str | None = None) -> Taxonomy:
    text = resources.files("triplehelix.taxonomy").joinpath("taxonomy.json").read_text("utf-8")
    data = json.loads(text)
    if extra_path:
        data = _merge(data, json.loads(Path(extra_path).read_text("utf-8")))
    return Taxonomy.from_dict(data)


def get_taxonomy() -> Taxonomy:
    """The bundled taxonomy extended by the file of the TRIPLEHELIX_TAXONOMY setting, if any."""
    return load_taxonomy(TAXONOMY.current())
