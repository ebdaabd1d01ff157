"""Slack faults: the fake Slack answering 429, 500 and invalid_auth for a while, during interactive
use (a command whose DM goes through the outbox, a form, App Home) and during scheduled delivery (a
reminder). Commands are still answered within Slack's 3 s, clearly; what the app posts waits in the
outbox and arrives exactly once when Slack answers again. The counts are printed."""

from __future__ import annotations

import collections
import logging
from datetime import datetime, timedelta

import pytest
from slack_sdk import WebClient
from sqlalchemy.engine import Engine

from ecombot.app import build_runtime
from ecombot.clock import FixedClock
from ecombot.config import Settings
from ecombot.devtools.driver import SlackDriver
from ecombot.devtools.fakeslack import FakeSlack
from ecombot.devtools.local import LocalApp
from ecombot.scheduling.delivery import DeliveryWorker, WorkerSettings
from ecombot.scheduling.engine import SchedulingEngine
from tests.support import BOT_TOKEN

FAULTS = {
    "429": {"status": 429, "retry_after": 1},
    "500": {"status": 500},
    "invalid_auth": {"error": "invalid_auth"},
}
ASSIGNED = "给您分配了任务"  # Li's DM when a task is given to her (she reads Chinese)
LI_NINE = datetime.fromisoformat("2026-11-25T09:00:00+08:00")
MONDAY_NINE = datetime.fromisoformat("2026-11-23T09:00:00+08:00")


def _keys(fake: FakeSlack) -> collections.Counter[str]:
    found: collections.Counter[str] = collections.Counter()
    for call in fake.calls_to("chat.postMessage"):
        if call.ok:
            found[call.args["metadata"]["event_payload"]["idempotency_key"]] += 1
    return found


