"""The delivery worker against the fake Slack: every message arrives once, whatever Slack answers."""

from __future__ import annotations

import itertools
import logging
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from slack_sdk import WebClient
from sqlalchemy.engine import Engine
from sqlmodel import Session

from ecombot.clock import FixedClock, OffsetClock
from ecombot.db import session_scope
from ecombot.devtools.fakeslack import FakeSlack
from ecombot.scheduling import service
from ecombot.scheduling.delivery import METADATA_EVENT, DeliveryWorker, WorkerSettings
from ecombot.scheduling.models import Delivery
from tests.support import BOT_TOKEN

FAST = WorkerSettings(threads=4, max_attempts=4, backoff_base=0.05, poll_interval=0.02, channel_interval=0.0)


@pytest.fixture
def worker(db: Engine, fake: FakeSlack, clock: FixedClock, workspace: str) -> Iterator[DeliveryWorker]:
    """A delivery worker on the test database, posting to the fake Slack."""
    client = WebClient(token=BOT_TOKEN, base_url=fake.api_url)
    w = DeliveryWorker(db, OffsetClock(clock.now()), lambda team: client, worker="test-worker", settings=FAST)
    yield w
    w.close()


def _enqueue(db: Engine, clock: FixedClock, target: str, key: str, text: str = "hello") -> None:
    with session_scope(db) as s:
        service.enqueue(
            s, team_id="T_DEMO", message=service.Outgoing(target, {"text": text}, key), now=clock.now()
        )


def _row(db: Engine, key: str) -> Delivery:
    with Session(db) as s:
        return s.exec(sa.select(Delivery).where(Delivery.idempotency_key == key)).scalars().one()  # type: ignore[call-overload]


def _in_flight(db: Engine, key: str, *, worker: str, lease_until: datetime) -> None:
    """Mark a delivery as being sent by `worker` whose lease ends at `lease_until` (a dead worker's has lapsed)."""
    with session_scope(db) as s:
        s.execute(
            sa.update(Delivery)
            .where(Delivery.idempotency_key == key)  # type: ignore[arg-type]
            .values(status="sending", claimed_by=worker, lease_until=lease_until)
        )


def _posts(fake: FakeSlack, key: str) -> list[dict[str, Any]]:
    return [
        c.args
        for c in fake.calls_to("chat.postMessage")
        if c.ok and c.args.get("metadata", {}).get("event_payload", {}).get("idempotency_key") == key
    ]


def test_a_channel_message_is_posted_with_its_key_and_ts_kept(
    worker: DeliveryWorker, db: Engine, fake: FakeSlack, clock: FixedClock
) -> None:
    _enqueue(db, clock, "C_DEMO", "digest:1", "Daily digest")
    report = worker.drain(timeout=10)
    assert (report.sent, report.failed, report.pending) == (1, 0, 0)
    [message] = fake.messages("C_DEMO")
    assert message["text"] == "Daily digest"
    assert message["metadata"]["event_type"] == METADATA_EVENT
    row = _row(db, "digest:1")
    assert (row.status, row.channel, row.message_ts) == ("sent", "C_DEMO", message["ts"])


def test_a_user_target_becomes_a_dm(
    worker: DeliveryWorker, db: Engine, fake: FakeSlack, clock: FixedClock
) -> None:
    _enqueue(db, clock, "U_LI", "remind:U_LI")
    worker.drain(timeout=10)
    assert [m["text"] for m in fake.messages("U_LI")] == ["hello"]
    row = _row(db, "remind:U_LI")
    assert row.status == "sent" and row.channel.startswith("D")
    # Posting to a user id lands in the DM; no separate conversations.open call is needed.
    assert fake.calls_to("conversations.open") == []


