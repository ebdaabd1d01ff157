"""Scheduled work at company scale: N workspaces x M members, every tick and schedule kind the domains
register, through the real scheduling engine (claims in job_runs and outbox rows; no Slack delivery).

Each workspace (Shanghai's zone, the app's default for these teams; its members split between
Shanghai, Berlin and New York) has tasks due and overdue and a few recurring ones, a daily standup
with every member, daily, weekly and monthly KPI digests over two months of orders, budget lines with
spend past their first threshold, campaigns (one ends the day before), a weekly retro, risks under
review and monthly scorecards. The script runs the scheduler's pass (`SchedulingEngine.run_due`,
what the live scheduler runs every `scheduler.tick_seconds`, 60 s by default) at the busy instants of
a Friday afternoon, a whole Monday and the 1st of the month, and prints, for each pass: what was due
(claims and outbox rows by kind), its seconds, its cost per workspace, and whether it finished within
its 60 s slot; then each tick's own seconds and statements.

    .venv/bin/python bench/ticks.py [--workspaces 1000] [--members 50]
    .venv/bin/python bench/ticks.py --database postgresql+psycopg://postgres@127.0.0.1:5432/test
    .venv/bin/python bench/ticks.py --smoke          # 5 x 5, a few instants (CI)
"""

from __future__ import annotations

import argparse
import collections
import json
import logging
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from _db import bench_database
from sqlmodel import Session, SQLModel

from ecombot.app import build_runtime
from ecombot.budgets.models import BudgetAlert, BudgetCategory, BudgetLine, BudgetSpend
from ecombot.budgets.service import DEFAULT_CATEGORIES
from ecombot.campaigns import ledger
from ecombot.campaigns.models import Campaign, CampaignResult
from ecombot.clock import FixedClock
from ecombot.config import Settings
from ecombot.kpis.models import DailyMetric, KpiCustomer, KpiTarget, Order
from ecombot.retros.models import Retro, RetroEntry, RetroSchedule
from ecombot.risks.models import Risk
from ecombot.scheduling.engine import RunReport, SchedulingEngine
from ecombot.scheduling.models import Delivery, JobRun, Schedule
from ecombot.scheduling.rules import CronRule
from ecombot.scorecards.models import ScorecardSettings
from ecombot.standups.calendar import default_calendar
from ecombot.standups.models import Standup, StandupAnswer, StandupMember
from ecombot.standups.service import DEFAULT_QUESTIONS
from ecombot.tasks.models import Task
from ecombot.workspaces.models import Member, Workspace

SHANGHAI = ZoneInfo("Asia/Shanghai")
ZONES = ("Asia/Shanghai", "Asia/Shanghai", "Asia/Shanghai", "Europe/Berlin", "America/New_York")
MONDAY = date(2026, 11, 30)  # the measured day; Friday the 27th before it, the 1st of December after
SEEDED_AT = datetime(2026, 11, 27, 15, 0, tzinfo=SHANGHAI)
ORDER_DAYS = 64  # from 2026-09-28: more than the 8 weeks the anomaly check looks back
ORDERS_A_DAY = 6
SLOT_SECONDS = 60  # scheduler.tick_seconds' default
CHUNK = 5000


def local(day: date, hh: int, mm: int) -> datetime:
    """An instant in Shanghai (every workspace's zone)."""
    return datetime(day.year, day.month, day.day, hh, mm, tzinfo=SHANGHAI)


def team_of(w: int) -> str:
    return f"T{w:05d}"


def user_of(m: int) -> str:
    return f"U{m:04d}"


# -- seeding ---------------------------------------------------------------------------------------


def _insert(conn: sa.Connection, model: type[SQLModel], rows: Iterable[dict[str, Any]]) -> int:
    """Rows in chunks, one executemany each."""
    statement = sa.insert(model.__table__)  # type: ignore[attr-defined]
    chunk: list[dict[str, Any]] = []
    count = 0
    for row in rows:
        chunk.append(row)
        if len(chunk) == CHUNK:
            conn.execute(statement, chunk)
            count, chunk = count + len(chunk), []
    if chunk:
        conn.execute(statement, chunk)
        count += len(chunk)
    return count


