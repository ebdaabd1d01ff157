"""The built-in KPIs of a period, as DESIGN.md defines them, computed by the database (aggregates that
use the orders' indexes) so a month over a million orders stays well under a second.

Orders count by their day in the workspace's zone; cancelled orders are no sales; ratios are ratios
of sums, None (n/a) when the denominator is zero."""

from __future__ import annotations

import functools
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

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
CENT = Decimal("0.01")


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
    return compute_many(session, team_id, [period])[0]


def compute_many(
    session: Session, team_id: str, periods: Sequence[Period], *, buyers: int | None = None
) -> list[Figures]:
    """`compute` of each period, in the same two statements whatever their number: each part
    reads the span from the earliest start to the latest end once and sums each period apart (for
    periods close together, such as a week, the days of the week before, and the days closed so far).

    `buyers`: count the buyers (customers, repeat rate) of the first `buyers` periods only (all by
    default); the others, such as a pace on the days closed so far, which reads only the KPIs that
    add up, show them as n/a."""
    if not periods:
        return []
    n = len(periods)
    m = n if buyers is None else max(0, min(buyers, n))
    params: dict[str, Any] = {"team": team_id}
    params["lo"], params["hi"] = min(p.start for p in periods), max(p.end for p in periods)
    for i, p in enumerate(periods):
        params[f"s{i}"], params[f"e{i}"] = p.start, p.end
    statements = _statements(n, m)
    row = session.execute(statements.figures, params).one()
    at = itertools.accumulate((4 * n, 2 * m, n, len(FUNNEL[:-1]) * n), initial=0)
    sold_row, buyers_row, new_row, funnel_row, spend_row = (
        row[a:b] for a, b in itertools.pairwise([*at, None])
    )
    traffic = {name: funnel_row[k * n : (k + 1) * n] for k, name in enumerate(FUNNEL[:-1])}
    money = spending.with_ranges(periods, spend_row, session.execute(statements.ranges, params))
    out: list[Figures] = []
    for i, period in enumerate(periods):
        count, gmv, refunded, converted = sold_row[4 * i : 4 * i + 4]
        customers, repeat = buyers_row[2 * i : 2 * i + 2] if i < m else (None, None)
        gmv_d = Decimal(gmv or 0).quantize(CENT)
        refunded_d = Decimal(refunded or 0).quantize(CENT)
        orders = Decimal(count or 0)
        figures = {name: values[i] for name, values in traffic.items() if values[i] is not None}
        sessions = Decimal(figures["sessions"]) if figures.get("sessions") is not None else None
        spend, revenue, conversions = money[i]
        values: dict[str, Decimal | None] = {
            "gmv": gmv_d,
            "orders": orders,
            "aov": ratio(gmv_d, orders),
            "customers": Decimal(customers or 0) if i < m else None,
            "new_customers": Decimal(new_row[i] or 0),
            "repeat_rate": ratio(repeat or 0, customers or 0) if i < m else None,
            # Conversion over the days that have both: orders of a day without traffic figures
            # would inflate it.
            "conversion_rate": ratio(converted or 0, sessions),
            "refund_rate": ratio(refunded_d, gmv_d),
            "spend": spend.quantize(CENT),
            "roas": ratio(revenue, spend),
            "cpa": ratio(spend, conversions),
        }
        funnel = {name: Decimal(figures[name]) for name in FUNNEL[:-1] if figures.get(name) is not None}
        funnel["orders"] = orders
        out.append(Figures(period, values, funnel))
    return out


@dataclass(frozen=True)
class _Statements:
    # One row, five one-row sums side by side (one round trip instead of five): (orders, GMV,
    # refunded, orders on days with traffic) of each period; (customers, repeat customers) of the
    # first m; new customers of each; each funnel step's sum in each period (step by step); and
    # the campaigns' (spend, revenue, orders) of each from their daily rows.
    figures: sa.Select[Any]
    ranges: sa.Select[Any]  # the campaign results covering a range of days (spending.with_ranges)


