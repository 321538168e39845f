"""Merging two organisation records keeps the posts and interests (they follow the survivor), and
unmerging gives them back."""

from __future__ import annotations

from sqlalchemy.orm import Session

from tests.marketplace.factories import make_org, make_people, published_post
from triplehelix.marketplace.models import Interest, Post
from triplehelix.marketplace.service import interests
from triplehelix.resolution.service.merge import merge_organisations, unmerge_organisations


def test_posts_and_interests_follow_a_merge_and_come_back(session: Session) -> None:
    people = make_people(session)
    post = published_post(session, people)
    interest = interests.express_interest(session, people.other, post.id, "")
    make_org(session, "acme-holding", "lbsp")
    record = merge_organisations(session, "acme-holding", "acme-bio")
    session.expire_all()
    assert session.get(Post, post.id).organisation_id == "acme-holding"  # type: ignore[union-attr]
    other = merge_organisations(session, "acme-holding", "orbit-works")
    session.expire_all()
    assert session.get(Interest, interest.id).organisation_id == "acme-holding"  # type: ignore[union-attr]
    unmerge_organisations(session, other.id)
    unmerge_organisations(session, record.id)
    session.expire_all()
    assert session.get(Post, post.id).organisation_id == "acme-bio"  # type: ignore[union-attr]
    assert session.get(Interest, interest.id).organisation_id == "orbit-works"  # type: ignore[union-attr]