def _ids(conn: sa.Connection, model: type[SQLModel], *columns: str) -> dict[tuple[Any, ...], int]:
    table = model.__table__  # type: ignore[attr-defined]
    query = sa.select(table.c.id, *(table.c[c] for c in columns))
    return {tuple(row[1:]): row[0] for row in conn.execute(query)}


@dataclass
class World:
    """The seeded sizes."""

    workspaces: int
    members: int
    rows: int = 0
    seconds: float = 0.0


def _workspaces(n: int) -> Iterator[dict[str, Any]]:
    now = SEEDED_AT
    for w in range(n):
        yield dict(
            team_id=team_of(w),
            name=f"Shop {w}",
            timezone="Asia/Shanghai",
            currency="CNY",
            language="zh-CN" if w % 2 else "en",
            ops_leads=[],
            created_at=now,
            updated_at=now,
        )


def _members(n: int, m: int) -> Iterator[dict[str, Any]]:
    for w in range(n):
        for u in range(m):
            yield dict(
                team_id=team_of(w),
                user_id=user_of(u),
                name=f"member {u}",
                tz=ZONES[u % len(ZONES)],
                locale=("en-US", "zh-CN")[(w + u) % 2],
                is_admin=u == 0,
                is_owner=False,
                is_bot=False,
                deleted=False,
                refreshed_at=SEEDED_AT,
            )


# Each member's tasks, in days from Monday: overdue, due that day, the next day, next week, no date,
# and one done.
_DUES: tuple[tuple[int | None, bool], ...] = (
    (-3, False),
    (0, False),
    (1, False),
    (7, False),
    (None, False),
    (-2, True),
)
RECURRING = 5  # daily recurring tasks per workspace, due on the Friday


def _tasks(n: int, m: int) -> Iterator[dict[str, Any]]:
    for w in range(n):
        number = 0
        for u in range(m):
            for days, done in _DUES:
                number += 1
                yield dict(
                    team_id=team_of(w),
                    number=number,
                    title=f"Task {number}",
                    owner_id=user_of(u),
                    creator_id=user_of(0),
                    due_date=None if days is None else MONDAY + timedelta(days=days),
                    campaign="",
                    priority="normal",
                    recurrence="",
                    status="done" if done else "open",
                    done_at=SEEDED_AT if done else None,
                    done_by=user_of(u) if done else "",
                    source_url="",
                    created_at=SEEDED_AT - timedelta(days=10),
                    updated_at=SEEDED_AT - timedelta(days=10),
                )
        for r in range(RECURRING):
            number += 1
            yield dict(
                team_id=team_of(w),
                number=number,
                title=f"Daily check {r}",
                owner_id=user_of(r % m),
                creator_id=user_of(0),
                due_date=date(2026, 11, 27),
                campaign="",
                priority="high",
                recurrence="day",
                status="open",
                done_at=None,
                done_by="",
                source_url="",
                created_at=SEEDED_AT - timedelta(days=10),
                updated_at=SEEDED_AT - timedelta(days=10),
            )


def _standups(n: int) -> Iterator[dict[str, Any]]:
    for w in range(n):
        language = "zh-CN" if w % 2 else "en"
        yield dict(
            team_id=team_of(w),
            channel_id="C_STANDUP",
            questions=[{"text": t, "kind": k} for t, k in DEFAULT_QUESTIONS[language]],
            days=[0, 1, 2, 3, 4],
            prompt_time="09:30",
            summary_time="11:00",
            reminder_minutes=30,
            mode="thread",
            calendar=default_calendar("Asia/Shanghai"),
            paused=False,
            private=False,
            created_by=user_of(0),
            created_at=SEEDED_AT - timedelta(days=30),
            updated_at=SEEDED_AT - timedelta(days=30),
        )


