"""The outbox folder: messages that were not sent over SMTP, one `.eml` file each, newest first.

Without an SMTP host every message lands here (a demo or a test deployment reads them on the
admin page); a message the SMTP server refused lands here too, with the reason in a header.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

from triplehelix.config import Settings
from triplehelix.errors import NotFoundError
from triplehelix.i18n import gettext as _

ERROR_HEADER = "X-Triplehelix-Delivery-Error"
_NAME = re.compile(r"^[0-9]{8}T[0-9]{12}Z-[0-9a-f]{32}\.eml$")


@dataclass(frozen=True)
class OutboxEntry:
    name: str
    at: datetime
    sender: str
    to: str
    subject: str
    error: str  # empty when the message was written because no SMTP host is configured


def outbox_dir(settings: Settings) -> Path:
    return settings.data_dir / "outbox"


def write_outbox(settings: Settings, message: EmailMessage, error: str = "") -> Path:
    """Write `message` as a new .eml file; the name sorts by the moment it was written."""
    if error:
        message[ERROR_HEADER] = error
    folder = outbox_dir(settings)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    path = folder / f"{stamp}-{uuid.uuid4().hex}.eml"
    path.write_bytes(message.as_bytes(policy=policy.default))
    return path


def _read(path: Path) -> EmailMessage:
    parsed = message_from_bytes(path.read_bytes(), policy=policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def outbox(settings: Settings, limit: int = 500) -> list[OutboxEntry]:
    folder = outbox_dir(settings)
    if not folder.is_dir():
        return []
    names = sorted((p.name for p in folder.iterdir() if _NAME.match(p.name)), reverse=True)
    entries = []
    for name in names[:limit]:
        message = _read(folder / name)
        at = datetime.strptime(name[:22], "%Y%m%dT%H%M%S%fZ").replace(tzinfo=UTC)
        entries.append(
            OutboxEntry(
                name=name,
                at=at,
                sender=str(message.get("From", "")),
                to=str(message.get("To", "")),
                subject=str(message.get("Subject", "")),
                error=str(message.get(ERROR_HEADER, "")),
            )
        )
    return entries


def outbox_message(settings: Settings, name: str) -> EmailMessage:
    """One message of the outbox by its file name (only names the outbox itself writes)."""
    path = outbox_dir(settings) / name
    if not _NAME.match(name) or not path.is_file():
        raise NotFoundError(_("no message %(name)s in the outbox") % {"name": repr(name)})
    return _read(path)
