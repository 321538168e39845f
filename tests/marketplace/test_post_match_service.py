"""A post's matches from the matching engine: organisations and opposite posts, cross-cluster
marked from the poster's side; published posts are documents the /match engine also returns."""

from __future__ import annotations

from sqlalchemy.orm import Session

from tests.marketplace.factories import make_people, published_post, request_fields
from triplehelix.directory.models import Organisation
from triplehelix.marketplace import service
from triplehelix.marketplace.models import Post
from triplehelix.marketplace.service.matches import post_matches, post_query
from triplehelix.matching.service import match_need
from triplehelix.matching.service.index import MatchIndex


def _index(session: Session) -> MatchIndex:
    index = MatchIndex(cache_dir=None, semantic=False)
    index.ensure(session)
    return index


def test_request_matches_organisations_and_opposite_offers(session: Session) -> None:
    people = make_people(session)
    request = published_post(session, people)  # thermal vacuum testing, by acme-bio (lbsp)
    offer = service.create_post(
        session, people.other,
        request_fields(type="technology_offer", title="Thermal vacuum chamber time",
                       text="We offer thermal vacuum testing for small payloads."),
    )  # fmt: skip
    service.submit_post(session, people.other, offer.id)
    service.review_post(session, people.admin, offer.id, "approve", "")
    session.flush()

    found = post_matches(session, _index(session), request)
    assert found.organisations[0].id == "orbit-works"
    assert all(o.id != "acme-bio" for o in found.organisations)  # never the poster itself
    assert found.organisations[0].why.cross_cluster
    assert [p.id for p in found.posts] == [str(offer.id)]
    assert found.posts[0].why.cross_cluster

    back = post_matches(session, _index(session), offer)
    assert [p.id for p in back.posts] == [str(request.id)]


def test_unpublished_posts_are_not_indexed_and_match_finds_offers(session: Session) -> None:
    people = make_people(session)
    title = "Drone lidar survey wanted"
    draft = service.create_post(session, people.poster, request_fields(title=title, text=title))
    session.flush()
    result = match_need(_index(session), "drone lidar survey")
    assert all(i.type != "post" for i in result.items)
    service.submit_post(session, people.poster, draft.id)
    service.review_post(session, people.admin, draft.id, "approve", "")
    session.flush()
    result = match_need(_index(session), "drone lidar survey")
    assert [i.id for i in result.items if i.type == "post"] == [str(draft.id)]


def test_post_query_is_cut_at_a_word() -> None:
    post = Post(title="Short", text="word " * 200)
    assert len(post_query(post)) <= 500 and post_query(post).endswith("word")
    assert post_query(Post(title="A", text="b c")) == "A. b c"


def test_a_post_found_by_match_leads_to_its_page_and_interest(session: Session) -> None:
    people = make_people(session)
    post = published_post(session, people, title="Drone lidar survey wanted",
                          text="Drone lidar survey wanted")  # fmt: skip
    result = match_need(_index(session), "drone lidar survey")
    item = next(i for i in result.items if i.type == "post")
    assert item.id == str(post.id)
    assert item.links.page == f"/marketplace/{post.id}"
    assert item.links.interest == f"/marketplace/{post.id}#interest"
    assert item.links.book is None
    org = session.get(Organisation, post.organisation_id)
    assert org is not None and item.links.website == org.website
    assert item.in_region == bool(org.in_region)
    assert all(i.links.interest is None for i in result.items if i.type != "post")
