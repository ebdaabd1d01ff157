"""How long a request's PostgreSQL work may take: the watchdog that cuts a connection whose request
outlived its deadline, the breaker that stops a process from queueing requests on a server that
does not answer, and the error for a connection lost during COMMIT (used by `ecombot.db`)."""

from __future__ import annotations

import heapq
import itertools
import logging
import socket
import threading
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

log = logging.getLogger("ecombot.db")


class _Watch:
    """One request's database work: the connection it checked out, and whether it has finished."""

    __slots__ = ("connection", "done", "ends", "started")

    def __init__(self, seconds: float) -> None:
        self.connection: Any = None
        self.done = False
        self.started = time.monotonic()
        self.ends = self.started + seconds


class _Watchdog:
    """Cuts the PostgreSQL connection of a request whose database work outlives its deadline.

    A server that stops answering (its packets dropped, or a proxy that swallows them) leaves a
    query waiting for a reply that never comes: libpq has no client-side query timeout, and the
    server's statement_timeout never starts. Shutting the socket down makes the waiting read fail at
    once; SQLAlchemy then drops the connection (and the pool's older ones), the request answers "try
    again", and the next request connects afresh (within the connect timeout).

    One thread for the whole process. A request only pushes onto a heap; the thread looks every
    TICK seconds while there is something to watch (a deadline is kept to within TICK), so that it
    does not wake, and take the GIL, once per request."""

    TICK = 0.1

    def __init__(self) -> None:
        self._heap: list[tuple[float, int, _Watch]] = []
        self._cond = threading.Condition()
        self._ids = itertools.count()
        self._thread: threading.Thread | None = None

    def watch(self, seconds: float) -> _Watch:
        watch = _Watch(seconds)
        with self._cond:
            heapq.heappush(self._heap, (watch.ends, next(self._ids), watch))
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="db-watchdog", daemon=True)
                self._thread.start()
            elif len(self._heap) == 1:
                self._cond.notify()
        return watch

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._heap:
                    self._cond.wait()
            time.sleep(self.TICK)
            now = time.monotonic()
            with self._cond:
                while self._heap and (self._heap[0][2].done or self._heap[0][0] <= now):
                    _, _, watch = heapq.heappop(self._heap)
                    # Under the lock that `finish` takes: a request that ended meanwhile has handed
                    # its connection back to the pool, for another request to use.
                    if not watch.done and watch.connection is not None:
                        _cut(watch.connection)

    def finish(self, watch: _Watch) -> None:
        with self._cond:
            watch.done = True

    def stalled(self, seconds: float) -> bool:
        """True while some request's database work has been going on for over `seconds` (no
        request's work takes that long while the server answers)."""
        cutoff = time.monotonic() - seconds
        with self._cond:
            return any(not watch.done and watch.started < cutoff for _, _, watch in self._heap)


def _cut(dbapi_connection: Any) -> None:
    """Shut a driver connection's socket down (both ways): a read waiting on it returns at once."""
    try:
        fd = dbapi_connection.fileno()
        with socket.fromfd(fd, socket.AF_INET, socket.SOCK_STREAM) as sock:  # a duplicate of the fd
            sock.shutdown(socket.SHUT_RDWR)
    except (OSError, ValueError, AttributeError) as exc:
        log.debug("could not cut a database connection: %s", exc)
    else:
        log.warning("cut a database connection whose request outlived its deadline")


_WATCHDOG = _Watchdog()
_watched = threading.local()


class CommitOutcomeUnknown(Exception):
    """The connection was lost while COMMIT was on its way: the server may have committed the
    transaction or not (its answer never came). The request must not say "nothing was saved"."""


class _Breaker:
    """PostgreSQL that could not be reached: for `OPEN` seconds after a request found it so, the
    requests of this process fail at once ("try again") instead of each waiting its deadline out,
    which under load fills every listener thread and leaves the rest past Slack's 3 s. Then one
    request at a time tries it (a probe): its success closes the breaker, its failure opens it again.
    Only a lost or refused connection opens it: a lock not granted in time is no outage."""

    OPEN = 1.0
    # A request that may have to connect needs this long: libpq waits at least 2 s for a server
    # that does not answer the connection, and the watchdog cannot cut a connection not yet made.
    CONNECT = 2.0
    STALL = 1.0  # seconds of another request's database work that make the server suspect

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._open_until = 0.0
        self._probing = False

    def enter(self, seconds: float) -> bool:
        """Raise while open, or while the server looks stalled and `seconds` (the time the caller
        has) would not cover a connection attempt; True when this caller is the probe."""
        with self._lock:
            if self._open_until == 0.0:
                if seconds < self.CONNECT and _WATCHDOG.stalled(self.STALL):
                    raise sa.exc.TimeoutError(
                        "the database is slow to answer (not tried: too little time left)"
                    )
                return False
            if time.monotonic() < self._open_until or self._probing or seconds < self.CONNECT:
                raise sa.exc.TimeoutError("the database did not answer moments ago (not tried again yet)")
            self._probing = True
            return True

    def leave(self, probe: bool, error: BaseException | None, *, trips: bool = True) -> None:
        """After the work: a lost connection opens the breaker (unless `trips` is False: work
        whose own short deadline cut it says only that the server was slow for it)."""
        with self._lock:
            if probe:
                self._probing = False
            if error is not None and _lost_connection(error):
                if trips:
                    self._open_until = time.monotonic() + self.OPEN
            elif probe and error is None:
                self._open_until = 0.0


def _lost_connection(error: BaseException) -> bool:
    """A connection refused, lost, cut by the watchdog or not made in time (not a lock timeout,
    which has an SQLSTATE: the server answered)."""
    if isinstance(error, sa.exc.TimeoutError | CommitOutcomeUnknown):
        return True
    if not isinstance(error, sa.exc.DBAPIError):
        return False
    return error.connection_invalidated or getattr(error.orig, "sqlstate", "") is None


# By pool, weakly: an id() of a disposed pool may come back for a new one, with its old state.
_BREAKERS: weakref.WeakKeyDictionary[Any, _Breaker] = weakref.WeakKeyDictionary()
_BREAKERS_GUARD = threading.Lock()


def _breaker(engine: Engine) -> _Breaker:
    with _BREAKERS_GUARD:
        found = _BREAKERS.get(engine.pool)
        if found is None:
            found = _BREAKERS[engine.pool] = _Breaker()
        return found


@contextmanager
def _deadline(engine: Engine, seconds: float | None, *, trips: bool = True) -> Iterator[None]:
    """Watch the session's PostgreSQL connection for `seconds` (nothing on SQLite, a local file),
    behind the engine's breaker (see `_Breaker`). `trips=False`: a cut connection does not open
    the breaker (a deadline far shorter than a request's, such as the replay check's)."""
    if seconds is None or engine.dialect.name != "postgresql" or getattr(_watched, "watch", None):
        yield
        return
    breaker = _breaker(engine)
    probe = breaker.enter(seconds)
    watch = _WATCHDOG.watch(seconds)
    _watched.watch = watch
    error: BaseException | None = None
    try:
        yield
    except BaseException as exc:
        error = exc
        raise
    finally:
        _WATCHDOG.finish(watch)
        _watched.watch = None
        breaker.leave(probe, error, trips=trips)
