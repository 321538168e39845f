"""`triplehelix users` and `triplehelix tokens`: create accounts, grant roles, issue API tokens."""

from __future__ import annotations

import sys

import typer
from sqlalchemy.engine import Engine

from triplehelix.accounts import service
from triplehelix.bootstrap import migrated_engine
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
def qualify(email: str, qualification: str) -> None:
    """Record that a person holds a named qualification."""
    with transaction(_engine()) as session:
        service.grant_qualification(session, None, service.get_user(session, email), qualification)
    typer.echo(f"{email} holds {qualification}")


@users_app.command("list")
def list_users() -> None:
    """Every account with its roles."""
    from triplehelix.accounts.permissions import role_names

    with transaction(_engine()) as session:
        for user in service.list_users(session):
            demo = " [demo]" if user.is_demo else ""
            typer.echo(f"{user.email}{demo}: {', '.join(role_names(user))}")


@tokens_app.command("create")
def create_token(
    email: str, name: str = typer.Option("cli", help="A label for the token.")
) -> None:
    """Print a new personal API token (shown once; only its hash is stored)."""
    with transaction(_engine()) as session:
        token = service.create_token(session, service.get_user(session, email), name)
    typer.echo(token)