@functools.cache
def _statements(n: int, m: int | None = None) -> _Statements:
    """The statements of `compute_many` for `n` periods, built once (with bound parameters: `team`,
    the span `lo`..`hi`, and each period `s<i>`..`e<i>`); buyers counted in the first `m` (all)."""
    team: sa.BindParameter[str] = sa.bindparam("team", type_=sa.String)
    lo, hi = sa.bindparam("lo", type_=sa.Date), sa.bindparam("hi", type_=sa.Date)
    bounds = [(sa.bindparam(f"s{i}", type_=sa.Date), sa.bindparam(f"e{i}", type_=sa.Date)) for i in range(n)]
    day, customer = col(Order.day), col(Order.customer_id)
    sold = (col(Order.team_id) == team, day >= lo, day <= hi, col(Order.status) != "cancelled")
    with_traffic = sa.select(col(DailyMetric.day)).where(
        col(DailyMetric.team_id) == team,
        col(DailyMetric.metric) == "sessions",
        col(DailyMetric.day) >= lo,
        col(DailyMetric.day) <= hi,
    )
    # The orders summed per day first (the index's order, no sort), then the days per period: each
    # order is read once, not once per period.
    per_day = (
        sa.select(
            day.label("day"),
            sa.func.count().label("n"),
            sa.func.sum(col(Order.total)).label("gmv"),
            sa.func.sum(col(Order.refunded)).label("refunded"),
        )
        .where(*sold)
        .group_by(day)
        .subquery()
    )
    columns: list[Any] = []
    for s, e in bounds:
        within = sa.and_(per_day.c.day >= s, per_day.c.day <= e)
        columns += [
            sa.func.sum(sa.case((within, per_day.c.n), else_=0)),
            sa.func.sum(sa.case((within, per_day.c.gmv))),
            sa.func.sum(sa.case((within, per_day.c.refunded))),
            sa.func.sum(sa.case((sa.and_(within, per_day.c.day.in_(with_traffic)), per_day.c.n), else_=0)),
        ]
    # Each buyer's orders in each period: who bought (customers) and who bought twice (repeat).
    inside = [sa.and_(day >= s, day <= e) for s, e in bounds[: n if m is None else m]]
    per_customer = (
        sa.select(
            *(sa.func.sum(sa.case((within, 1), else_=0)).label(f"n{i}") for i, within in enumerate(inside))
        )
        .where(*sold, customer != "")
        .group_by(customer)
        .subquery()
    )
    buyers: list[Any] = []
    for i in range(len(inside)):
        bought = per_customer.c[f"n{i}"]
        buyers += [
            sa.func.sum(sa.case((bought >= 1, 1), else_=0)),
            sa.func.sum(sa.case((bought >= 2, 1), else_=0)),
        ]
    first = col(KpiCustomer.first_day)
    metric_day = col(DailyMetric.day)
    new = sa.select(
        *(
            sa.func.sum(sa.case((sa.and_(first >= s, first <= e), 1), else_=0)).label(f"w{i}")
            for i, (s, e) in enumerate(bounds)
        )
    ).where(col(KpiCustomer.team_id) == team, first >= lo, first <= hi)
    parts = [sa.select(*(c.label(f"s{i}") for i, c in enumerate(columns))).subquery("sold")]
    if buyers:
        parts.append(sa.select(*(c.label(f"b{i}") for i, c in enumerate(buyers))).subquery("buyers"))
    parts.append(new.subquery("new"))
    funnel = sa.select(
        *(
            sa.func.sum(
                sa.case(
                    (
                        sa.and_(col(DailyMetric.metric) == name, metric_day >= s, metric_day <= e),
                        col(DailyMetric.value),
                    )
                )
            ).label(f"f{k}_{i}")
            for k, name in enumerate(FUNNEL[:-1])
            for i, (s, e) in enumerate(bounds)
        )
    ).where(
        col(DailyMetric.team_id) == team,
        metric_day >= lo,
        metric_day <= hi,
        col(DailyMetric.metric).in_(FUNNEL[:-1]),
    )
    parts.append(funnel.subquery("funnel"))
    spend, ranges = spending.period_statements(n)
    parts.append(spend.subquery("spend"))
    joined: Any = parts[0]
    for part in parts[1:]:
        joined = joined.join(part, sa.true())
    return _Statements(
        figures=sa.select(*(c for part in parts for c in part.c)).select_from(joined),
        ranges=ranges,
    )


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
