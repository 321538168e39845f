"""Expressions of interest and introductions: a member of another organisation writes to a post;
its poster accepts or declines; on accept both parties are introduced by e-mail, each with the
other's contact and the context, and the introduction is recorded. Personal contacts are never
part of anything shown or mailed before that consent."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from triplehelix.accounts.models import User
from triplehelix.accounts.service import audit, inbox
from triplehelix.config import Settings
from triplehelix.directory.models import Organisation
from triplehelix.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from triplehelix.i18n import gettext as _
from triplehelix.i18n import use_locale
from triplehelix.mail import Mail, MailError, recipient_locale, send_mail
from triplehelix.marketplace.models import Interest, Introduction, Post
from triplehelix.marketplace.schemas.fields import type_label
from triplehelix.marketplace.service import acting_organisation, get_post, require_poster

MAX_MESSAGE = 2000


def _snapshot(i: Interest) -> dict[str, object]:
    return {"post": i.post_id, "organisation": i.organisation_id, "state": i.state}


def express_interest(session: Session, user: User, post_id: int, message: str) -> Interest:
    post = get_post(session, post_id)
    org = acting_organisation(session, user)
    if post.state != "published":
        raise ConflictError(f"post {post.id} is {post.state}; only published posts take interest")
    if org == post.organisation_id:
        raise PermissionDeniedError(_("this is your own organisation's post"))
    if len(message) > MAX_MESSAGE:
        raise ValidationError("message: " + _("at most %(n)s characters") % {"n": MAX_MESSAGE})
    taken = session.scalar(
        select(Interest).where(Interest.post_id == post.id, Interest.user_id == user.id)
    )
    if taken is not None:
        raise ConflictError(f"you already expressed interest in post {post.id} ({taken.state})")
    interest = Interest(post_id=post.id, user_id=user.id, organisation_id=org,
                        message=message.strip())  # fmt: skip
    session.add(interest)
    session.flush()
    audit.record(session, user, "express_interest", "interest", interest.id, None,
                 _snapshot(interest))  # fmt: skip
    author = session.get(User, post.author_id) if post.author_id is not None else None
    if author is not None:
        name = _org_name(session, org)
        with use_locale(recipient_locale(author)):
            subject = _("%(organisation)s is interested in “%(title)s”") % {
                "organisation": name, "title": post.title}  # fmt: skip
        inbox.notify(session, {author.id}, subject, interest.message,
                     "/marketplace/inbox")  # fmt: skip
    return interest


def _decide(session: Session, user: User, interest_id: int) -> Interest:
    interest = session.get(Interest, interest_id)
    if interest is None:
        raise NotFoundError(f"interest {interest_id} not found")
    require_poster(user, interest.post)
    if interest.state != "pending":
        raise ConflictError(f"interest {interest.id} is already {interest.state}")
    return interest


def decline_interest(session: Session, user: User, interest_id: int) -> Interest:
    interest = _decide(session, user, interest_id)
    before = _snapshot(interest)
    interest.state, interest.decided_at = "declined", datetime.now(UTC)
    audit.record(session, user, "decline", "interest", interest.id, before, _snapshot(interest))
    with use_locale(recipient_locale(session.get(User, interest.user_id))):
        subject = _("Your interest in “%(title)s” was declined") % {"title": interest.post.title}
    inbox.notify(session, {interest.user_id}, subject, "",
                 f"/marketplace/{interest.post_id}")  # fmt: skip
    return interest


def accept_interest(
    session: Session, user: User, interest_id: int
) -> tuple[Interest, Introduction, list[Mail]]:
    """Accept: record the introduction and return the two mails to send once it is stored."""
    from triplehelix.marketplace.service.matches import crosses_clusters

    interest = _decide(session, user, interest_id)
    before = _snapshot(interest)
    interest.state, interest.decided_at = "accepted", datetime.now(UTC)
    post = interest.post
    intro = Introduction(
        interest_id=interest.id, post_id=post.id, poster_id=user.id,
        poster_organisation_id=post.organisation_id, interested_id=interest.user_id,
        interested_organisation_id=interest.organisation_id,
        cross_cluster=crosses_clusters(session, post.organisation_id, interest.organisation_id),
    )  # fmt: skip
    session.add(intro)
    session.flush()
    audit.record(session, user, "accept", "interest", interest.id, before, _snapshot(interest))
    audit.record(session, user, "introduce", "introduction", intro.id, None,
                 {"post": post.id, "poster": post.organisation_id,
                  "interested": interest.organisation_id})  # fmt: skip
    interested = session.get(User, interest.user_id)
    assert interested is not None
    with use_locale(recipient_locale(interested)):
        subject = _("You were introduced: “%(title)s”") % {"title": post.title}
        body = _("Check your e-mail for the contact.")
    inbox.notify(session, {interested.id}, subject, body, f"/marketplace/{post.id}")
    return interest, intro, introduction_mails(session, post, user, interested, interest)


def _org_name(session: Session, org_id: str) -> str:
    org = session.get(Organisation, org_id)
    return org.name if org is not None else org_id


def _contact(session: Session, person: User, org_id: str) -> str:
    name = f"{person.name} " if person.name else ""
    return f"{name}<{person.email}>, {_org_name(session, org_id)}"


def introduction_mails(
    session: Session, post: Post, poster: User, interested: User, interest: Interest
) -> list[Mail]:
    """The two introduction mails, each in its recipient's language."""
    parties = [
        (poster, interested, interest.organisation_id, True),
        (interested, poster, post.organisation_id, False),
    ]
    mails = []
    for me, them, their_org, accepted_by_me in parties:
        with use_locale(recipient_locale(me)):
            lead = (
                _("You accepted an expression of interest.")
                if accepted_by_me
                else _("Your interest was accepted.")
            )
            context = _(
                "The post “%(title)s” (%(kind)s, /marketplace/%(id)s) by %(organisation)s."
            ) % {
                "title": post.title,
                "kind": type_label(post.type).lower(),
                "id": post.id,
                "organisation": _org_name(session, post.organisation_id),
            }
            message = interest.message or _("(none)")
            body = (
                f"{lead} {_('Your contact:')}\n{_contact(session, them, their_org)}\n\n"
                f"{context}\n\n{_('Message with the expression of interest:')}\n{message}\n"
            )
            subject = _("Introduction: %(organisation)s — %(title)s") % {
                "organisation": _org_name(session, their_org),
                "title": post.title,
            }
        mails.append(Mail(to=(me.email,), subject=subject, body=body, reply_to=them.email))
    return mails


