"""No N+1: each command the benchmark drives, and an App Home render, runs as many SQL statements on a
workspace holding 30 of everything as on one holding 3, and no more than its ceiling.

The statements counted are the request's own, before and after the ack (Bolt's listener threads; the
driver waits for the work after the ack before it returns), not the test's nor the delivery worker's.
"""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from ecombot.actor import Actor
from ecombot.budgets.models import BudgetCategory, BudgetLine, BudgetSpend
from ecombot.campaigns import service as campaigns
from ecombot.campaigns.models import Campaign, CampaignResult
from ecombot.clock import FixedClock
from ecombot.devtools.driver import SlackDriver
from ecombot.devtools.fakeslack import FakeSlack
from ecombot.kpis.models import Order
from ecombot.retros.models import Retro, RetroEntry
from ecombot.risks import service as risks
from ecombot.standups.models import Standup, StandupAnswer, StandupMember
from ecombot.tasks import service as tasks
from ecombot.tasks.models import Task
from tests.campaigns.support import CHANNEL, say, texts
from tests.support import StatementCounter

SMALL, LARGE = 3, 30
SOURCES = ("tmall", "douyin", "google")
TODAY = date(2026, 11, 23)  # the `clock` fixture's Monday, in Shanghai

# Ceilings, not targets: the statements each request runs (transaction control excluded), measured
# plus a small margin, so that a change adding queries to the interactive path fails here and is
# looked at. Lower one when a command gets cheaper; raise one only for a query that is worth it.
# Measured on SQLite and PostgreSQL alike (the same count on both; equal at 3 and at 30 rows).
LIMITS: dict[str, int] = {
    "/task add": 44,  # 3 to add it, then (after the ack) the owner's Home, seen before, republished
    "/task list mine": 5,
    "/task show": 5,
    "/campaign show": 5,
    "/campaign list": 5,
    "/budget status": 8,
    "/kpi show week": 5,
    "/standup show": 8,
    "/retro actions": 5,
    "/risk list": 5,
    "/ecom help": 3,
    "App Home": 45,
}


def _grow(db: Engine, fake: FakeSlack, clock: FixedClock, old: int, new: int) -> None:
    """Bring every domain from `old` to `new` rows of each kind (campaigns' result rows too)."""
    now = clock.now()
    boss = Actor(team_id="T_DEMO", user_id="U_DEMO", now=now, tz="Asia/Shanghai", is_manager=True)
    people = [f"U_P{n}" for n in range(old, new)]
    for user in people:
        fake.add_user(user, name=user.lower())
    with Session(db) as s:
        for n in range(old, new):
            tasks.add_task(
                s, boss, tasks.TaskDraft(f"Own task {n}", "U_DEMO", due_date=TODAY + timedelta(n % 9))
            )
            tasks.add_task(s, boss, tasks.TaskDraft(f"Late task {n}", "U_LI", due_date=TODAY - timedelta(3)))
            draft = campaigns.Draft(
                name=f"Promo{n}",
                budget=Decimal(10000 + n),
                currency="CNY",
                start=date(2026, 11, 1),
                end=date(2026, 12, 31),
                owner_id="U_DEMO",
                target_roas=Decimal(3),
            )
            campaigns.create(s, boss, draft)
            risks.add_risk(s, boss, risks.RiskDraft(f"Risk {n}", category="platform", likelihood=4, impact=5))
            s.add(
                BudgetCategory(
                    team_id="T_DEMO", key=f"line{n}", name=f"Line {n}", reserve=False, position=10 + n
                )
            )
            s.add(
                BudgetLine(
                    team_id="T_DEMO",
                    category=f"line{n}",
                    start=date(2026, 11, 1),
                    end=date(2026, 11, 30),
                    amount=Decimal(1000),
                    currency="CNY",
                    created_at=now,
                    updated_at=now,
                )
            )
            s.add(
                BudgetSpend(
                    team_id="T_DEMO",
                    category=f"line{n}",
                    day=date(2026, 11, 20),
                    amount=Decimal(400 + n),
                    user_id="U_DEMO",
                    created_at=now,
                )
            )
            for day in (TODAY, TODAY - timedelta(1 + n % 7)):  # this week (so far: today) and last
                s.add(
                    Order(
                        team_id="T_DEMO",
                        order_id=f"O{n}-{day.isoformat()}",
                        customer_id=f"c{n % 5}",
                        created_at=datetime(day.year, day.month, day.day, tzinfo=UTC) - timedelta(hours=4),
                        day=day,
                        total=Decimal(100 + n),
                        status="paid",
                    )
                )
            retro = Retro(
                team_id="T_DEMO",
                channel_id=CHANNEL,
                first_day=date(2026, 11, 9),
                last_day=date(2026, 11, 15),
                opened_at=now - timedelta(days=10),
                closes_at=now - timedelta(days=7),
                closed_at=now - timedelta(days=7),
            )
            s.add(retro)
            s.flush()
            assert retro.id is not None
            for owner in ("U_DEMO", "U_LI"):
                task = tasks.add_task(s, boss, tasks.TaskDraft(f"Action {n} of {owner}", owner)).task
                s.add(
                    RetroEntry(
                        retro_id=retro.id,
                        team_id="T_DEMO",
                        kind="action",
                        text=f"Action {n} of {owner}",
                        author_id="U_DEMO",
                        owner_id=owner,
                        task_id=task.id,
                        nonce=secrets.token_hex(8),
                        created_at=now - timedelta(days=8),
                    )
                )
        ids = list(s.exec(select(col(Campaign.id)).where(Campaign.team_id == "T_DEMO")))
        for number, campaign_id in enumerate(sorted(i for i in ids if i is not None)):
            for offset in range(old if number < old else 0, new):  # each campaign: `new` days, 3 sources
                for source in SOURCES:
                    s.add(
                        CampaignResult(
                            team_id="T_DEMO",
                            campaign_id=campaign_id,
                            source=source,
                            day=date(2026, 11, 1) + timedelta(offset),
                            last_day=date(2026, 11, 1) + timedelta(offset),
                            spend=Decimal(100),
                            revenue=Decimal(350),
                            orders=Decimal(3),
                            updated_at=now,
                        )
                    )
        standup = s.exec(select(Standup).where(Standup.team_id == "T_DEMO")).one()
        assert standup.id is not None
        for user in people:
            s.add(StandupMember(standup_id=standup.id, user_id=user, joined_at=now))
            s.add(
                StandupAnswer(
                    standup_id=standup.id,
                    team_id="T_DEMO",
                    user_id=user,
                    day=TODAY,
                    answers=["Shipped the banner", "The landing page", "none"],
                    state="done",
                    via="form",
                    prompted_at=now,
                    answered_at=now,
                    updated_at=now,
                )
            )
        s.commit()


