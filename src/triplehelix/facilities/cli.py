"""`triplehelix resources` and `triplehelix bookings`: thin commands over the facility services."""

from __future__ import annotations

import typer
from sqlalchemy.engine import Engine

from triplehelix.console import migrated_engine
from triplehelix.db import transaction
from triplehelix.facilities import service

resources_app = typer.Typer(help="Bookable resources of facilities.", no_args_is_help=True)
bookings_app = typer.Typer(help="Bookings.", no_args_is_help=True)


def _engine() -> Engine:
    return migrated_engine()


@resources_app.command("add")
def add(
    facility_id: str,
    name: str,
    approval: bool = typer.Option(False, "--approval/--no-approval", help="Manager approves."),
    min_minutes: int = typer.Option(30, help="Shortest booking."),
    max_minutes: int = typer.Option(480, help="Longest booking."),
    notice_minutes: int = typer.Option(0, help="Least notice."),
    horizon_days: int = typer.Option(90, help="How far ahead one may book."),
    opens: str = typer.Option("00:00", help="Opening time HH:MM."),
    closes: str = typer.Option("24:00", help="Closing time HH:MM."),
    open_days: str = typer.Option("1234567", help="ISO weekdays open, e.g. 12345."),
    description: str = typer.Option("", help="What it is."),
) -> None:
    """Add a bookable resource to a facility and print its id."""
    rules = service.ResourceRules(
        description=description, min_minutes=min_minutes, max_minutes=max_minutes,
        notice_minutes=notice_minutes, horizon_days=horizon_days, opens=opens, closes=closes,
        open_days=open_days, approval_required=approval,
    )  # fmt: skip
    with transaction(_engine()) as session:
        resource = service.add_resource(session, None, facility_id, name, rules)
        resource_id = resource.id
    typer.echo(resource_id)


@resources_app.command("list")
def list_resources(facility_id: str = typer.Argument("", help="Only this facility.")) -> None:
    """Every resource with its facility and rules."""
    from triplehelix.facilities.schemas.rules import describe_hours

    with transaction(_engine()) as session:
        for r in service.list_resources(session, facility_id or None):
            approval = "approval" if r.approval_required else "instant"
            typer.echo(f"{r.id}\t{r.facility_id}\t{r.name}\t{approval}\t{describe_hours(r)}")


@bookings_app.command("list")
def list_bookings(
    resource: int | None = typer.Option(None, help="Only this resource id."),
    status: str = typer.Option("", help="pending, confirmed, declined or cancelled."),
) -> None:
    """Bookings in time order: id, resource, start, end, status, booker."""
    with transaction(_engine()) as session:
        for b in service.list_bookings(session, resource_id=resource, status=status or None):
            who = b.user.email if b.user else "-"
            typer.echo(
                f"{b.id}\t{b.resource_id}\t{b.start_at.isoformat()}\t{b.end_at.isoformat()}\t"
                f"{b.status}{' (maintenance)' if b.kind == 'maintenance' else ''}\t{who}"
            )
