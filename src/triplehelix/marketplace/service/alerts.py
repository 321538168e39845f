"""Alerts: a person follows post types and domains; the digest (`triplehelix digest send`, for
cron) mails each follower the posts published since their last digest, and an Atom feed serves
any listing filter to feed readers."""

from __future__ import annotations

from datetime import UTC, datetime
from xml.etree import ElementTree as ET

from sqlalchemy import select
from sqlalchemy.orm import Session

from triplehelix.accounts.models import User
from triplehelix.config import Settings
from triplehelix.errors import NotFoundError, ValidationError
from triplehelix.i18n import gettext as _
from triplehelix.i18n import ngettext, use_locale
from triplehelix.mail import Mail, MailError, recipient_locale, send_mail
from triplehelix.marketplace.models import Alert
from triplehelix.marketplace.schemas.fields import TYPES, domains, type_label
from triplehelix.marketplace.service.listing import Listed, PostFilters, published

ATOM = "http://www.w3.org/2005/Atom"


def follow(session: Session, user: User, types: list[str], chosen: list[str]) -> Alert:
    unknown = _("unknown code %(code)s")
    bad = ["types: " + unknown % {"code": repr(t)} for t in types if t not in TYPES]
    bad += ["domains: " + unknown % {"code": repr(d)} for d in chosen if d not in domains()]
    if bad:
        raise ValidationError(bad[0], bad)
    alert = Alert(user_id=user.id, types=sorted(set(types)), domains=sorted(set(chosen)),
                  sent_at=datetime.now(UTC))  # fmt: skip
    session.add(alert)
    session.flush()
    return alert


def alerts_of(session: Session, user: User) -> list[Alert]:
    return list(session.scalars(select(Alert).where(Alert.user_id == user.id).order_by(Alert.id)))


def unfollow(session: Session, user: User, alert_id: int) -> None:
    alert = session.get(Alert, alert_id)
    if alert is None or alert.user_id != user.id:
        raise NotFoundError(f"alert {alert_id} not found")
    session.delete(alert)


def alert_filters(alert: Alert) -> PostFilters:
    return PostFilters(type=list(alert.types), domain=list(alert.domains))


def admits(alert: Alert, item: Listed) -> bool:
    p = item.post
    return (not alert.types or p.type in alert.types) and (
        not alert.domains or bool(set(alert.domains) & set(p.domains))
    )


def _digest(items: list[Listed], base_url: str) -> str:
    lines = [_("New posts on the marketplace that match what you follow:"), ""]
    for i in items:
        lines += [f"* {type_label(i.post.type)}: {i.post.title} — {i.organisation.name}",
                  f"  {base_url}/marketplace/{i.post.id}"]  # fmt: skip
    follow_link = f"{base_url}/marketplace/alerts"
    lines += ["", _("Change what you follow: %(link)s") % {"link": follow_link}]
    return "\n".join(lines)


def send_digests(
    session: Session, settings: Settings, base_url: str, now: datetime | None = None
) -> tuple[int, list[str]]:
    """One mail per follower with what was published since their last digest.

    Returns (mails sent, failures); a follower whose mail failed gets the posts again next time."""
    now = now or datetime.now(UTC)
    listed = published(session)
    sent, failures = 0, []
    by_user: dict[int, list[Alert]] = {}
    for alert in session.scalars(select(Alert).order_by(Alert.id)):
        by_user.setdefault(alert.user_id, []).append(alert)
    for user_id, alerts in by_user.items():
        new = [i for i in listed if any(
            admits(a, i) and i.post.published_at is not None and i.post.published_at > a.sent_at
            for a in alerts)]  # fmt: skip
        user = session.get(User, user_id)
        if not new or user is None:
            continue
        with use_locale(recipient_locale(user)):
            subject = ngettext("Marketplace: %(num)d new post for you",
                               "Marketplace: %(num)d new posts for you",
                               len(new)) % {"num": len(new)}  # fmt: skip
            mail = Mail(to=(user.email,), subject=subject,
                        body=_digest(new, base_url.rstrip("/")))  # fmt: skip
        try:
            send_mail(settings, mail)
        except MailError as exc:
            failures.append(str(exc))
            continue
        for alert in alerts:
            alert.sent_at = now
        sent += 1
    return sent, failures


def atom_feed(items: list[Listed], feed_url: str, base_url: str, title: str) -> bytes:
    """An Atom 1.0 document (RFC 4287) of the posts, newest first."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    base = base_url.rstrip("/")

    def sub(parent: ET.Element, tag: str, text: str = "", **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        element.text = text or None
        return element

    sub(feed, "title", title)
    sub(feed, "id", feed_url)
    sub(feed, "link", rel="self", href=feed_url)
    times = [i.post.published_at for i in items if i.post.published_at]
    sub(feed, "updated", max(times, default=datetime(2000, 1, 1, tzinfo=UTC)).isoformat())
    for i in items:
        entry = sub(feed, "entry")
        link = f"{base}/marketplace/{i.post.id}"
        sub(entry, "title", f"{type_label(i.post.type)}: {i.post.title}")
        sub(entry, "id", link)
        sub(entry, "link", href=link)
        sub(entry, "updated", (i.post.published_at or i.post.updated_at).isoformat())
        author = sub(entry, "author")
        sub(author, "name", i.organisation.name)
        sub(entry, "summary", i.post.text)
    document: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return document
