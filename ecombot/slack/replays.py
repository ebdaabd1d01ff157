"""Replayed requests refused: every verified request's signature is remembered, in the database so
that every worker sees it, for as long as its timestamp would pass the 5-minute check.

A signature is an HMAC of the timestamp and the whole body, and Slack puts a fresh `trigger_id` or
`event_id` in every request it sends, so two requests with one signature are one request sent twice:
someone who captured it, or a proxy that resent it. Slack's own Events API retries carry
`X-Slack-Retry-Num`; `ecombot.server` acknowledges one whose signature was seen (the event was
received; events are handled once by event_id anyway) instead of refusing it.

When the database cannot record a signature in time (PostgreSQL not answering, SQLite's write lock
held by another process), the request is let through rather than refused: any write it would make
needs that same database, and its own handler answers "try again". The guard then leaves the
database alone for `PAUSE` seconds and remembers the signatures it let through in memory, so the
same worker still refuses their replays.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from enum import Enum

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Field, Session, SQLModel

from ecombot.db import unavailable, write_once

log = logging.getLogger(__name__)

WINDOW = 300  # seconds: the signature check refuses a timestamp further off than this (server.MAX_AGE)
KEEP = WINDOW + 60  # seconds a signature is kept after its timestamp (clocks differ a little)
WAIT = 0.2  # seconds the record waits for SQLite's write lock
DEADLINE = 0.3  # seconds before a PostgreSQL connection that does not answer is cut
PAUSE = 5.0  # seconds the database is left alone after it failed to record one


class SeenRequest(SQLModel, table=True):
    """A verified request's signature (hex), under its timestamp (the key leads with it, so old ones
    are deleted by a range of the primary key)."""

    __tablename__ = "slack_seen_requests"
    __table_args__ = {"sqlite_with_rowid": False}  # the key is the row: one B-tree, not two

    request_ts: int = Field(sa_column=sa.Column(sa.BigInteger(), primary_key=True, autoincrement=False))
    signature: str = Field(primary_key=True, max_length=64)


class Seen(Enum):
    """What the guard knows of a signature."""

    FIRST = "first"  # recorded now: handle the request
    AGAIN = "again"  # recorded before: a replay
    UNRECORDED = "unrecorded"  # the database could not record it: let it through (see the module)


class ReplayGuard:
    """Records each signature once, across workers, through the app's engine."""

    def __init__(self, engine: Engine, *, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.engine = engine
        self.monotonic = monotonic
        or_ignore = "INSERT OR IGNORE" if engine.dialect.name == "sqlite" else "INSERT"
        on_conflict = "" if engine.dialect.name == "sqlite" else " ON CONFLICT DO NOTHING"
        self._insert = sa.text(
            f"{or_ignore} INTO slack_seen_requests (request_ts, signature) "
            f"VALUES (:request_ts, :signature){on_conflict}"
        )
        self._lock = threading.Lock()
        self._paused_until = 0.0
        # Signatures let through unrecorded, oldest first: (signature) -> request timestamp.
        self._unrecorded: OrderedDict[str, int] = OrderedDict()

    def check(self, signature: str, request_ts: int) -> Seen:
        """Record `signature` (hex, 64 characters) of a request stamped `request_ts`."""
        with self._lock:
            if signature in self._unrecorded:
                return Seen.AGAIN
            paused = self.monotonic() < self._paused_until
            if paused:
                self._remember(signature, request_ts)
                return Seen.UNRECORDED
        try:
            first = self._record(signature, request_ts)
        except Exception as exc:
            if not unavailable(exc):
                raise
            with self._lock:
                self._paused_until = self.monotonic() + PAUSE
                self._remember(signature, request_ts)
            log.warning(
                "could not record a request's signature (%s): replays are refused by this worker "
                "only for the next %g s",
                (str(exc).splitlines() or [f"no answer in {DEADLINE:g} s"])[0][:200],
                PAUSE,
            )
            return Seen.UNRECORDED
        return Seen.FIRST if first else Seen.AGAIN

    def _record(self, signature: str, request_ts: int) -> bool:
        # One plain statement, no Session: it runs on every request. On PostgreSQL a conflicting
        # insert waits only for its twin's transaction, a few milliseconds.
        params = {"request_ts": request_ts, "signature": signature}
        return write_once(self.engine, self._insert, params, wait=WAIT, deadline=DEADLINE) == 1

    def _remember(self, signature: str, request_ts: int) -> None:
        self._unrecorded[signature] = request_ts
        oldest = request_ts - KEEP
        while self._unrecorded:
            first_signature, stamped = next(iter(self._unrecorded.items()))
            if stamped >= oldest:
                break
            del self._unrecorded[first_signature]


def forget_old_signatures(session: Session, now_ts: float) -> int:
    """Drop the signatures whose timestamp no longer passes the signature check (a tick)."""
    result = session.execute(sa.delete(SeenRequest).where(SeenRequest.request_ts < int(now_ts) - KEEP))  # type: ignore[arg-type]
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
