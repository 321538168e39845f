"""`triplehelix users` and `triplehelix tokens`: create accounts, grant and withdraw roles and
qualifications, disable accounts, issue, list and revoke API tokens."""

from __future__ import annotations

import sys
from datetime import datetime

import typer
from sqlalchemy.engine import Engine

from triplehelix.accounts import service
from triplehelix.accounts.service import access
from triplehelix.console import migrated_engine
from triplehelix.db import transaction

users_app = typer.Typer(help="Accounts and roles.", no_args_is_help=True)
tokens_app = typer.Typer(help="Personal API tokens.", no_args_is_help=True)


def _engine() -> Engine:
    return migrated_engine()


def _password() -> str:
    """From stdin when piped (scripts), else a hidden prompt asked twice."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))


@users_app.command("create")
def create(
    email: str,
    role: str = typer.Option("member", help="member, editor, manager or admin."),
    scope: str = typer.Option(
        "", "--for", help="Organisation id (editor) or facility id (manager)."
    ),
    organisation: str = typer.Option("", help="The organisation the person works for."),
    name: str = typer.Option("", help="Display name."),
) -> None:
    """Create an account; the password comes from a prompt or stdin."""
    password = _password()
    with transaction(_engine()) as session:
        user = service.create_user(session, email, password, name, organisation or None)
        service.grant_role(session, None, user, role, scope)
    typer.echo(f"Created {user.email} ({role}{' of ' + scope if scope else ''})")


@users_app.command("grant")
def grant(
    email: str,
    role: str = typer.Option(..., help="editor, manager or admin."),
    scope: str = typer.Option(
        "", "--for", help="Organisation id (editor) or facility id (manager)."
    ),
) -> None:
    """Give an existing account a role."""
    with transaction(_engine()) as session:
        service.grant_role(session, None, service.get_user(session, email), role, scope)
    typer.echo(f"Granted {role}{' of ' + scope if scope else ''} to {email}")


@users_app.command("qualify")
def qualify(
    email: str,
    qualification: str,
    expires: str = typer.Option("", help="Expiry date YYYY-MM-DD (default: none)."),
) -> None:
    """Record that a person holds a named qualification (optionally until a date)."""
    until = access.expiry_date(expires)
    with transaction(_engine()) as session:
        user = service.get_user(session, email)
        service.grant_qualification(session, None, user, qualification, until)
    typer.echo(f"{email} holds {qualification}{' until ' + expires if until else ''}")


@users_app.command("withdraw")
def withdraw(email: str, qualification: str) -> None:
    """Withdraw a qualification."""
    with transaction(_engine()) as session:
        access.withdraw_qualification(
            session, None, service.get_user(session, email), qualification
        )
    typer.echo(f"{email} no longer holds {qualification}")


@users_app.command("revoke")
def revoke(
    email: str,
    role: str = typer.Option(..., help="editor, manager or admin."),
    scope: str = typer.Option(
        "", "--for", help="Organisation id (editor) or facility id (manager)."
    ),
) -> None:
    """Withdraw a role."""
    with transaction(_engine()) as session:
        access.revoke_role(session, None, service.get_user(session, email), role, scope)
    typer.echo(f"Revoked {role}{' of ' + scope if scope else ''} from {email}")


@users_app.command("disable")
def disable(email: str) -> None:
    """Disable an account: no sign-in, sessions end, tokens and calendar link stop working."""
    with transaction(_engine()) as session:
        access.set_disabled(session, None, service.get_user(session, email), True)
    typer.echo(f"Disabled {email}")


@users_app.command("enable")
def enable(email: str) -> None:
    """Enable a disabled account again."""
    with transaction(_engine()) as session:
        access.set_disabled(session, None, service.get_user(session, email), False)
    typer.echo(f"Enabled {email}")


@users_app.command("rotate-calendar")
def rotate_calendar(email: str) -> None:
    """Give a person a new calendar link; the old one stops working."""
    with transaction(_engine()) as session:
        access.rotate_calendar(session, None, service.get_user(session, email))
    typer.echo(f"New calendar link for {email}")


@users_app.command("list")
def list_users() -> None:
    """Every account with its roles."""
    from triplehelix.accounts.service.permissions import role_names

    with transaction(_engine()) as session:
        for user in service.list_users(session):
            demo = " [demo]" if user.is_demo else ""
            typer.echo(f"{user.email}{demo}: {', '.join(role_names(user))}")


@tokens_app.command("create")
def create_token(
    email: str,
    name: str = typer.Option("cli", help="A label for the token."),
    days: int = typer.Option(service.TOKEN_DAYS, help="Days until the token expires (1-366)."),
) -> None:
    """Print a new personal API token (shown once; only its hash is stored)."""
    with transaction(_engine()) as session:
        token = service.create_token(session, service.get_user(session, email), name, days)
    typer.echo(token)


@tokens_app.command("list")
def list_tokens(email: str) -> None:
    """A person's tokens: id, label, created, expires, last used, revoked."""

    def day(moment: datetime | None) -> str:
        return moment.strftime("%Y-%m-%d %H:%M") if moment else "-"

    with transaction(_engine()) as session:
        for t in service.list_tokens(session, service.get_user(session, email)):
            state = f"revoked {day(t.revoked_at)}" if t.revoked_at else "active"
            typer.echo(f"{t.id}\t{t.name}\tcreated {day(t.created_at)}\texpires "
                       f"{day(t.expires_at)}\tlast used {day(t.last_used_at)}\t"
                       f"{state}")  # fmt: skip


@tokens_app.command("revoke")
def revoke_token(email: str, token_id: int) -> None:
    """Revoke one of a person's tokens (by the id `tokens list` shows)."""
    with transaction(_engine()) as session:
        service.revoke_token(session, None, token_id, service.get_user(session, email))
    typer.echo(f"Revoked token {token_id} of {email}")