def test_a_dm_posted_by_a_worker_that_died_is_found_in_the_dm_history(
    worker: DeliveryWorker, db: Engine, fake: FakeSlack, clock: FixedClock
) -> None:
    _enqueue(db, clock, "U_SAM", "kdm")
    WebClient(token=BOT_TOKEN, base_url=fake.api_url).chat_postMessage(
        channel="U_SAM",
        text="hello",
        metadata={"event_type": METADATA_EVENT, "event_payload": {"idempotency_key": "kdm"}},
    )
    _in_flight(db, "kdm", worker="dead", lease_until=clock.now() - timedelta(seconds=1))
    assert worker.drain(timeout=10).sent == 1
    assert len(fake.messages("U_SAM")) == 1
    history = fake.calls_to("conversations.history")
    assert history and history[0].args["channel"].startswith("D")


def test_429_is_waited_out_and_the_message_arrives_once(
    worker: DeliveryWorker, db: Engine, fake: FakeSlack, clock: FixedClock
) -> None:
    fake.fail_next("chat.postMessage", status=429, retry_after=1)
    _enqueue(db, clock, "C_DEMO", "k429")
    started = time.monotonic()
    report = worker.drain(timeout=15)
    assert report.sent == 1
    assert time.monotonic() - started >= 1.0  # Retry-After honoured
    assert len(fake.messages("C_DEMO")) == 1
    row = _row(db, "k429")
    assert row.attempts == 0  # a 429 is Slack's pacing, not a failed attempt
    assert fake.calls_to("conversations.history") == []  # nothing was posted, nothing to look for


def test_5xx_is_retried_with_a_history_check_and_arrives_once(
    worker: DeliveryWorker, db: Engine, fake: FakeSlack, clock: FixedClock
) -> None:
    fake.fail_next("chat.postMessage", status=503, times=2)
    _enqueue(db, clock, "C_DEMO", "k5xx")
    report = worker.drain(timeout=15)
    assert report.sent == 1
    assert len(fake.messages("C_DEMO")) == 1
    row = _row(db, "k5xx")
    assert row.attempts == 2
    # After an answer that may hide a post, the worker looked before posting again.
    assert len(fake.calls_to("conversations.history")) == 2


def test_a_permanent_error_fails_at_once_without_a_retry_loop(
    worker: DeliveryWorker, db: Engine, fake: FakeSlack, clock: FixedClock, caplog: pytest.LogCaptureFixture
) -> None:
    _enqueue(db, clock, "C_GONE", "kgone")
    with caplog.at_level(logging.ERROR, logger="ecombot.scheduling.delivery"):
        report = worker.drain(timeout=10)
    assert (report.sent, report.failed) == (0, 1)
    assert len(fake.calls_to("chat.postMessage")) == 1
    row = _row(db, "kgone")
    assert (row.status, row.last_error) == ("failed", "channel_not_found")
    assert any("failed for good: channel_not_found" in r.getMessage() for r in caplog.records)
    # The fake recorded its refusal; this test expects it.
    fake.clear()


def test_not_in_channel_joins_a_public_channel_then_posts(
    worker: DeliveryWorker, db: Engine, fake: FakeSlack, clock: FixedClock
) -> None:
    fake.add_channel("C_NEW", name="launch", bot_is_member=False)
    _enqueue(db, clock, "C_NEW", "kjoin")
    report = worker.drain(timeout=10)
    assert report.sent == 1
    assert [c.args["channel"] for c in fake.calls_to("conversations.join")] == ["C_NEW"]
    assert len(fake.messages("C_NEW")) == 1
    fake.clear()  # the first not_in_channel is an expected refusal


def test_not_in_a_private_channel_fails_with_a_clear_error(
    worker: DeliveryWorker, db: Engine, fake: FakeSlack, clock: FixedClock
) -> None:
    fake.add_channel("C_SECRET", name="secret", is_private=True, bot_is_member=False)
    _enqueue(db, clock, "C_SECRET", "kpriv")
    report = worker.drain(timeout=10)
    assert report.failed == 1
    # Slack hides private channels the bot is not in: it answers channel_not_found, and joining is no use.
    assert _row(db, "kpriv").last_error == "channel_not_found"
    assert fake.calls_to("conversations.join") == []
    fake.clear()


