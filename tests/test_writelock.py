"""The write lock (`triplehelix.writelock`): held until the transaction ends, waiting writes
combined into one transaction, each work undone alone when it fails, a bounded wait.

The threaded cases run on SQLite, where the lock is ours; on PostgreSQL `run` is the caller's
own transaction, committed or rolled back.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from triplehelix import writelock
from triplehelix.accounts.models import AuditEntry
from triplehelix.db import make_engine, session_factory
from triplehelix.migrations import upgrade_database

WAITING = 6


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Engine:
    engine = make_engine(f"sqlite:///{tmp_path / 'lock.db'}", busy_timeout=0.3)
    upgrade_database(engine)
    return engine


def _entry(name: str) -> Callable[[Session], int]:
    """A work: store one audit entry called `name`; its id."""

    def work(session: Session) -> int:
        values = {"action": "test", "entity": "writelock", "entity_id": name}
        return writelock.insert_values(session.connection(), AuditEntry, values)

    return work


def _stored(engine: Engine) -> set[str]:
    with session_factory(engine)() as session:
        query = select(AuditEntry.entity_id).where(AuditEntry.entity == "writelock")
        return set(session.scalars(query))


def _queue_of(engine: Engine) -> writelock._Queue:
    return writelock._queue(engine)


def _wait_until(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 10
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_hold_lasts_until_the_transaction_ends_not_a_flush(sqlite_engine: Engine) -> None:
    with session_factory(sqlite_engine)() as session:
        writelock.hold(session)
        session.add(AuditEntry(action="test", entity="writelock", entity_id="a"))
        session.flush()  # a flush ends a nested transaction; SQLite's lock is still held
        assert writelock.held(session)
        assert _queue_of(sqlite_engine).leading
        session.commit()
        assert not writelock.held(session)
        assert not _queue_of(sqlite_engine).leading


def test_waiting_works_run_in_one_transaction_and_fail_alone(sqlite_engine: Engine) -> None:
    """Works queued while the lock is held run together once it is free, on one thread; the
    one that fails is undone and its caller alone gets the error."""
    results: dict[str, object] = {}
    ran_on: set[int] = set()

    def failing(session: Session) -> int:
        _entry("broken")(session)
        raise ValueError("this work fails after writing")

    def caller(name: str) -> None:
        work = failing if name == "broken" else _entry(name)

        def recorded(session: Session) -> int:
            ran_on.add(threading.get_ident())
            return work(session)

        with session_factory(sqlite_engine)() as session:
            try:
                results[name] = writelock.run(session, recorded)
            except ValueError as exc:
                results[name] = exc

    names = [f"w{i}" for i in range(WAITING)] + ["broken"]
    queue = _queue_of(sqlite_engine)
    with session_factory(sqlite_engine)() as holder:
        writelock.hold(holder)
        threads = [threading.Thread(target=caller, args=(name,)) for name in names]
        for t in threads:
            t.start()
        _wait_until(lambda: len(queue.pending) == len(names))
        holder.commit()
    for t in threads:
        t.join()
    assert len(ran_on) == 1, "the works did not run as one batch"
    assert isinstance(results.pop("broken"), ValueError)
    assert all(isinstance(v, int) for v in results.values()), results
    assert len(set(results.values())) == WAITING  # each got its own new row's id
    assert _stored(sqlite_engine) == {f"w{i}" for i in range(WAITING)}
    assert not queue.pending and not queue.leading


def test_a_work_waits_no_longer_than_the_busy_timeout(sqlite_engine: Engine) -> None:
    queue = _queue_of(sqlite_engine)
    with session_factory(sqlite_engine)() as holder:
        writelock.hold(holder)
        outcome: list[BaseException | int] = []

        def caller() -> None:
            with session_factory(sqlite_engine)() as session:
                try:
                    outcome.append(writelock.run(session, _entry("late")))
                except OperationalError as exc:
                    outcome.append(exc)

        began = time.monotonic()
        thread = threading.Thread(target=caller)
        thread.start()
        thread.join(timeout=10)
        waited = time.monotonic() - began
        holder.rollback()
    assert len(outcome) == 1 and isinstance(outcome[0], OperationalError), outcome
    assert "database is locked" in str(outcome[0])
    assert 0.25 < waited < 5, waited
    assert not queue.pending  # given up, not left for the next batch
    with session_factory(sqlite_engine)() as session:  # and the lock works again
        assert isinstance(writelock.run(session, _entry("after")), int)
    assert _stored(sqlite_engine) == {"after"}


def test_run_commits_or_rolls_back(engine: Engine) -> None:
    """On either database a work's writes are committed when `run` returns, and a failing work
    leaves nothing behind."""
    with session_factory(engine)() as session:
        new_id = writelock.run(session, _entry("kept"))

        def failing(s: Session) -> int:
            _entry("dropped")(s)
            raise ValueError("no")

        with pytest.raises(ValueError):
            writelock.run(session, failing)
    assert isinstance(new_id, int)
    assert _stored(engine) == {"kept"}


def test_run_in_a_session_that_already_writes_commits_its_writes_too(engine: Engine) -> None:
    with session_factory(engine)() as session:
        session.add(AuditEntry(action="test", entity="writelock", entity_id="before"))
        session.flush()
        writelock.run(session, _entry("work"))
    assert _stored(engine) == {"before", "work"}


def test_values_of_takes_foreign_keys_from_relationships(engine: Engine) -> None:
    from tests.facilities.factories import make_facility, make_resource
    from triplehelix.facilities.models import Booking

    with session_factory(engine)() as session:
        make_facility(session)
        resource = make_resource(session)
        session.commit()
        values = writelock.values_of(Booking(resource=resource, kind="booking", note="x"))
    assert values == {"resource_id": resource.id, "kind": "booking", "note": "x"}
    with session_factory(engine)() as session:
        count = session.scalar(select(func.count()).select_from(Booking))
    assert count == 0  # only read, nothing stored
