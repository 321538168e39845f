"""Score how likely two descriptions name the same organisation, with the evidence, as pure code.

Both sides become a `Profile` (name keys, acronyms, web domains, city). `score_pair` adds up
evidence: the best name agreement, the same web domain (or the same brand under another
top-level domain), the same acronym, the same or a different city. `ProfileIndex` finds the few
profiles worth scoring (sharing a rare word, a domain or an acronym) so matching stays linear.
The thresholds `AUTO` and `REVIEW` split scores into confident match / review / no match.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from triplehelix.resolution.normalise import (
    NOISE,
    city_key,
    fold,
    registered_domain,
    site_of,
    split_name,
)

AUTO = 0.75  # at or above: attach without asking
REVIEW = 0.45  # at or above (and below AUTO): a person decides
MARGIN = 0.1  # a confident match must beat the runner-up by this much


@dataclass(frozen=True)
class Profile:
    key: str  # organisation id or ROR id
    names: tuple[str, ...]  # display forms, for evidence
    cores: frozenset[str]
    words: tuple[frozenset[str], ...]
    acronyms: frozenset[str]
    domains: frozenset[str]  # registered domains of whole sites
    sections: frozenset[str]  # registered domains of links that point into a site
    city: str | None


def make_profile(
    key: str,
    names: Iterable[str],
    acronyms: Iterable[str] = (),
    links: Iterable[str | None] = (),
    city: str | None = None,
) -> Profile:
    variants: list[str] = []
    acr = {a.strip().upper() for a in acronyms if a and a.strip()}
    for name in names:
        found, more = split_name(name)
        variants += found
        acr.update(a.upper() for a in more)
    keyed = [(v, [w for w in fold(v).split() if w not in NOISE]) for v in dict.fromkeys(variants)]
    keyed = [(v, words) for v, words in keyed if words]
    domains: set[str] = set()
    sections: set[str] = set()
    for link in links:
        host, whole = site_of(link)
        if host:
            (domains if whole else sections).add(registered_domain(host))
    return Profile(
        key=key,
        names=tuple(v for v, _ in keyed),
        cores=frozenset(" ".join(words) for _, words in keyed),
        words=tuple(frozenset(words) for _, words in keyed),
        acronyms=frozenset(acr),
        domains=frozenset(domains),
        sections=frozenset(sections - domains),
        city=city_key(city),
    )


@dataclass
class Match:
    key: str
    score: float
    evidence: list[str] = field(default_factory=list)


def word_similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """Mostly Jaccard, plus a little when one name's words all appear in the other."""
    if not a or not b:
        return 0.0
    common = len(a & b)
    return 0.8 * common / len(a | b) + 0.15 * common / min(len(a), len(b))


def name_score(x: Profile, y: Profile) -> tuple[float, str]:
    if x.cores & y.cores:
        same = next(iter(x.cores & y.cores))
        return 1.0, f"same name: {same!r}"
    best, why = 0.0, ""
    for i, a in enumerate(x.words):
        for j, b in enumerate(y.words):
            s = 0.95 if a == b else word_similarity(a, b)
            if s > best:
                best, why = s, f"similar names: {x.names[i]!r} ~ {y.names[j]!r} ({s:.2f})"
    return best, why


def _acronym_weight(acronym: str) -> float:
    return 0.5 if len(acronym) >= 5 else 0.3 if len(acronym) == 4 else 0.15


def score_pair(x: Profile, y: Profile) -> Match:
    """Evidence that x and y are one organisation; the score is clipped to 0..1."""
    s, why = name_score(x, y)
    score, evidence = 0.75 * s, [why] if why else []
    domain = False
    if x.domains & y.domains:
        domain = True
        score += 0.45
        evidence.append(f"same web domain: {sorted(x.domains & y.domains)[0]}")
    elif shared_site := (x.domains | x.sections) & (y.domains | y.sections):
        score += 0.1
        evidence.append(f"links into the same site: {sorted(shared_site)[0]}")
    elif {d.split(".")[0] for d in x.domains} & {d.split(".")[0] for d in y.domains}:
        score += 0.15
        evidence.append("same web brand under another top-level domain")
    acronyms = (
        (x.acronyms & y.acronyms)
        | ({n.upper() for n in x.names} & y.acronyms)
        | (x.acronyms & {n.upper() for n in y.names})
    )
    if acronyms:
        best = max(acronyms, key=len)
        score += _acronym_weight(best)
        evidence.append(f"same acronym: {best}")
    if x.city and y.city:
        if x.city == y.city or x.city in y.city.split() or y.city in x.city.split():
            score += 0.1
            evidence.append(f"same city: {x.city}")
        else:
            score -= 0.1 if domain else 0.2
            evidence.append(f"different city: {x.city} / {y.city}")
    return Match(key=y.key, score=round(max(0.0, min(1.0, score)), 3), evidence=evidence)


def decide(matches: list[Match]) -> tuple[str, list[Match]]:
    """('auto', [best]) | ('review', candidates) | ('none', []) from scored candidates."""
    ranked = sorted(matches, key=lambda m: -m.score)
    if not ranked or ranked[0].score < REVIEW:
        return "none", []
    runner_up = ranked[1].score if len(ranked) > 1 else 0.0
    if ranked[0].score >= AUTO and ranked[0].score - runner_up >= MARGIN:
        return "auto", ranked[:1]
    return "review", [m for m in ranked[:3] if m.score >= REVIEW]


class ProfileIndex:
    """Inverted index from rare words, domains and acronyms to profiles (candidate blocking)."""

    def __init__(self, profiles: Iterable[Profile], max_df: int = 10) -> None:
        self.profiles: dict[str, Profile] = {}
        self.by_word: dict[str, set[str]] = defaultdict(set)
        self.by_other: dict[str, set[str]] = defaultdict(set)
        self.max_df = max_df
        for profile in profiles:
            self.add(profile)

    def add(self, p: Profile) -> None:
        self.profiles[p.key] = p
        for words in p.words:
            for w in words:
                self.by_word[w].add(p.key)
        for d in p.domains | p.sections:
            self.by_other["d:" + d].add(p.key)
        for a in p.acronyms | {n.upper() for n in p.names}:
            self.by_other["a:" + a].add(p.key)

    def candidates(self, p: Profile) -> set[str]:
        found: set[str] = set()
        for words in p.words:
            for w in words:
                keys = self.by_word.get(w)
                if keys and len(keys) <= self.max_df:
                    found |= keys
        for d in p.domains | p.sections:
            found |= self.by_other.get("d:" + d, set())
        for a in p.acronyms | {n.upper() for n in p.names}:
            found |= self.by_other.get("a:" + a, set())
        found.discard(p.key)
        return found

    def match(self, p: Profile) -> list[Match]:
        return [score_pair(p, self.profiles[k]) for k in self.candidates(p)]
