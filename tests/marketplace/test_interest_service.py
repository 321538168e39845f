"""Interest -> accept/decline -> introduction, with the e-mails received by a real SMTP server
(aiosmtpd), on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.mail.server import SmtpServer
from tests.marketplace.factories import make_people, published_post
from triplehelix.config import Settings
from triplehelix.errors import ConflictError, PermissionDeniedError
from triplehelix.marketplace import service
from triplehelix.marketplace.models import Introduction
from triplehelix.marketplace.schemas import post_public
from triplehelix.marketplace.service import interests


def _settings(tmp_path: Path, smtp: SmtpServer) -> Settings:
    return Settings(tmp_path, "sqlite://", load_bundled=False, smtp_url=smtp.url(),
                    mail_from="office@region.example")  # fmt: skip


def test_accepted_interest_introduces_both_parties_by_mail(
    session: Session, smtp_server: SmtpServer, tmp_path: Path
) -> None:
    people = make_people(session)
    post = published_post(session, people)
    interest = interests.express_interest(session, people.other, post.id, "We run a TVAC.")
    assert interest.state == "pending" and interest.organisation_id == "orbit-works"
    # before consent nothing shows the poster's personal contact
    assert people.poster.email not in post_public(post, people.poster).model_dump_json()
    assert smtp_server.inbox.messages == []

    _, intro, mails = interests.accept_interest(session, people.colleague, interest.id)
    session.commit()
    assert interests.deliver(_settings(tmp_path, smtp_server), mails) == []

    assert intro.cross_cluster  # lbsp meets nl-space-campus
    assert session.scalar(select(Introduction.id)) == intro.id
    [to_poster] = smtp_server.inbox.to(people.colleague.email)
    [to_other] = smtp_server.inbox.to(people.other.email)
    assert len(smtp_server.inbox.messages) == 2
    assert people.other.email in to_poster.message.get_content()
    assert "We run a TVAC." in to_poster.message.get_content()
    assert people.colleague.email in to_other.message.get_content()
    assert post.title in to_other.message["Subject"]
    assert to_other.message["Reply-To"] == people.colleague.email


def test_interest_in_ones_own_post_is_refused(session: Session) -> None:
    people = make_people(session)
    post = published_post(session, people)
    with pytest.raises(PermissionDeniedError, match="own organisation"):
        interests.express_interest(session, people.colleague, post.id, "")
    with pytest.raises(PermissionDeniedError, match="member of an organisation"):
        interests.express_interest(session, people.loner, post.id, "")


def test_accept_or_decline_by_anyone_but_the_poster_is_refused(session: Session) -> None:
    people = make_people(session)
    post = published_post(session, people)
    interest = interests.express_interest(session, people.other, post.id, "")
    for outsider in (people.other, people.admin, people.loner):
        with pytest.raises(PermissionDeniedError):
            interests.accept_interest(session, outsider, interest.id)
        with pytest.raises(PermissionDeniedError):
            interests.decline_interest(session, outsider, interest.id)
    assert interest.state == "pending"
    assert session.scalar(select(Introduction.id)) is None


def test_decline_sends_no_contact_and_decisions_are_final(session: Session) -> None:
    people = make_people(session)
    post = published_post(session, people)
    interest = interests.express_interest(session, people.other, post.id, "")
    interests.decline_interest(session, people.poster, interest.id)
    assert interest.state == "declined"
    with pytest.raises(ConflictError, match="declined"):
        interests.accept_interest(session, people.poster, interest.id)
    with pytest.raises(ConflictError, match="already"):
        interests.express_interest(session, people.other, post.id, "again")


def test_only_published_posts_take_interest(session: Session) -> None:
    people = make_people(session)
    post = published_post(session, people)
    service.withdraw_post(session, people.poster, post.id)
    with pytest.raises(ConflictError, match="withdrawn"):
        interests.express_interest(session, people.other, post.id, "")


def test_contact_shown_when_the_author_makes_it_public(session: Session) -> None:
    people = make_people(session)
    post = published_post(session, people, contact_public=True)
    assert post_public(post, people.poster).contact == people.poster.email
