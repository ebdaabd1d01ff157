"""Digests through the scheduling engine: the daily one compares with the same weekday last week, the
weekly one with the week before and the target, the monthly report with the month before and last
year, its campaigns, budgets and funnel; each with a chart in its thread; `now` and `off`."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from ecombot.config import Settings
from ecombot.devtools.driver import SlackDriver
from ecombot.devtools.fakeslack import FakeSlack
from ecombot.kpis import service
from ecombot.kpis.models import DailyMetric, Order
from ecombot.scheduling.models import Delivery
from tests.campaigns.support import from_bot, say, texts
from tests.support import run_due


def _seed(db: Engine) -> None:
    """An order a day from Oct 1 2025 to Nov 23 2026: 100 on weekdays, 200 on Sundays; sessions 1,000."""
    with Session(db) as s:
        day = date(2025, 10, 1)
        n = 0
        while day <= date(2026, 11, 23):
            total = Decimal(200 if day.weekday() == 6 else 100)
            at = datetime(day.year, day.month, day.day, 4, tzinfo=UTC)
            s.add(
                Order(
                    team_id="T_DEMO",
                    order_id=f"O{n}",
                    customer_id=f"c{n % 40}",
                    created_at=at,
                    day=day,
                    total=total,
                    status="paid",
                )
            )
            s.add(
                DailyMetric(team_id="T_DEMO", metric="sessions", day=day, value=Decimal(1000), updated_at=at)
            )
            day += timedelta(days=1)
            n += 1
        s.flush()
        service.refresh_customers(s, "T_DEMO")
        s.commit()


def _digests(fake: FakeSlack, channel: str, title: str) -> list[dict[str, object]]:
    return [m for m in from_bot(fake, channel) if title in texts(m)]


def test_daily_weekly_and_monthly_digests_with_their_charts(
    slack: SlackDriver, fake: FakeSlack, db: Engine, settings: Settings
) -> None:
    _seed(db)
    say(slack, "/ecom settings language en")
    assert "goes to <#C_DEMO> at 09:00" in texts(say(slack, "/kpi digest daily"))
    say(slack, "/kpi digest weekly at:08:30 day:mon")
    say(slack, "/kpi digest monthly channel:<#C_PRIV|leads> at:10:00")
    say(slack, "/kpi target gmv 3000 period:month")
    # Tuesday Nov 24, 09:00 in Shanghai: the daily digest of Monday Nov 23 vs Monday Nov 16.
    run_due(db, settings, fake, datetime.fromisoformat("2026-11-24T09:00:00+08:00"))
    [daily] = _digests(fake, "C_DEMO", "Daily KPIs")
    body = texts(daily)
    assert "Daily KPIs · Nov 23, 2026" in body and "same weekday last week (Nov 16, 2026)" in body
    assert "*GMV* CN¥100.00 · ±0.0% vs CN¥100.00" in body and "*Conversion rate* 0.1% · ±0.0 pp" in body
    uploads = [c for c in fake.calls_to("files.completeUploadExternal") if c.ok]
    assert len(uploads) == 1 and uploads[0].args["thread_ts"] == daily["ts"]
    [file] = uploads[0].args["files"]
    assert fake.uploads[file["id"]].startswith(b"\x89PNG")
    # The pass queued the chart's figures; the delivery worker drew the PNG when it sent it.
    with Session(db) as session:
        [queued] = [d.payload["upload"] for d in session.exec(select(Delivery)) if "upload" in d.payload]
    assert "content" not in queued and queued["daily"]["series"][0]["label"] == "GMV"
    run_due(db, settings, fake, datetime.fromisoformat("2026-11-24T09:05:00+08:00"))
    assert len(_digests(fake, "C_DEMO", "Daily KPIs")) == 1
    # Monday Nov 30, 08:30: the week of Nov 23-29 (only the 23rd has orders here) vs the week before.
    run_due(db, settings, fake, datetime.fromisoformat("2026-11-30T08:30:00+08:00"))
    [weekly] = _digests(fake, "C_DEMO", "Weekly KPIs")
    assert "2026-W48" in texts(weekly) and "the week before (2026-W47" in texts(weekly)
    # Dec 1, 10:00: the monthly report of November in #leads, vs October and November 2025.
    run_due(db, settings, fake, datetime.fromisoformat("2026-12-01T10:00:00+08:00"))
    [monthly] = _digests(fake, "C_PRIV", "Monthly report")
    report = texts(monthly)
    # November 2026 has orders on the 1st to the 23rd: 23 days, 4 of them Sundays → 19×100 + 4×200.
    assert "Monthly report · 2026-11" in report and "*GMV* CN¥2,700.00" in report
    assert "target CN¥3,000.00: 90%" in report
    assert "−22.9% vs last year (CN¥3,500.00)" in report  # Nov 2025: 30 days, 5 Sundays → 25×100 + 5×200
    assert len([c for c in fake.calls_to("files.completeUploadExternal") if c.ok]) == 4


def test_now_off_and_who_may(slack: SlackDriver, fake: FakeSlack, db: Engine, settings: Settings) -> None:
    _seed(db)
    say(slack, "/ecom settings language en")
    assert "Only workspace admins and ops leads" in texts(say(slack, "/kpi digest daily", user="U_SAM"))
    assert "Run it in the channel" in texts(say(slack, "/kpi digest now weekly", channel="D_U_DEMO"))
    say(slack, "/kpi digest now weekly")
    assert len(_digests(fake, "C_DEMO", "Weekly KPIs")) == 1
    say(slack, "/kpi digest daily")
    assert "is off" in texts(say(slack, "/kpi digest off daily"))
    run_due(db, settings, fake, datetime.fromisoformat("2026-11-24T09:00:00+08:00"))
    assert _digests(fake, "C_DEMO", "Daily KPIs") == []
    assert "`day:someday`" in texts(say(slack, "/kpi digest weekly day:someday"))


def test_kpis_export_as_csv_by_cli_and_by_dm(
    slack: SlackDriver, fake: FakeSlack, db: Engine, database_url: str, tmp_path: object
) -> None:
    import csv
    import io
    import subprocess
    import sys

    from tests.support import cli_env

    _seed(db)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "ecombot",
            "export",
            "kpis",
            "--team",
            "T_DEMO",
            "--from",
            "2026-11-01",
            "--to",
            "2026-11-30",
            "--grain",
            "week",
        ],
        env=cli_env(database_url, fake.api_url),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout.lstrip("\ufeff"))))
    assert [r["period"] for r in rows] == [
        "2026-W44",
        "2026-W45",
        "2026-W46",
        "2026-W47",
        "2026-W48",
        "2026-W49",
    ]
    # W47 (Nov 16-22): 6 weekdays × 100 + Sunday 200 = 800 over 7 orders; conversion 7 / 7,000.
    w47 = rows[3]
    assert (w47["gmv"], w47["orders"], w47["aov"], w47["conversion_rate"]) == (
        "800",
        "7",
        "114.285714",
        "0.001",
    )
    say(slack, "/kpi export 2026-11")
    [upload] = [c for c in fake.calls_to("files.completeUploadExternal") if c.ok]
    assert upload.args["channel_id"].startswith("D")
    content = next(iter(fake.uploads.values())).decode("utf-8").lstrip("\ufeff")
    assert content.count("\n") == 31  # a header and a line per November day


def test_the_monthly_report_ranks_campaigns_by_the_month_s_own_results(
    slack: SlackDriver, fake: FakeSlack, db: Engine, settings: Settings
) -> None:
    _seed(db)
    say(slack, "/ecom settings language en")
    say(slack, "/campaign new Long run budget:100000 start:2026-10-01")
    say(slack, "/campaign log Long run date:2026-10-10 spend:1000 revenue:9000 orders:9")  # October: ROAS 9
    say(slack, "/campaign log Long run date:2026-11-10 spend:1000 revenue:1000 orders:1")  # November: ROAS 1
    say(slack, "/campaign new November push budget:1000 start:2026-11-01 end:2026-11-30")
    say(slack, "/campaign log November push date:2026-11-12 spend:100 revenue:300 orders:3")
    say(slack, "/kpi digest now monthly")
    [report] = [texts(m) for m in from_bot(fake, "C_DEMO") if "Monthly report · 2026-10" in texts(m)]
    # The clock is Nov 23, so "now" reports October: only Long run's October result counts.
    assert "• Long run: ROAS 9.00x · spend CN¥1,000.00 · revenue CN¥9,000.00" in report
    assert "November push" not in report