@pytest.mark.parametrize("fault", list(FAULTS))
def test_commands_answer_while_slack_fails_and_their_posts_arrive_once_after(
    fault: str,
    slack: SlackDriver,
    local_app: LocalApp,
    fake: FakeSlack,
    clock: FixedClock,
    team: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    kwargs = FAULTS[fault]
    fake.fail_next("chat.postMessage", times=6, **kwargs)  # type: ignore[arg-type]
    fake.fail_next("views.publish", times=1, **kwargs)  # type: ignore[arg-type]
    for i in range(3):
        reply = slack.command(f"/task add Banner {i} <@U_LI> due:fri", user="U_DEMO")
        assert reply.status == 200 and reply.seconds < 3.0, reply
        assert "Added task" in reply.text, reply.text
    home = slack.event({"type": "app_home_opened", "user": "U_DEMO", "tab": "home"})
    assert home.status == 200 and home.seconds < 3.0
    assert [m for m in fake.messages("U_LI") if ASSIGNED in m["text"]] == []  # Slack is failing

    for _ in range(4):  # each later try, after its wait (backoff, Retry-After, or a working token)
        clock.advance(timedelta(minutes=2))
        local_app.settle()
    dms = [m for m in fake.messages("U_LI") if ASSIGNED in m["text"]]
    assert len(dms) == 3, [m["text"] for m in dms]
    assert all(n == 1 for n in _keys(fake).values()), _keys(fake)
    # App Home works again once Slack does.
    assert slack.event({"type": "app_home_opened", "user": "U_DEMO", "tab": "home"}).status == 200
    assert "U_DEMO" in fake.home_views
    crashes = [r for r in caplog.records if r.levelno >= logging.ERROR and "Traceback" in r.getMessage()]
    assert crashes == []
    print(f"\n{fault}: 3 commands answered in < 3 s during 6 failed posts; 3 DMs arrived once after")


@pytest.mark.parametrize("fault", list(FAULTS))
def test_a_scheduled_reminder_waits_out_the_fault_and_arrives_once(
    fault: str, slack: SlackDriver, fake: FakeSlack, db: Engine, settings: Settings, team: str
) -> None:
    assert slack.command("/task add Banner <@U_LI> due:2026-11-25", user="U_DEMO").status == 200
    before = collections.Counter(_keys(fake))
    rt = build_runtime(settings, engine=db, clock=FixedClock(LI_NINE))
    report = SchedulingEngine(db, rt.jobs, worker="w").run_due(LI_NINE)
    assert report.fired >= 1 and report.errors == []
    fake.fail_next("chat.postMessage", times=3, **FAULTS[fault])  # type: ignore[arg-type]
    clock = FixedClock(LI_NINE)
    worker = DeliveryWorker(
        db,
        clock,
        lambda team: WebClient(token=BOT_TOKEN, base_url=fake.api_url),
        worker="w",
        settings=WorkerSettings(channel_interval=0.0, poll_interval=0.02, max_attempts=5),
    )
    try:
        first = worker.drain(timeout=5, due_only=True)
        assert first.sent == 0 and first.failed == 0 and first.pending >= 1, first  # waiting in the outbox
        for _ in range(4):  # each later try, after its wait
            clock.advance(timedelta(minutes=2))
            worker.drain(timeout=5, due_only=True)
        done = worker.drain(timeout=10)
    finally:
        worker.close()
    assert (done.failed, done.pending) == (0, 0), done
    new = _keys(fake) - before
    reminders = [key for key in new if key.startswith("tasks.reminder")]
    assert len(reminders) == 1 and new[reminders[0]] == 1, new
    print(f"\n{fault}: the reminder waited out 3 failed tries and arrived once")


def test_slack_timing_out_slows_nothing_and_a_timed_out_post_is_not_posted_twice(
    slack: SlackDriver, fake: FakeSlack, db: Engine, settings: Settings, team: str
) -> None:
    """Slack answering only after the client gave up (the post made all the same, as happens): a
    command is still answered at once, and the scheduled reminder whose post timed out is looked up
    before the next try and found, not posted again."""
    fake.delay_replies("views.publish", 2.0)
    reply = slack.command("/task add Banner <@U_LI> due:2026-11-24", user="U_DEMO")
    home = slack.event({"type": "app_home_opened", "user": "U_DEMO", "tab": "home"})
    assert reply.status == home.status == 200 and max(reply.seconds, home.seconds) < 1.0, (reply, home)
    fake.delay_replies("views.publish", 0)
    before = collections.Counter(_keys(fake))
    # Monday 09:00 for Li: now for the test clock, and before the fake's wall-clock timestamps, so that
    # the lookup's window (from 5 minutes before the message was queued) holds the timed-out post.
    rt = build_runtime(settings, engine=db, clock=FixedClock(MONDAY_NINE))
    assert SchedulingEngine(db, rt.jobs, worker="w").run_due(MONDAY_NINE).fired >= 1
    clock = FixedClock(MONDAY_NINE)
    worker = DeliveryWorker(
        db,
        clock,
        lambda team: WebClient(token=BOT_TOKEN, base_url=fake.api_url, timeout=0.5),
        worker="w",
        settings=WorkerSettings(channel_interval=0.0, poll_interval=0.02, max_attempts=5),
    )
    try:
        fake.delay_replies("chat.postMessage", 1.5)  # longer than the client waits
        first = worker.drain(timeout=5, due_only=True)
        assert first.sent == 0 and first.pending >= 1, first  # timed out: not known to be posted
        fake.delay_replies("chat.postMessage", 0)
        clock.advance(timedelta(minutes=2))
        done = worker.drain(timeout=10)
    finally:
        fake.delay_replies("chat.postMessage", 0)
        worker.close()
    assert (done.failed, done.pending) == (0, 0), done
    new = _keys(fake) - before
    reminders = [key for key in new if key.startswith("tasks.reminder")]
    assert len(reminders) == 1 and new[reminders[0]] == 1, new  # the timed-out post, found; no second
    assert len(fake.calls_to("conversations.history")) >= 1  # it looked before trying again
    print("\ntimeout: a command answered in < 1 s while Slack took 2 s; the timed-out reminder arrived once")
