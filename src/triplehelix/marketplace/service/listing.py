"""The public list of posts: one filter definition (text, type, domain, stage, cluster,
municipality, TRL, partnership kind) shared by the `/marketplace` page, its facets and the API."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from triplehelix.directory.models import Organisation
from triplehelix.marketplace.models import Post
from triplehelix.marketplace.schemas.filters import PostFilters as PostFilters
from triplehelix.search.service.text import analyse

FACETS = ("type", "domain", "stage", "cluster", "municipality", "trl", "partnership")


@dataclass(frozen=True)
class Listed:
    post: Post
    organisation: Organisation

    def values(self, facet: str) -> list[str]:
        """The codes this post has for a facet (several for domains, stages, clusters ...)."""
        p, o = self.post, self.organisation
        by_facet: dict[str, list[str]] = {
            "type": [p.type], "domain": list(p.domains), "stage": list(p.stages),
            "cluster": o.tag_codes("cluster"), "municipality": [o.city] if o.city else [],
            "trl": [str(p.trl)] if p.trl else [], "partnership": list(p.partnership),
        }  # fmt: skip
        return by_facet[facet]


def _wanted(filters: PostFilters, facet: str) -> set[str]:
    return {str(v) for v in getattr(filters, facet)}


def _admits(item: Listed, filters: PostFilters, skip: str = "") -> bool:
    for facet in FACETS:
        wanted = _wanted(filters, facet)
        if facet != skip and wanted and not wanted & set(item.values(facet)):
            return False
    return True


def _text_matches(item: Listed, stems: set[str]) -> bool:
    text = f"{item.post.title} {item.post.text} {item.post.location} {item.organisation.name}"
    return stems <= set(analyse(text))


def published(session: Session) -> list[Listed]:
    posts = list(
        session.scalars(
            select(Post)
            .where(Post.state == "published")
            .order_by(Post.published_at.desc(), Post.id)
        )
    )
    ids = {p.organisation_id for p in posts}
    query = select(Organisation).where(Organisation.id.in_(ids))
    orgs = {o.id: o for o in session.scalars(query.options(selectinload(Organisation.tags)))}
    return [Listed(p, orgs[p.organisation_id]) for p in posts]


def search_posts(
    session: Session, filters: PostFilters
) -> tuple[list[Listed], dict[str, Counter[str]]]:
    """Published posts passing every filter; per facet, the counts with the other filters on."""
    stems = set(analyse(filters.q))
    texted = [i for i in published(session) if _text_matches(i, stems)]
    found = [i for i in texted if _admits(i, filters)]
    facets = {
        facet: Counter(
            v for i in texted if _admits(i, filters, skip=facet) for v in i.values(facet)
        )
        for facet in FACETS
    }
    return found, facets
