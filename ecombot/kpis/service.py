"""KPIs: orders and daily figures in (imported or logged), targets, and where each KPI stands. No
Slack here."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, timedelta
from decimal import Decimal
from functools import lru_cache

import sqlalchemy as sa
from sqlmodel import Session, col, select

from ecombot import metrics
from ecombot.actor import Actor
from ecombot.budgets.periods import Period, month_of, parse_period
from ecombot.db import insert_for
from ecombot.errors import InvalidInput, PermissionDenied
from ecombot.kpis import compute, figures, orders
from ecombot.kpis.models import DailyMetric, KpiAnomaly, KpiCustomer, KpiTarget, Order
from ecombot.slack.parsing import ParseError

CHUNK = 5_000
MAX_BYTES = 200 * 1024 * 1024


@dataclass
class OrdersImported:
    """What an orders import did."""

    filename: str
    layout: str
    rows: int = 0
    new: int = 0
    updated: int = 0  # already there: updated, or unchanged
    skipped: list[orders.Skip] = field(default_factory=list)
    skipped_count: int = 0
    first: date | None = None
    last: date | None = None


def import_orders(
    session: Session,
    actor: Actor,
    data: bytes,
    filename: str,
    *,
    currency: str,
    workspace_tz: str,
    layout: orders.OrderLayout | None = None,
) -> OrdersImported:
    """Orders upserted by their id (a re-import or an overlapping file updates, never double counts),
    all in the caller's transaction: a failure leaves nothing half-applied."""
    if len(data) > MAX_BYTES:
        raise InvalidInput("import_too_big_bytes", limit=MAX_BYTES // (1024 * 1024))
    parsed = orders.parse(data, filename, tz=workspace_tz, layout=layout)
    other = sorted(c for c in parsed.currencies if c != currency)
    if other:
        raise InvalidInput("import_currency", currency=", ".join(other), expected=currency)
    frame = parsed.frame
    done = OrdersImported(filename, parsed.layout, skipped=parsed.skipped, skipped_count=parsed.skipped_count)
    if frame.empty:
        metrics.count_import("orders", 0, done.skipped_count)
        return done
    local = frame["created_at"].dt.tz_convert(workspace_tz)
    days = local.dt.date
    done.first, done.last = min(days), max(days)
    before = _count(session, actor.team_id)
    # The buyers whose first order may move: those in the file, and those the file's orders had before
    # (an order re-imported under another buyer). A large file recomputes the whole workspace.
    touched: set[str] | None = None
    if len(frame) <= CUSTOMERS_BY_ID:
        earlier = session.execute(
            sa.select(col(Order.customer_id)).where(
                col(Order.team_id) == actor.team_id, col(Order.order_id).in_(list(frame["order_id"]))
            )
        )
        touched = (set(frame["customer_id"]) | {str(c) for (c,) in earlier}) - {""}
    table = Order.__table__  # type: ignore[attr-defined]
    insert = insert_for(session)(table)
    statement = insert.on_conflict_do_update(
        index_elements=["team_id", "order_id"],
        set_={
            name: insert.excluded[name]
            for name in (
                "customer_id",
                "created_at",
                "day",
                "total",
                "refunded",
                "status",
                "currency",
                "channel",
            )
        },
    )
    created = (ts.to_pydatetime().astimezone(UTC) for ts in frame["created_at"])
    rows = zip(
        frame["order_id"],
        frame["customer_id"],
        created,
        days,
        frame["total"],
        frame["refunded"],
        frame["status"],
        frame["currency"],
        frame["channel"],
        strict=True,
    )
    connection = session.connection()
    # Written a chunk at a time: a million orders never sit in memory as a million dicts.
    while chunk := list(itertools.islice(rows, CHUNK)):
        connection.execute(
            statement,
            [
                {
                    "team_id": actor.team_id,
                    "order_id": order_id,
                    "customer_id": customer,
                    "created_at": at,
                    "day": day,
                    "total": Decimal(str(total)),
                    "refunded": Decimal(str(refunded)),
                    "status": status,
                    "currency": cur,
                    "channel": channel,
                }
                for order_id, customer, at, day, total, refunded, status, cur, channel in chunk
            ],
        )
    refresh_customers(session, actor.team_id, touched)
    # Rows changed behind the ORM's back: what this session read before is stale.
    session.expire_all()
    done.rows = len(frame)
    done.new = _count(session, actor.team_id) - before
    done.updated = done.rows - done.new
    metrics.count_import("orders", done.rows, done.skipped_count)
    return done


CUSTOMERS_BY_ID = 2_000  # beyond this many buyers touched, the whole workspace is recomputed


def refresh_customers(session: Session, team_id: str, customers: set[str] | None = None) -> None:
    """Recompute the first order day of these buyers (all of the workspace's when None or many)."""
    table = KpiCustomer.__table__  # type: ignore[attr-defined]
    orders = Order.__table__  # type: ignore[attr-defined]
    scope = None if customers is None or len(customers) > CUSTOMERS_BY_ID else sorted(customers)
    if scope == []:
        return
    delete = sa.delete(table).where(table.c.team_id == team_id)
    first = (
        sa.select(orders.c.team_id, orders.c.customer_id, sa.func.min(orders.c.day))
        .where(orders.c.team_id == team_id, orders.c.customer_id != "", orders.c.status != "cancelled")
        .group_by(orders.c.team_id, orders.c.customer_id)
    )
    if scope is not None:
        delete = delete.where(table.c.customer_id.in_(scope))
        first = first.where(orders.c.customer_id.in_(scope))
    session.execute(delete)
    session.execute(sa.insert(table).from_select(["team_id", "customer_id", "first_day"], first))


def _count(session: Session, team_id: str) -> int:
    return int(session.execute(sa.select(sa.func.count()).where(col(Order.team_id) == team_id)).scalar() or 0)


@dataclass
class FiguresImported:
    """What a daily-figures import did."""

    filename: str
    layout: str
    rows: int = 0
    metrics: list[str] = field(default_factory=list)
    skipped: list[orders.Skip] = field(default_factory=list)
    first: date | None = None
    last: date | None = None


def import_figures(session: Session, actor: Actor, data: bytes, filename: str) -> FiguresImported:
    """Daily figures upserted by (metric, day)."""
    parsed = figures.parse(data, filename)
    done = FiguresImported(filename, parsed.layout, skipped=parsed.skipped)
    latest: dict[tuple[str, date], Decimal] = {}
    for _, day, metric, value in parsed.rows:
        latest[(metric, day)] = value
    for (metric, day), value in latest.items():
        _upsert_metric(session, actor, metric, day, value, origin="import")
    done.rows = len(latest)
    done.metrics = sorted({metric for metric, _ in latest})
    if latest:
        done.first = min(day for _, day in latest)
        done.last = max(day for _, day in latest)
    metrics.count_import("figures", done.rows, len(done.skipped))
    return done


def _upsert_metric(
    session: Session, actor: Actor, metric: str, day: date, value: Decimal, *, origin: str
) -> None:
    table = DailyMetric.__table__  # type: ignore[attr-defined]
    insert = insert_for(session)(table).values(
        team_id=actor.team_id,
        metric=metric,
        day=day,
        value=value,
        origin=origin,
        logged_by=actor.user_id,
        updated_at=actor.now,
    )
    session.execute(
        insert.on_conflict_do_update(
            index_elements=["team_id", "metric", "day"],
            set_={
                "value": insert.excluded.value,
                "origin": origin,
                "logged_by": actor.user_id,
                "updated_at": actor.now,
            },
        )
    )


def log_metric(
    session: Session, actor: Actor, metric_text: str, value: Decimal, day: date
) -> tuple[str, Decimal | None]:
    """`/kpi log <metric> <value> [date:]`: one figure for one day (again replaces it); returns the
    metric and its value before."""
    if not actor.is_manager:
        raise PermissionDenied("kpis_figures_managers_only")
    metric = figures.metric_of(metric_text)
    if metric is None:
        raise InvalidInput("kpis_unknown_metric", part=metric_text, known=", ".join(figures.METRICS))
    if value < 0 or value >= figures.VALUE_LIMIT:
        raise InvalidInput("kpis_bad_value")
    found = session.execute(
        sa.select(col(DailyMetric.value)).where(
            col(DailyMetric.team_id) == actor.team_id,
            col(DailyMetric.metric) == metric,
            col(DailyMetric.day) == day,
        )
    ).scalar()
    before = Decimal(found) if found is not None else None
    _upsert_metric(session, actor, metric, day, value, origin="manual")
    return metric, before


# -- targets ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TargetDraft:
    """`/kpi target <metric> <value> [period:] [vs:last_year|previous]`."""

    metric: str
    value: Decimal
    growth: bool
    period: str  # month | week | 2026-12 | 2026-W49
    basis: str = "last_year"


def set_target(session: Session, actor: Actor, draft: TargetDraft) -> tuple[KpiTarget, KpiTarget | None]:
    """Admins and ops leads set targets; returns the target and what it was before."""
    if not actor.is_manager:
        raise PermissionDenied("kpis_managers_only")
    if draft.metric not in compute.KPIS:
        raise InvalidInput("kpis_unknown_kpi", part=draft.metric, known=", ".join(compute.KPIS))
    target = session.exec(
        select(KpiTarget).where(
            KpiTarget.team_id == actor.team_id,
            KpiTarget.metric == draft.metric,
            KpiTarget.period == draft.period,
        )
    ).first()
    before = KpiTarget.model_validate(target.model_dump()) if target is not None else None
    if target is None:
        target = KpiTarget(
            team_id=actor.team_id,
            metric=draft.metric,
            period=draft.period,
            value=draft.value,
            updated_at=actor.now,
        )
    target.value, target.growth, target.basis = draft.value, draft.growth, draft.basis if draft.growth else ""
    target.set_by, target.updated_at = actor.user_id, actor.now
    session.add(target)
    session.flush()
    return target, before


def targets(session: Session, team_id: str) -> list[KpiTarget]:
    """Every target, by KPI."""
    order = {name: i for i, name in enumerate(compute.KPIS)}
    rows = session.exec(select(KpiTarget).where(KpiTarget.team_id == team_id)).all()
    return sorted(rows, key=lambda t: (order.get(t.metric, 99), t.period))


@lru_cache(maxsize=1024)
def period_key(period: Period) -> tuple[str, str]:
    """(kind, label) of a period: ("month", "2026-12"), ("week", "2026-W49") or ("", "")."""
    if period == month_of(period.start):
        return "month", period.label
    if period == compute.week_of(period.start):
        year, week, _ = period.start.isocalendar()
        return "week", f"{year}-W{week:02d}"
    return "", ""


ADDITIVE = ("gmv", "orders", "customers", "new_customers", "spend")  # a month's target splits by days


def target_for(rows: list[KpiTarget], metric: str, period: Period) -> KpiTarget | None:
    """The target that applies: the one for this very period, else the one for every such period;
    a week or a day without its own takes its month's, its share of days for amounts and counts (an
    unsaved copy)."""
    kind, label = period_key(period)
    if kind:
        exact = next((t for t in rows if t.metric == metric and t.period == label), None)
        found = exact or next((t for t in rows if t.metric == metric and t.period == kind), None)
        if found is not None or kind == "month":
            return found
    month = month_of(period.start)
    if period.end > month.end:
        return None  # a week across two months: no single month's target to share
    monthly = target_for(rows, metric, month)
    if monthly is None:
        return None
    share = KpiTarget.model_validate(monthly.model_dump())
    if not monthly.growth and metric in ADDITIVE:
        share.value = monthly.value * period.days / month.days
    return share


def target_value(
    session: Session,
    team_id: str,
    target: KpiTarget,
    period: Period,
    value_of: Callable[[Period], Decimal | None] | None = None,
) -> Decimal | None:
    """What the KPI should reach in the period: the value, or for a growth target the base period's
    value grown by it (None when the base has no data). `value_of` reads the base more cheaply when
    the caller has it."""
    if not target.growth:
        return target.value
    base_period = compute.last_year(period) if target.basis != "previous" else compute.previous(period)
    base = (
        value_of(base_period)
        if value_of is not None
        else compute.compute(session, team_id, base_period)[target.metric]
    )
    if base is None or base == 0:
        return None
    return base * (1 + target.value)


def parse_period_text(text: str, today: date) -> Period:
    """`today`, `yesterday`, `week`, `month`, `2026-11`, `2026-W47` (ISO week), `last-week`, `last-month`."""
    lowered = text.strip().lower()
    if lowered in ("today", "今天"):
        return Period(today, today)
    if lowered in ("yesterday", "昨天"):
        day = today - timedelta(days=1)
        return Period(day, day)
    if lowered in ("week", "本周"):
        return compute.week_of(today)
    if lowered in ("last-week", "上周"):
        return compute.week_of(today - timedelta(days=7))
    if lowered in ("month", "本月"):
        return month_of(today)
    if lowered in ("last-month", "上月"):
        return month_of(month_of(today).start - timedelta(days=1))
    if m := re.fullmatch(r"(\d{4})-?w(\d{1,2})", lowered):
        try:
            monday = date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
        except ValueError:
            raise InvalidInput("kpis_bad_period", part=text) from None
        return compute.week_of(monday)
    try:
        return parse_period(text, today)
    except ParseError:
        raise InvalidInput("kpis_bad_period", part=text) from None


# -- what other domains read (retros, scorecards) ---------------------------------------------------


@dataclass(frozen=True)
class Attainment:
    """A KPI with a target over a period: its value, what it should have reached, and whether it did."""

    metric: str
    value: Decimal | None
    goal: Decimal
    met: bool | None  # None: no value to compare


def met(metric: str, value: Decimal | None, goal: Decimal) -> bool | None:
    """Whether `value` reaches `goal` (at most it, for a KPI where lower is better)."""
    if value is None:
        return None
    return value <= goal if metric in compute.LOWER_IS_BETTER else value >= goal


def attainment(session: Session, team_id: str, period: Period) -> list[Attainment]:
    """Every KPI with a target that applies to the period, against it. Part of an ISO week (Monday to
    yesterday) is held to the week's target, its share of days for amounts and counts."""
    rows = targets(session, team_id)
    if not rows:
        return []
    week = compute.week_of(period.start)
    partial_week = period.start == week.start and period.end < week.end
    figures_ = compute.compute(session, team_id, period)
    out: list[Attainment] = []
    for metric in compute.KPIS:
        target = target_for(rows, metric, week if partial_week else period)
        if target is None:
            continue
        goal = target_value(session, team_id, target, week if partial_week else period)
        if goal is None:
            continue
        if partial_week and metric in ADDITIVE:
            goal = goal * period.days / week.days
        out.append(Attainment(metric, figures_[metric], goal, met(metric, figures_[metric], goal)))
    return out


def value_over(session: Session, team_id: str, metric: str, period: Period) -> Decimal | None:
    """One KPI over a period (None: no data for it)."""
    if metric not in compute.KPIS:
        raise InvalidInput("kpis_unknown_kpi", part=metric, known=", ".join(compute.KPIS))
    return compute.compute(session, team_id, period)[metric]


@dataclass(frozen=True)
class AnomalySeen:
    """An anomaly alert that covered days of a period."""

    metric: str
    direction: str  # up | down
    first_day: date
    last_day: date


def anomalies_between(session: Session, team_id: str, first: date, last: date) -> list[AnomalySeen]:
    """Anomalies flagged on days between `first` and `last`, latest first."""
    rows = session.exec(
        select(KpiAnomaly)
        .where(KpiAnomaly.team_id == team_id, col(KpiAnomaly.last_day) >= first)
        .where(col(KpiAnomaly.first_day) <= last)
        .order_by(col(KpiAnomaly.last_day).desc())
        .limit(20)
    ).all()
    return [AnomalySeen(a.metric, a.direction, a.first_day, a.last_day) for a in rows]