def _schedules(n: int) -> Iterator[dict[str, Any]]:
    """The three KPI digests, at 09:00 (the weekly on Mondays, the monthly on the 1st), as if the
    scheduler had run through the weekend: each next firing is its first after Monday 00:00."""
    since = local(MONDAY, 0, 0)
    for w in range(n):
        for kind, rule in (("daily", "0 9 * * *"), ("weekly", "0 9 * * 1"), ("monthly", "0 9 1 * *")):
            yield dict(
                team_id=team_of(w),
                kind=f"kpis.{kind}_digest",
                target="C_KPI",
                rule=rule,
                timezone="Asia/Shanghai",
                enabled=True,
                params={},
                next_fire_at=CronRule.parse(rule).next_fire(since, "Asia/Shanghai"),
                created_by=user_of(0),
                created_at=SEEDED_AT - timedelta(days=30),
                updated_at=SEEDED_AT - timedelta(days=30),
            )


def _orders(n: int) -> Iterator[dict[str, Any]]:
    """Six orders a day from 2026-09-28 to the Monday (a spike on Sunday in one workspace in 25)."""
    first = MONDAY - timedelta(days=ORDER_DAYS - 1)
    for w in range(n):
        i = 0
        for d in range(ORDER_DAYS):
            day = first + timedelta(days=d)
            count = ORDERS_A_DAY * (5 if w % 25 == 0 and day == MONDAY - timedelta(days=1) else 1)
            for _ in range(count):
                i += 1
                total = Decimal(120 + (i * 37) % 400)
                status = "cancelled" if i % 20 == 7 else "refunded" if i % 20 == 13 else "paid"
                yield dict(
                    team_id=team_of(w),
                    order_id=f"O{i}",
                    customer_id=f"c{(i * 7919) % 150}",
                    created_at=datetime(day.year, day.month, day.day, 4, tzinfo=UTC),
                    day=day,
                    total=total,
                    refunded=total if status == "refunded" else Decimal(0),
                    status=status,
                    currency="CNY",
                    channel=("tmall", "douyin")[i % 2],
                )


def _customers(conn: sa.Connection) -> Iterator[dict[str, Any]]:
    o = Order.__table__  # type: ignore[attr-defined]
    query = (
        sa.select(o.c.team_id, o.c.customer_id, sa.func.min(o.c.day))
        .where(o.c.status != "cancelled", o.c.customer_id != "")
        .group_by(o.c.team_id, o.c.customer_id)
    )
    for team, customer, first in conn.execute(query).all():
        yield dict(team_id=team, customer_id=customer, first_day=first)


def _sessions(n: int) -> Iterator[dict[str, Any]]:
    """Sessions imported by every other workspace."""
    first = MONDAY - timedelta(days=ORDER_DAYS - 1)
    for w in range(0, n, 2):
        for d in range(ORDER_DAYS - 1):  # up to Sunday
            yield dict(
                team_id=team_of(w),
                metric="sessions",
                day=first + timedelta(days=d),
                value=Decimal(2000 + d % 7 * 150),
                origin="import",
                logged_by="",
                updated_at=SEEDED_AT,
            )


CAMPAIGNS = (("marketing", date(2026, 11, 29)), ("marketing", None), ("platform", None), ("technology", None))
DAILY_SPEND = Decimal(500)
HAND_SPEND = Decimal(40000)  # per category, besides campaigns: marketing ends up past 50 %
LINE = Decimal(100000)


def _campaigns(n: int, m: int) -> Iterator[dict[str, Any]]:
    for w in range(n):
        for j, (category, end) in enumerate(CAMPAIGNS):
            name = f"Campaign {j}"
            yield dict(
                team_id=team_of(w),
                name=name,
                name_key=name.casefold(),
                currency="CNY",
                budget=Decimal(50000),
                start=date(2026, 11, 1),
                end=end or date(2026, 12, 31),
                channel_id="C_CAMPAIGN" if j % 2 == 0 else "",
                private=False,
                owner_id=user_of(j % m),
                category=category,
                target_roas=Decimal(3),
                created_by=user_of(0),
                created_at=datetime(2026, 10, 20, tzinfo=UTC),
                updated_at=datetime(2026, 10, 20, tzinfo=UTC),
            )


