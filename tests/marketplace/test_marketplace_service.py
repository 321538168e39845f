"""The life of a post and who may do what, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.marketplace.factories import make_people, published_post, request_fields
from triplehelix.accounts.models import AuditEntry, Message
from triplehelix.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from triplehelix.marketplace import service
from triplehelix.marketplace.models import Post
from triplehelix.marketplace.schemas.fields import PostFields
from triplehelix.marketplace.service.listing import PostFilters, search_posts


def _actions(session: Session, post: Post) -> list[str]:
    query = select(AuditEntry.action).where(
        AuditEntry.entity == "post", AuditEntry.entity_id == str(post.id)
    )
    return list(session.scalars(query.order_by(AuditEntry.id)))


def test_draft_submit_return_resubmit_approve_is_audited(session: Session) -> None:
    people = make_people(session)
    post = service.create_post(session, people.poster, request_fields())
    assert (post.state, post.organisation_id) == ("draft", "acme-bio")
    assert post.expires == service.in_twelve_months(service.today())
    service.submit_post(session, people.poster, post.id)
    with pytest.raises(ValidationError, match="comment"):
        service.review_post(session, people.admin, post.id, "return", " ")
    service.review_post(session, people.admin, post.id, "return", "Name the payload mass")
    assert (post.state, post.review_comment) == ("returned", "Name the payload mass")
    service.update_post(session, people.colleague, post.id, request_fields(text="Payload 2 kg."))
    service.submit_post(session, people.poster, post.id)
    service.review_post(session, people.admin, post.id, "approve", "")
    session.flush()
    assert post.state == "published" and post.published_at is not None
    assert _actions(session, post) == [
        "create", "submit", "return", "update", "submit", "approve",
    ]  # fmt: skip
    inbox = session.scalars(select(Message.subject).where(Message.user_id == people.poster.id))
    assert any("returned" in s for s in inbox)


def test_only_the_posters_organisation_edits(session: Session) -> None:
    people = make_people(session)
    post = service.create_post(session, people.poster, request_fields())
    for outsider in (people.other, people.admin, people.loner):
        with pytest.raises(PermissionDeniedError):
            service.update_post(session, outsider, post.id, request_fields(title="Mine now"))
        with pytest.raises(PermissionDeniedError):
            service.submit_post(session, outsider, post.id)
        with pytest.raises(PermissionDeniedError):
            service.withdraw_post(session, outsider, post.id)
    assert post.title == request_fields().title


def test_a_person_without_organisation_cannot_post(session: Session) -> None:
    people = make_people(session)
    with pytest.raises(PermissionDeniedError, match="member of an organisation"):
        service.create_post(session, people.loner, request_fields())


def test_only_a_region_admin_reviews(session: Session) -> None:
    people = make_people(session)
    post = service.create_post(session, people.poster, request_fields())
    service.submit_post(session, people.poster, post.id)
    for person in (people.poster, people.other):
        with pytest.raises(PermissionDeniedError, match="region admin"):
            service.review_post(session, person, post.id, "approve", "")
    assert post.state == "submitted"
    with pytest.raises(ValidationError, match="decision"):
        service.review_post(session, people.admin, post.id, "maybe", "")


def test_a_draft_cannot_be_approved_and_transitions_are_checked(session: Session) -> None:
    people = make_people(session)
    post = service.create_post(session, people.poster, request_fields())
    with pytest.raises(ConflictError, match="draft"):
        service.review_post(session, people.admin, post.id, "approve", "")
    service.withdraw_post(session, people.poster, post.id)
    with pytest.raises(ConflictError, match="withdrawn"):
        service.update_post(session, people.poster, post.id, request_fields())
    with pytest.raises(ConflictError):
        service.submit_post(session, people.poster, post.id)


def test_editing_a_published_post_sends_it_back_to_review(session: Session) -> None:
    people = make_people(session)
    post = published_post(session, people)
    service.update_post(session, people.poster, post.id, request_fields(title="Sharper title"))
    assert post.state == "submitted"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"type": "offer"}, "type"),
        ({"title": " "}, "title"),
        ({"text": ""}, "text"),
        ({"trl": 10}, "trl"),
        ({"trl": 3, "type": "job"}, "trl"),
        ({"domains": ["oceans"]}, "domains"),
        ({"stages": ["nowhere"]}, "stages"),
        ({"partnership": ["marriage"]}, "partnership"),
        ({"ip_status": "stolen"}, "ip_status"),
    ],
)
def test_bad_fields_are_named_and_nothing_is_stored(
    session: Session, changes: dict[str, object], field: str
) -> None:
    people = make_people(session)
    with pytest.raises(ValidationError) as caught:
        service.create_post(session, people.poster, request_fields(**changes))
    assert caught.value.problems[0].startswith(f"{field}:")
    assert session.scalar(select(Post.id)) is None


def test_expiry_date_must_lie_ahead(session: Session) -> None:
    people = make_people(session)
    with pytest.raises(ValidationError, match="expires"):
        service.create_post(session, people.poster, request_fields(expires=service.today()))


def test_expiry_reminds_then_expires_and_renew_publishes_again(session: Session) -> None:
    people = make_people(session)
    post = published_post(session, people)
    day = post.expires - timedelta(days=service.REMIND_DAYS)
    expired, reminded = service.expire_posts(session, day)
    assert (expired, reminded) == ([], [post])
    assert service.expire_posts(session, day)[1] == []  # reminded once
    expired, _ = service.expire_posts(session, post.expires)
    assert expired == [post] and post.state == "expired"
    session.flush()
    found, _ = search_posts(session, PostFilters())
    assert found == []  # left the public list
    assert "expire" in _actions(session, post)  # history kept
    service.renew_post(session, people.poster, post.id)
    assert post.state == "published" and post.expires > service.today()
    assert post.reminded is False


def test_unpublished_posts_are_private_to_their_organisation(session: Session) -> None:
    people = make_people(session)
    post = service.create_post(session, people.poster, request_fields())
    assert service.readable_post(session, people.colleague, post.id) is post
    assert service.readable_post(session, people.admin, post.id) is post
    with pytest.raises(NotFoundError):
        service.readable_post(session, people.other, post.id)
    with pytest.raises(NotFoundError):
        service.readable_post(session, None, post.id)


def test_listing_filters_and_facets(session: Session) -> None:
    people = make_people(session)
    first = published_post(session, people)
    published_post(session, people, type="technology_offer", title="Viral vector process",
                   text="We offer GMP manufacturing of AAV vectors.", domains=["life_sciences"],
                   trl=7)  # fmt: skip
    found, facets = search_posts(session, PostFilters(type=["technology_request"]))
    assert [i.post.id for i in found] == [first.id]
    assert facets["type"] == {"technology_request": 1, "technology_offer": 1}
    found, _ = search_posts(session, PostFilters(q="vectors manufacturing"))
    assert [i.post.title for i in found] == ["Viral vector process"]
    found, _ = search_posts(
        session, PostFilters(trl=[7], cluster=["lbsp"], municipality=["Leiden"])
    )
    assert len(found) == 1
    assert search_posts(session, PostFilters(domain=["drones"]))[0] == []


def test_fields_default() -> None:
    assert PostFields(type="job", title="t", text="x").trl is None
