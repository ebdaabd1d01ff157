"""The scheduler's ticks cost the same few statements whether 3 or 30 workspaces have nothing left to
do: a pass outside every window, and a pass in a window after its work is done (the rest of the six
hours a prompt, a reminder or a report may still go out), never read each workspace again. At 1,000
workspaces every statement per workspace is 1,000 statements in each 60 s pass (bench/ticks.py)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session

from ecombot import migrations
from ecombot.actor import Actor
from ecombot.app import build_runtime
from ecombot.budgets import service as budgets
from ecombot.budgets.periods import month_of
from ecombot.clock import FixedClock
from ecombot.config import Settings, WorkspaceDefaults
from ecombot.retros import schedules as retros
from ecombot.risks import service as risks
from ecombot.scheduling.engine import RunReport, SchedulingEngine
from ecombot.scorecards import service as scorecards
from ecombot.standups import service as standups
from ecombot.tasks import service as tasks
from ecombot.workspaces import service as workspaces

SMALL, LARGE = 3, 30
MONDAY = date(2026, 11, 23)
ZONES = ("Asia/Shanghai", "Asia/Shanghai", "Europe/Berlin", "America/New_York")
SHANGHAI_NINE = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)


def shanghai(hh: int, mm: int = 0) -> datetime:
    return SHANGHAI_NINE + timedelta(hours=hh - 9, minutes=mm)


# (instant, what runs there first and is not counted: None when it is only measured)
PASSES: tuple[tuple[str, datetime, bool], ...] = (
    ("08:00 idle", shanghai(8), True),
    ("09:00 reminders", shanghai(9), False),
    ("09:05 reminded", shanghai(9, 5), True),
    ("09:30 prompts", shanghai(9, 30), False),
    ("09:35 prompted", shanghai(9, 35), True),
    ("10:00 reviews, pacing", shanghai(10), False),
    ("10:05 reviewed, paced", shanghai(10, 5), True),
    ("10:30 standup reminders", shanghai(10, 30), False),
    ("10:35 reminded", shanghai(10, 35), True),
    ("11:00 reports", shanghai(11), False),
    ("11:05 reported", shanghai(11, 5), True),
    ("12:00 retros open", shanghai(12), False),
    ("12:05 opened", shanghai(12, 5), True),
)
TICKS = (
    "tasks.reminders",
    "tasks.rollover",
    "standups.prompts",
    "standups.reminders",
    "standups.reports",
    "budgets.pacing",
    "retros.open",
    "risks.reviews",
    "scorecards.monthly",
)


def _seed(db: Engine, count: int) -> None:
    """Workspaces with four members in three zones, tasks due, a standup, a budget line, a weekly retro
    (Mondays 12:00), a risk reviewed weekly and the monthly scorecard DM, made through the services."""
    now = SHANGHAI_NINE - timedelta(days=3)
    with Session(db) as s:
        for w in range(count):
            team = f"T{w:03d}"
            workspaces.ensure_workspace(s, team_id=team, defaults=WorkspaceDefaults(), now=now)
            users = [f"U{team}{u}" for u in range(len(ZONES))]
            for user, tz in zip(users, ZONES, strict=True):
                profile = workspaces.UserProfile(user, name=user, tz=tz, is_admin=user == users[0])
                workspaces.save_member(s, team_id=team, profile=profile, now=now)
            lead = Actor(team_id=team, user_id=users[0], now=now, tz=ZONES[0], is_manager=True)
            for user in users:
                tasks.add_task(s, lead, tasks.TaskDraft("Today", user, due_date=MONDAY))
                tasks.add_task(s, lead, tasks.TaskDraft("Late", user, due_date=MONDAY - timedelta(days=2)))
            tasks.add_task(s, lead, tasks.TaskDraft("Daily", users[1], due_date=MONDAY, recurrence="day"))
            standups.configure(s, lead, "C_STANDUP", standups.StandupConfig(participants=tuple(users)))
            line = budgets.LineDraft("marketing", Decimal(1000), month_of(MONDAY), "CNY", channel_id="C_B")
            budgets.set_line(s, lead, line)
            draft = retros.ScheduleDraft(weekday=0, at=time(12, 0), close_weekday=1, close_at=time(10, 0))
            retros.set_schedule(s, lead, "C_RETRO", draft)
            risks.add_risk(s, lead, risks.RiskDraft("Payment outage", owner_id=users[1], review="weekly"))
            scorecards.set_monthly(s, lead, True)
        s.commit()


class _Counted(SchedulingEngine):
    """The real engine, counting each tick's statements."""

    def __init__(self, db: Engine, registry: Any) -> None:
        super().__init__(db, registry, worker="test")
        self.statements = 0
        self.per_tick: dict[str, int] = {}
        sa.event.listen(db, "before_cursor_execute", self._seen)

    def _seen(self, *args: Any) -> None:
        self.statements += 1

    def run_tick(self, name: str, now: datetime) -> RunReport:
        before = self.statements
        report = super().run_tick(name, now)
        self.per_tick[name] = self.statements - before
        return report

    def close(self) -> None:
        sa.event.remove(self.engine, "before_cursor_execute", self._seen)


def _measure(db: Engine, count: int) -> dict[tuple[str, str], int]:
    _seed(db, count)
    rt = build_runtime(Settings(), engine=db, clock=FixedClock(SHANGHAI_NINE))
    engine = _Counted(db, rt.jobs)
    counts: dict[tuple[str, str], int] = {}
    try:
        for label, at, measured in PASSES:
            report = engine.run_due(at)
            assert report.errors == [], report.errors
            if measured:
                counts.update(((label, tick), engine.per_tick[tick]) for tick in TICKS)
            else:
                assert report.fired > 0, f"{label}: nothing fired"
    finally:
        engine.close()
    return counts


def _empty(db: Engine) -> None:
    with db.begin() as conn:
        for table in reversed(migrations.target_metadata().sorted_tables):
            conn.execute(table.delete())


@pytest.fixture
def measured(db: Engine) -> Iterator[tuple[dict[tuple[str, str], int], dict[tuple[str, str], int]]]:
    small = _measure(db, SMALL)
    _empty(db)
    yield small, _measure(db, LARGE)


def test_a_pass_with_nothing_left_to_do_costs_the_same_statements_for_3_and_30_workspaces(
    measured: tuple[dict[tuple[str, str], int], dict[tuple[str, str], int]],
) -> None:
    small, large = measured
    grown = {key: (small[key], large[key]) for key in small if large[key] != small[key]}
    assert grown == {}, f"statements (3 workspaces, 30 workspaces) that grew: {grown}"
    assert max(small.values()) <= 6, small