def _results(ids: dict[tuple[Any, ...], int], n: int) -> Iterator[dict[str, Any]]:
    """Daily results from the 1st to Sunday the 29th."""
    for w in range(n):
        for j in range(len(CAMPAIGNS)):
            campaign = ids[(team_of(w), f"campaign {j}")]
            for d in range(29):
                day = date(2026, 11, 1) + timedelta(days=d)
                yield dict(
                    team_id=team_of(w),
                    campaign_id=campaign,
                    source="tmall",
                    day=day,
                    last_day=day,
                    spend=DAILY_SPEND,
                    revenue=DAILY_SPEND * Decimal("3.1"),
                    orders=Decimal(4),
                    clicks=300,
                    impressions=9000,
                    origin="import",
                    logged_by="",
                    updated_at=datetime(day.year, day.month, day.day, 2, tzinfo=UTC),
                )


def _categories(n: int) -> Iterator[dict[str, Any]]:
    for w in range(n):
        for position, (key, _, _, reserve) in enumerate(DEFAULT_CATEGORIES):
            yield dict(team_id=team_of(w), key=key, name="", reserve=reserve, position=position)


def _lines(n: int) -> Iterator[dict[str, Any]]:
    for w in range(n):
        for key, _, _, _ in DEFAULT_CATEGORIES:
            yield dict(
                team_id=team_of(w),
                category=key,
                start=date(2026, 11, 1),
                end=date(2026, 11, 30),
                amount=LINE,
                currency="CNY",
                owner_id=user_of(0),
                channel_id="C_BUDGET",
                set_in="C_BUDGET",
                curve_campaign="",
                curve=[],
                created_by=user_of(0),
                created_at=datetime(2026, 10, 25, tzinfo=UTC),
                updated_at=datetime(2026, 10, 25, tzinfo=UTC),
            )


def _hand_spend(
    n: int, amount: Decimal, day: date, at: datetime, categories: Iterable[str]
) -> Iterator[dict[str, Any]]:
    for w in range(n):
        for category in categories:
            yield dict(
                team_id=team_of(w),
                category=category,
                day=day,
                amount=amount,
                note="KOL fees",
                user_id=user_of(1),
                created_at=at,
            )


def _fired_alerts(conn: sa.Connection) -> Iterator[dict[str, Any]]:
    """The 50 % alert of the marketing and platform lines fired before the measured days (they are
    past 50 %)."""
    table = BudgetLine.__table__  # type: ignore[attr-defined]
    query = sa.select(table.c.id, table.c.team_id).where(table.c.category.in_(["marketing", "platform"]))
    for line_id, team in conn.execute(query):
        yield dict(
            team_id=team,
            line_id=line_id,
            threshold=50,
            fired=True,
            generation=1,
            spent_then=Decimal(52000),
            fired_at=datetime(2026, 11, 20, 2, tzinfo=UTC),
        )


def _retro_schedules(n: int) -> Iterator[dict[str, Any]]:
    """The default weekly retro: opens Friday 16:00, closes Monday 10:00."""
    for w in range(n):
        yield dict(
            team_id=team_of(w),
            channel_id="C_RETRO",
            weekday=4,
            time="16:00",
            close_weekday=0,
            close_time="10:00",
            anonymous=False,
            votes=3,
            private=False,
            created_by=user_of(0),
            created_at=SEEDED_AT - timedelta(days=30),
            updated_at=SEEDED_AT - timedelta(days=30),
        )


