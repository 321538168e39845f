"""Mail delivery against a real SMTP server (aiosmtpd, started by the tests), and the outbox."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from tests.mail.server import PASSWORD, USER, SmtpServer
from triplehelix.config import Settings
from triplehelix.errors import NotFoundError, ValidationError
from triplehelix.mail import Mail, MailError, outbox, outbox_message, send_mail, smtp_target

MAIL = Mail(to=("ada@example.org", "bob@example.net"), subject="Hello ∆", body="Line one\nline two")


def settings(tmp_path: Path, smtp_url: str = "") -> Settings:
    return Settings(
        tmp_path, f"sqlite:///{tmp_path / 'x.db'}", load_bundled=False, smtp_url=smtp_url,
        mail_from="Region office <office@region.example>",
    )  # fmt: skip


def test_plain_smtp_delivers_to_every_recipient(tmp_path: Path, smtp_server: SmtpServer) -> None:
    delivery = send_mail(settings(tmp_path, smtp_server.url()), MAIL)
    assert delivery.how == "smtp"
    [got] = smtp_server.inbox.messages
    assert got.sender == "office@region.example"
    assert sorted(got.recipients) == ["ada@example.org", "bob@example.net"]
    assert got.message["Subject"] == "Hello ∆"
    assert got.message.get_content().strip() == "Line one\nline two"
    assert outbox(settings(tmp_path)) == []  # nothing written when it was sent


def test_starttls_with_login(tmp_path: Path, smtp_starttls_server: SmtpServer) -> None:
    url = smtp_starttls_server.url(credentials=True, starttls="1")
    send_mail(settings(tmp_path, url), replace(MAIL, reply_to="ada@example.org"))
    [got] = smtp_starttls_server.inbox.messages
    assert got.message["Reply-To"] == "ada@example.org"


def test_starttls_server_refuses_without_tls_and_the_message_is_kept(
    tmp_path: Path, smtp_starttls_server: SmtpServer
) -> None:
    with pytest.raises(MailError, match="kept in the outbox"):
        send_mail(settings(tmp_path, smtp_starttls_server.url()), MAIL)
    assert smtp_starttls_server.inbox.messages == []
    [kept] = outbox(settings(tmp_path))
    assert kept.subject == "Hello ∆" and kept.error


def test_wrong_password_is_refused(tmp_path: Path, smtp_starttls_server: SmtpServer) -> None:
    url = smtp_starttls_server.url(credentials=True, starttls="1").replace(
        PASSWORD.replace(" ", "%20"), "wrong"
    )
    with pytest.raises(MailError, match="SMTPAuthenticationError"):
        send_mail(settings(tmp_path, url), MAIL)
    assert smtp_starttls_server.inbox.messages == []


def test_untrusted_certificate_is_refused(tmp_path: Path, smtp_starttls_server: SmtpServer) -> None:
    url = smtp_starttls_server.url(credentials=True, starttls="1").split("&cafile")[0]
    with pytest.raises(MailError, match="CERTIFICATE_VERIFY_FAILED"):
        send_mail(settings(tmp_path, url), MAIL)


def test_implicit_tls(tmp_path: Path, smtps_server: SmtpServer) -> None:
    send_mail(settings(tmp_path, smtps_server.url("smtps")), MAIL)
    assert len(smtps_server.inbox.messages) == 1


def test_unreachable_server_keeps_the_message(tmp_path: Path) -> None:
    with pytest.raises(MailError):
        send_mail(settings(tmp_path, "smtp://127.0.0.1:9?timeout=2"), MAIL)
    assert len(outbox(settings(tmp_path))) == 1


def test_without_smtp_host_messages_go_to_the_outbox(tmp_path: Path) -> None:
    s = settings(tmp_path)
    first = send_mail(s, MAIL)
    second = send_mail(s, replace(MAIL, subject="Second"))
    assert first.how == second.how == "outbox"
    entries = outbox(s)
    assert [e.subject for e in entries] == ["Second", "Hello ∆"]  # newest first
    assert entries[0].to == "ada@example.org, bob@example.net" and not entries[0].error
    message = outbox_message(s, entries[1].name)
    assert message.get_content().strip() == "Line one\nline two"
    assert Path(first.where).suffix == ".eml"


def test_outbox_reads_only_its_own_names(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError):
        outbox_message(settings(tmp_path), "../secret_key")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("", None),
        ("smtp://", None),
        ("smtp://relay.example", ("relay.example", 25, "", "", False, False)),
        (
            "smtp://u%40x:p%3Aw@mail.example?starttls=1",
            ("mail.example", 587, "u@x", "p:w", False, True),
        ),
        ("smtp://mail.example:2525?starttls=yes", ("mail.example", 2525, "", "", False, True)),
        ("smtps://a:b@mail.example", ("mail.example", 465, "a", "b", True, False)),
    ],
)
def test_smtp_url(url: str, expected: tuple[object, ...] | None) -> None:
    target = smtp_target(url)
    got = None if target is None else (
        target.host, target.port, target.username, target.password, target.tls, target.starttls
    )  # fmt: skip
    assert got == expected


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("http://mail.example", "scheme must be smtp or smtps"),
        ("smtp://mail.example?tls=1", "unknown parameter 'tls'"),
        ("smtps://mail.example?starttls=1", "smtps:// is TLS already"),
        ("smtp://mail.example:99999", "TRIPLEHELIX_SMTP_URL"),
        ("smtp://mail.example?timeout=soon", "TRIPLEHELIX_SMTP_URL"),
    ],
)
def test_bad_smtp_url_names_the_setting(url: str, problem: str) -> None:
    with pytest.raises(ValidationError, match="TRIPLEHELIX_SMTP_URL") as caught:
        smtp_target(url)
    assert problem in str(caught.value)


def test_a_message_needs_a_recipient(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="recipient"):
        send_mail(settings(tmp_path), replace(MAIL, to=()))


def test_settings_read_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRIPLEHELIX_SMTP_URL", " smtp://relay.example ")
    monkeypatch.setenv("TRIPLEHELIX_MAIL_FROM", "noreply@region.example")
    s = Settings.from_env()
    assert (s.smtp_url, s.mail_from) == ("smtp://relay.example", "noreply@region.example")
    monkeypatch.delenv("TRIPLEHELIX_MAIL_FROM")
    assert "@" in Settings.from_env().mail_from
    assert USER  # the fixture's login is what the STARTTLS tests used
