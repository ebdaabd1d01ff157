"""What campaigns cost: importing a large ad report, `/campaign show` and `/campaign list` over a
year of results, the evaluation's chart, and the evaluation tick when nothing is due.

    .venv/bin/python bench/campaigns.py
    .venv/bin/python bench/campaigns.py --database postgresql+psycopg://postgres@127.0.0.1:5432/test
    .venv/bin/python bench/campaigns.py --smoke     # CI: 10 x 10 imported rows, 20 campaigns listed

Figures are wall-clock seconds on this machine, through the same service and view functions the
handlers and the scheduler call (no Slack in the way: the HTTP path is measured by issue 15's suite).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa
from _db import bench_database

from ecombot.actor import Actor
from ecombot.campaigns import evaluation, importing, jobs, ledger, metrics, service, views
from ecombot.campaigns.models import CampaignResult
from ecombot.charts import daily_from_spec
from ecombot.config import WorkspaceDefaults
from ecombot.db import session_scope
from ecombot.workspaces import service as workspaces

TEAM = "T_BENCH"
NOW = datetime.fromisoformat("2026-11-24T10:00:00+08:00")
SOURCES = ("tmall", "jd", "douyin", "pdd", "shopify", "google", "meta")
IMPORT_CAMPAIGNS = 100
IMPORT_DAYS = 100  # 100 campaigns x 100 days = 10,000 rows
LISTED = 200  # campaigns in /campaign list
YEAR_ROWS = 365 * len(SOURCES)  # the shown campaign's result rows


class Sizes:
    """How much the run makes (--smoke: a tenth of the campaigns, fewer repeats)."""

    def __init__(self, smoke: bool) -> None:
        self.campaigns = IMPORT_CAMPAIGNS // 10 if smoke else IMPORT_CAMPAIGNS
        self.days = IMPORT_DAYS // 10 if smoke else IMPORT_DAYS
        self.listed = LISTED // 10 if smoke else LISTED
        self.repeats = 2 if smoke else 10

    @property
    def imported(self) -> int:
        return self.campaigns * self.days


def _actor() -> Actor:
    return Actor(team_id=TEAM, user_id="U_LEAD", now=NOW, tz="Asia/Shanghai", is_manager=True)


def _google_report(sizes: Sizes) -> bytes:
    lines = ["Campaign report", '"August 1, 2026 - November 8, 2026"']
    lines.append("Campaign,Day,Currency code,Cost,Impr.,Clicks,Conversions,Conv. value")
    first = date(2026, 8, 1)
    for c in range(sizes.campaigns):
        for d in range(sizes.days):
            day = first + timedelta(days=d)
            lines.append(
                f'Import {c:03d},{day.isoformat()},CNY,"1,{d:03d}.50","12,000",300,12.00,"4,{c:03d}.00"'
            )
    lines.append('Total: Account,,CNY,"1.00","1",1,1,"1"')
    return ("\n".join(lines) + "\n").encode("utf-8")


def _seed(engine: sa.Engine, sizes: Sizes) -> int:
    """The import's campaigns, 200 listed campaigns, and one with a year of daily rows from 7 sources."""
    actor = _actor()
    with session_scope(engine) as s:
        workspaces.ensure_workspace(s, team_id=TEAM, defaults=WorkspaceDefaults(), now=NOW)
        for c in range(sizes.campaigns):
            service.create(
                s, actor, service.Draft(name=f"Import {c:03d}", budget=Decimal(500000), currency="CNY")
            )
        for c in range(sizes.listed - sizes.campaigns - 1):
            service.create(
                s,
                actor,
                service.Draft(
                    name=f"Listed {c:03d}", budget=Decimal(10000), currency="CNY", start=date(2026, 11, 1)
                ),
            )
        big = service.create(
            s,
            actor,
            service.Draft(
                name="A year",
                budget=Decimal(5_000_000),
                currency="CNY",
                start=date(2025, 11, 24),
                end=date(2026, 11, 30),
                target_roas=Decimal(3),
            ),
        )
        assert big.id is not None
        rows = []
        for d in range(365):
            day = date(2025, 11, 24) + timedelta(days=d)
            for i, source in enumerate(SOURCES):
                rows.append(
                    {
                        "team_id": TEAM,
                        "campaign_id": big.id,
                        "source": source,
                        "day": day,
                        "last_day": day,
                        "spend": Decimal(1000 + d),
                        "revenue": Decimal(3000 + 7 * d + i),
                        "orders": Decimal(30 + i),
                        "clicks": 900,
                        "impressions": 40000,
                        "sessions": 1200,
                        "refunds": Decimal(50),
                        "new_customers": 5,
                        "origin": "manual",
                        "logged_by": "U_LEAD",
                        "updated_at": NOW,
                    }
                )
        s.execute(sa.insert(CampaignResult.__table__), rows)  # type: ignore[attr-defined]
        ledger.recount(s, big.team_id)  # the running totals, as the ledger keeps them
        return big.id