def _risks(n: int, m: int) -> Iterator[dict[str, Any]]:
    """Five open risks: three reviewed weekly, two monthly; the last one's review went unanswered."""
    asked = local(date(2026, 11, 23), 10, 0)
    for w in range(n):
        for r in range(5):
            unanswered = r == 4
            yield dict(
                team_id=team_of(w),
                number=r + 1,
                title=f"Risk {r + 1}",
                category=("payment", "platform", "supply", "ip", "data")[r],
                likelihood=1 + r % 5,
                impact=5 - r % 3,
                owner_id=user_of(r % m),
                review="weekly" if r < 3 else "monthly",
                plan="",
                status="open",
                created_by=user_of(0),
                review_asked_at=asked if unanswered else None,
                review_due_at=asked + timedelta(days=3) if unanswered else None,
                created_at=datetime(2026, 10, 1, tzinfo=UTC),
                updated_at=datetime(2026, 10, 1, tzinfo=UTC),
            )


def seed(engine: sa.Engine, n: int, m: int, say: Callable[[str], None]) -> World:
    """Every workspace's configuration and data, in bulk."""
    started = time.perf_counter()
    world = World(n, m)
    with engine.begin() as conn:
        world.rows += _insert(conn, Workspace, _workspaces(n))
        world.rows += _insert(conn, Member, _members(n, m))
        world.rows += _insert(conn, Task, _tasks(n, m))
        world.rows += _insert(conn, Standup, _standups(n))
        standups = _ids(conn, Standup, "team_id")
        world.rows += _insert(
            conn,
            StandupMember,
            (
                dict(
                    standup_id=standups[(team_of(w),)],
                    user_id=user_of(u),
                    joined_at=SEEDED_AT - timedelta(days=30) + timedelta(microseconds=u),
                )
                for w in range(n)
                for u in range(m)
            ),
        )
        world.rows += _insert(conn, Schedule, _schedules(n))
        world.rows += _insert(conn, Order, _orders(n))
        world.rows += _insert(conn, KpiCustomer, _customers(conn))
        world.rows += _insert(conn, DailyMetric, _sessions(n))
        world.rows += _insert(
            conn,
            KpiTarget,
            (
                dict(
                    team_id=team_of(w),
                    metric="gmv",
                    period="month",
                    value=Decimal(500000),
                    growth=False,
                    basis="",
                    set_by=user_of(0),
                    updated_at=SEEDED_AT,
                )
                for w in range(n)
            ),
        )
        world.rows += _insert(conn, Campaign, _campaigns(n, m))
        world.rows += _insert(conn, CampaignResult, _results(_ids(conn, Campaign, "team_id", "name_key"), n))
        world.rows += _insert(conn, BudgetCategory, _categories(n))
        world.rows += _insert(conn, BudgetLine, _lines(n))
        world.rows += _insert(
            conn,
            BudgetSpend,
            _hand_spend(
                n, HAND_SPEND, date(2026, 11, 3), datetime(2026, 11, 3, tzinfo=UTC), ("marketing", "platform")
            ),
        )
        world.rows += _insert(conn, BudgetAlert, _fired_alerts(conn))
        world.rows += _insert(conn, RetroSchedule, _retro_schedules(n))
        world.rows += _insert(conn, Risk, _risks(n, m))
        world.rows += _insert(
            conn,
            ScorecardSettings,
            (
                dict(team_id=team_of(w), monthly=True, updated_by=user_of(0), updated_at=SEEDED_AT)
                for w in range(n)
            ),
        )
    with Session(engine) as s:  # each campaign's running totals, as the ledger keeps them
        ledger.recount(s, None)
        s.commit()
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:  # the statistics autovacuum would have gathered by now
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(sa.text("ANALYZE"))
    world.seconds = time.perf_counter() - started
    say(f"seeded {world.rows:,} rows in {world.seconds:.1f} s")
    return world


# -- what happens between passes (people answering, spending) --------------------------------------


