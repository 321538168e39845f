"""Demand signals for the insight pages: posts by type and domain, introductions per month, the
share of introductions across clusters, and the requests no organisation in the region matches —
the demand side of the value-chain gaps.

A request counts as unmatched when no organisation of the region (one with a cluster) other than
the poster's has lexical evidence for it: every candidate the engine ranks was found by meaning
alone, with none of the request's words in its profile or services.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from triplehelix.marketplace.models import Introduction, Post
from triplehelix.marketplace.schemas.fields import REQUESTS, TYPES, domain_labels, translated
from triplehelix.marketplace.service.listing import published
from triplehelix.marketplace.service.matches import post_matches
from triplehelix.matching.service.index import MatchIndex


@dataclass(frozen=True)
class DemandSignals:
    by_type: list[tuple[str, str, int]]  # (code, label, posts ever published)
    by_domain: list[tuple[str, str, int]]
    introductions_per_month: list[tuple[str, int]]  # ("2026-11", n), oldest first
    introductions: int
    cross_cluster: int
    unmatched: list[Post]  # published requests nobody in the region answers

    @property
    def cross_share(self) -> float | None:
        return self.cross_cluster / self.introductions if self.introductions else None


def _counted(counts: Counter[str], labels: dict[str, str]) -> list[tuple[str, str, int]]:
    return [(code, labels.get(code, code), n) for code, n in counts.most_common()]


def unmatched_requests(session: Session, index: MatchIndex) -> list[Post]:
    found = []
    for item in published(session):
        if item.post.type not in REQUESTS:
            continue
        orgs = post_matches(session, index, item.post).organisations
        if not any(o.why.matched_terms and o.why.clusters for o in orgs):
            found.append(item.post)
    return found


def demand_signals(session: Session, index: MatchIndex) -> DemandSignals:
    ever = list(session.scalars(select(Post).where(Post.published_at.is_not(None))))
    intros = list(session.scalars(select(Introduction).order_by(Introduction.at)))
    months = Counter(i.at.strftime("%Y-%m") for i in intros)
    return DemandSignals(
        by_type=_counted(Counter(p.type for p in ever), translated(TYPES)),
        by_domain=_counted(Counter(d for p in ever for d in p.domains), domain_labels()),
        introductions_per_month=sorted(months.items()),
        introductions=len(intros),
        cross_cluster=sum(1 for i in intros if i.cross_cluster),
        unmatched=unmatched_requests(session, index),
    )
