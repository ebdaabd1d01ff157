"""Database engines, sessions and the column types every domain shares."""

from __future__ import annotations

import contextlib
import logging
import math
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.pool import ConnectionPoolEntry
from sqlmodel import Field, Session, SQLModel

from ecombot.config import DatabaseSettings
from ecombot.db_deadlines import _WATCHDOG, _deadline, _lost_connection, _watched
from ecombot.db_deadlines import CommitOutcomeUnknown as CommitOutcomeUnknown

log = logging.getLogger(__name__)

# Execution option that marks a read-only connection: no transaction, no write lock (see `reader`).
READ_ONLY = "ecombot_read_only"


def make_engine(settings: DatabaseSettings | str) -> Engine:
    """An engine for SQLite (WAL, busy timeout, foreign keys) or PostgreSQL (pooled, pre-ping)."""
    if isinstance(settings, str):
        settings = DatabaseSettings(url=settings)
    url = make_url(settings.url)
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:" and not url.database.startswith("file:"):
            _private_sqlite_file(Path(url.database))
        engine = sa.create_engine(
            url,
            echo=settings.echo,
            # Handlers, the scheduler and the delivery worker share the engine across threads.
            connect_args={"check_same_thread": False, "timeout": 30},
        )
        sa.event.listen(engine, "connect", _sqlite_on_connect)
        sa.event.listen(engine, "begin", _sqlite_on_begin)
        return engine
    engine = sa.create_engine(
        url,
        echo=settings.echo,
        pool_size=settings.pool_size,
        max_overflow=settings.pool_size * 2,
        pool_recycle=1800,
        # A request waits this long for a pooled connection, not 30 s.
        pool_timeout=settings.connect_timeout,
        connect_args=_pg_connect_args(settings),
    )
    sa.event.listen(engine, "checkin", _note_idle)
    sa.event.listen(engine, "checkout", _ping_if_idle)
    return engine


