"""E-mail delivery for every feature that mails (marketplace introductions, digests, accounts).

Public API (stable; import from `triplehelix.mail`):

- `Mail(to, subject, body, reply_to="", language="")` — one plain-text message; `to` is a tuple
  of addresses; `language` (e.g. "nl") is sent as its Content-Language.
- `recipient_locale(user) -> str` — the language to write to a person in; `written_for(user,
  locale=None)` renders a message in it (`with written_for(user): subject = _("…")`). Every
  sender writes each message in its recipient's language this way.
- `send_mail(settings, mail) -> Delivery` — delivers it. With `TRIPLEHELIX_SMTP_URL` set, over
  SMTP (`smtp://user:pass@host:587?starttls=1`, `smtps://…` for implicit TLS; `cafile=PATH` trusts
  a private CA, `timeout=SECONDS`); without one, the message is written as an `.eml` file to the
  outbox folder `<data dir>/outbox`. `Delivery.how` is `"smtp"` or `"outbox"`. When the SMTP server
  refuses or cannot be reached, the message is kept in the outbox with the reason and
  `MailError` (a `DomainError`) is raised.
- `smtp_target(url) -> SmtpTarget | None` — the parsed SMTP URL (`ValidationError` naming the
  setting when it is malformed; None when no SMTP host is configured).
- `outbox(settings) -> list[OutboxEntry]` and `outbox_message(settings, name) -> EmailMessage` —
  what the outbox holds, newest first (the admin page `/admin/outbox` shows it).
"""

from triplehelix.mail.service.delivery import (
    Delivery,
    Mail,
    MailError,
    SmtpTarget,
    send_mail,
    smtp_target,
)
from triplehelix.mail.service.language import recipient_locale, written_for
from triplehelix.mail.service.outbox import OutboxEntry, outbox, outbox_message

__all__ = [
    "Delivery",
    "Mail",
    "MailError",
    "OutboxEntry",
    "SmtpTarget",
    "outbox",
    "outbox_message",
    "recipient_locale",
    "send_mail",
    "smtp_target",
    "written_for",
]
