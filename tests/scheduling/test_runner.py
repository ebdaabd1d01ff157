"""The live runner: APScheduler jobs follow the schedule rows; a start catches up missed slots."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from slack_sdk import WebClient
from sqlalchemy.engine import Engine

from ecombot.app import build_runtime
from ecombot.clock import FixedClock
from ecombot.config import Settings
from ecombot.db import session_scope
from ecombot.devtools.fakeslack import FakeSlack
from ecombot.scheduling import service
from ecombot.scheduling.rules import CronRule
from ecombot.scheduling.runner import RuleTrigger, SchedulerRunner
from tests.support import BOT_TOKEN


@pytest.fixture
def runner(
    settings: Settings, db: Engine, fake: FakeSlack, clock: FixedClock, workspace: str
) -> Iterator[SchedulerRunner]:
    """A runner on the fixed clock, posting to the fake Slack."""
    rt = build_runtime(settings, engine=db, clock=clock)
    client = WebClient(token=BOT_TOKEN, base_url=fake.api_url)
    r = SchedulerRunner(rt, lambda team: client, worker="runner-test")
    yield r
    r.stop()


def _create(db: Engine, clock: FixedClock, rule: str, tz: str = "Asia/Shanghai") -> int:
    with session_scope(db) as s:
        schedule = service.create_schedule(
            s,
            team_id="T_DEMO",
            kind="scheduling.message",
            rule=rule,
            timezone=tz,
            now=clock.now(),
            target="C_DEMO",
            params={"text": "hello"},
        )
        assert schedule.id is not None
        return schedule.id


def test_jobs_follow_the_rows(runner: SchedulerRunner, db: Engine, clock: FixedClock) -> None:
    first = _create(db, clock, "0 9 * * mon-fri")
    second = _create(db, clock, "0 18 * * fri", "Europe/Berlin")
    runner.start()
    jobs = {job.id: job for job in runner.scheduler.get_jobs()}
    assert {"scheduling.tick", f"schedule:{first}", f"schedule:{second}"} <= set(jobs)
    assert str(jobs[f"schedule:{first}"].trigger) == "rule[0 9 * * mon-fri Asia/Shanghai]"

    clock.advance(timedelta(minutes=1))
    with session_scope(db) as s:
        service.update_schedule(s, first, team_id="T_DEMO", now=clock.now(), rule="30 10 * * *")
        service.update_schedule(s, second, team_id="T_DEMO", now=clock.now(), enabled=False)
    runner.sync()
    jobs = {job.id: job for job in runner.scheduler.get_jobs()}
    assert str(jobs[f"schedule:{first}"].trigger) == "rule[30 10 * * * Asia/Shanghai]"
    assert f"schedule:{second}" not in jobs


def test_start_runs_a_missed_slot_and_delivers_it(
    runner: SchedulerRunner, db: Engine, fake: FakeSlack, clock: FixedClock
) -> None:
    _create(db, clock, "0 9 * * *")  # next: Tuesday 09:00 Shanghai
    clock.set(datetime(2026, 11, 24, 3, 0, tzinfo=UTC))  # Tuesday 11:00: the bot was down at 09:00
    report = runner.start()
    assert (report.fired, report.skipped) == (1, 0)
    assert fake.wait_for(lambda: len(fake.messages("C_DEMO")) == 1, timeout=10)


def test_rule_trigger_gives_apscheduler_the_dst_safe_instants() -> None:
    trigger = RuleTrigger(CronRule.parse("30 1 * * *"), "America/New_York")
    now = datetime(2026, 10, 31, 12, 0, tzinfo=UTC)
    first = trigger.get_next_fire_time(None, now)
    second = trigger.get_next_fire_time(first, now)
    third = trigger.get_next_fire_time(second, now)
    assert [t.isoformat() for t in (first, second, third) if t] == [
        "2026-11-01T05:30:00+00:00",
        "2026-11-02T06:30:00+00:00",
        "2026-11-03T06:30:00+00:00",
    ]
