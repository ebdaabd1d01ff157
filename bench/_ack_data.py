"""The database bench/ack.py measures against: 50 workspaces sharing N tasks, N campaign result rows
and N orders (bulk SQL in chunks), and, for the measured workspace T_DEMO, the configuration the other
commands read (campaigns with names, budget lines, a standup, a closed retro, risks, KPI targets),
made through the app's own models and services in this process, before the server starts.

Dates are relative to today in Shanghai, so every command finds "this week" and "this month" filled
whenever it runs.
"""

from __future__ import annotations

import math
import secrets
import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session, SQLModel

from ecombot.actor import Actor
from ecombot.budgets import service as budgets
from ecombot.budgets.models import BudgetLine, BudgetSpend
from ecombot.campaigns import ledger
from ecombot.campaigns.models import Campaign, CampaignResult
from ecombot.kpis import service as kpis
from ecombot.kpis.models import DailyMetric, KpiTarget, Order
from ecombot.retros.models import Retro, RetroEntry
from ecombot.risks import service as risks
from ecombot.standups import answers as standup_answers
from ecombot.standups import service as standups
from ecombot.standups.models import StandupAnswer
from ecombot.tasks import service as tasks
from ecombot.tasks.models import Task
from ecombot.workspaces.models import Member, Workspace

DEMO, ZONE = "T_DEMO", "Asia/Shanghai"
TEAMS = [DEMO, *(f"T_B{k:02d}" for k in range(1, 50))]  # 50 workspaces; T_DEMO is measured
OWNERS = [f"U_B{i:03d}" for i in range(50)]  # T_DEMO's other members (the fake Slack knows them)
CHANNEL = "C_DEMO"
SOURCES = ("tmall", "douyin", "google")
CAMPAIGN_DAYS = 100  # a campaign has results for at most 100 days x 3 sources (300 rows)
ORDER_DAYS = 180  # orders are spread over the last 180 days
SHOWN_CAMPAIGN = "Double 11"  # T_DEMO's first (and fullest) campaign
CHUNK = 5000


@dataclass
class Seeded:
    """What was made, and what the commands should ask for."""

    database: str  # "SQLite 3.45.1", "PostgreSQL 15.10"
    rows: int
    demo_tasks: int  # T_DEMO's share of the tasks
    task_number: int  # the task `/task show` asks for
    campaign: str  # the campaign `/campaign show` asks for
    campaign_rows: int  # its result rows
    demo_orders: int
    seconds: float


def share(rows: int, k: int) -> int:
    """Workspace k's part of `rows` (as even as it gets; T_DEMO, k = 0, first)."""
    return rows // len(TEAMS) + (1 if k < rows % len(TEAMS) else 0)


def _insert(conn: sa.Connection, model: type[SQLModel], rows: Iterator[dict[str, Any]]) -> int:
    """Rows in chunks of CHUNK, one executemany each (the model's own column types convert them)."""
    statement, chunk, count = sa.insert(model.__table__), [], 0  # type: ignore[attr-defined]
    for row in rows:
        chunk.append(row)
        if len(chunk) == CHUNK:
            conn.execute(statement, chunk)
            count, chunk = count + len(chunk), []
    if chunk:
        conn.execute(statement, chunk)
        count += len(chunk)
    return count


def _workspaces(now: datetime) -> Iterator[dict[str, Any]]:
    for team in TEAMS:
        name = "Demo Shop" if team == DEMO else f"Shop {team[-2:]}"
        yield dict(
            team_id=team, name=name, timezone=ZONE, currency="CNY", language="en", ops_leads=[]
        ) | dict(created_at=now, updated_at=now)


def _members(now: datetime) -> Iterator[dict[str, Any]]:
    for user in ["U_DEMO", *OWNERS]:
        yield dict(team_id=DEMO, user_id=user, name=user.lower(), tz=ZONE, locale="en-US") | dict(
            is_admin=user == "U_DEMO",
            is_owner=user == "U_DEMO",
            is_bot=False,
            deleted=False,
            refreshed_at=now,
        )