def _open_home(slack: SlackDriver, fake: FakeSlack) -> dict[str, Any]:
    """U_DEMO (an admin: the team's sections too) opens App Home; the view published."""
    fake.clear()
    event = {"type": "app_home_opened", "user": "U_DEMO", "channel": "D_U_DEMO", "tab": "home"}
    assert slack.event(event).status == 200
    view = fake.home_views.get("U_DEMO")
    assert view is not None, "no Home published"
    return view


def _first_task_number(db: Engine) -> int:
    with Session(db) as s:
        task = s.exec(select(Task).where(Task.title == "Own task 0")).one()
        return task.number


def _measure(slack: SlackDriver, fake: FakeSlack, db: Engine, tag: int) -> dict[str, int]:
    """The statements each request runs, checking it gave its normal answer."""
    number = _first_task_number(db)
    expected = {
        f"/task add Banner {tag} due:fri": "Added task #",
        "/task list mine": "Own task 0",
        f"/task show {number}": "Own task 0",
        "/campaign show Promo0": "Promo0",
        "/campaign list": "Promo1",
        "/budget status": "Line 2",
        "/kpi show week": "GMV",
        "/standup show": f"{tag} of {tag + 4} answered",  # the seeded people; the demo four have not
        "/retro actions": "Action 1 of U_DEMO",
        "/risk list": "Risk 2",
        "/ecom help": "/task",
    }
    counts: dict[str, int] = {}
    with StatementCounter(db) as counter:  # first: after it, a change republishes the viewer's Home
        view = _open_home(slack, fake)
    assert "Own task 0" in texts(view) and "*Promo" in texts(view)
    counts["App Home"] = len(counter.work)
    for line, shown in expected.items():
        with StatementCounter(db) as counter:
            reply = say(slack, line)
        assert shown in texts(reply), (line, texts(reply)[:3000])
        key = next(k for k in LIMITS if line.startswith(k))
        counts[key] = len(counter.work)
    return counts


def test_commands_and_home_run_the_same_statements_on_3_and_on_30_rows_within_their_ceilings(
    slack: SlackDriver, fake: FakeSlack, db: Engine, clock: FixedClock
) -> None:
    for line in ("/ecom settings language en", "/standup config reminder:off"):
        assert ":no_entry:" not in texts(say(slack, line)), line
    _grow(db, fake, clock, 0, SMALL)
    _open_home(slack, fake)  # the first visit is remembered (a write); later ones only read
    small = _measure(slack, fake, db, SMALL)
    _grow(db, fake, clock, SMALL, LARGE)
    large = _measure(slack, fake, db, LARGE)
    grew = {k: (small[k], large[k]) for k in small if small[k] != large[k]}
    assert not grew, f"statements that grow with the data (at {SMALL}, at {LARGE}): {grew}"
    over = {k: (n, LIMITS[k]) for k, n in large.items() if n > LIMITS[k]}
    assert not over, f"more statements than the ceiling (measured, ceiling): {over}"
