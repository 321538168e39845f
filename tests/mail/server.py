"""A real SMTP server for tests (aiosmtpd on a free local port): plain, STARTTLS with login, or
implicit TLS, with a self-signed certificate made by openssl. Loaded as a pytest plugin by
tests/conftest.py, so any test can ask for `smtp_server` or `smtp_tls_server`."""

from __future__ import annotations

import socket
import ssl
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

USER, PASSWORD = "mailer", "s3cret pass"


@dataclass
class Received:
    sender: str
    recipients: list[str]
    message: EmailMessage


@dataclass
class Inbox:
    """What the server received, in order."""

    messages: list[Received] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        raw = envelope.content.replace(b"\r\n", b"\n")
        parsed = message_from_bytes(raw, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append(Received(envelope.mail_from, list(envelope.rcpt_tos), parsed))
        return "250 OK"

    def to(self, address: str) -> list[Received]:
        return [m for m in self.messages if address in m.recipients]


@dataclass
class SmtpServer:
    host: str
    port: int
    inbox: Inbox
    cafile: str = ""

    def url(self, scheme: str = "smtp", credentials: bool = False, **query: str) -> str:
        auth = f"{USER}:{PASSWORD.replace(' ', '%20')}@" if credentials else ""
        params = dict(query, **({"cafile": self.cafile} if self.cafile else {}))
        tail = "?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else ""
        return f"{scheme}://{auth}{self.host}:{self.port}{tail}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _authenticate(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> Any:
    ok = isinstance(data, LoginPassword) and (data.login, data.password) == (
        USER.encode(),
        PASSWORD.encode(),
    )
    return AuthResult(success=ok, handled=False)


@pytest.fixture(scope="session")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


def _serve(**kwargs: Any) -> Iterator[tuple[int, Inbox]]:
    inbox, port = Inbox(), _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, **kwargs)
    controller.start()
    try:
        yield port, inbox
    finally:
        controller.stop()


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    """Plain SMTP, no login: what a local relay looks like."""
    for port, inbox in _serve():
        yield SmtpServer("127.0.0.1", port, inbox)


@pytest.fixture
def smtp_starttls_server(certificate: tuple[Path, Path]) -> Iterator[SmtpServer]:
    """STARTTLS required, then LOGIN/PLAIN with USER and PASSWORD required."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)
    for port, inbox in _serve(
        tls_context=context, require_starttls=True, authenticator=_authenticate,
        auth_required=True,
    ):  # fmt: skip
        yield SmtpServer("localhost", port, inbox, cafile=str(certificate[0]))


@pytest.fixture
def smtps_server(certificate: tuple[Path, Path]) -> Iterator[SmtpServer]:
    """Implicit TLS from the first byte (aiosmtpd offers AUTH only after STARTTLS, so no login)."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)
    for port, inbox in _serve(ssl_context=context):
        yield SmtpServer("localhost", port, inbox, cafile=str(certificate[0]))
