"""Counting password checks in the database so the limits hold across threads, processes and
machines. Each key (an account, a client address, an account at one address, sign-ups from an
address) has a counter; a check is reserved by compare-and-swap *before* the password is
verified, so a burst of concurrent attempts can never check more than the free budget. Past the
budget each further check waits twice as long as the one before (exponential back-off), so an
attacker slows only themselves instead of locking the owner out for a fixed time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine

from triplehelix.accounts.models import LoginThrottle

_CAS_TRIES = 50


@dataclass(frozen=True)
class Policy:
    free: int  # checks allowed in a window before back-off starts
    base_seconds: float  # the first wait
    cap_seconds: float  # the longest wait
    window: timedelta  # a quiet window this long starts the count afresh

    def delay(self, checks: int) -> timedelta | None:
        """The wait after the `checks`-th check of a window (None while within the budget)."""
        if checks < self.free:
            return None
        seconds = min(self.cap_seconds, self.base_seconds * 2 ** (checks - self.free))
        return timedelta(seconds=seconds)


def _insert(conn: Connection, key: str, checks: int, now: datetime, nxt: datetime | None) -> bool:
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(LoginThrottle).values(
        key=key, checks=checks, window_start=now, next_allowed_at=nxt
    )
    # RETURNING, not rowcount: drivers disagree on the rowcount of INSERT .. ON CONFLICT.
    inserted = conn.execute(statement.on_conflict_do_nothing().returning(LoginThrottle.key))
    return inserted.first() is not None


def _try_once(conn: Connection, key: str, policy: Policy, now: datetime) -> float | bool:
    """Seconds to wait, True when reserved, False when a concurrent writer won (try again)."""
    row = conn.execute(
        select(LoginThrottle.checks, LoginThrottle.window_start, LoginThrottle.next_allowed_at)
        .where(LoginThrottle.key == key)
    ).first()  # fmt: skip
    if row is None:
        delay = policy.delay(1)
        return _insert(conn, key, 1, now, now + delay if delay else None)
    checks, start, nxt = row
    if nxt is not None and nxt > now and checks >= policy.free:
        return (nxt - now).total_seconds()
    blocked = nxt is not None and nxt > now
    fresh = start + policy.window <= now and not blocked
    new_checks, new_start = (1, now) if fresh else (checks + 1, start)
    delay = policy.delay(new_checks)
    result = conn.execute(
        update(LoginThrottle)
        .where(LoginThrottle.key == key, LoginThrottle.checks == checks,
               LoginThrottle.window_start == start)
        .values(checks=new_checks, window_start=new_start,
                next_allowed_at=now + delay if delay else None)
    )  # fmt: skip
    return result.rowcount == 1


def reserve(engine: Engine, key: str, policy: Policy, now: datetime) -> float:
    """Reserve one check for `key`: 0.0 when reserved, else the seconds to wait first."""
    for _ in range(_CAS_TRIES):
        with engine.begin() as conn:
            outcome = _try_once(conn, key, policy, now)
        if outcome is True:
            return 0.0
        if outcome is not False:
            return float(outcome)
    return policy.base_seconds  # extreme contention: refuse rather than check unbounded


def clear(engine: Engine, key: str) -> None:
    with engine.begin() as conn:
        conn.execute(delete(LoginThrottle).where(LoginThrottle.key == key))
