"""Engine and session handling shared by every feature: one declarative base, two databases, and
the column types every feature's tables share (`UTCDateTime`, with `utcnow` for its defaults)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import BigInteger, DateTime, MetaData, String, TypeDecorator, create_engine, event
from sqlalchemy.engine import Dialect, Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

from triplehelix import stamps

# Deterministic constraint names keep Alembic migrations identical on both databases.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out; SQLite would otherwise drop the zone."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: give a time zone")
        value = value.astimezone(UTC)
        # SQLite compares the stored text, so every value must have the same naive UTC form.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        moment: datetime = value
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


class DataStamp(Base):
    """A scope of the data and its current stamp (`triplehelix.stamps`)."""

    __tablename__ = stamps.TABLE
    scope: Mapped[str] = mapped_column(String(20), primary_key=True)
    stamp: Mapped[int] = mapped_column(BigInteger)


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def _sqlite_pragmas(busy_timeout: float) -> Callable[[Any, Any], None]:
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout * 1000)}")
        cursor.close()

    return on_connect


def make_engine(url: str, busy_timeout: float = 30.0, **kwargs: Any) -> Engine:
    """Create an engine; for SQLite make sure the folder exists and set the pragmas we rely on.

    `busy_timeout` (SQLite): seconds a statement waits for the write lock before it fails with
    "database is locked" (which requests answer with 503 and Retry-After)."""
    if is_sqlite(url):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            from pathlib import Path

            Path(path).parent.mkdir(parents=True, exist_ok=True)
        kwargs.setdefault("connect_args", {"check_same_thread": False, "timeout": busy_timeout})
        # Requests run in a thread pool of 40; keep their connections instead of reopening them.
        kwargs.setdefault("pool_size", 20)
        kwargs.setdefault("max_overflow", 20)
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas(busy_timeout))
    else:
        kwargs.setdefault("pool_pre_ping", True)
        engine = create_engine(url, **kwargs)
    stamps.watch(engine)  # every write stamps its scope, for the response cache
    return engine


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


@contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """One unit of work outside a request (commands, scripts, start-up): commit at the end of the
    block, roll back everything on any error. A request's session (`deps.get_session`) is
    committed by its route instead; docs/development.md, "Units of work"."""
    session = session_factory(engine)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
