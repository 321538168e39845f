"""JSON API of the marketplace: posts and their lifecycle, matches, interests and introductions.
Writing needs a personal API token (`Authorization: Bearer TOKEN`), as for bookings."""

from __future__ import annotations

from fastapi import APIRouter, Request

from triplehelix.accounts.deps import ApiUser
from triplehelix.accounts.models import User
from triplehelix.accounts.service.membership import member_organisation
from triplehelix.deps import SessionDep
from triplehelix.marketplace import service
from triplehelix.marketplace.deps import Filters, MaybeApiUser
from triplehelix.marketplace.models import Post
from triplehelix.marketplace.schemas import (
    InterestCreate,
    InterestPublic,
    IntroductionPublic,
    PostCreate,
    PostMatchesPublic,
    PostPublic,
    PostReview,
    PostUpdate,
    interest_public,
    introduction_public,
    post_public,
)
from triplehelix.marketplace.service import interests
from triplehelix.marketplace.service.listing import search_posts
from triplehelix.marketplace.service.matches import post_matches
from triplehelix.matching.deps import IndexDep

router = APIRouter(prefix="/api", tags=["marketplace"])


def _public(session: SessionDep, post: Post) -> PostPublic:
    author = session.get(User, post.author_id) if post.author_id else None
    return post_public(post, author)


def _stored(session: SessionDep, post: Post) -> PostPublic:
    session.commit()  # report success only once it is stored
    return _public(session, post)


@router.get("/posts", response_model=list[PostPublic])
def list_posts(session: SessionDep, filters: Filters) -> list[PostPublic]:
    """Published posts, newest first, filtered like the /marketplace page."""
    found, _ = search_posts(session, filters)
    return [_public(session, i.post) for i in found]


@router.post("/posts", status_code=201, response_model=PostPublic)
def create_post(data: PostCreate, user: ApiUser, session: SessionDep) -> PostPublic:
    """A draft post of the caller's organisation; submit it for review to publish it."""
    return _stored(session, service.create_post(session, user, data.fields()))


@router.get("/posts/{post_id}", response_model=PostPublic)
def get_post(post_id: int, session: SessionDep, user: MaybeApiUser) -> PostPublic:
    """A published post; unpublished ones only for their organisation and region admins."""
    return _public(session, service.readable_post(session, user, post_id))


@router.patch("/posts/{post_id}", response_model=PostPublic)
def update_post(post_id: int, data: PostUpdate, user: ApiUser, session: SessionDep) -> PostPublic:
    post = service.get_post(session, post_id)
    service.require_poster(user, post)
    return _stored(session, service.update_post(session, user, post_id, data.merged(post)))


@router.post("/posts/{post_id}/submit", response_model=PostPublic)
def submit_post(post_id: int, user: ApiUser, session: SessionDep) -> PostPublic:
    return _stored(session, service.submit_post(session, user, post_id))


@router.post("/posts/{post_id}/review", response_model=PostPublic)
def review_post(post_id: int, data: PostReview, user: ApiUser, session: SessionDep) -> PostPublic:
    """Region admins: approve (publish) or return to the poster with a comment."""
    post = service.review_post(session, user, post_id, data.decision, data.comment)
    return _stored(session, post)


@router.post("/posts/{post_id}/withdraw", response_model=PostPublic)
def withdraw_post(post_id: int, user: ApiUser, session: SessionDep) -> PostPublic:
    return _stored(session, service.withdraw_post(session, user, post_id))


@router.post("/posts/{post_id}/renew", response_model=PostPublic)
def renew_post(post_id: int, user: ApiUser, session: SessionDep) -> PostPublic:
    return _stored(session, service.renew_post(session, user, post_id))


@router.get("/posts/{post_id}/matches", response_model=PostMatchesPublic)
def matches(
    post_id: int, session: SessionDep, index: IndexDep, user: MaybeApiUser
) -> PostMatchesPublic:
    """Organisations and opposite posts ranked for this post, with why."""
    found = post_matches(session, index, service.readable_post(session, user, post_id))
    return PostMatchesPublic(organisations=found.organisations, posts=found.posts)


@router.post("/posts/{post_id}/interests", status_code=201, response_model=InterestPublic)
def express_interest(
    post_id: int, data: InterestCreate, user: ApiUser, session: SessionDep
) -> InterestPublic:
    interest = interests.express_interest(session, user, post_id, data.message)
    session.commit()
    return interest_public(interest)


@router.post("/interests/{interest_id}/accept", response_model=InterestPublic)
def accept_interest(
    request: Request, interest_id: int, user: ApiUser, session: SessionDep
) -> InterestPublic:
    """The poster accepts: both parties are introduced by e-mail."""
    interest, _, mails = interests.accept_interest(session, user, interest_id)
    session.commit()
    interests.deliver(request.app.state.settings, mails)
    return interest_public(interest)


@router.post("/interests/{interest_id}/decline", response_model=InterestPublic)
def decline_interest(interest_id: int, user: ApiUser, session: SessionDep) -> InterestPublic:
    interest = interests.decline_interest(session, user, interest_id)
    session.commit()
    return interest_public(interest)


@router.get("/introductions", response_model=list[IntroductionPublic])
def list_introductions(user: ApiUser, session: SessionDep) -> list[IntroductionPublic]:
    """Introductions the caller or their organisation took part in, with both contacts."""
    found = interests.introductions_for(session, user, member_organisation(user))
    return [
        introduction_public(
            i,
            session.get(User, i.poster_id) if i.poster_id else None,
            session.get(User, i.interested_id) if i.interested_id else None,
        )
        for i in found
    ]
