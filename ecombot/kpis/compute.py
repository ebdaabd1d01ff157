"""The built-in KPIs of a period, as DESIGN.md defines them, computed by the database (aggregates that
use the orders' indexes) so a month over a million orders stays well under a second.

Orders count by their day in the workspace's zone; cancelled orders are no sales; ratios are ratios
of sums, None (n/a) when the denominator is zero."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Session, col

from ecombot.budgets.periods import Period, month_of
from ecombot.campaigns import spending
from ecombot.campaigns.metrics import ratio
from ecombot.kpis.models import DailyMetric, KpiCustomer, Order

# name -> kind: money | count | rate | ratio (how it is shown and how a change is written)
KPIS: dict[str, str] = {
    "gmv": "money",
    "orders": "count",
    "aov": "money",
    "customers": "count",
    "new_customers": "count",
    "repeat_rate": "rate",
    "conversion_rate": "rate",
    "refund_rate": "rate",
    "spend": "money",
    "roas": "ratio",
    "cpa": "money",
}
FUNNEL = ("sessions", "product_views", "add_to_cart", "checkouts", "orders")
LOWER_IS_BETTER = {"refund_rate", "cpa", "spend"}


def week_of(day: date) -> Period:
    """The ISO week (Monday to Sunday) of a day."""
    monday = day - timedelta(days=day.weekday())
    return Period(monday, monday + timedelta(days=6))


def previous(period: Period) -> Period:
    """The period before: the previous day, week or month, else the same length just before."""
    if period == month_of(period.start):
        return month_of(period.start - timedelta(days=1))
    return Period(period.start - timedelta(days=period.days), period.start - timedelta(days=1))


def last_year(period: Period) -> Period:
    """The same period a year earlier (a week: the same ISO week; 29 Feb becomes 28 Feb)."""
    if period.days == 7 and period.start.weekday() == 0:
        year, week, _ = period.start.isocalendar()
        monday = date.fromisocalendar(year - 1, min(week, 52), 1)
        return Period(monday, monday + timedelta(days=6))
    if period == month_of(period.start):
        return month_of(period.start.replace(year=period.start.year - 1))

    def back(day: date) -> date:
        try:
            return day.replace(year=day.year - 1)
        except ValueError:
            return day.replace(year=day.year - 1, day=28)

    return Period(back(period.start), back(period.end))


@dataclass
class Figures:
    """A period's KPIs and its funnel."""

    period: Period
    values: dict[str, Decimal | None] = field(default_factory=dict)
    funnel: dict[str, Decimal] = field(default_factory=dict)

    def __getitem__(self, name: str) -> Decimal | None:
        return self.values.get(name)


def _sold(team_id: str, start: date, end: date) -> sa.ColumnElement[bool]:
    return sa.and_(
        col(Order.team_id) == team_id,
        col(Order.day) >= start,
        col(Order.day) <= end,
        col(Order.status) != "cancelled",
    )


