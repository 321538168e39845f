"""The admin page of the outbox: the messages written instead of sent, and any the SMTP server
refused, newest first; each opens as its headers and text."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from triplehelix.accounts.deps import CurrentUser
from triplehelix.accounts.service.permissions import require_admin
from triplehelix.mail.service.delivery import smtp_target
from triplehelix.mail.service.outbox import outbox, outbox_message
from triplehelix.web import render

router = APIRouter(prefix="/admin/outbox", tags=["admin"], include_in_schema=False)


@router.get("", response_class=HTMLResponse)
def outbox_page(request: Request, user: CurrentUser) -> Response:
    require_admin(user)
    settings = request.app.state.settings
    target = smtp_target(settings.smtp_url)
    return render(request, "mail/outbox.html", user=user, entries=outbox(settings), target=target)


@router.get("/{name}", response_class=HTMLResponse)
def outbox_entry(request: Request, name: str, user: CurrentUser) -> Response:
    require_admin(user)
    message = outbox_message(request.app.state.settings, name)
    body = message.get_body(preferencelist=("plain",))
    text = body.get_content() if body is not None else ""
    headers = [(k, str(v)) for k, v in message.items()]
    return render(
        request, "mail/message.html", user=user, file_name=name, headers=headers, text=text
    )