def _median(run: Callable[[], object], times: int) -> float:
    samples = []
    for _ in range(times):
        started = time.perf_counter()
        run()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--database", help="a database URL (default: a new SQLite file)")
    parser.add_argument("--smoke", action="store_true", help="CI: a tenth of the campaigns, fewer repeats")
    args = parser.parse_args()
    sizes = Sizes(args.smoke)
    repeats = sizes.repeats
    with bench_database(args.database, "campaigns") as (engine, _url, kind):
        big_id = _seed(engine, sizes)
        print(f"campaigns on {kind}")
        report = _google_report(sizes)
        for label in (
            f"import {sizes.imported:,}-row Google Ads report (new)",
            "same file again (unchanged)",
        ):
            started = time.perf_counter()
            with session_scope(engine) as s:
                done = importing.run(s, _actor(), report, "report.csv", currency="CNY")
            seconds = time.perf_counter() - started
            print(
                f"{label:<48} {seconds:>7.2f} s  ({done.recorded / seconds:,.0f} rows/s; "
                f"{done.created} new, {done.unchanged} unchanged, {len(done.skipped)} skipped)"
            )

        def show() -> None:
            with session_scope(engine, write=False) as s:
                campaign = service.get_by_id(s, TEAM, big_id)
                views.card(service.summary(s, campaign, NOW.date()), "en")

        label = f"/campaign show, 365 days x {len(SOURCES)} sources ({YEAR_ROWS:,} rows)"
        print(f"{label:<48} {_median(show, repeats):>7.3f} s  (median of {repeats})")

        def listing() -> None:
            with session_scope(engine, write=False) as s:
                campaigns, hidden = service.listing(s, TEAM, "all", NOW.date(), "")
                rows = service.totals_of(campaigns)
                views.list_message(
                    "all",
                    [(c, rows.get(c.id or 0, metrics.Totals())) for c in campaigns],
                    hidden,
                    NOW.date(),
                    "en",
                )

        label = f"/campaign list all ({sizes.listed} campaigns, {sizes.imported + YEAR_ROWS:,} rows)"
        print(f"{label:<48} {_median(listing, repeats):>7.3f} s  (median of {repeats})")

        with session_scope(engine, write=False) as s:
            summary = service.summary(s, service.get_by_id(s, TEAM, big_id), NOW.date())
        spec = evaluation.evaluation_chart_spec(summary, "zh-CN")
        assert spec is not None
        daily_from_spec(spec)  # the first chart loads matplotlib and the font
        charts = min(5, repeats)
        chart = _median(lambda: daily_from_spec(spec), charts)  # as the delivery worker draws it
        print(f"{'evaluation chart, 365 days (after the first)':<48} {chart:>7.3f} s  (median of {charts})")

        def idle_tick() -> None:
            with session_scope(engine) as s:
                assert jobs.evaluate_ended_campaigns(s, NOW) == []

        label = f"evaluation tick, nothing due ({sizes.listed} campaigns)"
        print(f"{label:<48} {_median(idle_tick, repeats):>7.4f} s  (median of {repeats})")


if __name__ == "__main__":
    main()