def compute(session: Session, team_id: str, period: Period) -> Figures:
    """Every built-in KPI of the period, and the funnel."""
    start, end = period.start, period.end
    sold = _sold(team_id, start, end)
    count, gmv, refunded, customers = session.execute(
        sa.select(
            sa.func.count(),
            sa.func.sum(col(Order.total)),
            sa.func.sum(col(Order.refunded)),
            sa.func.count(sa.distinct(sa.case((col(Order.customer_id) != "", col(Order.customer_id))))),
        ).where(sold)
    ).one()
    gmv_d = Decimal(gmv or 0).quantize(Decimal("0.01"))
    refunded_d = Decimal(refunded or 0).quantize(Decimal("0.01"))
    orders = Decimal(count)
    per_customer = (
        sa.select(col(Order.customer_id))
        .where(sold, col(Order.customer_id) != "")
        .group_by(col(Order.customer_id))
        .having(sa.func.count() >= 2)
        .subquery()
    )
    repeat = session.execute(sa.select(sa.func.count()).select_from(per_customer)).scalar() or 0
    new = session.execute(
        sa.select(sa.func.count()).where(
            col(KpiCustomer.team_id) == team_id,
            col(KpiCustomer.first_day) >= start,
            col(KpiCustomer.first_day) <= end,
        )
    ).scalar()
    figures = dict(
        session.execute(
            sa.select(col(DailyMetric.metric), sa.func.sum(col(DailyMetric.value)))
            .where(
                col(DailyMetric.team_id) == team_id,
                col(DailyMetric.day) >= start,
                col(DailyMetric.day) <= end,
                col(DailyMetric.metric).in_(FUNNEL[:-1]),
            )
            .group_by(col(DailyMetric.metric))
        ).all()
    )
    sessions = Decimal(figures["sessions"]) if figures.get("sessions") is not None else None
    # Conversion over the days that have both: orders of a day without traffic figures would inflate it.
    with_traffic = sa.select(col(DailyMetric.day)).where(
        col(DailyMetric.team_id) == team_id,
        col(DailyMetric.metric) == "sessions",
        col(DailyMetric.day) >= start,
        col(DailyMetric.day) <= end,
    )
    converted = session.execute(
        sa.select(sa.func.count()).where(sold, col(Order.day).in_(with_traffic))
    ).scalar()
    spend, revenue, conversions = spending.totals_between(session, team_id, start, end)
    values: dict[str, Decimal | None] = {
        "gmv": gmv_d,
        "orders": orders,
        "aov": ratio(gmv_d, orders),
        "customers": Decimal(customers),
        "new_customers": Decimal(new or 0),
        "repeat_rate": ratio(repeat, customers),
        "conversion_rate": ratio(converted, sessions),
        "refund_rate": ratio(refunded_d, gmv_d),
        "spend": spend.quantize(Decimal("0.01")),
        "roas": ratio(revenue, spend),
        "cpa": ratio(spend, conversions),
    }
    funnel = {name: Decimal(figures[name]) for name in FUNNEL[:-1] if figures.get(name) is not None}
    funnel["orders"] = orders
    return Figures(period, values, funnel)


def funnel_steps(figures: Figures) -> list[tuple[str, Decimal, Decimal | None]]:
    """(step, count, conversion from the step before) for the steps the data has."""
    steps: list[tuple[str, Decimal, Decimal | None]] = []
    before: Decimal | None = None
    for name in FUNNEL:
        if name not in figures.funnel:
            continue
        value = figures.funnel[name]
        steps.append((name, value, ratio(value, before) if before is not None else None))
        before = value
    return steps


def weakest_step(steps: list[tuple[str, Decimal, Decimal | None]]) -> str | None:
    """The step that keeps the smallest share of the one before."""
    rated = [(rate, name) for name, _, rate in steps if rate is not None]
    return min(rated)[1] if rated else None


def change(kind: str, current: Decimal | None, before: Decimal | None) -> tuple[str, Decimal | None]:
    """("pp", points) for rates; ("pct", relative change) otherwise; ("new", None) from nothing;
    ("na", None) when either side is missing."""
    if current is None or before is None:
        return "na", None
    if kind == "rate":
        return "pp", (current - before) * 100
    if before == 0:
        return ("new", None) if current != 0 else ("pct", Decimal(0))
    return "pct", (current - before) / abs(before)


def gmv_by_day(session: Session, team_id: str, start: date, end: date) -> dict[date, Decimal]:
    """GMV per day over a span, in one query (charts need only this, over many periods)."""
    rows = session.execute(
        sa.select(col(Order.day), sa.func.sum(col(Order.total)))
        .where(_sold(team_id, start, end))
        .group_by(col(Order.day))
    )
    return {day: Decimal(total or 0) for day, total in rows}


def gmv_of_periods(session: Session, team_id: str, periods: list[Period]) -> list[Decimal]:
    """GMV of each period (one query over their whole span)."""
    if not periods:
        return []
    by_day = gmv_by_day(session, team_id, min(p.start for p in periods), max(p.end for p in periods))
    return [
        sum((amount for day, amount in by_day.items() if p.start <= day <= p.end), Decimal(0)).quantize(
            Decimal("0.01")
        )
        for p in periods
    ]