def test_gives_up_after_max_attempts_and_retry_queues_it_again(
    worker: DeliveryWorker, db: Engine, fake: FakeSlack, clock: FixedClock
) -> None:
    fake.fail_next("chat.postMessage", status=500, times=FAST.max_attempts)
    _enqueue(db, clock, "C_DEMO", "kflaky")
    assert worker.drain(timeout=15).failed == 1
    row = _row(db, "kflaky")
    assert row.status == "failed" and row.attempts == FAST.max_attempts
    assert fake.messages("C_DEMO") == []
    with session_scope(db) as s:
        assert row.id is not None
        service.retry_delivery(s, row.id, now=clock.now())
    assert worker.drain(timeout=10).sent == 1
    assert len(fake.messages("C_DEMO")) == 1


def test_a_message_posted_by_a_worker_that_died_is_not_posted_again(
    worker: DeliveryWorker, db: Engine, fake: FakeSlack, clock: FixedClock
) -> None:
    _enqueue(db, clock, "C_DEMO", "kcrash")
    # Another worker claimed it, posted it, and died before recording the ts.
    WebClient(token=BOT_TOKEN, base_url=fake.api_url).chat_postMessage(
        channel="C_DEMO",
        text="hello",
        metadata={"event_type": METADATA_EVENT, "event_payload": {"idempotency_key": "kcrash"}},
    )
    _in_flight(db, "kcrash", worker="dead", lease_until=clock.now() - timedelta(seconds=1))
    report = worker.drain(timeout=10)
    assert report.sent == 1
    assert len(fake.messages("C_DEMO")) == 1
    assert _row(db, "kcrash").message_ts == fake.messages("C_DEMO")[0]["ts"]


def test_a_message_a_dead_worker_never_posted_is_posted_once(
    worker: DeliveryWorker, db: Engine, fake: FakeSlack, clock: FixedClock
) -> None:
    _enqueue(db, clock, "C_DEMO", "klost")
    _in_flight(db, "klost", worker="dead", lease_until=clock.now() - timedelta(seconds=1))
    assert worker.drain(timeout=10).sent == 1
    assert len(fake.messages("C_DEMO")) == 1


def test_a_live_lease_is_left_alone(
    worker: DeliveryWorker, db: Engine, fake: FakeSlack, clock: FixedClock
) -> None:
    _enqueue(db, clock, "C_DEMO", "kbusy")
    _in_flight(db, "kbusy", worker="alive", lease_until=clock.now() + timedelta(minutes=1))
    assert worker.run_once() == 0
    assert fake.calls_to("chat.postMessage") == []


def test_one_channel_is_paced_at_about_one_message_a_second(
    db: Engine, fake: FakeSlack, clock: FixedClock, workspace: str
) -> None:
    paced = FakeSlack(per_channel_rate=1.0).start()
    try:
        client = WebClient(token=BOT_TOKEN, base_url=paced.api_url)
        settings = WorkerSettings(threads=4, poll_interval=0.02, channel_interval=1.0)
        w = DeliveryWorker(
            db, OffsetClock(clock.now()), lambda team: client, worker="pacer", settings=settings
        )
        for i in range(3):
            _enqueue(db, clock, "C_DEMO", f"paced:{i}", f"digest {i}")
        _enqueue(db, clock, "C_PRIV", "other-channel")
        report = w.drain(timeout=20)
        w.close()
        assert report.sent == 4
        assert paced.rate_limited == []  # never had to be told to slow down
        times = [c.time for c in paced.calls_to("chat.postMessage") if c.args["channel"] == "C_DEMO"]
        assert [m["text"] for m in paced.messages("C_DEMO")] == ["digest 0", "digest 1", "digest 2"]
        assert all(b - a >= 1.0 for a, b in itertools.pairwise(times))
        # Another channel does not wait behind the first.
        other = [c.time for c in paced.calls_to("chat.postMessage") if c.args["channel"] == "C_PRIV"]
        assert other[0] - times[0] < 0.5
    finally:
        paced.stop()


