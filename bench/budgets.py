"""What the budget alert ticks cost the scheduler: W workspaces, each with 5 lines for the month, 10
campaigns with a month of daily results in its categories, and spend recorded by hand.

Prints the seconds of a threshold pass (the scheduler runs it every `scheduler.tick_seconds`, 60 s by
default) when nothing is new and when every line has just crossed a threshold, and of the daily
pacing pass (computed once per line and day, then skipped).

    .venv/bin/python bench/budgets.py [--workspaces 200]
    .venv/bin/python bench/budgets.py --database postgresql+psycopg://postgres@127.0.0.1:5432/test
"""

from __future__ import annotations

import argparse
import time
from datetime import date, datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa
from _db import bench_database

from ecombot.actor import Actor
from ecombot.app import build_runtime
from ecombot.budgets import service as budgets
from ecombot.budgets.models import BudgetSpend
from ecombot.budgets.periods import month_of
from ecombot.campaigns import service as campaigns
from ecombot.campaigns.models import CampaignResult
from ecombot.clock import FixedClock
from ecombot.config import Settings, WorkspaceDefaults
from ecombot.db import session_scope
from ecombot.scheduling.engine import SchedulingEngine
from ecombot.workspaces import service as workspaces

NOW = datetime.fromisoformat("2026-11-23T10:00:00+08:00")
CATEGORIES = ("platform", "marketing", "technology", "people", "reserve")


def _seed(engine: sa.Engine, count: int) -> None:
    month = month_of(NOW.date())
    with session_scope(engine) as s:
        for w in range(count):
            team = f"T{w:05d}"
            workspaces.ensure_workspace(s, team_id=team, defaults=WorkspaceDefaults(), now=NOW)
            lead = Actor(team_id=team, user_id="U_LEAD", now=NOW, tz="Asia/Shanghai", is_manager=True)
            for category in CATEGORIES:
                budgets.set_line(
                    s, lead, budgets.LineDraft(category, Decimal(100000), month, "CNY", channel_id="C1")
                )
            rows = []
            for c in range(10):
                campaign = campaigns.create(
                    s,
                    lead,
                    campaigns.Draft(
                        name=f"C{c}",
                        budget=Decimal(10**6),
                        currency="CNY",
                        start=month.start,
                        category=CATEGORIES[c % 4],
                    ),
                )
                for d in range(22):
                    day = month.start + timedelta(days=d)
                    rows.append(
                        {
                            "team_id": team,
                            "campaign_id": campaign.id,
                            "source": "tmall",
                            "day": day,
                            "last_day": day,
                            "spend": Decimal(90),
                            "revenue": Decimal(300),
                            "orders": Decimal(3),
                            "origin": "manual",
                            "logged_by": "U_LEAD",
                            "updated_at": NOW - timedelta(days=1),
                        }
                    )
            s.execute(sa.insert(CampaignResult.__table__), rows)  # type: ignore[attr-defined]


def _bump(engine: sa.Engine, count: int) -> None:
    """Every line of every workspace passes 50 %."""
    with session_scope(engine) as s:
        s.execute(
            sa.insert(BudgetSpend.__table__),  # type: ignore[attr-defined]
            [
                {
                    "team_id": f"T{w:05d}",
                    "category": category,
                    "day": date(2026, 11, 22),
                    "amount": Decimal(50000),
                    "note": "bench",
                    "user_id": "U_LEAD",
                    "created_at": NOW,
                }
                for w in range(count)
                for category in CATEGORIES
            ],
        )


def _tick(scheduler: SchedulingEngine, name: str, at: datetime) -> tuple[float, int]:
    started = time.perf_counter()
    report = scheduler.run_tick(name, at)
    assert report.errors == [], report.errors
    return time.perf_counter() - started, report.fired


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--database", help="a database URL (default: a new SQLite file)")
    parser.add_argument("--workspaces", type=int, default=200)
    args = parser.parse_args()
    with bench_database(args.database, "budgets") as (engine, url, kind):
        _seed(engine, args.workspaces)
        rt = build_runtime(Settings().with_database(url), engine=engine, clock=FixedClock(NOW))
        scheduler = SchedulingEngine(engine, rt.jobs, worker="bench")
        lines = args.workspaces * len(CATEGORIES)
        print(
            f"{args.workspaces} workspaces x {len(CATEGORIES)} lines ({lines} lines, "
            f"{args.workspaces * 220:,} result rows) on {kind}"
        )
        print(f"{'pass':<44} {'seconds':>8} {'fired':>6}")
        for label, name, at, before in (
            ("thresholds, first pass (nothing reached)", "budgets.thresholds", NOW, None),
            (
                "thresholds, every line just past 50 %",
                "budgets.thresholds",
                NOW + timedelta(minutes=1),
                _bump,
            ),
            ("thresholds, nothing new", "budgets.thresholds", NOW + timedelta(minutes=2), None),
            ("pacing, the day's check", "budgets.pacing", NOW + timedelta(minutes=3), None),
            ("pacing, later the same day (skipped)", "budgets.pacing", NOW + timedelta(minutes=4), None),
        ):
            if before is not None:
                before(engine, args.workspaces)
            seconds, fired = _tick(scheduler, name, at)
            print(f"{label:<44} {seconds:>8.3f} {fired:>6}")


if __name__ == "__main__":
    main()
