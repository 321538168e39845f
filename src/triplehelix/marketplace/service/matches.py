"""A post's matches: the organisations and the opposite posts (offer <-> request) the matching
engine ranks for the post's own words, with why; those from another cluster are marked."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from triplehelix.directory.models import OrganisationTag
from triplehelix.marketplace.models import Post
from triplehelix.marketplace.schemas.fields import OPPOSITE
from triplehelix.matching.schemas import MatchItem
from triplehelix.matching.service import MAX_QUERY, MatchFilters, match_need
from triplehelix.matching.service.index import MatchIndex
from triplehelix.taxonomy import get_taxonomy


@dataclass(frozen=True)
class PostMatches:
    organisations: list[MatchItem]
    posts: list[MatchItem]


def _umbrella() -> set[str]:
    return {t.code for t in get_taxonomy().schemes["cluster"].terms if t.umbrella}


def specific_clusters(session: Session, organisation_id: str) -> set[str]:
    query = select(OrganisationTag.code).where(
        OrganisationTag.organisation_id == organisation_id, OrganisationTag.scheme == "cluster"
    )
    return set(session.scalars(query)) - _umbrella()


def crosses_clusters(session: Session, one: str, other: str) -> bool:
    """Both organisations belong to a specific cluster, and to no common one."""
    a, b = specific_clusters(session, one), specific_clusters(session, other)
    return bool(a) and bool(b) and not a & b


def post_query(post: Post) -> str:
    """The post's title and text as a need, cut at a word to the matcher's query limit."""
    text = " ".join(f"{post.title}. {post.text}".split())
    return text if len(text) <= MAX_QUERY else text[: MAX_QUERY + 1].rsplit(" ", 1)[0]


def _marked(items: list[MatchItem], home: set[str]) -> list[MatchItem]:
    """Cross-cluster as seen from the poster's organisation, not from the words of the post."""
    umbrella = _umbrella()
    marked = []
    for item in items:
        theirs = {c.code for c in item.why.clusters} - umbrella
        cross = bool(home) and bool(theirs) and not home & theirs
        why = item.why.model_copy(update={"cross_cluster": cross})
        marked.append(item.model_copy(update={"why": why}))
    return marked


def post_matches(session: Session, index: MatchIndex, post: Post, limit: int = 8) -> PostMatches:
    """Ranked organisations (not the poster's) and published opposite posts of other posters."""
    home = specific_clusters(session, post.organisation_id)
    query = post_query(post)
    only_orgs = MatchFilters(types=frozenset({"organisation"}))
    orgs = match_need(index, query, limit=limit + 1, filters=only_orgs, strict=False)
    organisations = [i for i in orgs.items if i.id != post.organisation_id][:limit]
    wanted = OPPOSITE.get(post.type, ())
    posts: list[MatchItem] = []
    if wanted:
        only_posts = MatchFilters(types=frozenset({"post"}))
        found = match_need(index, query, limit=50, filters=only_posts, strict=False)
        posts = [
            i for i in found.items
            if i.kind in wanted and i.why.owner is not None
            and i.why.owner.code != post.organisation_id
        ][:limit]  # fmt: skip
    return PostMatches(organisations=_marked(organisations, home), posts=_marked(posts, home))
