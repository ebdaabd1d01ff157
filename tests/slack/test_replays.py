"""Replays: a signed request sent again is refused by every worker, Slack's own retries are
acknowledged without being handled twice, old signatures are forgotten, and a database that cannot
record one lets requests through fast instead of holding them (ecombot.slack.replays)."""

from __future__ import annotations

import json
import sqlite3
import time
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from ecombot.clock import FixedClock
from ecombot.db import session_scope
from ecombot.devtools.driver import LocalServer, SlackDriver, http_post, sign
from ecombot.devtools.fakeslack import FakeSlack
from ecombot.devtools.local import LocalApp
from ecombot.server import EcombotWsgi
from ecombot.slack.replays import KEEP, PAUSE, ReplayGuard, Seen, forget_old_signatures
from tests.support import SIGNING_SECRET

FORM = "application/x-www-form-urlencoded"


def _tasks(db: Engine) -> list[str]:
    with db.connect() as conn:
        return list(conn.execute(sa.text("SELECT title FROM tasks ORDER BY number")).scalars())


def _signatures(db: Engine) -> int:
    with db.connect() as conn:
        return int(conn.execute(sa.text("SELECT count(*) FROM slack_seen_requests")).scalar_one())


def test_the_same_signed_task_add_sent_five_times_creates_one_task_on_every_worker(
    slack: SlackDriver, local_app: LocalApp, db: Engine, fake: FakeSlack, team: str
) -> None:
    body = urlencode(
        slack.command_fields("/task add Check the coupon codes due:tomorrow", user="U_DEMO", channel="C_DEMO")
    )
    headers = {"Content-Type": FORM, **sign(SIGNING_SECRET, body)}
    # A second worker: its own WSGI app and replay guard, the same database (as gunicorn's workers).
    other = LocalServer(EcombotWsgi(local_app.app, db, signing_secret=SIGNING_SECRET))
    try:
        first = http_post(f"{local_app.url}/slack/events", body, headers)
        assert first.status == 200 and "Check the coupon codes" in first.text
        local_app.settle()
        calls = len(fake.calls)
        again = [http_post(f"{url}/slack/events", body, headers) for url in (local_app.url, other.url) * 2]
    finally:
        other.close()
    local_app.settle()
    assert [r.status for r in again] == [401, 401, 401, 401]
    assert all(r.text == "invalid request" for r in again)
    assert _tasks(db) == ["Check the coupon codes"]
    assert len(fake.calls) == calls  # no reply, no DM, no lookup for a replay
    # A fresh request of the same command (Slack's: a new trigger_id) is a new task.
    assert slack.command("/task add Check the coupon codes due:tomorrow").status == 200
    assert _tasks(db) == ["Check the coupon codes", "Check the coupon codes"]


def test_slacks_retry_of_an_event_already_received_is_acknowledged_and_handled_once(
    slack: SlackDriver, local_app: LocalApp, db: Engine, fake: FakeSlack, team: str
) -> None:
    envelope = slack.event_envelope({"type": "app_home_opened", "user": "U_DEMO", "tab": "home"})
    body = json.dumps(envelope)
    headers = {"Content-Type": "application/json", **sign(SIGNING_SECRET, body)}
    assert http_post(f"{local_app.url}/slack/events", body, headers).status == 200
    local_app.settle()
    published = len(fake.calls_to("views.publish"))
    assert published == 1
    retried = http_post(
        f"{local_app.url}/slack/events",
        body,
        {**headers, "X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"},
    )
    local_app.settle()
    assert (retried.status, retried.text) == (200, "")
    assert len(fake.calls_to("views.publish")) == published
    # Without Slack's retry header the same request is a replay.
    assert http_post(f"{local_app.url}/slack/events", body, headers).status == 401


def test_signatures_are_forgotten_once_their_timestamp_would_be_refused_as_stale(db: Engine) -> None:
    guard = ReplayGuard(db)
    now = int(time.time())
    assert guard.check("a" * 64, now - KEEP - 5) is Seen.FIRST
    assert guard.check("b" * 64, now - 10) is Seen.FIRST
    assert guard.check("b" * 64, now - 10) is Seen.AGAIN
    with session_scope(db) as session:
        assert forget_old_signatures(session, now) == 1
    assert _signatures(db) == 1
    assert guard.check("b" * 64, now - 10) is Seen.AGAIN


def test_the_tick_forgets_old_signatures(db: Engine, clock: FixedClock) -> None:
    from ecombot.workspaces.jobs import forget_handled_events

    now = clock.now()
    guard = ReplayGuard(db)
    guard.check("c" * 64, int(now.timestamp()) - KEEP - 1)
    guard.check("d" * 64, int(now.timestamp()))
    with session_scope(db) as session:
        assert forget_handled_events(session, now) == []
    assert _signatures(db) == 1


def test_a_database_that_cannot_record_lets_requests_through_fast_and_this_worker_still_refuses_replays(
    db: Engine, database_url: str
) -> None:
    """SQLite's write lock held by another connection (on PostgreSQL, a row lock on the same key
    has the same effect only for that key, so the lock is taken on the whole table)."""
    now = [1000.0]
    guard = ReplayGuard(db, monotonic=lambda: now[0])
    ts = int(datetime.now(UTC).timestamp())
    if db.dialect.name == "sqlite":  # as another process would: its own connection to the file
        holder: Any = sqlite3.connect(str(db.url.database), isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
    else:
        holder = db.connect()
        holder.begin()
        holder.exec_driver_sql("LOCK TABLE slack_seen_requests IN ACCESS EXCLUSIVE MODE")
    try:
        started = time.monotonic()
        assert guard.check("e" * 64, ts) is Seen.UNRECORDED
        assert time.monotonic() - started < 1.0
        # Paused: the next ones do not touch the database; a replay to this worker is still refused.
        started = time.monotonic()
        assert guard.check("f" * 64, ts) is Seen.UNRECORDED
        assert guard.check("e" * 64, ts) is Seen.AGAIN
        assert time.monotonic() - started < 0.05
    finally:
        holder.rollback()
        holder.close()
    # The guard's connection was cut at its 0.3 s deadline (PostgreSQL): that says the server was
    # slow for it, not gone, so the request it let through, and every other, still reaches the
    # database at once (the engine's breaker did not open; it did before, for 1 s: 518 requests
    # answered "try again" in a benchmark's first seconds).
    started = time.monotonic()
    with session_scope(db, write=False, deadline=2.5) as session:
        assert session.execute(sa.text("SELECT 1")).scalar() == 1
    assert time.monotonic() - started < 0.5
    now[0] += PAUSE + 0.1
    assert guard.check("9" * 64, ts) is Seen.FIRST
    assert guard.check("9" * 64, ts) is Seen.AGAIN
    assert guard.check("e" * 64, ts) is Seen.AGAIN  # remembered in memory
