"""`triplehelix posts list|expire` and `triplehelix digest send` (both meant for cron)."""

from __future__ import annotations

import json

import typer

from triplehelix.config import get_settings
from triplehelix.console import fail, migrated_engine
from triplehelix.db import transaction
from triplehelix.marketplace import service
from triplehelix.marketplace.schemas import fields
from triplehelix.marketplace.service import alerts, interests

posts_app = typer.Typer(help="Marketplace posts.", no_args_is_help=True)
digest_app = typer.Typer(help="E-mail digests of new posts for their followers.",
                         no_args_is_help=True)  # fmt: skip


@posts_app.command("list")
def list_posts(
    state: list[str] = typer.Option(
        ["published"], "--state", help=f"Repeatable: {', '.join(fields.STATES)}."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print as JSON lines."),
) -> None:
    """Posts in the given states, newest first."""
    unknown = [s for s in state if s not in fields.STATES]
    if unknown:
        fail(f"--state: {unknown[0]!r} is not one of {', '.join(fields.STATES)}")
    with transaction(migrated_engine()) as session:
        for p in service.list_posts(session, states=tuple(state)):
            if as_json:
                typer.echo(json.dumps({"id": p.id, "type": p.type, "state": p.state,
                                       "organisation": p.organisation_id, "title": p.title,
                                       "expires": p.expires.isoformat()}))  # fmt: skip
            else:
                typer.echo(f"{p.id:>5}  {p.state:<10} {p.expires}  {p.organisation_id}: {p.title}")


@posts_app.command("expire")
def expire() -> None:
    """Expire published posts past their date; remind posters of posts expiring soon."""
    settings = get_settings()
    with transaction(migrated_engine(settings)) as session:
        expired, reminded = service.expire_posts(session)
        mails = service.expiry_mails(session, expired, reminded)
    for failure in interests.deliver(settings, mails):
        typer.echo(failure, err=True)
    typer.echo(f"Expired {len(expired)} post(s); reminded {len(reminded)} poster(s)")


@digest_app.command("send")
def send(
    base_url: str = typer.Option(
        "http://localhost:8000", help="The site's address, for the links in the mails."
    ),
) -> None:
    """Mail each follower the posts published since their last digest."""
    settings = get_settings()
    with transaction(migrated_engine(settings)) as session:
        sent, failures = alerts.send_digests(session, settings, base_url)
    for failure in failures:
        typer.echo(failure, err=True)
    typer.echo(f"Sent {sent} digest(s)")
    if failures:
        raise typer.Exit(1)
