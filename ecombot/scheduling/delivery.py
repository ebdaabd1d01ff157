"""The delivery worker: sends the outbox to Slack within its rate limits, exactly once.

Each row is leased before it is sent. A worker that dies leaves a lapsed lease; whoever picks the
row up next first looks for the message in the channel's history by its idempotency key (carried in
the message metadata), so a crash at any moment neither loses nor duplicates a post.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.engine import Engine
from sqlmodel import col

from ecombot import metrics
from ecombot.clock import Clock
from ecombot.db import reader, session_scope
from ecombot.scheduling import uploads
from ecombot.scheduling.models import Delivery

log = logging.getLogger(__name__)

METADATA_EVENT = "ecombot_delivery"
# Retrying cannot fix these: fail at once, with a clear log line.
PERMANENT_ERRORS = frozenset(
    {
        "channel_not_found",
        "not_in_channel",
        "is_archived",
        "missing_scope",
        "no_permission",
        "user_not_found",
        "user_disabled",
        "cannot_dm_bot",
        "restricted_action",
        "msg_too_long",
        "no_text",
        "invalid_blocks",
        "invalid_blocks_format",
        "invalid_metadata_format",
        "invalid_arguments",
        "team_access_not_granted",
        "ekm_access_denied",
    }
)
# The workspace's token does not work (revoked, rotated, the app reinstalled): nothing this
# delivery can fix, and nothing it did wrong. It waits in the outbox, uncounted, until the token
# works again (a new SLACK_BOT_TOKEN, a reinstall); an uninstall parks it instead.
AUTH_ERRORS = frozenset({"invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired"})
AUTH_WAIT = 60.0  # seconds between tries while a workspace's token is refused
# An edit that cannot work however often it is tried: the message is gone, or is not the bot's.
UPDATE_PERMANENT_ERRORS = frozenset({"message_not_found", "cant_update_message", "edit_window_closed"})
ClientFor = Callable[[str], WebClient]


@dataclass(frozen=True)
class WorkerSettings:
    """Tuning of the delivery worker (from `[scheduler]` in the config)."""

    threads: int = 8
    max_attempts: int = 8
    lease: timedelta = timedelta(seconds=60)
    channel_interval: float = 1.0
    poll_interval: float = 0.2
    backoff_base: float = 1.0  # seconds before the first retry; doubles with each attempt
    max_backoff: timedelta = timedelta(minutes=10)


@dataclass
class DrainReport:
    """What a drain delivered."""

    sent: int = 0
    failed: int = 0
    pending: int = 0
    seconds: float = 0.0


@dataclass(frozen=True)
class _Job:
    id: int
    team_id: str
    target: str
    channel: str
    key: str
    payload: dict[str, Any]
    attempts: int
    verify: bool
    created_at: datetime
    thread_of: str = ""
    update_of: str = ""


class DeliveryWorker:
    """Picks due outbox rows, paces them per channel, sends them on a thread pool."""

    def __init__(
        self,
        engine: Engine,
        clock: Clock,
        client_for: ClientFor,
        *,
        worker: str,
        settings: WorkerSettings | None = None,
    ) -> None:
        self.engine = engine
        self.clock = clock
        self.client_for = client_for
        self.worker = worker
        self.settings = settings or WorkerSettings()
        self._pool = ThreadPoolExecutor(max_workers=self.settings.threads, thread_name_prefix="delivery")
        self._lock = threading.Lock()
        self._in_flight: dict[str, Future[None]] = {}
        self._next_allowed: dict[str, float] = {}
        self._dm_channels: dict[tuple[str, str], str] = {}
        # Outcomes of finished sends, written in batches by the loop thread (one transaction per pass).
        self._results: queue.Queue[tuple[int, dict[str, Any]]] = queue.Queue()
        self.wake = threading.Event()
        # Messages this worker has sent or given up on, for the reports of its drains.
        self._done = {"sent": 0, "failed": 0}
        self._auth_refused: set[str] = set()  # workspaces whose token Slack refused (logged once)

    # -- the loop ----------------------------------------------------------------------------

    def run_once(self) -> int:
        """Record finished sends, then start every due row whose channel is free and paced."""
        self._flush()
        now = self.clock.now()
        with self._lock:
            room = self.settings.threads * 2 - len(self._in_flight)
            busy_lanes = set(self._in_flight)
            paced = {lane for lane, at in self._next_allowed.items() if at > time.monotonic()}
        if room <= 0:
            # Claim no more than the pool can start soon, or leases would lapse in the queue.
            return 0
        picked: dict[int, tuple[str, bool]] = {}
        # Enough lanes to fill the room even if every busy or paced lane comes first.
        for row_id, lane, abandoned in self._candidates(now, room + len(busy_lanes | paced)):
            if lane in busy_lanes or lane in paced:
                continue
            picked[row_id] = (lane, abandoned)
            if len(picked) >= room:
                break
        jobs = self._claim(picked, now)
        with self._lock:
            for job in jobs:
                lane = picked[job.id][0]
                self._in_flight[lane] = self._pool.submit(self._send_safely, job, lane)
        return len(jobs)

    def busy(self) -> bool:
        """True while a send is in flight."""
        with self._lock:
            return bool(self._in_flight)

    def drain(self, timeout: float = 300.0, *, due_only: bool = False) -> DrainReport:
        """Deliver until nothing is left (waiting out Retry-After and backoff) or `timeout` passes;
        `due_only` stops once nothing is due now (retries planned for later stay queued)."""
        started = time.monotonic()
        deadline = started + timeout
        with self._lock:
            before = dict(self._done)
        while time.monotonic() < deadline:
            self.run_once()
            idle = not self._candidates(self.clock.now(), 1) if due_only else not self._has_work()
            if not self.busy() and idle:
                break
            self.wake.wait(self._pause())
            self.wake.clear()
        while self.busy() and time.monotonic() < deadline:
            time.sleep(0.01)
        self._flush()
        report = self._report(before)
        report.seconds = time.monotonic() - started
        return report

    def run_forever(self, stop: threading.Event) -> None:
        """The live loop of `ecombot run`, `ecombot scheduler`."""
        while not stop.is_set():
            try:
                self.run_once()
            except Exception:
                log.exception("delivery pass failed; trying again")
            self.wake.wait(self._pause())
            self.wake.clear()

    def _pause(self) -> float:
        """How long the loop may sleep: until a send finishes (wake), or a paced channel opens again."""
        now = time.monotonic()
        with self._lock:
            upcoming = [at - now for at in self._next_allowed.values() if at > now]
        return max(0.001, min([self.settings.poll_interval, *upcoming]))

    def close(self) -> None:
        """Let in-flight sends finish, record them, then stop the pool."""
        self._pool.shutdown(wait=True)
        self._flush()

    # -- database ----------------------------------------------------------------------------

    def _candidates(self, now: datetime, limit: int) -> list[tuple[int, str, bool]]:
        """The oldest due row of each lane (team and target), longest queues first.

        Longest first because a channel's queue drains at one message a second at best: starting
        the busiest channels at once is what keeps a burst close to that bound.
        """
        pending = sa.and_(col(Delivery.status) == "pending", col(Delivery.next_attempt_at) <= now)
        abandoned = sa.and_(col(Delivery.status) == "sending", col(Delivery.lease_until) < now)
        query = (
            sa.select(
                sa.func.min(col(Delivery.id)).label("id"),
                col(Delivery.team_id),
                col(Delivery.target),
                # Any abandoned row in the lane makes its next send look in the history first.
                sa.func.max(sa.case((col(Delivery.status) == "sending", 1), else_=0)).label("abandoned"),
            )
            .where(sa.or_(pending, abandoned))
            .group_by(col(Delivery.team_id), col(Delivery.target))
            .order_by(
                sa.func.count().desc(),
                sa.func.min(col(Delivery.next_attempt_at)),
                sa.func.min(col(Delivery.id)),
            )
            .limit(limit)
        )
        with reader(self.engine).connect() as conn:
            return [(int(r.id), f"{r.team_id}/{r.target}", bool(r.abandoned)) for r in conn.execute(query)]

    def _has_work(self) -> bool:
        with reader(self.engine).connect() as conn:
            count = conn.execute(
                sa.select(sa.func.count())
                .select_from(Delivery)
                .where(col(Delivery.status).in_(("pending", "sending")))
            ).scalar()
        return bool(count)

    def _report(self, before: dict[str, int]) -> DrainReport:
        """What this drain sent and gave up on, and what is still queued (by anyone)."""
        with reader(self.engine).connect() as conn:
            waiting = conn.execute(
                sa.select(sa.func.count())
                .select_from(Delivery)
                .where(col(Delivery.status).in_(("pending", "sending")))
            ).scalar()
        with self._lock:
            sent, failed = self._done["sent"] - before["sent"], self._done["failed"] - before["failed"]
        return DrainReport(sent=sent, failed=failed, pending=int(waiting or 0))

    def _claim(self, picked: dict[int, tuple[str, bool]], now: datetime) -> list[_Job]:
        """Lease the picked rows to this worker in one statement; rows someone else got are skipped."""
        if not picked:
            return []
        pending = sa.and_(col(Delivery.status) == "pending", col(Delivery.next_attempt_at) <= now)
        abandoned = sa.and_(col(Delivery.status) == "sending", col(Delivery.lease_until) < now)
        table = Delivery.__table__  # type: ignore[attr-defined]
        statement = (
            sa.update(table)
            .where(table.c.id.in_(list(picked)), sa.or_(pending, abandoned))
            .values(
                status="sending",
                claimed_by=self.worker,
                lease_until=now + self.settings.lease,
                updated_at=now,
            )
            .returning(
                table.c.id,
                table.c.team_id,
                table.c.target,
                table.c.channel,
                table.c.idempotency_key,
                table.c.payload,
                table.c.attempts,
                table.c.verify_before_send,
                table.c.created_at,
                table.c.thread_of,
                table.c.update_of,
            )
        )
        with session_scope(self.engine) as session:
            rows = session.execute(statement).all()
        jobs = []
        for row in rows:
            abandoned_row = picked[row.id][1]
            if abandoned_row:
                log.warning(
                    "delivery %s was in flight when its worker stopped; checking before resending", row.id
                )
            jobs.append(
                _Job(
                    id=row.id,
                    team_id=row.team_id,
                    target=row.target,
                    channel=row.channel,
                    key=row.idempotency_key,
                    payload=dict(row.payload),
                    attempts=row.attempts,
                    verify=bool(row.verify_before_send) or abandoned_row,
                    created_at=row.created_at,
                    thread_of=row.thread_of or "",
                    update_of=row.update_of or "",
                )
            )
        return jobs

    def _update(self, job: _Job, **values: Any) -> None:
        """Queue the outcome of a send; `_flush` writes all queued outcomes in one transaction."""
        values["updated_at"] = self.clock.now()
        self._results.put((job.id, values))

    def _flush(self) -> None:
        outcomes: list[tuple[int, dict[str, Any]]] = []
        while True:
            try:
                outcomes.append(self._results.get_nowait())
            except queue.Empty:
                break
        if not outcomes:
            return
        # One executemany per shape of outcome (sent, retry, failed), all in one transaction.
        shapes: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for row_id, values in outcomes:
            shapes.setdefault(tuple(sorted(values)), []).append({"row_id": row_id, **values})
        table = Delivery.__table__  # type: ignore[attr-defined]
        with session_scope(self.engine) as session:
            for columns, params in shapes.items():
                statement = (
                    sa.update(table)
                    .where(table.c.id == sa.bindparam("row_id"), table.c.claimed_by == self.worker)
                    .values({name: sa.bindparam(name) for name in columns})
                )
                session.connection().execute(statement, params)

    def _mark_sent(self, job: _Job, channel: str, ts: str) -> None:
        with self._lock:
            self._done["sent"] += 1
            self._auth_refused.discard(job.team_id)
        metrics.count_delivery("sent")
        now = self.clock.now()
        self._update(
            job, status="sent", channel=channel, message_ts=ts, sent_at=now, lease_until=None, last_error=""
        )

    def _mark_failed(self, job: _Job, error: str, attempts: int) -> None:
        with self._lock:
            self._done["failed"] += 1
        metrics.count_delivery("failed")
        log.error("delivery %s (%s) to %s failed for good: %s", job.id, job.key, job.target, error)
        self._update(job, status="failed", last_error=error[:500], attempts=attempts, lease_until=None)

    def _retry_later(self, job: _Job, error: str, *, delay: float, count: bool, uncertain: bool) -> None:
        attempts = job.attempts + (1 if count else 0)
        if attempts >= self.settings.max_attempts:
            self._mark_failed(job, f"{error} (after {attempts} attempts)", attempts)
            return
        log.info("delivery %s: %s; retrying in %.1fs", job.id, error, delay)
        metrics.count_delivery("retried")
        self._update(
            job,
            status="pending",
            attempts=attempts,
            next_attempt_at=self.clock.now() + timedelta(seconds=delay),
            lease_until=None,
            last_error=error[:500],
            verify_before_send=uncertain or job.verify,
        )

    def _auth_wait(self, job: _Job, error: str) -> None:
        """The token was refused: try again in AUTH_WAIT, without counting it as an attempt."""
        with self._lock:
            first = job.team_id not in self._auth_refused
            self._auth_refused.add(job.team_id)
        if first:
            log.warning(
                "Slack refused the bot token of workspace %s (%s): its posts wait in the outbox and are "
                "tried every %g s until the token works (a new SLACK_BOT_TOKEN or a reinstall; "
                "`ecombot doctor` checks it)",
                job.team_id,
                error,
                AUTH_WAIT,
            )
        self._update(
            job,
            status="pending",
            next_attempt_at=self.clock.now() + timedelta(seconds=AUTH_WAIT),
            lease_until=None,
            last_error=f"{error}: waiting for a working token",
        )
        metrics.count_delivery("waiting_for_token")

    def _backoff(self, attempts: int) -> float:
        delay = self.settings.backoff_base * 2 ** max(attempts, 0)
        return float(min(delay, self.settings.max_backoff.total_seconds()))

    # -- Slack -------------------------------------------------------------------------------

    def _send_safely(self, job: _Job, lane: str) -> None:
        try:
            self._send(job, lane)
        except Exception as exc:
            # A network failure may have posted the message: look before the next try.
            self._retry_later(
                job,
                f"{type(exc).__name__}: {exc}",
                delay=self._backoff(job.attempts),
                count=True,
                uncertain=True,
            )
            self._pace(lane, self.settings.channel_interval)
        finally:
            with self._lock:
                self._in_flight.pop(lane, None)
            self.wake.set()

    def _pace(self, lane: str, seconds: float) -> None:
        with self._lock:
            self._next_allowed[lane] = time.monotonic() + seconds

    def _parent(self, job: _Job, lane: str) -> tuple[str, str] | None:
        """The (channel, ts) of the message this one replies to or replaces, once it is posted; None
        (with the job put back or failed) while it is not."""
        key = job.thread_of or job.update_of
        table = Delivery.__table__  # type: ignore[attr-defined]
        with reader(self.engine).connect() as conn:
            row = conn.execute(
                sa.select(table.c.status, table.c.channel, table.c.message_ts).where(
                    table.c.idempotency_key == key
                )
            ).first()
        if row is not None and row.status == "sent" and row.message_ts:
            return str(row.channel), str(row.message_ts)
        if row is not None and row.status == "failed":
            self._mark_failed(job, f"the message it belongs to ({key}) was never posted", job.attempts + 1)
        else:
            # Not posted yet (it is normally ahead in the same lane): wait a moment, uncounted.
            self._retry_later(job, f"waiting for {key}", delay=1.0, count=False, uncertain=False)
        return None

    def _send(self, job: _Job, lane: str) -> None:
        client = self.client_for(job.team_id)
        # Slack posts to a user id in the app's DM with that user, so no conversations.open is needed
        # to send; only a history lookup needs the DM's own D… id.
        channel = job.channel or job.target
        payload = dict(job.payload)
        thread_ts = ""
        if job.thread_of or job.update_of:
            parent = self._parent(job, lane)
            if parent is None:
                return
            channel, thread_ts = parent
            if job.update_of:
                self._edit(client, job, lane, channel, thread_ts, payload)
                return
            payload["thread_ts"] = thread_ts
        if uploads.is_upload(payload) and not thread_ts and channel.startswith(("U", "W")):
            # A file is shared into a conversation: a DM's own D… id, not the person's.
            channel = self._open_channel(client, job)
            if not channel:
                return
        if job.verify:
            history_channel = job.channel or (channel if thread_ts else self._open_channel(client, job))
            if not history_channel:
                return
            found = self._find_sent(client, history_channel, job, thread_ts)
            if found:
                log.info("delivery %s was already posted (ts %s); not sending again", job.id, found)
                self._mark_sent(job, history_channel, found)
                return
        metadata = {"event_type": METADATA_EVENT, "event_payload": {"idempotency_key": job.key}}
        joined = False
        while True:
            try:
                if uploads.is_upload(payload):
                    posted_in, posted_ts = uploads.send(client, channel, thread_ts, payload)
                else:
                    response = client.chat_postMessage(channel=channel, metadata=metadata, **payload)
                    posted_in, posted_ts = (
                        str(response.get("channel") or channel),
                        str(response.get("ts", "")),
                    )
            except SlackApiError as exc:
                error = str(exc.response.get("error", ""))
                status = exc.response.status_code
                if status == 429:
                    retry_after = float(exc.response.headers.get("Retry-After", "1") or 1)
                    self._pace(lane, retry_after)
                    # Slack refused the call outright: nothing was posted, no verification needed.
                    self._retry_later(job, "ratelimited", delay=retry_after, count=False, uncertain=False)
                    return
                if error in AUTH_ERRORS:
                    self._auth_wait(job, error)
                    return
                if error == "not_in_channel" and channel.startswith("C") and not joined:
                    joined = self._join(client, channel)
                    if joined:
                        continue
                if error in PERMANENT_ERRORS:
                    self._mark_failed(job, error, job.attempts + 1)
                    self._pace(lane, self.settings.channel_interval)
                    return
                self._retry_later(
                    job,
                    error or f"HTTP {status}",
                    delay=self._backoff(job.attempts),
                    count=True,
                    uncertain=status >= 500,
                )
                self._pace(lane, self.settings.channel_interval)
                return
            self._mark_sent(job, posted_in, posted_ts)
            self._pace(lane, self.settings.channel_interval)
            return

    def _superseded(self, job: _Job) -> bool:
        """True when a newer version of the same message was sent already (this one would undo it)."""
        table = Delivery.__table__  # type: ignore[attr-defined]
        with reader(self.engine).connect() as conn:
            newer = conn.execute(
                sa.select(table.c.id)
                .where(
                    table.c.update_of == job.update_of,
                    table.c.update_of != "",  # the condition of ix_deliveries_update_of, as written there
                    table.c.id > job.id,
                    table.c.status == "sent",
                )
                .limit(1)
            ).first()
        return newer is not None

    def _edit(
        self, client: WebClient, job: _Job, lane: str, channel: str, ts: str, payload: dict[str, Any]
    ) -> None:
        """A new version of a posted message (chat.update). Repeating one is harmless, so there is no
        lookup first; one that a newer version overtook is not sent at all."""
        if self._superseded(job):
            log.info(
                "delivery %s is an older version of %s than one already sent; skipped", job.id, job.update_of
            )
            self._mark_sent(job, channel, ts)
            return
        try:
            client.chat_update(channel=channel, ts=ts, **payload)
        except SlackApiError as exc:
            error = str(exc.response.get("error", ""))
            status = exc.response.status_code
            if status == 429:
                retry_after = float(exc.response.headers.get("Retry-After", "1") or 1)
                self._pace(lane, retry_after)
                self._retry_later(job, "ratelimited", delay=retry_after, count=False, uncertain=False)
            elif error in AUTH_ERRORS:
                self._auth_wait(job, error)
            elif error in PERMANENT_ERRORS or error in UPDATE_PERMANENT_ERRORS:
                self._mark_failed(job, error, job.attempts + 1)
                self._pace(lane, self.settings.channel_interval)
            else:
                self._retry_later(
                    job,
                    error or f"HTTP {status}",
                    delay=self._backoff(job.attempts),
                    count=True,
                    uncertain=False,
                )
                self._pace(lane, self.settings.channel_interval)
            return
        self._mark_sent(job, channel, ts)
        self._pace(lane, self.settings.channel_interval)

    def _open_channel(self, client: WebClient, job: _Job) -> str:
        """A user target is posted into the DM; its D… id is kept on the row for later lookups."""
        if not job.target.startswith(("U", "W")):
            return job.target
        cache_key = (job.team_id, job.target)
        channel = self._dm_channels.get(cache_key)
        if channel is None:
            try:
                response = client.conversations_open(users=job.target)
            except SlackApiError as exc:
                error = str(exc.response.get("error", ""))
                if error in AUTH_ERRORS:
                    self._auth_wait(job, error)
                    return ""
                if exc.response.status_code == 429 or error not in PERMANENT_ERRORS:
                    raise
                self._mark_failed(job, error, job.attempts + 1)
                return ""
            channel = str(response["channel"]["id"])
            self._dm_channels[cache_key] = channel
        # Not stored before the post: after a crash, conversations.open gives the same DM again.
        return channel

    def _join(self, client: WebClient, channel: str) -> bool:
        try:
            client.conversations_join(channel=channel)
        except SlackApiError as exc:
            log.error("could not join %s to post there: %s", channel, exc.response.get("error"))
            return False
        log.info("joined %s to deliver a message there", channel)
        return True

    def _find_sent(self, client: WebClient, channel: str, job: _Job, thread_ts: str = "") -> str | None:
        """The ts of an earlier copy of this delivery in the channel (or thread), if one was posted."""
        oldest = f"{(job.created_at - timedelta(minutes=5)).timestamp():.6f}"
        cursor: str | None = None
        for _ in range(10):
            kwargs: dict[str, Any] = {
                "channel": channel,
                "oldest": oldest,
                "include_all_metadata": True,
                "limit": 200,
            }
            if cursor:
                kwargs["cursor"] = cursor
            if thread_ts:
                # A thread reply is not in the channel's history, only in its thread.
                kwargs.pop("oldest")
                response = client.conversations_replies(ts=thread_ts, **kwargs)
            else:
                response = client.conversations_history(**kwargs)
            messages: list[dict[str, Any]] = response.get("messages", [])
            for message in messages:
                metadata = message.get("metadata") or {}
                payload = metadata.get("event_payload") or {}
                if metadata.get("event_type") == METADATA_EVENT and payload.get("idempotency_key") == job.key:
                    return str(message.get("ts"))
                if uploads.is_upload(job.payload) and uploads.matches(message, job.payload):
                    return str(message.get("ts"))
            cursor = (response.get("response_metadata") or {}).get("next_cursor") or None
            if not response.get("has_more") or not cursor:
                break
        return None