_DUES = (-20, -3, -1, 0, 0, 2, 4, 12, 40, None)  # days from today: past, today, this week, later, none


def _tasks(rows: int, today: date, now: datetime) -> Iterator[dict[str, Any]]:
    """Each workspace's share, numbered from 1; in T_DEMO, U_DEMO owns one in eleven; 30% done."""
    for k, team in enumerate(TEAMS):
        for n in range(1, share(rows, k) + 1):
            owner = "U_DEMO" if team == DEMO and n % 11 == 3 else OWNERS[(n + n // 50) % 50]
            days, done = _DUES[n * 7 % 10], n * 37 % 10 < 3
            yield dict(
                team_id=team,
                number=n,
                title=f"Seeded task {n}",
                owner_id=owner,
                creator_id="U_DEMO",
                due_date=None if days is None else today + timedelta(days=days),
                campaign=("double11", "618", "", "", "cny")[n % 5],
                priority=("normal", "high")[n % 2],
                recurrence="",
                status="done" if done else "open",
                done_at=now if done else None,
                done_by=owner if done else "",
                source_url="",
                created_at=now,
                updated_at=now,
            )


def _campaign_plan(rows: int) -> list[tuple[str, int, list[int]]]:
    """(team, campaign index, result rows of each campaign): at most 300 rows a campaign, at least 4
    campaigns a workspace, the first the fullest."""
    plan = []
    for k, team in enumerate(TEAMS):
        total = share(rows, k)
        count = max(4, math.ceil(total / (CAMPAIGN_DAYS * len(SOURCES))))
        sizes = [total // count + (1 if j < total % count else 0) for j in range(count)]
        plan.append((team, k, sizes))
    return plan


def _campaign_dates(j: int, today: date) -> tuple[date, date]:
    """Campaign j's dates: about half still running, the rest ended; each has >= 100 days behind it."""
    end = today + timedelta(days=30 - 10 * (j % 8))
    return end - timedelta(days=CAMPAIGN_DAYS + 29), end


def _campaigns(
    plan: list[tuple[str, int, list[int]]], today: date, now: datetime
) -> Iterator[dict[str, Any]]:
    for team, _, sizes in plan:
        for j in range(len(sizes)):
            name = SHOWN_CAMPAIGN if j == 0 else f"Campaign {j + 1}"
            start, end = _campaign_dates(j, today)
            yield dict(
                team_id=team,
                name=name,
                name_key=name.casefold(),
                currency="CNY",
                budget=Decimal(100_000 + 1000 * j),
                start=start,
                end=end,
                channel_id="",
                private=False,
                owner_id="U_DEMO" if team == DEMO else OWNERS[j % 50],
                category=("marketing", "platform")[j % 2],
                target_roas=Decimal(3),
                created_by="U_DEMO",
                created_at=now,
                updated_at=now,
            )


def _results(
    plan: list[tuple[str, int, list[int]]], ids: dict[tuple[str, str], int], today: date, now: datetime
) -> Iterator[dict[str, Any]]:
    """Daily rows back from each campaign's last day so far (its end, or today), three sources a day."""
    for team, _, sizes in plan:
        for j, size in enumerate(sizes):
            name = SHOWN_CAMPAIGN if j == 0 else f"Campaign {j + 1}"
            start, end = _campaign_dates(j, today)
            for i in range(size):
                day = min(end, today) - timedelta(days=i // len(SOURCES))
                assert start <= day <= today
                spend = Decimal(100 + (i * 13) % 400)
                yield dict(
                    team_id=team,
                    campaign_id=ids[(team, name.casefold())],
                    source=SOURCES[i % len(SOURCES)],
                    day=day,
                    last_day=day,
                    spend=spend,
                    revenue=spend * Decimal("3.2"),
                    orders=Decimal(3 + i % 5),
                    clicks=400 + i % 300,
                    impressions=10_000 + i % 5000,
                    origin="import",
                    logged_by="",
                    updated_at=now,
                )


def _orders(rows: int, today: date) -> Iterator[dict[str, Any]]:
    """Each workspace's share spread evenly over ORDER_DAYS to today; buyers order three times on
    average; 90% paid, 5% refunded, 5% cancelled."""
    for k, team in enumerate(TEAMS):
        count = share(rows, k)
        buyers = max(1, count // 3)
        for i in range(count):
            day = today - timedelta(days=ORDER_DAYS - 1 - i * ORDER_DAYS // count)
            status = "cancelled" if i % 20 == 7 else "refunded" if i % 20 == 13 else "paid"
            total = Decimal(50 + (i * 37) % 500)
            yield dict(
                team_id=team,
                order_id=f"O{i}",
                customer_id=f"c{(i * 7919) % buyers}",
                created_at=datetime(day.year, day.month, day.day, 4, tzinfo=UTC),  # noon in Shanghai
                day=day,
                total=total,
                refunded=total if status == "refunded" else Decimal(0),
                status=status,
                currency="CNY",
                channel=("tmall", "douyin")[i % 2],
            )


def _sessions(today: date, now: datetime) -> Iterator[dict[str, Any]]:
    for back in range(ORDER_DAYS):
        day = today - timedelta(days=back)
        yield dict(
            team_id=DEMO,
            metric="sessions",
            day=day,
            value=Decimal(2000 + back % 7 * 100),
            origin="import",
            logged_by="",
            updated_at=now,
        )


def seed(url: str, rows: int, say: Callable[[str], None] = print) -> Seeded:
    """Make the benchmark's data on a migrated, empty database."""
    started = time.perf_counter()
    engine = sa.create_engine(url)
    pg = engine.dialect.name == "postgresql"
    now = datetime.now(UTC)
    today = now.astimezone(ZoneInfo(ZONE)).date()
    plan = _campaign_plan(rows)
    with engine.begin() as conn:
        _insert(conn, Workspace, _workspaces(now))
        _insert(conn, Member, _members(now))
        made = _insert(conn, Task, _tasks(rows, today, now))
        _insert(conn, Campaign, _campaigns(plan, today, now))
        table = Campaign.__table__  # type: ignore[attr-defined]
        ids = {
            (t, key): i
            for i, t, key in conn.execute(sa.select(table.c.id, table.c.team_id, table.c.name_key))
        }
        made += _insert(conn, CampaignResult, _results(plan, ids, today, now))
        made += _insert(conn, Order, _orders(rows, today))
        _insert(conn, DailyMetric, _sessions(today, now))
        server = conn.execute(sa.text("SHOW server_version")).scalar() if pg else sqlite3.sqlite_version
    say(f"  bulk rows: {made:,} in {time.perf_counter() - started:.1f} s")
    with Session(engine) as s:
        for team in TEAMS:  # each buyer's first order day, as an import keeps it
            kpis.refresh_customers(s, team)
        ledger.recount(s, None)  # each campaign's running totals, as the ledger keeps them
        s.commit()
    number = _configure(engine, now, today, share(rows, 0))
    if pg:
        # What autovacuum would have done by now: the statistics, and the visibility map that lets an
        # index-only scan skip the table (without it, `/campaign list` fetched 20,000 table rows for
        # its totals: 9.7 ms against 2.9 ms). This machine's server runs with autovacuum off.
        with engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(sa.text("VACUUM ANALYZE"))
    engine.dispose()
    return Seeded(
        database=f"PostgreSQL {server}" if pg else f"SQLite {server}",
        rows=rows,
        demo_tasks=share(rows, 0),
        task_number=number,
        campaign=SHOWN_CAMPAIGN,
        campaign_rows=plan[0][2][0],
        demo_orders=share(rows, 0),
        seconds=time.perf_counter() - started,
    )


def _configure(engine: sa.Engine, now: datetime, today: date, seeded: int) -> int:
    """T_DEMO's setup, through the app's models and services (as tests/perf seeds it); returns the
    number of the task `/task show` asks for."""
    boss = Actor(team_id=DEMO, user_id="U_DEMO", now=now, tz=ZONE, is_manager=True)
    month_start = today.replace(day=1)
    month_end = (month_start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    with Session(engine) as s:
        # Budgets: the default categories, three lines this month, some spend outside campaigns.
        budgets.ensure_categories(s, DEMO)
        for category, amount in (("marketing", 60_000), ("platform", 40_000), ("people", 20_000)):
            s.add(
                BudgetLine(
                    team_id=DEMO,
                    category=category,
                    start=month_start,
                    end=month_end,
                    amount=Decimal(amount),
                    currency="CNY",
                    owner_id="U_DEMO",
                    created_by="U_DEMO",
                    created_at=now,
                    updated_at=now,
                )
            )
        for n, category in enumerate(("marketing", "people", "people", "platform")):
            s.add(
                BudgetSpend(
                    team_id=DEMO,
                    category=category,
                    day=month_start,
                    amount=Decimal(1500 + 500 * n),
                    note=f"Seeded spend {n}",
                    user_id="U_DEMO",
                    created_at=now,
                )
            )
        # KPI targets: a weekly GMV and a monthly order count.
        for metric, period, value in (("gmv", "week", 500_000), ("orders", "month", 4000)):
            s.add(KpiTarget(team_id=DEMO, metric=metric, period=period, value=Decimal(value), updated_at=now))
        # Risks.
        for n in range(5):
            draft = risks.RiskDraft(
                f"Seeded risk {n + 1}",
                category=("payment", "platform", "supply", "ip", "data")[n],
                likelihood=1 + n % 5,
                impact=5 - n % 3,
                owner_id=OWNERS[n] if n % 2 else "",
                review=("weekly", "monthly")[n % 2],
            )
            risks.add_risk(s, boss, draft)
        # A standup in C_DEMO every day: ten members, six of whom answered today (and tomorrow, in
        # case the run crosses the day's 18:00 cut-over).
        members = ("U_DEMO", *OWNERS[:9])
        config = standups.StandupConfig(
            participants=members, days=tuple(range(7)), reminder_off=True, calendar="none"
        )
        standup = standups.configure(s, boss, CHANNEL, config).standup
        assert standup.id is not None
        day = standup_answers.next_day(s, standup, now.astimezone(ZoneInfo(ZONE)))
        assert day is not None
        for answered in (day, day + timedelta(days=1)):
            for user in members[:6]:
                s.add(
                    StandupAnswer(
                        standup_id=standup.id,
                        team_id=DEMO,
                        user_id=user,
                        day=answered,
                        answers=["Shipped the banner", "The landing page", "none"],
                        state="done",
                        via="form",
                        prompted_at=now,
                        answered_at=now,
                        updated_at=now,
                    )
                )
        # A closed retro in C_DEMO with four action items, each made a task at the close.
        retro = Retro(
            team_id=DEMO,
            channel_id=CHANNEL,
            first_day=today - timedelta(days=10),
            last_day=today - timedelta(days=4),
            opened_at=now - timedelta(days=3),
            closes_at=now - timedelta(days=1),
            closed_at=now - timedelta(days=1),
        )
        s.add(retro)
        s.flush()
        assert retro.id is not None
        for n, owner in enumerate(("U_DEMO", "U_DEMO", OWNERS[0], "U_DEMO")):
            text = f"Retro action {n + 1}"
            draft = tasks.TaskDraft(text, owner, due_date=today + timedelta(days=n - 1))
            task = tasks.add_task(s, boss, draft).task
            s.add(
                RetroEntry(
                    retro_id=retro.id,
                    team_id=DEMO,
                    kind="action",
                    text=text,
                    author_id="U_DEMO",
                    owner_id=owner,
                    task_id=task.id,
                    nonce=secrets.token_hex(8),
                    created_at=now - timedelta(days=2),
                )
            )
        s.commit()
        first_action = task.number - 3
    return min(123, seeded) if seeded else first_action