def _enqueue_related(
    db: Engine, clock: FixedClock, key: str, text: str, *, thread_of: str = "", update_of: str = ""
) -> None:
    message = service.Outgoing("C_DEMO", {"text": text}, key, thread_of=thread_of, update_of=update_of)
    with session_scope(db) as s:
        service.enqueue(s, team_id="T_DEMO", message=message, now=clock.now())


def test_a_thread_reply_and_an_edit_follow_the_message_they_belong_to(
    worker: DeliveryWorker, db: Engine, fake: FakeSlack, clock: FixedClock
) -> None:
    _enqueue_related(db, clock, "report", "Report: 1 of 2")
    _enqueue_related(db, clock, "report:reply", "Li's answers", thread_of="report")
    _enqueue_related(db, clock, "report:v2", "Report: 2 of 2", update_of="report")
    report = worker.drain(timeout=10)
    assert (report.sent, report.failed, report.pending) == (3, 0, 0)
    parent, reply = fake.messages("C_DEMO")
    assert parent["text"] == "Report: 2 of 2" and "edited" in parent
    assert (reply["text"], reply["thread_ts"]) == ("Li's answers", parent["ts"])
    assert _row(db, "report:v2").message_ts == parent["ts"]


def test_a_reply_to_a_message_that_was_never_posted_fails_with_the_reason(
    worker: DeliveryWorker, db: Engine, fake: FakeSlack, clock: FixedClock
) -> None:
    fake.fail_next("chat.postMessage", error="channel_not_found")  # fails at once, for good
    _enqueue_related(db, clock, "lost", "lost")
    _enqueue_related(db, clock, "lost:reply", "a reply", thread_of="lost")
    # A reply whose parent is queued later waits for it rather than failing.
    _enqueue_related(db, clock, "late:reply", "reply first", thread_of="late")
    worker.drain(timeout=2)
    assert _row(db, "lost").status == "failed"
    failed = _row(db, "lost:reply")
    assert failed.status == "failed" and "lost" in failed.last_error
    assert _row(db, "late:reply").status == "pending"
    _enqueue_related(db, clock, "late", "the parent")
    worker.drain(timeout=10)
    parent, reply = fake.messages("C_DEMO")
    assert (reply["text"], reply["thread_ts"]) == ("reply first", parent["ts"])


def test_an_older_edit_that_failed_never_overwrites_a_newer_one(
    worker: DeliveryWorker, db: Engine, fake: FakeSlack, clock: FixedClock
) -> None:
    _enqueue_related(db, clock, "report", "Report: 1 of 3")
    worker.drain(timeout=10)
    fake.fail_next("chat.update", status=500)  # the first edit meets a server error and backs off
    _enqueue_related(db, clock, "report:r1", "Report: 2 of 3", update_of="report")
    _enqueue_related(db, clock, "report:r2", "Report: 3 of 3", update_of="report")
    report = worker.drain(timeout=10)
    assert (report.failed, report.pending) == (0, 0)
    [message] = fake.messages("C_DEMO")
    assert message["text"] == "Report: 3 of 3"
    assert [c.args["text"] for c in fake.calls_to("chat.update") if c.ok] == ["Report: 3 of 3"]
    assert _row(db, "report:r1").status == "sent"  # superseded: counted as done, never sent


def test_an_edit_of_a_deleted_message_fails_at_once(
    worker: DeliveryWorker, db: Engine, fake: FakeSlack, clock: FixedClock
) -> None:
    _enqueue_related(db, clock, "report", "Report")
    worker.drain(timeout=10)
    fake.fail_next("chat.update", error="message_not_found")
    _enqueue_related(db, clock, "report:r1", "Report, edited", update_of="report")
    worker.drain(timeout=10)
    row = _row(db, "report:r1")
    assert (row.status, row.attempts, row.last_error) == ("failed", 1, "message_not_found")
