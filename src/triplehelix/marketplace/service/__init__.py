"""The life of a post: written by a member of an organisation, reviewed by a region admin,
published until it expires (the poster is reminded and may renew), or withdrawn. Only the
poster's organisation edits; every transition is audited; expired and withdrawn posts keep their
history but leave the public lists."""

from __future__ import annotations

import calendar
from dataclasses import asdict
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from triplehelix.accounts.models import User
from triplehelix.accounts.service import audit, inbox
from triplehelix.accounts.service.membership import member_organisation
from triplehelix.accounts.service.permissions import require_admin
from triplehelix.directory.models import Organisation
from triplehelix.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from triplehelix.i18n import current_locale, use_locale
from triplehelix.i18n import gettext as _
from triplehelix.i18n.format import format_date
from triplehelix.mail import Mail, recipient_locale
from triplehelix.marketplace.models import Post
from triplehelix.marketplace.schemas.fields import PostFields, problems

REMIND_DAYS = 14  # the poster is reminded this many days before a post expires
EDITABLE = ("draft", "returned", "published")


def today() -> date:
    return datetime.now(UTC).date()


def in_twelve_months(day: date) -> date:
    year, month = day.year + 1, day.month
    return day.replace(year=year, day=min(day.day, calendar.monthrange(year, month)[1]))


def get_post(session: Session, post_id: int) -> Post:
    post = session.get(Post, post_id)
    if post is None:
        raise NotFoundError(f"post {post_id} not found")
    return post


def acting_organisation(session: Session, user: User) -> str:
    org = member_organisation(user)
    if org is None or session.get(Organisation, org) is None:
        raise PermissionDeniedError(
            _(
                "only a member of an organisation may do this; ask the region office to link "
                "your account to your organisation"
            )
        )
    return org


def is_poster(user: User | None, post: Post) -> bool:
    return user is not None and member_organisation(user) == post.organisation_id


def require_poster(user: User, post: Post) -> None:
    if not is_poster(user, post):
        raise PermissionDeniedError(
            f"only members of {post.organisation_id!r} may change post {post.id}"
        )


def _check(fields: PostFields) -> None:
    found = problems(fields, today())
    if found:
        raise ValidationError(f"post: {found[0]}", found)


def _apply(post: Post, fields: PostFields) -> None:
    values = asdict(fields)
    values["expires"] = fields.expires or post.expires or in_twelve_months(today())
    values["title"], values["text"] = fields.title.strip(), fields.text.strip()
    values["location"] = fields.location.strip()
    for name, value in values.items():
        setattr(post, name, value)
    post.updated_at = datetime.now(UTC)


def create_post(session: Session, user: User, fields: PostFields, is_demo: bool = False) -> Post:
    org = acting_organisation(session, user)
    _check(fields)
    post = Post(organisation_id=org, author_id=user.id, state="draft", is_demo=is_demo)
    _apply(post, fields)
    session.add(post)
    session.flush()
    audit.record(session, user, "create", "post", post.id, None, post.snapshot())
    return post


def update_post(session: Session, user: User, post_id: int, fields: PostFields) -> Post:
    """Edit a post; an edit to a published post sends it back to review."""
    post = get_post(session, post_id)
    require_poster(user, post)
    if post.state not in EDITABLE:
        raise ConflictError(f"post {post.id} is {post.state}; it can no longer be edited")
    _check(fields)
    before = post.snapshot()
    _apply(post, fields)
    if post.state == "published":
        post.state = "submitted"
    audit.record(session, user, "update", "post", post.id, before, post.snapshot())
    return post


def _move(
    session: Session, actor: User | None, post: Post, allowed: tuple[str, ...], to: str, action: str
) -> Post:
    if post.state not in allowed:
        raise ConflictError(f"post {post.id} is {post.state}; it cannot be {action}ed")
    before = post.snapshot()
    post.state = to
    post.updated_at = datetime.now(UTC)
    audit.record(session, actor, action, "post", post.id, before, post.snapshot())
    return post


def submit_post(session: Session, user: User, post_id: int) -> Post:
    post = get_post(session, post_id)
    require_poster(user, post)
    post.review_comment = ""
    return _move(session, user, post, ("draft", "returned"), "submitted", "submit")


