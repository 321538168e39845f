"""The booking service on both databases: every rule, every refusal, approval, cancellation,
maintenance, and that confirmed bookings never overlap."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.facilities.factories import make_facility, make_resource, make_user, slot
from triplehelix.accounts.models import AuditEntry
from triplehelix.accounts.service import grant_qualification
from triplehelix.accounts.service.inbox import list_messages as inbox
from triplehelix.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from triplehelix.facilities.service import booking
from triplehelix.i18n import use_locale


@pytest.fixture
def setup(session: Session) -> Session:
    make_facility(session)
    return session


def test_confirmed_at_once_then_overlap_is_409_naming_the_slot(setup: Session) -> None:
    resource = make_resource(setup)
    alice = make_user(setup, "alice@example.org")
    start, end = slot()
    first = booking.request_booking(setup, alice, resource.id, start, end)
    assert first.status == "confirmed"
    with pytest.raises(ConflictError, match=r"already booked from .* \(Europe/Amsterdam, booking"):
        booking.request_booking(
            setup, alice, resource.id, start + timedelta(minutes=30), end + timedelta(minutes=30)
        )
    # touching slots do not overlap
    after = booking.request_booking(setup, alice, resource.id, end, end + timedelta(hours=1))
    assert after.status == "confirmed"


@pytest.mark.parametrize(
    ("rules", "hours_ahead", "minutes", "problem"),
    [
        ({"min_minutes": 60}, 48, 30, "at least 60 minutes"),
        ({"max_minutes": 60}, 48, 90, "at most 60 minutes"),
        ({"notice_minutes": 24 * 60}, 2, 60, "at least 1440 minutes ahead"),
        ({}, -3, 60, "in the past"),
        ({"horizon_days": 7}, 24 * 10, 60, "at most 7 days ahead"),
    ],
)
def test_each_rule_refuses(
    setup: Session, rules: dict[str, int], hours_ahead: float, minutes: int, problem: str
) -> None:
    resource = make_resource(setup, "acme-cleanroom", **rules)
    alice = make_user(setup, "alice@example.org")
    start, end = slot(hours_ahead, minutes)
    with pytest.raises(ValidationError, match=problem):
        booking.request_booking(setup, alice, resource.id, start, end)


def test_opening_hours(setup: Session) -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    resource = make_resource(
        setup, opens="08:00", closes="18:00", open_days="12345", horizon_days=400
    )
    alice = make_user(setup, "alice@example.org")
    ams = ZoneInfo("Europe/Amsterdam")
    monday = datetime.now(ams).date() + timedelta(days=7 - datetime.now(ams).weekday() + 7)
    inside = datetime.combine(monday, datetime.min.time(), ams).replace(hour=9)
    assert (
        booking.request_booking(
            setup, alice, resource.id, inside, inside + timedelta(hours=2)
        ).status
        == "confirmed"
    )
    with pytest.raises(ValidationError, match="outside opening hours"):
        booking.request_booking(
            setup, alice, resource.id, inside.replace(hour=17), inside.replace(hour=19)
        )
    saturday = inside + timedelta(days=5)
    with pytest.raises(ValidationError, match="outside opening hours"):
        booking.request_booking(setup, alice, resource.id, saturday, saturday + timedelta(hours=1))
    # a naive time is read in the resource's zone
    naive = inside.replace(hour=12, tzinfo=None)
    made = booking.request_booking(setup, alice, resource.id, naive, naive + timedelta(hours=1))
    assert made.start_at == inside.replace(hour=12)


def test_who_may_book(setup: Session) -> None:
    make_facility(setup, "beta-lab", owner="beta")
    orgs_only = make_resource(
        setup, name="Members only", access="organisations", access_organisations=["acme"]
    )
    qualified = make_resource(
        setup, name="Cryo-EM", access="qualification", qualification="cryo-em-training"
    )
    outsider = make_user(setup, "out@example.org", organisation_id="beta")
    insider = make_user(setup, "in@example.org", organisation_id="acme")
    manager = make_user(setup, "boss@example.org", "manager", "acme-cleanroom")
    start, end = slot()
    with pytest.raises(PermissionDeniedError, match="only members of acme"):
        booking.request_booking(setup, outsider, orgs_only.id, start, end)
    assert booking.request_booking(setup, insider, orgs_only.id, start, end).status == "confirmed"
    with pytest.raises(PermissionDeniedError, match="needs the qualification 'cryo-em-training'"):
        booking.request_booking(setup, insider, qualified.id, start, end)
    grant_qualification(setup, manager, outsider, "cryo-em-training")
    assert booking.request_booking(setup, outsider, qualified.id, start, end).status == "confirmed"
    # managers of the facility may always book it
    s2, e2 = slot(72)
    assert booking.request_booking(setup, manager, orgs_only.id, s2, e2).status == "confirmed"


def test_approval_flow_and_inbox(setup: Session) -> None:
    resource = make_resource(setup, approval_required=True)
    manager = make_user(setup, "boss@example.org", "manager", "acme-cleanroom")
    alice = make_user(setup, "alice@example.org")
    bob = make_user(setup, "bob@example.org")
    start, end = slot()
    a = booking.request_booking(setup, alice, resource.id, start, end, "wafer run")
    b = booking.request_booking(setup, bob, resource.id, start, end)
    assert (a.status, b.status) == ("pending", "pending")  # pending requests do not hold the slot
    assert [m.subject for m in inbox(setup, manager)] == ["Approval needed: Bay 1"] * 2
    with pytest.raises(PermissionDeniedError, match="only a manager"):
        booking.approve_booking(setup, alice, a.id)
    assert booking.approve_booking(setup, manager, a.id).status == "confirmed"
    with pytest.raises(ConflictError, match="already booked"):
        booking.approve_booking(setup, manager, b.id)
    with pytest.raises(ValidationError, match="reason"):
        booking.decline_booking(setup, manager, b.id, " ")
    assert booking.decline_booking(setup, manager, b.id, "slot taken").status == "declined"
    with pytest.raises(ConflictError, match="declined, not pending"):
        booking.approve_booking(setup, manager, b.id)
    assert inbox(setup, alice)[0].subject == "Approved: Bay 1"
    assert "slot taken" in inbox(setup, bob)[0].body


def test_cancel_rules(setup: Session) -> None:
    resource = make_resource(setup)
    alice = make_user(setup, "alice@example.org")
    bob = make_user(setup, "bob@example.org")
    manager = make_user(setup, "boss@example.org", "manager", "acme-cleanroom")
    start, end = slot()
    made = booking.request_booking(setup, alice, resource.id, start, end)
    with pytest.raises(PermissionDeniedError, match="only the booker"):
        booking.cancel_booking(setup, bob, made.id)
    assert booking.cancel_booking(setup, alice, made.id).status == "cancelled"
    with pytest.raises(ConflictError, match="already cancelled"):
        booking.cancel_booking(setup, alice, made.id)
    # the slot is free again, and a manager may cancel someone else's booking
    again = booking.request_booking(setup, bob, resource.id, start, end)
    assert booking.cancel_booking(setup, manager, again.id).status == "cancelled"
    with pytest.raises(NotFoundError):
        booking.cancel_booking(setup, alice, 99999)


def test_maintenance_blocks_and_only_managers_block(setup: Session) -> None:
    resource = make_resource(setup)
    alice = make_user(setup, "alice@example.org")
    manager = make_user(setup, "boss@example.org", "manager", "acme-cleanroom")
    admin = make_user(setup, "root@example.org", "admin")
    start, end = slot()
    with pytest.raises(PermissionDeniedError):
        booking.block_maintenance(setup, alice, resource.id, start, end, "filters")
    booking.block_maintenance(setup, manager, resource.id, start, end, "filter change")
    with pytest.raises(ConflictError, match="blocked for maintenance"):
        booking.request_booking(setup, alice, resource.id, start, end)
    with pytest.raises(ConflictError):
        booking.block_maintenance(setup, admin, resource.id, start, end, "again")


def test_every_change_is_audited(setup: Session) -> None:
    resource = make_resource(setup)
    alice = make_user(setup, "alice@example.org")
    start, end = slot()
    made = booking.request_booking(setup, alice, resource.id, start, end)
    booking.cancel_booking(setup, alice, made.id)
    entries = setup.scalars(
        select(AuditEntry).where(AuditEntry.entity == "booking").order_by(AuditEntry.id)
    ).all()
    assert [(e.action, e.actor) for e in entries] == [
        ("create", "alice@example.org"),
        ("cancel", "alice@example.org"),
    ]
    assert entries[1].before is not None and entries[1].before["status"] == "confirmed"
    assert entries[1].after is not None and entries[1].after["status"] == "cancelled"


def test_unknown_resource(setup: Session) -> None:
    alice = make_user(setup, "alice@example.org")
    with pytest.raises(NotFoundError, match="resource_id"):
        booking.request_booking(setup, alice, 4242, *slot())


def test_notices_are_written_in_each_recipients_language(setup: Session) -> None:
    """An English-speaking manager approves; the Dutch-speaking booker reads the notice in Dutch,
    and of two managers asked to approve, each reads the request in their own language."""
    resource = make_resource(setup, approval_required=True)
    boss = make_user(setup, "boss@example.org", "manager", "acme-cleanroom")
    chef = make_user(setup, "chef@example.org", "manager", "acme-cleanroom")
    anna = make_user(setup, "anna@example.org")
    anna.locale, chef.locale = "nl", "nl"
    start, end = slot()
    with use_locale("en"):
        asked = booking.request_booking(setup, anna, resource.id, start, end)
        booking.approve_booking(setup, boss, asked.id)
    assert inbox(setup, boss)[0].subject == "Approval needed: Bay 1"
    assert inbox(setup, chef)[0].subject == "Goedkeuring nodig: Bay 1"
    notice = inbox(setup, anna)[0]
    assert notice.subject == "Goedgekeurd: Bay 1"
    with use_locale("nl"):
        assert notice.body == booking._span(asked, resource)  # the times as Dutch writes them
