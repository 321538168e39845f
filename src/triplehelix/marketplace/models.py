"""Tables of the marketplace: posts, expressions of interest, introductions and followed filters.

A post belongs to an organisation; its author's personal contact is never shown before the author
consents (an accepted interest, or `contact_public`)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from triplehelix.db import Base, UTCDateTime, utcnow


class Post(Base):
    __tablename__ = "posts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    type: Mapped[str] = mapped_column(String(40), index=True)
    state: Mapped[str] = mapped_column(String(20), index=True, default="draft")
    title: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    organisation_id: Mapped[str] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    domains: Mapped[list[str]] = mapped_column(JSON, default=list)
    stages: Mapped[list[str]] = mapped_column(JSON, default=list)
    partnership: Mapped[list[str]] = mapped_column(JSON, default=list)
    trl: Mapped[int | None] = mapped_column(Integer)
    ip_status: Mapped[str] = mapped_column(String(40), default="")
    location: Mapped[str] = mapped_column(String(200), default="")
    expires: Mapped[date] = mapped_column(Date, index=True)
    contact_public: Mapped[bool] = mapped_column(Boolean, default=False)
    review_comment: Mapped[str] = mapped_column(Text, default="")
    reminded: Mapped[bool] = mapped_column(Boolean, default=False)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    interests: Mapped[list[Interest]] = relationship(back_populates="post")

    def snapshot(self) -> dict[str, Any]:
        """The fields an audit entry records before and after a change."""
        return {
            "type": self.type, "state": self.state, "title": self.title, "text": self.text,
            "organisation": self.organisation_id, "domains": list(self.domains),
            "stages": list(self.stages), "partnership": list(self.partnership), "trl": self.trl,
            "ip_status": self.ip_status, "location": self.location,
            "expires": self.expires.isoformat(), "contact_public": self.contact_public,
            "review_comment": self.review_comment,
        }  # fmt: skip


class Interest(Base):
    """An expression of interest in a post by a member of another organisation."""

    __tablename__ = "post_interests"
    __table_args__ = (UniqueConstraint("post_id", "user_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[str] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    message: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(20), default="pending")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    post: Mapped[Post] = relationship(back_populates="interests")


class Introduction(Base):
    """Two parties introduced: the poster accepted an interest and both got each other's contact."""

    __tablename__ = "introductions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    interest_id: Mapped[int] = mapped_column(
        ForeignKey("post_interests.id", ondelete="CASCADE"), unique=True
    )
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    poster_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    poster_organisation_id: Mapped[str] = mapped_column(String(120))
    interested_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    interested_organisation_id: Mapped[str] = mapped_column(String(120))
    cross_cluster: Mapped[bool] = mapped_column(Boolean, default=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class Alert(Base):
    """A followed filter (post types and domains); the digest mails what is new since `sent_at`."""

    __tablename__ = "post_alerts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    types: Mapped[list[str]] = mapped_column(JSON, default=list)
    domains: Mapped[list[str]] = mapped_column(JSON, default=list)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
