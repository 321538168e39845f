"""Public shapes of posts, interests and introductions, and the converters from the tables.

A post shows its organisation; the author's personal contact only when they made it public."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from triplehelix.accounts.models import User
from triplehelix.marketplace.models import Interest, Introduction, Post
from triplehelix.marketplace.schemas.fields import MAX_TEXT, MAX_TITLE, PostFields, type_label
from triplehelix.matching.schemas import MatchItem


class PostCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    type: str
    title: str = Field(max_length=MAX_TITLE)
    text: str = Field(max_length=MAX_TEXT)
    domains: list[str] = []
    stages: list[str] = []
    partnership: list[str] = []
    trl: int | None = None
    ip_status: str = ""
    location: str = Field("", max_length=200)
    expires: date | None = None
    contact_public: bool = False

    def fields(self) -> PostFields:
        return PostFields(**self.model_dump())


class PostUpdate(BaseModel):
    """Only the fields given change."""

    model_config = ConfigDict(extra="forbid")
    type: str | None = None
    title: str | None = Field(None, max_length=MAX_TITLE)
    text: str | None = Field(None, max_length=MAX_TEXT)
    domains: list[str] | None = None
    stages: list[str] | None = None
    partnership: list[str] | None = None
    trl: int | None = None
    ip_status: str | None = None
    location: str | None = Field(None, max_length=200)
    expires: date | None = None
    contact_public: bool | None = None

    def merged(self, post: Post) -> PostFields:
        current = PostFields(
            type=post.type, title=post.title, text=post.text, domains=list(post.domains),
            stages=list(post.stages), partnership=list(post.partnership), trl=post.trl,
            ip_status=post.ip_status, location=post.location, expires=post.expires,
            contact_public=post.contact_public,
        )  # fmt: skip
        for name, value in self.model_dump(exclude_unset=True).items():
            setattr(current, name, value)
        return current


class PostReview(BaseModel):
    decision: Literal["approve", "return"]
    comment: str = Field("", max_length=2000)


class PostPublic(BaseModel):
    id: int
    type: str
    type_label: str
    title: str
    text: str
    state: str
    organisation: str
    domains: list[str]
    stages: list[str]
    partnership: list[str]
    trl: int | None
    ip_status: str
    location: str
    expires: date
    published_at: datetime | None
    review_comment: str
    contact: str | None = Field(description="the author's e-mail, only when they made it public")
    demo: bool


class InterestCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    message: str = Field("", max_length=2000)


class InterestPublic(BaseModel):
    id: int
    post_id: int
    organisation: str
    message: str
    state: str
    created_at: datetime


class IntroductionPublic(BaseModel):
    id: int
    post_id: int
    at: datetime
    poster_organisation: str
    interested_organisation: str
    cross_cluster: bool
    poster_contact: str | None
    interested_contact: str | None


class PostMatchesPublic(BaseModel):
    organisations: list[MatchItem]
    posts: list[MatchItem]


def post_public(post: Post, author: User | None = None) -> PostPublic:
    contact = author.email if author is not None and post.contact_public else None
    return PostPublic(
        id=post.id, type=post.type, type_label=type_label(post.type), title=post.title,
        text=post.text, state=post.state, organisation=post.organisation_id,
        domains=list(post.domains), stages=list(post.stages), partnership=list(post.partnership),
        trl=post.trl, ip_status=post.ip_status, location=post.location, expires=post.expires,
        published_at=post.published_at, review_comment=post.review_comment, contact=contact,
        demo=post.is_demo,
    )  # fmt: skip


def interest_public(i: Interest) -> InterestPublic:
    return InterestPublic(id=i.id, post_id=i.post_id, organisation=i.organisation_id,
                          message=i.message, state=i.state, created_at=i.created_at)  # fmt: skip


def introduction_public(
    intro: Introduction, poster: User | None, interested: User | None
) -> IntroductionPublic:
    return IntroductionPublic(
        id=intro.id, post_id=intro.post_id, at=intro.at,
        poster_organisation=intro.poster_organisation_id,
        interested_organisation=intro.interested_organisation_id,
        cross_cluster=intro.cross_cluster,
        poster_contact=poster.email if poster else None,
        interested_contact=interested.email if interested else None,
    )  # fmt: skip
