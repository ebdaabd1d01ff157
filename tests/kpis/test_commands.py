"""`/kpi` end to end through the fake Slack: show with changes, targets and pace; the funnel with its
weakest step; targets and attainment; figures logged; refusals and bad input; App Home."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from ecombot.devtools.driver import SlackDriver
from ecombot.devtools.fakeslack import FakeSlack
from ecombot.kpis import service
from ecombot.kpis.models import DailyMetric, KpiTarget, Order
from tests.campaigns.support import say, texts


def _seed(db: Engine) -> None:
    """October: 4 orders of 100; November so far (to the 22nd): 6 orders of 150, one cancelled."""
    with Session(db) as s:
        rows = [("O", date(2026, 10, d), Decimal(100), "paid", f"c{d % 3}") for d in (3, 9, 15, 21)]
        rows += [("N", date(2026, 11, d), Decimal(150), "paid", f"c{d % 4}") for d in (1, 4, 8, 12, 16, 20)]
        rows += [("X", date(2026, 11, 21), Decimal(999), "cancelled", "c9")]
        for n, (prefix, day, total, status, customer) in enumerate(rows):
            at = datetime(day.year, day.month, day.day, 4, tzinfo=UTC)
            s.add(
                Order(
                    team_id="T_DEMO",
                    order_id=f"{prefix}{n}",
                    customer_id=customer,
                    created_at=at,
                    day=day,
                    total=total,
                    status=status,
                )
            )
        for metric, value in (
            ("sessions", 5000),
            ("product_views", 2000),
            ("add_to_cart", 300),
            ("checkouts", 120),
        ):
            s.add(
                DailyMetric(
                    team_id="T_DEMO",
                    metric=metric,
                    day=date(2026, 11, 5),
                    value=Decimal(value),
                    updated_at=datetime.now(UTC),
                )
            )
        s.flush()
        service.refresh_customers(s, "T_DEMO")
        s.commit()


def test_show_gives_each_kpi_its_change_target_and_pace(slack: SlackDriver, db: Engine) -> None:
    _seed(db)
    say(slack, "/ecom settings language en")
    say(slack, "/kpi target gmv 2000 period:month")
    say(slack, "/kpi target conversion_rate 0.15%")
    shown = texts(say(slack, "/kpi show month"))
    # November to date (the clock is Nov 23): 6 paid orders of 150 = 900; October: 400 → +125.0 %.
    assert "*GMV* CN¥900.00 · +125.0% vs CN¥400.00" in shown
    assert "target CN¥2,000.00: 45%" in shown and "on pace for CN¥1,227.27" in shown  # 900 × 30 / 22
    # Traffic was logged for Nov 5 only, a day without orders: conversion counts the days that have
    # both, so 0 / 5,000 (the 6 orders of other days would have made it 0.12 %).
    assert "*Conversion rate* 0.0%" in shown and "target 0.2%: 0%" in shown
    assert "Orders* 6 · +50.0% vs 4" in shown
    # A running month is compared with as many days of the month before (Oct 1-23).
    assert (
        "Compared with Oct 1, 2026 – Oct 23, 2026." in shown
        and "GMV = order totals of non-cancelled orders" in shown
    )
    october = texts(say(slack, "/kpi show 2026-10"))
    assert "*GMV* CN¥400.00" in october


def test_the_funnel_marks_its_weakest_step(slack: SlackDriver, db: Engine) -> None:
    _seed(db)
    say(slack, "/ecom settings language en")
    funnel = texts(say(slack, "/kpi funnel"))
    # 5,000 → 2,000 (40 %) → 300 (15 %) → 120 (40 %) → 6 paid orders (5 %): checkout → paid is weakest.
    assert "*Product views* 2,000 · 40.0% of the step before" in funnel
    assert (
        "*Paid orders* 6 · 5.0% of the step before ⚠️ weakest step" in funnel
        or ":warning: weakest step" in funnel.split("Paid orders")[1]
    )


def test_targets_log_and_refusals(slack: SlackDriver, db: Engine, fake: FakeSlack) -> None:
    _seed(db)
    say(slack, "/ecom settings language en")
    assert "Only workspace admins and ops leads" in texts(say(slack, "/kpi target gmv 100", user="U_SAM"))
    assert "There is no KPI sales" in texts(say(slack, "/kpi target sales 100"))
    assert "`lots` is not a target" in texts(say(slack, "/kpi target gmv lots"))
    assert "`period:fortnight` is not a target period" in texts(
        say(slack, "/kpi target gmv 1 period:fortnight")
    )
    say(slack, "/kpi target gmv +25% vs:previous")
    targets = texts(say(slack, "/kpi targets"))
    # +25 % on October's 400 = 500; November so far 900: attained.
    assert (
        "*GMV* · month · +25.0% vs the previous period · this month: CN¥900.00 (180% ✅)" in targets
        or "180%" in targets
    )
    with Session(db) as s:
        assert [t.metric for t in s.exec(select(KpiTarget))] == ["gmv"]
    logged = texts(say(slack, "/kpi log sessions 1,200 date:2026-11-20"))
    assert "*Sessions* on Nov 20, 2026: 1,200." in logged
    assert "1,200 → 1,300" in texts(say(slack, "/kpi log 访客数 1300 date:2026-11-20"))
    assert "There is no shop figure bounces" in texts(say(slack, "/kpi log bounces 3"))
    slack.event({"type": "app_home_opened", "user": "U_DEMO", "tab": "home"})
    home = texts(fake.home_views["U_DEMO"])
    assert "This month's KPIs" in home and "*GMV* CN¥900.00 · target CN¥500.00" in home


def test_changing_a_growth_target_and_who_logs_figures(slack: SlackDriver) -> None:
    say(slack, "/ecom settings language en")
    say(slack, "/kpi target gmv +25%")
    changed = texts(say(slack, "/kpi target gmv +30%"))
    assert "+25.0% vs the same period last year → +30.0% vs the same period last year" in changed
    assert "Only workspace admins and ops leads can record shop figures" in texts(
        say(slack, "/kpi log sessions 5", user="U_SAM")
    )