def _private_sqlite_file(path: Path) -> None:
    """Create the database file readable by its owner only (0600; SQLite gives its -wal and -shm
    files the same mode), and narrow an existing one that others can read."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        return
    except FileExistsError:
        pass
    for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        try:
            mode = file.stat().st_mode & 0o777
            if mode & 0o077:
                file.chmod(mode & 0o700)
                log.warning("%s was readable by other users (%o): now %o", file, mode, mode & 0o700)
        except FileNotFoundError:
            continue
        except PermissionError:
            log.warning("%s is readable by other users and not ours to change: chmod 600 it", file)


def _pg_connect_args(settings: DatabaseSettings) -> dict[str, Any]:
    """libpq's limits, so that a server that stops answering fails a request in seconds: the time
    to connect (libpq counts whole seconds, 2 at least), and how long sent data may stay
    unacknowledged, or the link silent, before the kernel drops the connection (a server whose
    packets are dropped, not refused, would otherwise hold a query for the TCP retransmission
    timeout, many minutes)."""
    return {
        "connect_timeout": max(2, math.ceil(settings.connect_timeout)),
        "tcp_user_timeout": int(TCP_USER_TIMEOUT * 1000),
        "keepalives": 1,
        "keepalives_idle": 10,
        "keepalives_interval": 2,
        "keepalives_count": 3,
    }


TCP_USER_TIMEOUT = 2.5  # seconds sent data may stay unacknowledged before the connection is dropped
IDLE_PING = 5.0  # seconds a pooled PostgreSQL connection may sit idle before it is pinged on checkout


def _note_idle(_dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
    record.info["idle_since"] = time.monotonic()


def _ping_if_idle(dbapi_connection: Any, record: ConnectionPoolEntry, _proxy: Any) -> None:
    """Pre-ping a connection that sat idle (a restarted server, a dropped link): the pool then opens a
    new one. A connection handed back moments ago is used as it is: pinging every checkout, as
    `pool_pre_ping` does, cost each request one more round trip. A connection that breaks while in
    use is invalidated, with the pool's older ones, by SQLAlchemy's disconnect handling."""
    watch = getattr(_watched, "watch", None)
    if watch is not None:  # a request's session: the watchdog may cut this connection
        watch.connection = dbapi_connection
    since = record.info.get("idle_since")
    if since is None or time.monotonic() - since < IDLE_PING:
        return
    try:
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("SELECT 1")
        finally:
            cursor.close()
        dbapi_connection.rollback()
    except Exception as exc:
        raise sa.exc.DisconnectionError(str(exc)) from exc


def _sqlite_on_connect(dbapi_connection: sqlite3.Connection, _record: ConnectionPoolEntry) -> None:
    # Let SQLAlchemy issue BEGIN itself so that writers take the lock up front (see _sqlite_on_begin).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT * 1000)}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


BUSY_TIMEOUT = 30.0  # seconds a writer waits for SQLite's lock before giving up


def _sqlite_on_begin(conn: sa.Connection) -> None:
    # Readers: no BEGIN at all (the connection is in autocommit, `_sqlite_on_connect`), so each
    # statement reads its own snapshot, never waits for a writer, and a read request makes two calls
    # into SQLite fewer. Writers: BEGIN IMMEDIATE, so that a read that later upgrades to a write
    # cannot fail with "database is locked" when two write at once.
    if conn.get_execution_options().get(READ_ONLY, False):
        return  # autocommit: each statement reads its own snapshot, as on PostgreSQL (see `reader`)
    if not _take_write_lock(conn):
        raw = conn.connection.driver_connection
        assert isinstance(raw, sqlite3.Connection)
        raw.execute("PRAGMA busy_timeout=0")  # the wait is spent: no 30 s more in SQLite's handler
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")  # a last try, failing the usual way
        finally:
            raw.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT * 1000)}")


def _take_write_lock(conn: sa.Connection) -> bool:
    """BEGIN IMMEDIATE, waiting up to BUSY_TIMEOUT in short steps; False when the wait ran out.

    SQLite's own busy handler sleeps 1, 2, 5 … 100 ms between tries, so a writer of another process
    (an HTTP worker, the scheduler) loses the race again and again under load. Waiting here in steps
    of at most 2 ms gets the lock within a millisecond or two of its release.
    """
    raw = conn.connection.driver_connection
    assert isinstance(raw, sqlite3.Connection)
    raw.execute("PRAGMA busy_timeout=0")
    try:
        return _in_short_steps(
            lambda: raw.execute("BEGIN IMMEDIATE"), getattr(_writing, "wait", BUSY_TIMEOUT)
        )
    finally:
        raw.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT * 1000)}")


def _in_short_steps(attempt: Callable[[], object], wait: float) -> bool:
    """Try `attempt` until SQLite stops answering "locked" or "busy", sleeping 0.2 ms, then twice as
    long each time up to 2 ms; False when `wait` seconds ran out first."""
    deadline = time.monotonic() + wait
    delay = 0.0002
    while True:
        try:
            attempt()
            return True
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            if time.monotonic() > deadline:
                return False
            time.sleep(delay)
            delay = min(delay * 2, 0.002)


def reader(engine: Engine) -> Engine:
    """The same engine (and pool) for read-only work, without a transaction on either database: each
    statement reads its own snapshot (under PostgreSQL's READ COMMITTED it would anyway), BEGIN and
    COMMIT would cost a read request two round trips, and SQLite's write lock is never taken.
    (Setting READ ONLY would cost two more; the session guard below refuses writes.)"""
    options: dict[str, Any] = {READ_ONLY: True}
    if engine.dialect.name == "postgresql":
        options["isolation_level"] = "AUTOCOMMIT"
    return engine.execution_options(**options)


class ReadOnlySessionError(RuntimeError):
    """Something tried to write in a session opened for reading."""


@sa.event.listens_for(Session, "before_flush")
def _refuse_writes_when_read_only(session: Session, _context: Any, _instances: Any) -> None:
    # A read session on SQLite holds no write lock; a write there could fail instead of waiting.
    if session.info.get(READ_ONLY) and (session.new or session.dirty or session.deleted):
        raise ReadOnlySessionError("a read-only session tried to write; open it with write=True")


class NestedWriteError(RuntimeError):
    """A write transaction was opened inside another in the same thread (it would wait on itself)."""


# SQLite has one writer at a time. Its busy handler makes a waiting writer sleep in growing steps
# (1, 2, 5 … 100 ms), so under load a writer can lose the race again and again: a long tail of
# latency. Threads of one process queue on this lock instead, first come first served; only
# processes (HTTP workers, the scheduler) still meet at SQLite's own lock.
_SQLITE_WRITERS: dict[int, threading.Lock] = {}
_SQLITE_WRITERS_GUARD = threading.Lock()
_writing = threading.local()


def _writer_lock(engine: Engine) -> threading.Lock | None:
    if engine.dialect.name != "sqlite":
        return None
    with _SQLITE_WRITERS_GUARD:
        return _SQLITE_WRITERS.setdefault(id(engine.pool), threading.Lock())


@contextmanager
def _write_turn(engine: Engine, wait: float) -> Iterator[None]:
    lock = _writer_lock(engine)
    if lock is None:
        yield
        return
    if getattr(_writing, "active", False):
        raise NestedWriteError("a write session was opened inside another one in the same thread")
    started = time.monotonic()
    if not lock.acquire(timeout=wait):
        raise sa.exc.OperationalError("BEGIN IMMEDIATE", {}, TimeoutError(f"no write turn in {wait:g} s"))
    _writing.active = True
    # What is left of the wait, for SQLite's own lock (another process's writer).
    _writing.wait = max(0.0, wait - (time.monotonic() - started))
    try:
        yield
    finally:
        _writing.active = False
        del _writing.wait
        lock.release()


@contextmanager
def session_scope(
    engine: Engine, *, write: bool = True, wait: float | None = None, deadline: float | None = None
) -> Iterator[Session]:
    """A session that commits on success and rolls back on error; `write=False` takes no write lock.

    On SQLite, write sessions of one process take turns (see `_SQLITE_WRITERS`), and one opened
    inside another in the same thread fails at once instead of waiting 30 s on itself.

    `wait`: how long a write waits for a lock before it fails with OperationalError (a request's
    few seconds; by default BUSY_TIMEOUT, for jobs). On PostgreSQL it is the transaction's
    lock_timeout. `deadline`: on PostgreSQL, the connection is cut when the session has not ended
    after that many seconds (see `_Watchdog`), so a server that stops answering fails the request
    instead of holding it."""
    turn = _write_turn(engine, BUSY_TIMEOUT if wait is None else wait) if write else contextlib.nullcontext()
    with _deadline(engine, deadline), turn:
        session = Session(engine if write else reader(engine), expire_on_commit=False)
        if not write:
            session.info[READ_ONLY] = True
        try:
            if write and wait is not None and engine.dialect.name == "postgresql":
                session.execute(sa.text(f"SET LOCAL lock_timeout = {int(wait * 1000)}"))
            yield session
            try:
                session.commit()
            except sa.exc.DBAPIError as exc:
                if write and engine.dialect.name == "postgresql" and _lost_connection(exc):
                    raise CommitOutcomeUnknown(str(exc).splitlines()[0] if str(exc) else "") from exc
                raise
        except BaseException:
            with contextlib.suppress(sa.exc.DBAPIError):  # a cut or dropped connection
                session.rollback()
            raise
        finally:
            session.close()


def write_once(
    engine: Engine, statement: sa.TextClause, params: dict[str, Any], *, wait: float, deadline: float
) -> int:
    """One statement that commits by itself, without a Session (the replay check runs it on every
    request). PostgreSQL: autocommit, one round trip, bounded by the deadline and the engine's
    breaker. SQLite: the write turn of `session_scope`, then the statement on its own (autocommit:
    one call into SQLite instead of the five of a pooled write transaction) on a connection this
    thread keeps for it, retried in short steps while another process writes, for `wait` seconds at
    most. Returns the rows it changed."""
    if engine.dialect.name == "postgresql":
        # Its deadline is a fraction of a request's: a cut here says the server was slow for this
        # statement (a connection made under load, say), not that it is gone. The request goes on
        # and its own work, with the request's deadline, is what opens the breaker if it is.
        with _deadline(engine, deadline, trips=False), engine.connect() as conn:
            autocommit = conn.execution_options(isolation_level="AUTOCOMMIT")
            return int(autocommit.execute(statement, params).rowcount)
    path = engine.url.database or ""
    if not path or path == ":memory:" or path.startswith("file:"):  # a private database: the pool's
        with _write_turn(engine, wait), engine.begin() as conn:
            return int(conn.execute(statement, params).rowcount)
    with _write_turn(engine, wait):
        raw = _own_connection(engine, path)
        changed: list[int] = []
        try:
            done = _in_short_steps(
                lambda: changed.append(raw.execute(statement.text, params).rowcount), _writing.wait
            )
        except sqlite3.OperationalError as exc:
            raise sa.exc.OperationalError(statement.text, params, exc) from exc
        if not done:
            locked = sqlite3.OperationalError("database is locked")
            raise sa.exc.OperationalError(statement.text, params, locked)
        return int(changed[0])


_own = threading.local()


def _own_connection(engine: Engine, path: str) -> sqlite3.Connection:
    """This thread's autocommit connection to the engine's SQLite file (`write_once`), without a
    busy handler: the caller waits in its own short steps instead of SQLite's 1, 2, 5 … 100 ms."""
    key = (id(engine), path)
    if getattr(_own, "key", None) != key:
        old: sqlite3.Connection | None = getattr(_own, "connection", None)
        if old is not None:
            old.close()
        _own.connection = sqlite3.connect(path, timeout=0, isolation_level=None)
        _own.connection.execute("PRAGMA synchronous=NORMAL")
        _own.key = key
    connection: sqlite3.Connection = _own.connection
    return connection


def ping(engine: Engine, timeout: float | None = None) -> bool:
    """True when the database answers a trivial query (without taking SQLite's write lock); with
    `timeout`, False when it has not answered within that many seconds (the query goes on in a
    thread of its own, which the connect timeout ends)."""
    if timeout is None:
        return _ping(engine)
    answered: list[bool] = []
    thread = threading.Thread(target=lambda: answered.append(_ping(engine)), name="db-ping", daemon=True)
    thread.start()
    thread.join(timeout)
    return bool(answered and answered[0])


def _ping(engine: Engine) -> bool:
    try:
        with _deadline(engine, PING_DEADLINE), reader(engine).connect() as conn:
            conn.execute(sa.text("SELECT 1"))
        return True
    except Exception:
        return False


PING_DEADLINE = 2.0  # seconds before a ping's PostgreSQL connection is cut (see `_Watchdog`)


def unavailable(error: BaseException) -> bool:
    """True for an error that says the database could not be reached or used just now (refused,
    dropped, timed out, a lock not granted in time), not that the statement was wrong: the request
    is answered "try again", and nothing was written unless the connection was lost during COMMIT
    (`CommitOutcomeUnknown`, answered "check before you try again")."""
    if isinstance(error, sa.exc.TimeoutError | CommitOutcomeUnknown):  # no connection in time, or lost
        return True
    if isinstance(error, sa.exc.DBAPIError) and error.connection_invalidated:
        return True
    return isinstance(error, sa.exc.OperationalError)


def insert_for(session: Session) -> Any:
    """The dialect's INSERT, which has ON CONFLICT on both SQLite and PostgreSQL."""
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert


def insert_missing(session: Session, model: type[SQLModel], keys: Sequence[str], **values: Any) -> None:
    """Insert a row unless one with the same `keys` (a unique index) exists: when two requests race
    to make it, one wins and the other writes nothing."""
    table = model.__table__  # type: ignore[attr-defined]
    session.execute(
        insert_for(session)(table).values(**values).on_conflict_do_nothing(index_elements=list(keys))
    )


class Counter(SQLModel, table=True):
    """The last number handed out per workspace and sequence (tasks, campaigns, retros, risks…)."""

    __tablename__ = "counters"

    team_id: str = Field(
        primary_key=True, max_length=32, foreign_key="workspaces.team_id", ondelete="CASCADE"
    )
    name: str = Field(primary_key=True, max_length=32)
    value: int = Field(default=0)


def next_number(
    session: Session, team_id: str, name: str, *, floor: sa.ColumnElement[Any] | None = None
) -> int:
    """The next number of a per-workspace sequence, atomically (one statement, no max()+1 race).

    `floor`, a scalar subquery with a `team_id` bind parameter (such as the highest number already
    used), seeds a sequence the first time it is asked for: rows imported or written before the
    counter existed are not reused. Pass the same object each time: the statement is built once.
    """
    bind = session.get_bind()
    stmt = _counter_statement(bind.dialect.name, floor)
    params = {"team_id": team_id, "name": name}
    in_transaction = session.info.setdefault(_COUNTED_HERE, set())
    if bind.dialect.name != "postgresql" or not isinstance(bind, Engine) or (team_id, name) in in_transaction:
        return int(session.connection().execute(stmt, params).scalar_one())
    # PostgreSQL: the number is taken in a statement of its own (autocommit, on another pooled
    # connection), so that the counter's row lock lasts that statement, not the rest of the
    # transaction that uses the number. Held to its commit, that lock queued every other request
    # adding to the same workspace behind it (/task add: 8 requests at a time on one row). A
    # transaction that then fails leaves its number unused, as a deleted task does. A workspace
    # made in this very transaction (a job's or the demo's first write) is not there for another
    # connection to see: its counter is taken in the transaction.
    # Under a request's deadline, the other connection is watched by a watch of its own ending at
    # the same time: the request's watch keeps the session's connection (both are cut if the
    # server stops answering; a cut session connection then fails its rollback at once).
    request = getattr(_watched, "watch", None)
    own = _WATCHDOG.watch(max(0.0, request.ends - time.monotonic())) if request is not None else None
    _watched.watch = own
    try:
        with bind.connect() as conn:
            autocommit = conn.execution_options(isolation_level="AUTOCOMMIT")
            return int(autocommit.execute(stmt, params).scalar_one())
    except sa.exc.IntegrityError:  # the workspace's row is not committed yet (foreign key)
        # From now on this transaction holds the counter's row: its next numbers are taken in it
        # too (on another connection they would wait for this very transaction).
        in_transaction.add((team_id, name))
        return int(session.connection().execute(stmt, params).scalar_one())
    finally:
        if own is not None:
            _WATCHDOG.finish(own)
        _watched.watch = request


_COUNTED_HERE = "ecombot_counted_here"  # session.info: (team, sequence) counted in its transaction


@lru_cache(maxsize=64)
def _counter_statement(dialect: str, floor: sa.ColumnElement[Any] | None) -> Any:
    table = Counter.__table__  # type: ignore[attr-defined]
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    start = sa.literal(1) if floor is None else sa.func.coalesce(floor, 0) + 1
    return (
        insert(table)
        .values(team_id=sa.bindparam("team_id"), name=sa.bindparam("name"), value=start)
        .on_conflict_do_update(
            index_elements=[table.c.team_id, table.c.name], set_={"value": table.c.value + 1}
        )
        .returning(table.c.value)
    )


class UTCDateTime(sa.types.TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out, on SQLite and PostgreSQL alike."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        """Refuse naive datetimes; store UTC."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        value = value.astimezone(UTC)
        # SQLite has no zone: store naive UTC so that text comparisons order correctly.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: sa.Dialect) -> datetime | None:
        """Attach UTC to what SQLite gives back."""
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
