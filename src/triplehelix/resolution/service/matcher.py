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

from triplehelix.resolution.service.normalise import (
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
    # Derived once here rather than in every pairwise comparison (scoring is the hot loop).
    all_words: frozenset[str] = field(init=False, repr=False, compare=False)
    upper_names: frozenset[str] = field(init=False, repr=False, compare=False)
    brands: frozenset[str] = field(init=False, repr=False, compare=False)
    links: frozenset[str] = field(init=False, repr=False, compare=False)
    acronym_keys: frozenset[str] = field(init=False, repr=False, compare=False)
    fewest_words: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        upper = frozenset(n.upper() for n in self.names)
        derived = {
            "all_words": frozenset().union(*self.words),
            "upper_names": upper,
            "brands": frozenset(d.split(".")[0] for d in self.domains),
            "links": self.domains | self.sections,
            "acronym_keys": self.acronyms | upper,
            "fewest_words": min((len(w) for w in self.words), default=0),
        }
        for name, value in derived.items():
            object.__setattr__(self, name, value)


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
    if shared := x.cores & y.cores:
        return 1.0, f"same name: {min(shared)!r}"  # min: named the same way in every run
    if x.all_words.isdisjoint(y.all_words):
        return 0.0, ""  # no word in common: every pair of names scores 0
    best, pair = 0.0, (0, 0)
    for i, a in enumerate(x.words):
        size_a = len(a)
        for j, b in enumerate(y.words):
            common = len(a & b)
            if not common:
                continue  # scores 0, never above `best`
            if a == b:
                s = 0.95
            else:  # `word_similarity` inlined (the hot loop); |a union| = |a| + |b| - |common|
                size_b = len(b)
                s = 0.8 * common / (size_a + size_b - common) + 0.15 * common / min(size_a, size_b)
            if s > best:
                best, pair = s, (i, j)
    if not best:
        return 0.0, ""
    i, j = pair
    return best, f"similar names: {x.names[i]!r} ~ {y.names[j]!r} ({best:.2f})"


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
    elif shared_site := x.links & y.links:
        score += 0.1
        evidence.append(f"links into the same site: {sorted(shared_site)[0]}")
    elif x.brands & y.brands:
        score += 0.15
        evidence.append("same web brand under another top-level domain")
    acronyms = (
        (x.acronyms & y.acronyms) | (x.upper_names & y.acronyms) | (x.acronyms & y.upper_names)
    )
    if acronyms:
        best = max(sorted(acronyms), key=len)  # sorted: ties named the same way in every run
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


def score_ceiling(x: Profile, y: Profile) -> float:
    """A cheap upper bound of `score_pair(x, y).score`: no name pairs, no evidence.

    Name part: any two names share at most the `common` words the profiles share, and their
    union and smaller side have at least the fewest words any of their names has. The rest is
    scored exactly as in `score_pair`, in the same order.
    """
    if x.cores & y.cores:
        name = 1.0
    elif common := len(x.all_words & y.all_words):
        union_floor = max(x.fewest_words, y.fewest_words)
        small_floor = min(x.fewest_words, y.fewest_words)
        name = 0.8 * min(1.0, common / union_floor) + 0.15 * min(1.0, common / small_floor)
    else:
        name = 0.0
    score, domain = 0.75 * name, False
    if x.domains & y.domains:
        domain = True
        score += 0.45
    elif x.links & y.links:
        score += 0.1
    elif x.brands & y.brands:
        score += 0.15
    acronyms = (
        (x.acronyms & y.acronyms) | (x.upper_names & y.acronyms) | (x.acronyms & y.upper_names)
    )
    if acronyms:
        score += _acronym_weight(max(acronyms, key=len))  # the weight depends on length only
    if x.city and y.city:
        if x.city == y.city or x.city in y.city.split() or y.city in x.city.split():
            score += 0.1
        else:
            score -= 0.1 if domain else 0.2
    return score


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
        for d in p.links:
            self.by_other["d:" + d].add(p.key)
        for a in p.acronym_keys:
            self.by_other["a:" + a].add(p.key)

    def candidates(self, p: Profile) -> set[str]:
        found: set[str] = set()
        for words in p.words:
            for w in words:
                keys = self.by_word.get(w)
                if keys and len(keys) <= self.max_df:
                    found |= keys
        for d in p.links:
            found |= self.by_other.get("d:" + d, set())
        for a in p.acronym_keys:
            found |= self.by_other.get("a:" + a, set())
        found.discard(p.key)
        return found

    def match(self, p: Profile, floor: float | None = None) -> list[Match]:
        """Scored candidates; with `floor`, those that cannot reach it are left out unscored.

        `decide(match(p, REVIEW))` == `decide(match(p))`: a candidate below REVIEW is never
        returned and can never block a confident match (that needs a runner-up within MARGIN
        of a score >= AUTO). Almost all candidates are such, so this halves matching time.
        """
        if floor is None:
            return [score_pair(p, self.profiles[k]) for k in self.candidates(p)]
        limit = floor - 0.001  # scores are rounded to 3 decimals; margin for float noise too
        profiles = (self.profiles[k] for k in self.candidates(p))
        return [score_pair(p, y) for y in profiles if score_ceiling(p, y) >= limit]