def add_retro_entries(engine: sa.Engine, n: int, m: int) -> None:
    """Over the weekend each open retro gets two went-wells, two to-improves and two action items."""
    retros = Retro.__table__  # type: ignore[attr-defined]
    with engine.begin() as conn:
        opened = conn.execute(
            sa.select(retros.c.id, retros.c.team_id).where(retros.c.closed_at.is_(None))
        ).all()
        rows = []
        for retro_id, team in opened:
            for k, kind in enumerate(("well", "well", "improve", "improve", "action", "action")):
                owner = user_of((k * 7) % m) if kind == "action" else ""
                rows.append(
                    dict(
                        retro_id=retro_id,
                        team_id=team,
                        kind=kind,
                        text=f"{kind} {k}",
                        author_id=user_of(k % m),
                        owner_id=owner,
                        due_date=date(2026, 12, 4) if kind == "action" else None,
                        check_metric="",
                        check_op="",
                        nonce=f"n{retro_id}-{k}",
                        created_at=local(date(2026, 11, 28), 12, 0),
                    )
                )
        _insert(conn, RetroEntry, rows)


def answer_half(engine: sa.Engine, n: int, m: int) -> None:
    """Half of those asked at 09:30 answer before the reminder (one in four with a blocker)."""
    answers = StandupAnswer.__table__  # type: ignore[attr-defined]
    at = local(MONDAY, 10, 0)
    with engine.begin() as conn:
        for blocked in (False, True):
            conn.execute(
                answers.update()
                .where(
                    answers.c.day == MONDAY,
                    answers.c.prompted_at.is_not(None),
                    answers.c.id % 2 == 0,
                    (answers.c.id % 4 == 0) == blocked,
                )
                .values(
                    state="done",
                    via="form",
                    answers=["The banner", "The landing page", "Waiting for design" if blocked else "none"],
                    answered_at=at,
                    updated_at=at,
                )
            )


def spend_more(engine: sa.Engine, n: int, m: int) -> None:
    """Monday lunchtime: a KOL invoice takes every marketing line past 80 %."""
    with engine.begin() as conn:
        _insert(
            conn, BudgetSpend, _hand_spend(n, Decimal(15000), MONDAY, local(MONDAY, 13, 0), ("marketing",))
        )


# -- the passes ------------------------------------------------------------------------------------


class StatementCounter:
    """Statements sent to the database (all connections of the engine)."""

    def __init__(self, engine: sa.Engine) -> None:
        self.count = 0
        sa.event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, *args: Any) -> None:
        self.count += 1


class TimedEngine(SchedulingEngine):
    """The real engine; each tick timed and its statements counted as `run_due` runs it."""

    def __init__(self, engine: sa.Engine, registry: Any, counter: StatementCounter) -> None:
        super().__init__(engine, registry, worker="bench")
        self.counter = counter
        self.ticks: dict[str, tuple[float, int]] = {}

    def run_tick(self, name: str, now: datetime) -> RunReport:
        before, started = self.counter.count, time.perf_counter()
        report = super().run_tick(name, now)
        self.ticks[name] = (time.perf_counter() - started, self.counter.count - before)
        return report


@dataclass
class Pass:
    """One scheduler pass at one instant."""

    label: str
    at: datetime
    seconds: float = 0.0
    statements: int = 0
    report: RunReport = field(default_factory=RunReport)
    ticks: dict[str, tuple[float, int]] = field(default_factory=dict)
    claims: collections.Counter[str] = field(default_factory=collections.Counter)
    outbox: collections.Counter[str] = field(default_factory=collections.Counter)
    charts: int = 0


def _kind(key: str) -> str:
    return key.split(":", 1)[0]


def _what_was_due(engine: sa.Engine, p: Pass) -> None:
    runs, deliveries = JobRun.__table__, Delivery.__table__  # type: ignore[attr-defined]
    at = p.at.astimezone(UTC)
    with engine.connect() as conn:
        for (key,) in conn.execute(sa.select(runs.c.job_key).where(runs.c.claimed_at == at)):
            p.claims[_kind(key)] += 1
        query = sa.select(deliveries.c.idempotency_key).where(deliveries.c.created_at == at)
        for (key,) in conn.execute(query):
            p.outbox[_kind(key)] += 1
            p.charts += key.endswith(":chart")


