"""On both databases: prices (tiers, rates, the cost a booking carries), utilisation with share of
open hours and cost, weekly series (all or nothing), the waiting list, the cancellation deadline,
maintenance blocks over members' bookings, the next free slot on approval, retiring."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.facilities.factories import make_facility, make_resource, make_user, slot
from triplehelix.accounts.service.inbox import list_messages as inbox
from triplehelix.directory.models import Organisation
from triplehelix.errors import ConflictError, ValidationError
from triplehelix.facilities import service
from triplehelix.facilities.models import Booking
from triplehelix.facilities.service import booking, pricing, series, waitlist
from triplehelix.facilities.service.utilisation import utilisation


@pytest.fixture
def setup(session: Session) -> Session:
    make_facility(session)  # owned by "acme", a company
    session.add(Organisation(id="uni", name="Uni", kind="university"))
    session.add(Organisation(id="other-co", name="Other Co", kind="company"))
    session.flush()
    return session


def _tiers(session: Session, manager: object) -> dict[str, int]:
    own = pricing.add_tier(session, manager, "acme-cleanroom", "own", ["own"])  # type: ignore[arg-type]
    academic = pricing.add_tier(session, manager, "acme-cleanroom", "academic", ["university"])  # type: ignore[arg-type]
    commercial = pricing.add_tier(session, manager, "acme-cleanroom", "commercial", [])  # type: ignore[arg-type]
    return {"own": own.id, "academic": academic.id, "commercial": commercial.id}


def test_cost_by_tier_is_kept_when_the_rate_changes(setup: Session) -> None:
    boss = make_user(setup, "boss@example.org", "manager", "acme-cleanroom")
    resource = make_resource(setup, max_minutes=600)
    tiers = _tiers(setup, boss)
    pricing.set_rates(setup, boss, resource, {tiers["own"]: 1000, tiers["academic"]: 4550,
                                              tiers["commercial"]: 12000})  # fmt: skip
    people = {org: make_user(setup, f"{org}@example.org", organisation_id=org)
              for org in ("acme", "uni", "other-co")}  # fmt: skip
    made = {}
    for i, (org, user) in enumerate(people.items()):
        start, end = slot(48 + 3 * i, 90)
        made[org] = booking.request_booking(
            setup, user, resource.id, start, end, project_code="P-7"
        )
    assert {o: (b.tier, b.cost_cents) for o, b in made.items()} == {
        "acme": ("own", 1500), "uni": ("academic", 6825), "other-co": ("commercial", 18000),
    }  # fmt: skip
    pricing.set_rates(setup, boss, resource, {tiers["academic"]: 9900})
    setup.flush()
    assert setup.get(Booking, made["uni"].id).cost_cents == 6825  # type: ignore[union-attr]
    later = booking.request_booking(setup, people["acme"], resource.id, *slot(80, 60))
    assert (later.tier, later.cost_cents) == ("own", None)  # the own tier has no rate any more
    by_project = utilisation(setup, "month", "project")
    assert sum(r.cost_cents for r in by_project if r.group == "P-7") == 1500 + 6825 + 18000
    per_resource = utilisation(setup, "month", "resource")
    for row in per_resource:  # open around the clock: share = hours / hours in the month
        assert row.open_hours in [24.0 * d for d in (28, 29, 30, 31)]
        assert row.share == pytest.approx(row.hours / row.open_hours)


def test_rates_and_tiers_are_checked(setup: Session) -> None:
    boss = make_user(setup, "boss@example.org", "manager", "acme-cleanroom")
    with pytest.raises(ValidationError, match="tier_name"):
        pricing.add_tier(setup, boss, "acme-cleanroom", " ", [])
    pricing.add_tier(setup, boss, "acme-cleanroom", "academic", ["university"])
    with pytest.raises(ValidationError, match="already a tier"):
        pricing.add_tier(setup, boss, "acme-cleanroom", "academic", [])
    with pytest.raises(ValidationError, match="as a number"):
        pricing.parse_rate("ten", "rate-1")
    assert pricing.parse_rate("45,50", "rate-1") == 4550 and pricing.parse_rate("", "r") is None


def test_weekly_series_is_all_or_nothing(setup: Session) -> None:
    resource = make_resource(setup, horizon_days=60)
    alice = make_user(setup, "alice@example.org")
    bob = make_user(setup, "bob@example.org")
    start, end = slot(48, 60)
    blocker = booking.request_booking(setup, bob, resource.id, start + timedelta(weeks=2),
                                      end + timedelta(weeks=2))  # fmt: skip
    before = setup.scalar(select(func.count(Booking.id)))
    with pytest.raises(ConflictError, match="nothing was booked"):
        series.request_series(setup, alice, resource.id, start, end,
                              (start + timedelta(weeks=3)).date())  # fmt: skip
    assert setup.scalar(select(func.count(Booking.id))) == before
    booking.cancel_booking(setup, bob, blocker.id)
    made = series.request_series(setup, alice, resource.id, start, end,
                                 (start + timedelta(weeks=3)).date())  # fmt: skip
    assert len(made) == 4 and {b.series_id for b in made} == {made[0].id}
    with pytest.raises(ValidationError, match=r"repeat_until: .*at most 60 days ahead"):
        series.request_series(setup, alice, resource.id, start + timedelta(hours=3),
                              end + timedelta(hours=3), (start + timedelta(days=80)).date())  # fmt: skip


def test_waiting_list_offers_a_freed_slot_to_the_first_in_line(setup: Session) -> None:
    resource = make_resource(setup)
    holder, first, second = (make_user(setup, f"{n}@example.org") for n in ("h", "f", "s"))
    start, end = slot(48, 60)
    held = booking.request_booking(setup, holder, resource.id, start, end)
    with pytest.raises(ConflictError, match="free: book it"):
        waitlist.join_waitlist(setup, first, resource, end, end + timedelta(hours=1))
    waitlist.join_waitlist(setup, first, resource, start, end)
    waitlist.join_waitlist(setup, second, resource, start, end)
    with pytest.raises(ConflictError, match="already on the waiting list"):
        waitlist.join_waitlist(setup, first, resource, start, end)
    booking.cancel_booking(setup, holder, held.id)
    setup.flush()
    offers = [m for m in inbox(setup, first) if m.subject.startswith("A slot you waited for")]
    assert len(offers) == 1 and "start=" in offers[0].link
    assert not [m for m in inbox(setup, second) if m.subject.startswith("A slot you waited")]
    assert [w.status for w in waitlist.waiting_of(setup, first)] == ["offered"]
    assert [w.status for w in waitlist.waiting_of(setup, second)] == ["waiting"]


def test_cancellation_deadline(setup: Session) -> None:
    resource = make_resource(setup, cancel_hours=24)
    alice = make_user(setup, "alice@example.org")
    boss = make_user(setup, "boss@example.org", "manager", "acme-cleanroom")
    soon = booking.request_booking(setup, alice, resource.id, *slot(5, 60))
    with pytest.raises(ConflictError, match="24 hours before the start"):
        booking.cancel_booking(setup, alice, soon.id)
    assert booking.cancel_booking(setup, boss, soon.id).status == "cancelled"  # managers may
    later = booking.request_booking(setup, alice, resource.id, *slot(48, 60))
    assert booking.cancel_booking(setup, alice, later.id).status == "cancelled"


def test_maintenance_over_bookings_warns_then_cancels_and_tells(setup: Session) -> None:
    resource = make_resource(setup, approval_required=True)
    boss = make_user(setup, "boss@example.org", "manager", "acme-cleanroom")
    alice = make_user(setup, "alice@example.org")
    start, end = slot(48, 60)
    asked = booking.request_booking(setup, alice, resource.id, start, end)
    assert asked.status == "pending"
    assert booking.maintenance_hits(setup, resource, start - timedelta(hours=1), end) == [asked]
    with pytest.raises(ConflictError, match="would cancel 1 booking"):
        booking.block_maintenance(setup, boss, resource.id, start, end, "filter")
    assert setup.get(Booking, asked.id).status == "pending"  # type: ignore[union-attr]
    block = booking.block_maintenance(setup, boss, resource.id, start, end, "filter", True)
    assert block.status == "confirmed"
    assert (asked.status, asked.reason) == ("cancelled", "cancelled for maintenance: filter")
    told = [m.subject for m in inbox(setup, alice)]
    assert "Cancelled for maintenance: Bay 1" in told


def test_blocks_in_the_past_or_backwards_are_refused(setup: Session) -> None:
    resource = make_resource(setup)
    boss = make_user(setup, "boss@example.org", "manager", "acme-cleanroom")
    start, end = slot(-5, 60)
    with pytest.raises(ValidationError, match="start: this block lies in the past"):
        booking.block_maintenance(setup, boss, resource.id, start, end, "")
    start, end = slot(5, 60)
    with pytest.raises(ValidationError, match="end: the end of the block must be after"):
        booking.block_maintenance(setup, boss, resource.id, end, start, "")


def test_approving_a_taken_slot_offers_the_next_free_one(setup: Session) -> None:
    resource = make_resource(setup, approval_required=True)
    boss = make_user(setup, "boss@example.org", "manager", "acme-cleanroom")
    alice = make_user(setup, "alice@example.org")
    start, end = slot(48, 60)
    asked = booking.request_booking(setup, alice, resource.id, start, end)
    booking.block_maintenance(setup, boss, resource.id, start - timedelta(hours=1), end, "x", True)
    asked = booking.request_booking(setup, alice, resource.id, start, end)
    with pytest.raises(booking.SlotTakenError, match="next free slot") as caught:
        booking.approve_booking(setup, boss, asked.id)
    assert caught.value.free == (end, end + timedelta(hours=1))
    moved = booking.approve_booking(setup, boss, asked.id, caught.value.free)
    assert (moved.status, moved.start_at) == ("confirmed", end)


def test_retired_resources_leave_the_catalogue_and_take_no_bookings(setup: Session) -> None:
    resource = make_resource(setup)
    boss = make_user(setup, "boss@example.org", "manager", "acme-cleanroom")
    service.retire_resource(setup, boss, resource)
    assert resource not in service.list_resources(setup, "acme-cleanroom")
    with pytest.raises(ConflictError, match="retired"):
        booking.request_booking(setup, boss, resource.id, *slot())


def test_rules_have_sane_bounds_and_human_words(setup: Session) -> None:
    problems = service.resource_rules_problems(setup, service.ResourceRules(horizon_days=100_000))
    assert problems == ["horizon_days: the horizon must be 1 to 730 days"]
    problems = service.resource_rules_problems(setup, service.ResourceRules(open_days=""))
    assert problems == ["open_days: tick at least one day"]
