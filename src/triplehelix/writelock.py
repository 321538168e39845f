"""One writer at a time on SQLite, handed on without SQLite's sleeps, and short writes combined.

SQLite lets one connection write at a time. A connection that finds the write lock taken polls
for it with growing sleeps (its busy handler: 1, 2, 5, 10 … 100 ms), so under many concurrent
writers the sleeping, not the writing, makes the wait; and while one process keeps handing the
lock from thread to thread, another process's writer sleeps on. Handing the lock from thread to
thread also costs: each next holder must first be scheduled.

So writers that go through here queue instead. Within a process one thread at a time leads;
the leader of each process then waits on an exclusive `flock` of a file beside the database,
which the kernel hands to a waiting process the moment it is free; only then does it begin the
transaction with the write lock (`BEGIN IMMEDIATE`). Two ways in:

- `hold(session)`: the session's own transaction holds the lock until it ends (commit or
  rollback; a flush or savepoint within it does not end it). For a check and writes of any
  kind that must be one, such as a weekly series booked all or nothing.
- `run(session, work)`: `work(s)` runs in a transaction of its own and is committed before
  `run` returns. Works queued by other threads while the lock was taken run in the same
  transaction, each in a savepoint of its own: one commit and one hand-over for all of them.
  A work gets the leading caller's session and must only use plain values (ids, column
  values), never objects of its own caller's session; what it returns, or raises, reaches its
  own caller.

A writer waits for its process's turn at most the busy timeout, then gets `OperationalError`
("database is locked"), which requests answer with 503 and Retry-After. The wait for other
processes is bounded by their holders, each of which waits for SQLite no longer than the busy
timeout. Writers that come in neither way (imports, sign-ins) take SQLite's lock the usual way.
PostgreSQL needs none of this: `hold` does nothing there and `run` runs the work in the
caller's session and commits it.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from sqlalchemy import Insert, Table, event, insert, inspect
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, SessionTransaction
from sqlalchemy.orm.interfaces import MANYTOONE

T = TypeVar("T")
BUSY = "database is locked (the write lock was not free within the busy timeout)"
HELD = "writelock_held"
LISTENING = "writelock_listening"
SUFFIX = ".writers"  # the file beside the database that processes flock


@dataclass
class _Ticket:
    """One queued work and, once its batch is done, what came of it."""

    work: Callable[[Session], Any]
    done: bool = False
    result: Any = None
    error: BaseException | None = None


@dataclass
class _Queue:
    """This process's queue for one database."""

    path: str | None
    turn: threading.Condition = field(default_factory=threading.Condition)
    leading: bool = False  # a thread of this process holds (or waits for) the lock
    pending: list[_Ticket] = field(default_factory=list)
    fd: int | None = None

    def lead(self, deadline: float) -> bool:
        """Become this process's leader, then take the file lock (False: not in time)."""
        with self.turn:
            while self.leading:
                if not self.turn.wait(deadline - time.monotonic()):
                    return False
            self.leading = True
        try:
            self.lock_file()
        except BaseException:
            self.step_down()
            raise
        return True

    def lock_file(self) -> None:
        if self.path is None:
            return
        if self.fd is None:  # (flock needs no write access: any account that reads may lock)
            self.fd = os.open(self.path, os.O_RDONLY | os.O_CREAT | os.O_CLOEXEC, 0o644)
        fcntl.flock(self.fd, fcntl.LOCK_EX)

    def step_down(self, finished: Sequence[_Ticket] = ()) -> None:
        try:
            if self.fd is not None:
                fcntl.flock(self.fd, fcntl.LOCK_UN)
        finally:
            with self.turn:
                for ticket in finished:
                    ticket.done = True
                self.leading = False
                self.turn.notify_all()


_QUEUES: dict[tuple[int, str], _Queue] = {}
_QUEUES_LOCK = threading.Lock()


def _queue(engine: Engine) -> _Queue:
    database = engine.url.database or ""
    key = (os.getpid(), database)  # a forked process gets queues of its own
    with _QUEUES_LOCK:
        if key not in _QUEUES:
            on_disk = database not in ("", ":memory:") and not database.startswith("file:")
            _QUEUES[key] = _Queue(os.path.abspath(database) + SUFFIX if on_disk else None)
        return _QUEUES[key]


def _deadline(connection: Connection) -> float:
    """Queue no longer than the database itself would let us wait (then: busy, 503)."""
    waited = connection.exec_driver_sql("PRAGMA busy_timeout").scalar()
    return time.monotonic() + int(waited or 0) / 1000


def _busy() -> OperationalError:
    return OperationalError("BEGIN IMMEDIATE", None, sqlite3.OperationalError(BUSY))


def _writing(connection: Connection) -> bool:
    raw = connection.connection.driver_connection
    return raw is None or bool(raw.in_transaction)