def run_pass(
    engine: sa.Engine, scheduler: TimedEngine, counter: StatementCounter, label: str, at: datetime
) -> Pass:
    """The live scheduler's pass at `at`, timed, and what it claimed and queued."""
    p = Pass(label, at)
    scheduler.ticks = {}
    before, started = counter.count, time.perf_counter()
    p.report = scheduler.run_due(at)
    p.seconds = time.perf_counter() - started
    p.statements = counter.count - before
    ticked = sum(s for s, _ in scheduler.ticks.values())
    ticked_statements = sum(c for _, c in scheduler.ticks.values())
    p.ticks = {"(schedules)": (p.seconds - ticked, p.statements - ticked_statements), **scheduler.ticks}
    _what_was_due(engine, p)
    return p


Hook = Callable[[sa.Engine, int, int], None]


def plan(smoke: bool) -> list[tuple[str, datetime, Hook | None, str]]:
    """(label, instant, what happens just before, what is due) for each pass, in order."""
    fri, mon, tue = date(2026, 11, 27), MONDAY, date(2026, 12, 1)
    full: list[tuple[str, datetime, Hook | None, str]] = [
        ("Fri 16:00", local(fri, 16, 0), None, "retros open; Berlin's 09:00 reminders; unreviewed risks"),
        ("Mon 00:05", local(mon, 0, 5), add_retro_entries, "campaign evaluations; recurring tasks roll over"),
        ("Mon 08:00", local(mon, 8, 0), None, "nothing (idle)"),
        ("Mon 09:00", local(mon, 9, 0), None, "Shanghai's reminders; daily + weekly digests"),
        ("Mon 09:01", local(mon, 9, 1), None, "nothing new (reminder window still open)"),
        ("Mon 09:30", local(mon, 9, 30), None, "Shanghai's standup prompts"),
        ("Mon 10:00", local(mon, 10, 0), None, "retros close; risk reviews; pacing; anomalies"),
        ("Mon 10:30", local(mon, 10, 30), answer_half, "standup reminders"),
        ("Mon 11:00", local(mon, 11, 0), None, "standup reports"),
        ("Mon 14:00", local(mon, 14, 0), spend_more, "budget thresholds (80 %)"),
        ("Mon 16:00", local(mon, 16, 0), None, "Berlin's reminders"),
        ("Mon 16:30", local(mon, 16, 30), None, "Berlin's standup prompts"),
        ("Mon 17:00", local(mon, 17, 0), None, "Berlin's risk reviews"),
        ("Mon 22:00", local(mon, 22, 0), None, "New York's reminders"),
        ("Mon 22:30", local(mon, 22, 30), None, "New York's standup prompts"),
        ("Tue 09:00", local(tue, 9, 0), None, "reminders; daily + monthly digests"),
        ("Tue 10:00", local(tue, 10, 0), None, "monthly scorecards; pacing; anomalies"),
    ]
    if smoke:
        keep = {"Mon 00:05", "Mon 09:00", "Mon 09:30", "Mon 10:30", "Mon 11:00"}
        return [step for step in full if step[0] in keep]
    return full


def _top(counts: collections.Counter[str], width: int) -> str:
    text = ", ".join(f"{k} {v:,}" for k, v in counts.most_common())
    return text if len(text) <= width else text[: width - 1] + "…"


