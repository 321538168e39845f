"""Account e-mail through a real SMTP server (aiosmtpd, started by the tests) on both databases:
confirming an address on the organisation's domain verifies the membership; password reset links
work once and expire; sign-up answers the same for a known address (whose owner is mailed);
affiliation decisions are mailed."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from sqlalchemy.engine import Engine

from tests.accounts.test_account_pages import csrf, sign_in
from tests.facilities.factories import PASSWORD, make_user
from tests.mail.server import SmtpServer
from triplehelix.accounts import service
from triplehelix.accounts.models import EmailToken
from triplehelix.accounts.service import affiliation
from triplehelix.app import create_app
from triplehelix.config import Settings
from triplehelix.db import transaction, utcnow
from triplehelix.directory.models import Organisation


@pytest.fixture
def mailing(engine: Engine, tmp_path: Path, smtp_server: SmtpServer) -> Iterator[TestClient]:
    url = engine.url.render_as_string(hide_password=False)
    settings = Settings(data_dir=tmp_path, database_url=url, load_bundled=False,
                        smtp_url=smtp_server.url(), base_url="https://th.example")  # fmt: skip
    app = create_app(settings)
    with TestClient(app) as client:
        yield client
    app.state.engine.dispose()


def _link(smtp_server: SmtpServer, to: str, path: str) -> str:
    body = smtp_server.inbox.to(to)[-1].message.get_content()
    match = re.search(rf"https://th\.example({re.escape(path)}\?token=[\w-]+)", body)
    assert match, body
    return match.group(1)


def _acme(engine: Engine) -> None:
    with transaction(engine) as session:
        session.add(Organisation(id="acme", name="Acme", kind="company", website="acme.example"))


def _sign_up(client: TestClient, email: str, organisation: str = "") -> str:
    data = {"email": email, "password": PASSWORD, "organisation": organisation,
            "csrf_token": csrf(client, "/signup")}  # fmt: skip
    reply = client.post("/signup", data=data)
    assert reply.status_code == 200, reply.text
    return reply.text


def test_confirming_a_domain_address_verifies_the_membership(
    engine: Engine, mailing: TestClient, smtp_server: SmtpServer
) -> None:
    _acme(engine)
    _sign_up(mailing, "ann@lab.acme.example", "acme")
    link = _link(smtp_server, "ann@lab.acme.example", "/account/verify")
    page = mailing.get(link)
    token = link.split("token=", 1)[1]
    confirmed = mailing.post("/account/verify", data={"token": token,
                             "csrf_token": csrf(mailing, link)})  # fmt: skip
    assert "verified member of <strong>acme</strong>" in confirmed.text, page.text
    again = mailing.post(
        "/account/verify", data={"token": token, "csrf_token": csrf(mailing, link)}
    )
    assert again.status_code == 422 and "already used" in again.text
    with transaction(engine) as session:
        user = service.get_user(session, "ann@lab.acme.example")
        assert user.affiliation_via == "email" and user.email_verified_at is not None


def test_other_domains_still_wait_for_a_decision(
    engine: Engine, mailing: TestClient, smtp_server: SmtpServer
) -> None:
    _acme(engine)
    with transaction(engine) as session:
        make_user(session, "boss@acme.example", "editor", "acme")
    _sign_up(mailing, "bob@gmail.example", "acme")
    link = _link(smtp_server, "bob@gmail.example", "/account/verify")
    mailing.post("/account/verify", data={"token": link.split("token=", 1)[1],
                                          "csrf_token": csrf(mailing, link)})  # fmt: skip
    with transaction(engine) as session:
        user = service.get_user(session, "bob@gmail.example")
        assert user.organisation_id is None and user.email_verified_at is not None
        request = affiliation.pending_of(session, user)
        assert request is not None
    sign_in(mailing, "boss@acme.example")
    mailing.post(f"/admin/affiliations/{request.id}/approve",
                 data={"csrf_token": csrf(mailing, "/admin/affiliations")})  # fmt: skip
    decision = smtp_server.inbox.to("bob@gmail.example")[-1].message
    assert decision["Subject"] == "Your affiliation with Acme was approved"


def test_sign_up_of_a_known_address_looks_the_same(
    engine: Engine, mailing: TestClient, smtp_server: SmtpServer
) -> None:
    with transaction(engine) as session:
        make_user(session, "known@example.org")
    fresh = _sign_up(mailing, "fresh@example.org")
    mailing.cookies.clear()
    known = _sign_up(mailing, "known@example.org")
    assert fresh.replace("fresh@", "X@") == known.replace("known@", "X@").replace(
        csrf_of(known), csrf_of(fresh)
    )
    [warning] = smtp_server.inbox.to("known@example.org")
    assert warning.message["Subject"] == "Someone tried to sign up with your address"
    with transaction(engine) as session:
        assert service.get_user(session, "known@example.org").password_hash


def csrf_of(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    return found.group(1) if found else ""


def test_password_reset_works_once_and_expires(
    engine: Engine, mailing: TestClient, smtp_server: SmtpServer
) -> None:
    with transaction(engine) as session:
        make_user(session, "r@example.org")
    for email in ("r@example.org", "nobody@example.org"):
        sent = mailing.post("/reset-password", data={"email": email,
                            "csrf_token": csrf(mailing, "/reset-password")})  # fmt: skip
        assert f"If <strong>{email}</strong> has an account" in sent.text
    assert smtp_server.inbox.to("nobody@example.org") == []
    link = _link(smtp_server, "r@example.org", "/reset-password/new")
    token = link.split("token=", 1)[1]
    weak = mailing.post("/reset-password/new", data={"token": token, "password": "password12",
                        "csrf_token": csrf(mailing, link)})  # fmt: skip
    assert weak.status_code == 422 and "too easy to guess" in weak.text
    new = "violet tractor sings at noon"
    done = mailing.post("/reset-password/new", data={"token": token, "password": new,
                        "csrf_token": csrf(mailing, link)}, follow_redirects=False)  # fmt: skip
    assert done.status_code == 303
    assert sign_in(mailing, "r@example.org", PASSWORD) == 401
    assert sign_in(mailing, "r@example.org", new) == 303
    reused = mailing.post("/reset-password/new", data={"token": token, "password": new + "!",
                          "csrf_token": csrf(mailing, link)})  # fmt: skip
    assert reused.status_code == 422 and "already used" in reused.text
    # a link past its hour does not work
    mailing.post("/reset-password", data={"email": "r@example.org",
                 "csrf_token": csrf(mailing, "/reset-password")})  # fmt: skip
    late = _link(smtp_server, "r@example.org", "/reset-password/new").split("token=", 1)[1]
    with transaction(engine) as session:
        session.execute(update(EmailToken).where(EmailToken.used_at.is_(None))
                        .values(expires_at=utcnow() - timedelta(seconds=1)))  # fmt: skip
        assert session.scalars(select(EmailToken)).first() is not None
    expired = mailing.post("/reset-password/new", data={"token": late, "password": new + "!",
                           "csrf_token": csrf(mailing, link)})  # fmt: skip
    assert expired.status_code == 422 and "expired" in expired.text


DUTCH = {"Accept-Language": "nl-NL,nl;q=0.9,en;q=0.5"}


def test_a_dutch_sign_up_gets_its_mail_in_dutch(
    engine: Engine, mailing: TestClient, smtp_server: SmtpServer
) -> None:
    form = mailing.get("/signup", headers=DUTCH).text
    data = {"email": "joke@example.org", "password": PASSWORD, "csrf_token": csrf_of(form)}
    checked = mailing.post("/signup", data=data, headers=DUTCH)
    assert checked.status_code == 200 and "Kijk in uw e-mail" in checked.text
    [received] = smtp_server.inbox.to("joke@example.org")
    mail = received.message
    assert mail["Subject"] == "Bevestig uw e-mailadres"
    assert mail["Content-Language"] == "nl"
    body = mail.get_content()
    assert "Open deze link binnen 48 uur" in body and "Open this link" not in body
    assert re.search(r"https://th\.example/account/verify\?token=[\w-]+", body)
    # the same address again, now from an English browser: its owner is told in English
    again = {"email": "joke@example.org", "password": PASSWORD,
             "csrf_token": csrf(mailing, "/signup")}  # fmt: skip
    mailing.post("/signup", data=again, headers={"Accept-Language": "en-GB"})
    warned = smtp_server.inbox.to("joke@example.org")[-1].message
    assert warned["Subject"] == "Someone tried to sign up with your address"
    assert warned["Content-Language"] == "en"


def test_a_dutch_reset_mail_and_its_errors_are_dutch(
    engine: Engine, mailing: TestClient, smtp_server: SmtpServer
) -> None:
    with transaction(engine) as session:
        make_user(session, "kees@example.org")
    form = mailing.get("/reset-password", headers=DUTCH).text
    sent = mailing.post("/reset-password", data={"email": "kees@example.org",
                        "csrf_token": csrf_of(form)}, headers=DUTCH)  # fmt: skip
    assert "een link onderweg" in sent.text
    mail = smtp_server.inbox.to("kees@example.org")[-1].message
    assert mail["Subject"] == "Nieuw wachtwoord instellen" and mail["Content-Language"] == "nl"
    assert "binnen een uur" in mail.get_content()
    link = _link(smtp_server, "kees@example.org", "/reset-password/new")
    token = link.split("token=", 1)[1]
    short = mailing.post("/reset-password/new", data={"token": token, "password": "kort",
                         "csrf_token": csrf(mailing, link)}, headers=DUTCH)  # fmt: skip
    assert short.status_code == 422 and "Gebruik minstens 10 tekens" not in short.text
    assert "gebruik minstens 10 tekens" in short.text and '<html lang="nl">' in short.text
