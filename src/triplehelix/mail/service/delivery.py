"""Compose and deliver one message: over SMTP (plain, STARTTLS or implicit TLS, with credentials)
when `TRIPLEHELIX_SMTP_URL` names a host, else into the outbox folder."""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from urllib.parse import parse_qs, unquote, urlsplit

from triplehelix.config import SMTP_URL, Settings
from triplehelix.errors import DomainError, ValidationError
from triplehelix.mail.service.outbox import write_outbox

SETTING = SMTP_URL.name
_FLAGS = {"1", "true", "yes", "on"}


class MailError(DomainError):
    """The SMTP server could not take the message; it was kept in the outbox."""


@dataclass(frozen=True)
class Mail:
    to: tuple[str, ...]
    subject: str
    body: str
    reply_to: str = ""
    language: str = ""  # the language subject and body are written in ("nl"), as Content-Language


@dataclass(frozen=True)
class Delivery:
    how: str  # "smtp" or "outbox"
    where: str  # host:port, or the .eml file written


@dataclass(frozen=True)
class SmtpTarget:
    host: str
    port: int
    username: str = ""
    password: str = ""
    tls: bool = False  # implicit TLS from the first byte (smtps://, usually port 465)
    starttls: bool = False  # upgrade a plain connection (usually port 587)
    cafile: str = ""  # trust this CA bundle instead of the system's
    timeout: float = 30.0


def _bad(problem: str) -> ValidationError:
    return ValidationError(f"{SETTING}: {problem}")


def smtp_target(url: str) -> SmtpTarget | None:
    """Parse `smtp[s]://[user[:pass]@]host[:port][?starttls=1&cafile=…&timeout=…]`."""
    if not url.strip():
        return None
    parts = urlsplit(url.strip())
    if parts.scheme not in {"smtp", "smtps"}:
        raise _bad(f"scheme must be smtp or smtps, not {parts.scheme!r}")
    if not parts.hostname:
        return None
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    unknown = sorted(set(query) - {"starttls", "cafile", "timeout"})
    if unknown:
        raise _bad(f"unknown parameter {unknown[0]!r} (known: starttls, cafile, timeout)")
    tls = parts.scheme == "smtps"
    starttls = query.get("starttls", "0").lower() in _FLAGS
    if tls and starttls:
        raise _bad("smtps:// is TLS already; starttls=1 is for smtp://")
    try:
        port = parts.port or (465 if tls else 587 if starttls else 25)
        timeout = float(query.get("timeout", "30"))
    except ValueError as exc:
        raise _bad(str(exc)) from exc
    return SmtpTarget(
        host=parts.hostname,
        port=port,
        username=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        tls=tls,
        starttls=starttls,
        cafile=query.get("cafile", ""),
        timeout=timeout,
    )


def compose(settings: Settings, mail: Mail) -> EmailMessage:
    if not mail.to:
        raise ValidationError("mail: to: give at least one recipient")
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = ", ".join(mail.to)
    message["Subject"] = mail.subject
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = make_msgid(domain=settings.mail_from.rpartition("@")[2].strip("> "))
    if mail.reply_to:
        message["Reply-To"] = mail.reply_to
    message.set_content(mail.body)
    if mail.language:  # after set_content, which replaces every Content-* header
        message["Content-Language"] = mail.language
    return message


def _context(target: SmtpTarget) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=target.cafile or None)


def _smtp_send(target: SmtpTarget, message: EmailMessage) -> None:
    client: smtplib.SMTP
    if target.tls:
        client = smtplib.SMTP_SSL(
            target.host, target.port, timeout=target.timeout, context=_context(target)
        )
    else:
        client = smtplib.SMTP(target.host, target.port, timeout=target.timeout)
    with client:
        if target.starttls:
            client.starttls(context=_context(target))
        if target.username:
            client.login(target.username, target.password)
        client.send_message(message)


def send_mail(settings: Settings, mail: Mail) -> Delivery:
    """Deliver `mail`; see the package docstring for where it goes and what a failure does."""
    message = compose(settings, mail)
    target = smtp_target(settings.smtp_url)
    if target is None:
        return Delivery("outbox", str(write_outbox(settings, message)))
    try:
        _smtp_send(target, message)
    except (OSError, smtplib.SMTPException) as exc:
        reason = f"{type(exc).__name__}: {exc}"
        kept = write_outbox(settings, message, error=reason)
        raise MailError(
            f"could not send {mail.subject!r} via {target.host}:{target.port} ({reason}); "
            f"kept in the outbox as {kept.name}"
        ) from exc
    return Delivery("smtp", f"{target.host}:{target.port}")