def report(passes: list[Pass], world: World, kind: str) -> None:
    n = world.workspaces
    print()
    print(f"passes ({n:,} workspaces x {world.members} members on {kind}; slot {SLOT_SECONDS} s)")
    print(
        f"{'instant (Shanghai)':<19} {'seconds':>8} {'in slot':>7} {'ms/ws':>7} {'stmts':>8} "
        f"{'claims':>7} {'outbox':>7} {'charts':>6}  due"
    )
    for p in passes:
        inside = "yes" if p.seconds <= SLOT_SECONDS else "NO"
        print(
            f"{p.label:<19} {p.seconds:>8.2f} {inside:>7} {1000 * p.seconds / n:>7.2f} {p.statements:>8,} "
            f"{sum(p.claims.values()):>7,} {sum(p.outbox.values()):>7,} {p.charts:>6}  {_top(p.outbox or p.claims, 90)}"
        )
    names = list(dict.fromkeys(name for p in passes for name in p.ticks))
    for title, index, fmt in (("seconds", 0, "{:>9.2f}"), ("statements", 1, "{:>9,}")):
        print()
        print(f"each tick's {title} per pass")
        print(f"{'tick':<24}" + "".join(f"{p.label:>10}" for p in passes))
        for name in names:
            cells = "".join(
                " " + fmt.format(p.ticks[name][index]) if name in p.ticks else f"{'-':>10}" for p in passes
            )
            print(f"{name:<24}{cells}")
    print()
    print("claims (job_runs) and outbox rows by kind, per pass")
    for p in passes:
        claims = ", ".join(f"{k} {v:,}" for k, v in sorted(p.claims.items())) or "none"
        outbox = ", ".join(f"{k} {v:,}" for k, v in sorted(p.outbox.items())) or "none"
        print(f"{p.label}: claims: {claims}; outbox: {outbox}")


def _write_json(path: str, passes: list[Pass], world: World, kind: str, errors: list[str]) -> None:
    data = {
        "database": kind,
        "workspaces": world.workspaces,
        "members": world.members,
        "slot_seconds": SLOT_SECONDS,
        "errors": errors,
        "passes": [
            {
                "instant": p.label,
                "at": p.at.isoformat(),
                "seconds": round(p.seconds, 4),
                "statements": p.statements,
                "claims": dict(p.claims),
                "outbox": dict(p.outbox),
                "charts": p.charts,
                "ticks": {
                    name: {"seconds": round(t, 4), "statements": c} for name, (t, c) in p.ticks.items()
                },
            }
            for p in passes
        ],
    }
    Path(path).write_text(json.dumps(data, indent=2))


def main() -> int:
    parser = argparse.ArgumentParser(
        description=(__doc__ or "").splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--workspaces", type=int, default=1000)
    parser.add_argument("--members", type=int, default=50)
    parser.add_argument("--database", help="a database URL (default: a new SQLite file)")
    parser.add_argument("--smoke", action="store_true", help="5 workspaces x 5 members, a few instants")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    if args.smoke:
        args.workspaces, args.members = 5, 5
    if args.members < 5:
        parser.error("--members: at least 5 (risks and recurring tasks name members 0-4)")
    logging.basicConfig(level=logging.ERROR, format="%(levelname)s %(name)s: %(message)s")
    with bench_database(args.database, "ticks") as (engine, url, kind):
        world = seed(engine, args.workspaces, args.members, print)
        rt = build_runtime(Settings().with_database(url), engine=engine, clock=FixedClock(SEEDED_AT))
        counter = StatementCounter(engine)
        scheduler = TimedEngine(engine, rt.jobs, counter)
        print(f"ticks: {', '.join(rt.jobs.ticks)}; schedule kinds: {', '.join(rt.jobs.kinds)}")
        passes, errors = [], []
        for label, at, before, due in plan(args.smoke):
            if before is not None:
                before(engine, args.workspaces, args.members)
            p = run_pass(engine, scheduler, counter, label, at)
            passes.append(p)
            errors += p.report.errors
            print(
                f"  {label} ({due}): {p.seconds:.2f} s, {sum(p.claims.values()):,} claims, "
                f"{sum(p.outbox.values()):,} outbox rows",
                flush=True,
            )
        report(passes, world, kind)
        for error in errors:
            print(f"error: {error}", file=sys.stderr)
        if args.json:
            _write_json(args.json, passes, world, kind, errors)
        late = [p.label for p in passes if p.seconds > SLOT_SECONDS]
        print()
        print(
            f"{len(passes)} passes, {len(errors)} errors; "
            + (
                f"over the {SLOT_SECONDS} s slot: {', '.join(late)}"
                if late
                else f"all within the {SLOT_SECONDS} s slot"
            )
        )
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