def deliver(settings: Settings, mails: list[Mail]) -> list[str]:
    """Send each mail; a refused one stays in the outbox. Returns the failures, one line each."""
    failures = []
    for mail in mails:
        try:
            send_mail(settings, mail)
        except MailError as exc:
            failures.append(str(exc))
    return failures


def interests_for(
    session: Session, user: User, org: str | None
) -> tuple[list[Interest], list[Interest]]:
    """(received by the user's organisation's posts, sent by the user), newest first."""
    received: list[Interest] = []
    if org is not None:
        received = list(session.scalars(
            select(Interest).join(Post).where(Post.organisation_id == org)
            .order_by(Interest.id.desc())
        ))  # fmt: skip
    sent = list(session.scalars(
        select(Interest).where(Interest.user_id == user.id).order_by(Interest.id.desc())
    ))  # fmt: skip
    return received, sent


def introductions_for(session: Session, user: User, org: str | None) -> list[Introduction]:
    clauses = [Introduction.poster_id == user.id, Introduction.interested_id == user.id]
    if org is not None:
        clauses += [Introduction.poster_organisation_id == org,
                    Introduction.interested_organisation_id == org]  # fmt: skip
    query = select(Introduction).where(or_(*clauses)).order_by(Introduction.id.desc())
    return list(session.scalars(query))