def review_post(session: Session, user: User, post_id: int, decision: str, comment: str) -> Post:
    """A region admin publishes a submitted post or returns it to the poster with a comment."""
    require_admin(user)
    post = get_post(session, post_id)
    if decision not in {"approve", "return"}:
        raise ValidationError(f"decision: {decision!r} is not approve or return")
    if decision == "return" and not comment.strip():
        raise ValidationError("comment: " + _("say what the poster should change"))
    if decision == "approve" and post.expires <= today():
        raise ValidationError(
            "expires: " + _("the post's expiry date has passed; the poster renews it")
        )
    post.review_comment = comment.strip()
    to, action = ("published", "approve") if decision == "approve" else ("returned", "return")
    _move(session, user, post, ("submitted",), to, action)
    if to == "published":
        post.published_at = datetime.now(UTC)
    with use_locale(_author_locale(session, post)):
        subject = (
            _("Your post “%(title)s” was published")
            if to == "published"
            else _("Your post “%(title)s” was returned")
        ) % {"title": post.title}
    _tell_author(session, post, subject, post.review_comment)
    return post


def withdraw_post(session: Session, user: User, post_id: int) -> Post:
    post = get_post(session, post_id)
    require_poster(user, post)
    allowed = ("draft", "submitted", "returned", "published", "expired")
    return _move(session, user, post, allowed, "withdrawn", "withdraw")


def renew_post(session: Session, user: User, post_id: int) -> Post:
    """Twelve more months from today for a published or expired post, published again."""
    post = get_post(session, post_id)
    require_poster(user, post)
    _move(session, user, post, ("published", "expired"), "published", "renew")
    post.expires = in_twelve_months(today())
    post.reminded = False
    return post


def _author_locale(session: Session, post: Post) -> str:
    author = session.get(User, post.author_id) if post.author_id is not None else None
    return recipient_locale(author) if author is not None else current_locale()


def _tell_author(session: Session, post: Post, subject: str, body: str = "") -> None:
    if post.author_id is not None:
        inbox.notify(session, {post.author_id}, subject, body, f"/marketplace/{post.id}")


def expire_posts(session: Session, day: date | None = None) -> tuple[list[Post], list[Post]]:
    """Expire published posts past their date and remind the posters of those close to it.

    Returns (expired, reminded); meant to run daily (`triplehelix posts expire`)."""
    day = day or today()
    published = list(session.scalars(select(Post).where(Post.state == "published")))
    expired = [p for p in published if p.expires <= day]
    for post in expired:
        _move(session, None, post, ("published",), "expired", "expire")
        with use_locale(_author_locale(session, post)):
            subject = _("Your post “%(title)s” expired") % {"title": post.title}
            body = _("Renew it to publish it again.")
        _tell_author(session, post, subject, body)
    soon = day + timedelta(days=REMIND_DAYS)
    reminded = [p for p in published if day < p.expires <= soon and not p.reminded]
    for post in reminded:
        post.reminded = True
        with use_locale(_author_locale(session, post)):
            subject = _("Your post “%(title)s” expires on %(date)s") % {
                "title": post.title, "date": format_date(post.expires)}  # fmt: skip
            body = _("Renew it to keep it published for twelve more months.")
        _tell_author(session, post, subject, body)
    return expired, reminded


def expiry_mails(session: Session, expired: list[Post], reminded: list[Post]) -> list[Mail]:
    """What `expire_posts` tells the authors by e-mail, beside their inbox."""
    mails = []
    for post, what in [*((p, "expired") for p in expired), *((p, "expires") for p in reminded)]:
        author = session.get(User, post.author_id) if post.author_id else None
        if author is None:
            continue
        with use_locale(recipient_locale(author)):
            words = {"title": post.title, "date": format_date(post.expires), "id": post.id}
            subject = (
                _("Your post “%(title)s” expired")
                if what == "expired"
                else _("Your post “%(title)s” expires on %(date)s")
            ) % words
            body = (
                _("Renew it on /marketplace/%(id)s to keep it published for twelve more months.")
                % words
            )
        mails.append(Mail(to=(author.email,), subject=subject, body=body))
    return mails


def list_posts(
    session: Session, user: User | None = None, states: tuple[str, ...] = ("published",),
    organisation: str | None = None,
) -> list[Post]:  # fmt: skip
    query = select(Post).where(Post.state.in_(states)).order_by(Post.updated_at.desc(), Post.id)
    if organisation is not None:
        query = query.where(Post.organisation_id == organisation)
    return list(session.scalars(query))


def visible(user: User | None, post: Post) -> bool:
    """Published posts are public; the others only to their organisation and region admins."""
    from triplehelix.accounts.service.permissions import is_admin

    return post.state == "published" or is_poster(user, post) or is_admin(user)


def readable_post(session: Session, user: User | None, post_id: int) -> Post:
    post = get_post(session, post_id)
    if not visible(user, post):
        raise NotFoundError(f"post {post_id} not found")
    return post