def hold(session: Session) -> None:
    """On SQLite, take the write lock for the rest of the session's transaction, so what the
    caller checks and what it writes are one. Nothing when the transaction already writes."""
    connection = session.connection()
    if connection.dialect.name != "sqlite" or _writing(connection):
        return
    queue = _queue(connection.engine)
    if not queue.lead(_deadline(connection)):
        raise _busy()
    session.info[HELD] = queue
    if not session.info.get(LISTENING):
        event.listen(session, "after_transaction_end", _release)
        session.info[LISTENING] = True
    try:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    except BaseException:
        _release(session)
        raise


def _release(session: Session, transaction: SessionTransaction | None = None) -> None:
    if transaction is not None and transaction.parent is not None:
        return  # a flush or savepoint ended; the transaction, and SQLite's lock, go on
    queue = session.info.pop(HELD, None)
    if queue is not None:
        queue.step_down()


def held(session: Session) -> bool:
    """Whether this session holds the write lock through `hold`."""
    return HELD in session.info


def run(session: Session, work: Callable[[Session], T]) -> T:
    """`work(s)` in a write transaction, committed when this returns (see the module's
    docstring). Where the caller's session already writes, or on PostgreSQL, the work runs in
    the caller's session, which is then committed (rolled back if the work raises)."""
    connection = session.connection()
    if connection.dialect.name != "sqlite" or _writing(connection):
        try:
            result = work(session)
            session.commit()
        except BaseException:
            session.rollback()
            raise
        return result
    queue = _queue(connection.engine)
    deadline = _deadline(connection)
    ticket = _Ticket(work)
    with queue.turn:
        queue.pending.append(ticket)
        while not ticket.done and queue.leading:
            if ticket not in queue.pending:
                queue.turn.wait()  # its batch is running: it ends within the busy timeout
            elif not queue.turn.wait(deadline - time.monotonic()):
                queue.pending.remove(ticket)  # not taken into a batch in time
                raise _busy()
        leads = not ticket.done
        if leads:
            queue.leading = True
    if leads:
        _lead_batch(queue, session, ticket)
    if ticket.error is not None:
        raise ticket.error
    done: T = ticket.result
    return done


def _lead_batch(queue: _Queue, session: Session, own: _Ticket) -> None:
    try:
        queue.lock_file()
    except BaseException:
        with queue.turn:
            queue.pending.remove(own)
        queue.step_down()
        raise
    with queue.turn:  # everything queued meanwhile, this thread's own work among it
        batch, queue.pending = queue.pending, []
    try:
        _run_batch(session, batch)
    finally:
        queue.step_down(batch)


def _run_batch(session: Session, batch: list[_Ticket]) -> None:
    """Every work of `batch` in one transaction of the leader's own session: it does not write
    yet (`run` checked), and a second connection could wait for a pool that the waiting
    callers hold."""
    try:
        connection = session.connection()
        connection.exec_driver_sql("BEGIN IMMEDIATE")
        for ticket in batch:
            connection.exec_driver_sql("SAVEPOINT work")
            try:
                ticket.result = ticket.work(session)
            except Exception as exc:  # this work's own failure: undo it, keep the rest
                connection.exec_driver_sql("ROLLBACK TO work")
                ticket.error = exc
            connection.exec_driver_sql("RELEASE work")
        session.commit()
    except BaseException as exc:  # the batch as a whole failed: every work with it
        session.rollback()
        for ticket in batch:
            ticket.result, ticket.error = None, ticket.error or exc
        if not isinstance(exc, Exception):
            raise


def values_of(row: Any) -> dict[str, Any]:
    """The column values of the new mapped object `row`, for `insert_values`: those set on it
    and the foreign keys of the many-to-one relationships set on it (as a flush would take
    them); the table's defaults fill in the rest when it is inserted."""
    mapper = inspect(row).mapper
    state = row.__dict__
    values: dict[str, Any] = {}
    for column in mapper.local_table.columns:
        key = mapper.get_property_by_column(column).key
        if key in state:
            values[column.key] = state[key]
    for relation in mapper.relationships:
        target = state.get(relation.key)
        if relation.direction is MANYTOONE and target is not None:
            theirs = inspect(target).mapper
            for local, remote in relation.local_remote_pairs:
                values[local.key] = getattr(target, theirs.get_property_by_column(remote).key)
    return values


def insert_values(connection: Connection, model: type[Any], values: dict[str, Any]) -> int:
    """INSERT one row of the mapped class `model` with a statement prepared once; its new id."""
    statement = _INSERTS.get(model)
    if statement is None:
        statement = _INSERTS[model] = insert(cast(Table, model.__table__))
    key = connection.execute(statement, values).inserted_primary_key
    assert key is not None
    return int(key[0])


_INSERTS: dict[type[Any], Insert] = {}
