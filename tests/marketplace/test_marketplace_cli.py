"""`posts list|expire` and `digest send` run as cron would run them; the digest goes to a real
SMTP server (aiosmtpd) and is not sent twice."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from tests.mail.server import SmtpServer
from tests.marketplace.factories import make_people, published_post, request_fields
from triplehelix.accounts.models import User
from triplehelix.db import transaction
from triplehelix.marketplace import service
from triplehelix.marketplace.models import Post
from triplehelix.marketplace.service import alerts


def run(engine: Engine, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    url = engine.url.render_as_string(hide_password=False)
    return subprocess.run([sys.executable, "-m", "triplehelix", *args],
                          env={**os.environ, "TRIPLEHELIX_DATABASE_URL": url, **env},
                          capture_output=True, text=True, timeout=120)  # fmt: skip


def test_posts_list_and_expire(engine: Engine, smtp_server: SmtpServer, tmp_path: Path) -> None:
    with transaction(engine) as session:
        people = make_people(session)
        post = published_post(session, people, title="Old request")
        post.expires = service.today() + timedelta(days=1)
        soon = published_post(session, people, title="Soon request")
        soon.expires = service.today() + timedelta(days=3)
    listed = run(engine, "posts", "list")
    assert listed.returncode == 0, listed.stderr
    assert "Old request" in listed.stdout and "Soon request" in listed.stdout
    env = {"TRIPLEHELIX_SMTP_URL": smtp_server.url(), "TRIPLEHELIX_DATA_DIR": str(tmp_path)}
    reminded = run(engine, "posts", "expire", **env)
    assert "Expired 0 post(s); reminded 2 poster(s)" in reminded.stdout
    subjects = sorted(m.message["Subject"] for m in smtp_server.inbox.to("poster@acme.example"))
    assert len(subjects) == 2 and all(" expires on " in s for s in subjects)
    with transaction(engine) as session:
        stored = session.get(Post, post.id)
        assert stored is not None
        stored.expires = service.today()
    assert "Expired 1 post(s)" in run(engine, "posts", "expire").stdout
    assert "Old request" in run(engine, "posts", "list", "--state", "expired", "--json").stdout
    bad = run(engine, "posts", "list", "--state", "gone")
    assert bad.returncode == 2 and "--state" in bad.stderr


def test_digest_mails_followers_once(
    engine: Engine, smtp_server: SmtpServer, tmp_path: Path
) -> None:
    with transaction(engine) as session:
        people = make_people(session)
        alerts.follow(session, people.other, ["technology_request"], ["space"])
        alerts.follow(session, people.admin, ["job"], [])
    with transaction(engine) as session:
        people_again = session.merge(people.poster), session.merge(people.admin)
        post_id = published_post_by(session, *people_again)
    env = {"TRIPLEHELIX_SMTP_URL": smtp_server.url(), "TRIPLEHELIX_DATA_DIR": str(tmp_path)}
    sent = run(engine, "digest", "send", "--base-url", "https://th.example", **env)
    assert sent.returncode == 0, sent.stderr
    assert "Sent 1 digest(s)" in sent.stdout
    [mail] = smtp_server.inbox.messages
    assert mail.recipients == ["other@orbit.example"]
    assert f"https://th.example/marketplace/{post_id}" in mail.message.get_content()
    again = run(engine, "digest", "send", **env)
    assert "Sent 0 digest(s)" in again.stdout and len(smtp_server.inbox.messages) == 1


def published_post_by(session: Session, poster: User, admin: User) -> int:
    """Published after the alerts were made, so the digest has something new."""
    post = service.create_post(session, poster, request_fields())
    service.submit_post(session, poster, post.id)
    service.review_post(session, admin, post.id, "approve", "")
    return post.id
