"""Every KPI computed a second way, in plain Python from the raw rows written in the test, on a
month with orders at the edges of days, weeks and months in the workspace's zone."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session

from ecombot.actor import Actor
from ecombot.budgets.periods import Period, month_of
from ecombot.campaigns import service as campaigns
from ecombot.kpis import compute, service
from ecombot.kpis.models import DailyMetric, Order

D = Decimal
SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)


def lead() -> Actor:
    return Actor(team_id="T_DEMO", user_id="U_DEMO", now=NOW, tz="Asia/Shanghai", is_manager=True)


def _orders(seed: int = 7) -> list[dict[str, object]]:
    rng = random.Random(seed)
    rows: list[dict[str, object]] = []
    start = datetime(2026, 9, 1, tzinfo=SHANGHAI)
    for n in range(600):
        local = start + timedelta(minutes=rng.randrange(0, 92 * 24 * 60))
        status = rng.choice(["paid"] * 8 + ["cancelled", "refunded", "partially_refunded"])
        total = D(rng.randrange(1000, 50000)) / 100
        refunded = (
            total
            if status == "refunded"
            else (total / 2).quantize(D("0.01"))
            if status == "partially_refunded"
            else D(0)
        )
        rows.append(
            {
                "order_id": f"O{n}",
                "customer_id": f"c{rng.randrange(0, 120)}" if rng.random() > 0.05 else "",
                "created_at": local.astimezone(UTC),
                "day": local.date(),
                "total": total,
                "refunded": refunded,
                "status": status,
            }
        )
    # At the edge: 00:30 on Dec 1 in Shanghai is still Nov 30 in UTC; 23:59 on Nov 30 is November.
    for order_id, local in (
        ("EDGE1", datetime(2026, 12, 1, 0, 30, tzinfo=SHANGHAI)),
        ("EDGE2", datetime(2026, 11, 30, 23, 59, tzinfo=SHANGHAI)),
    ):
        rows.append(
            {
                "order_id": order_id,
                "customer_id": "edge",
                "created_at": local.astimezone(UTC),
                "day": local.date(),
                "total": D(100),
                "refunded": D(0),
                "status": "paid",
            }
        )
    return rows


def _by_hand(
    rows: list[dict[str, object]], period: Period, sessions: Decimal | None
) -> dict[str, Decimal | None]:
    """The KPI definitions of DESIGN.md, applied to the raw rows."""

    def sold(row: dict[str, object]) -> bool:
        day = row["created_at"].astimezone(SHANGHAI).date()  # type: ignore[attr-defined]
        return period.start <= day <= period.end and row["status"] != "cancelled"

    inside = [r for r in rows if sold(r)]
    gmv = sum((r["total"] for r in inside), D(0))  # type: ignore[misc]
    refunded = sum((r["refunded"] for r in inside), D(0))  # type: ignore[misc]
    buyers = [r["customer_id"] for r in inside if r["customer_id"]]
    customers = set(buyers)
    repeat = {c for c in customers if buyers.count(c) >= 2}
    first: dict[object, date] = {}
    for r in rows:
        if r["status"] != "cancelled" and r["customer_id"]:
            day = r["created_at"].astimezone(SHANGHAI).date()  # type: ignore[attr-defined]
            first[r["customer_id"]] = min(first.get(r["customer_id"], day), day)
    new = {c for c in customers if period.start <= first[c] <= period.end}
    orders = D(len(inside))
    return {
        "gmv": gmv,
        "orders": orders,
        "aov": gmv / orders if orders else None,
        "customers": D(len(customers)),
        "new_customers": D(len(new)),
        "repeat_rate": D(len(repeat)) / D(len(customers)) if customers else None,
        "conversion_rate": orders / sessions if sessions else None,
        "refund_rate": refunded / gmv if gmv else None,
    }


@pytest.mark.parametrize(
    "period",
    [
        month_of(date(2026, 11, 1)),
        month_of(date(2026, 12, 1)),
        compute.week_of(date(2026, 11, 30)),  # Mon Nov 30 – Sun Dec 6
        Period(date(2026, 11, 30), date(2026, 11, 30)),
        Period(date(2026, 10, 15), date(2026, 11, 14)),
    ],
    ids=["november", "december", "iso-week", "one-day", "custom"],
)
def test_every_kpi_matches_a_computation_by_hand(session: Session, workspace: str, period: Period) -> None:
    rows = _orders()
    for row in rows:
        session.add(Order(team_id="T_DEMO", **row))  # type: ignore[arg-type]
    sessions = D(0)
    day = period.start
    while day <= period.end:
        session.add(DailyMetric(team_id="T_DEMO", metric="sessions", day=day, value=D(1000), updated_at=NOW))
        sessions += 1000
        day += timedelta(days=1)
    session.flush()
    service.refresh_customers(session, "T_DEMO")
    figures = compute.compute(session, "T_DEMO", period)
    expected = _by_hand(rows, period, sessions)
    for name, value in expected.items():
        got = figures[name]
        if value is None:
            assert got is None, name
        else:
            assert got is not None and abs(got - value) < D("0.000001"), (name, got, value)


def test_ads_come_from_campaigns_and_ratios_are_na_without_denominators(
    session: Session, workspace: str
) -> None:
    period = month_of(date(2026, 11, 1))
    empty = compute.compute(session, "T_DEMO", period)
    assert (
        empty["orders"] == 0
        and empty["aov"] is None
        and empty["conversion_rate"] is None
        and empty["roas"] is None
    )
    campaign = campaigns.create(
        session, lead(), campaigns.Draft(name="Ads", budget=D(10000), currency="CNY", start=date(2026, 11, 1))
    )
    campaigns.record(
        session,
        lead(),
        campaign,
        campaigns.Entry(day=date(2026, 11, 3), source="google", spend=D(300), revenue=D(900), orders=D(6)),
    )
    # A range row half inside the month counts half.
    campaigns.record(
        session,
        lead(),
        campaign,
        campaigns.Entry(
            day=date(2026, 11, 29),
            last_day=date(2026, 12, 2),
            source="meta",
            spend=D(400),
            revenue=D(800),
            orders=D(4),
        ),
    )
    figures = compute.compute(session, "T_DEMO", period)
    assert (
        figures["spend"] == D(500) and figures["roas"] == D(1300) / D(500) and figures["cpa"] == D(500) / D(8)
    )


def test_changes_read_as_people_expect() -> None:
    assert compute.change("money", D(125), D(100)) == ("pct", D("0.25"))
    assert compute.change("rate", D("0.35"), D("0.30")) == ("pp", D("5.00"))
    assert compute.change("count", D(5), D(0)) == ("new", None)
    assert compute.change("count", None, D(3)) == ("na", None)
    assert compute.previous(month_of(date(2026, 3, 1))) == month_of(date(2026, 2, 1))
    assert compute.last_year(compute.week_of(date(2026, 11, 23))) == compute.week_of(date(2025, 11, 24))


def test_targets_and_growth_targets(session: Session, workspace: str) -> None:
    for n, (day, total) in enumerate([(date(2025, 11, 10), D(1000)), (date(2026, 11, 10), D(1100))]):
        local = datetime.combine(day, datetime.min.time(), tzinfo=SHANGHAI)
        session.add(
            Order(
                team_id="T_DEMO",
                order_id=f"G{n}",
                created_at=local.astimezone(UTC),
                day=day,
                total=total,
                status="paid",
            )
        )
    session.flush()
    service.refresh_customers(session, "T_DEMO")
    target, _ = service.set_target(session, lead(), service.TargetDraft("gmv", D("0.25"), True, "month"))
    november = month_of(date(2026, 11, 1))
    assert service.target_value(session, "T_DEMO", target, november) == D(1250)  # last November × 1.25
    assert service.target_for(service.targets(session, "T_DEMO"), "gmv", november) == target
    exact, _ = service.set_target(session, lead(), service.TargetDraft("gmv", D(2000), False, "2026-11"))
    assert service.target_for(service.targets(session, "T_DEMO"), "gmv", november) == exact


def test_a_week_or_a_day_without_its_own_target_takes_its_month_s_share(
    session: Session, workspace: str
) -> None:
    service.set_target(session, lead(), service.TargetDraft("gmv", D(30000), False, "month"))
    service.set_target(session, lead(), service.TargetDraft("conversion_rate", D("0.02"), False, "month"))
    rows = service.targets(session, "T_DEMO")
    week = compute.week_of(date(2026, 11, 9))  # Nov 9-15, inside November (30 days)
    assert service.target_for(rows, "gmv", week).value == D(7000)  # type: ignore[union-attr]
    assert service.target_for(rows, "conversion_rate", week).value == D("0.02")  # type: ignore[union-attr]
    assert service.target_for(rows, "gmv", Period(date(2026, 11, 9), date(2026, 11, 9))).value == D(1000)  # type: ignore[union-attr]
    assert service.target_for(rows, "gmv", compute.week_of(date(2026, 11, 30))) is None  # across two months
    service.set_target(session, lead(), service.TargetDraft("gmv", D(9000), False, "week"))
    assert service.target_for(service.targets(session, "T_DEMO"), "gmv", week).value == D(9000)  # type: ignore[union-attr]


def test_conversion_counts_only_the_days_with_traffic_figures(session: Session, workspace: str) -> None:
    for n, day in enumerate([date(2026, 11, 2), date(2026, 11, 3), date(2026, 11, 4), date(2026, 11, 5)]):
        at = datetime(2026, 11, day.day, 4, tzinfo=UTC)
        session.add(
            Order(
                team_id="T_DEMO",
                order_id=f"V{n}",
                customer_id="v",
                created_at=at,
                day=day,
                total=D(10),
                status="paid",
            )
        )
    for day in (date(2026, 11, 2), date(2026, 11, 3)):  # traffic logged for two of the four days
        session.add(DailyMetric(team_id="T_DEMO", metric="sessions", day=day, value=D(100), updated_at=NOW))
    session.flush()
    figures = compute.compute(session, "T_DEMO", month_of(date(2026, 11, 1)))
    assert figures["orders"] == 4 and figures["conversion_rate"] == D(2) / D(200)  # not 4 / 200


def test_periods_read_together_match_each_read_alone_and_a_pace_skips_the_buyers(
    session: Session, workspace: str
) -> None:
    rows = _orders()
    for row in rows:
        session.add(Order(team_id="T_DEMO", **row))  # type: ignore[arg-type]
    session.flush()
    service.refresh_customers(session, "T_DEMO")
    week = compute.week_of(date(2026, 11, 23))
    before = Period(date(2026, 11, 16), date(2026, 11, 19))
    closed = Period(week.start, date(2026, 11, 25))
    alone = [compute.compute(session, "T_DEMO", p) for p in (week, before, closed)]
    together = compute.compute_many(session, "T_DEMO", [week, before, closed], buyers=2)
    for i, (one, many) in enumerate(zip(alone, together, strict=True)):
        for name in compute.KPIS:
            if i == 2 and name in ("customers", "repeat_rate"):
                assert many[name] is None, name  # not counted for the pace
            else:
                assert many[name] == one[name], (i, name)
    assert alone[0]["customers"] and alone[0]["orders"]  # the data has buyers in the week
