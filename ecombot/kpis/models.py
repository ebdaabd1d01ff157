"""Orders and daily shop figures imported or logged, KPI targets, and the state of anomaly alerts."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from ecombot.db import UTCDateTime

MONEY = sa.Numeric(18, 2)
STATUSES = ("paid", "cancelled", "refunded", "partially_refunded")


class Order(SQLModel, table=True):
    """One order as the shop reported it; `day` is its date in the workspace's zone when imported."""

    __tablename__ = "kpi_orders"
    __table_args__ = (
        sa.UniqueConstraint("team_id", "order_id", name="uq_kpi_orders_team_order"),
        # A period's sales read from the index alone (`/kpi show`, digests, anomalies).
        sa.Index(
            "ix_kpi_orders_team_day_sales", "team_id", "day", "status", "customer_id", "total", "refunded"
        ),
        sa.Index("ix_kpi_orders_team_customer", "team_id", "customer_id", "day"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32, foreign_key="workspaces.team_id", ondelete="CASCADE")
    order_id: str = Field(max_length=64)
    customer_id: str = Field(default="", max_length=128)
    created_at: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))
    day: date
    total: Decimal = Field(sa_column=sa.Column(MONEY, nullable=False))
    refunded: Decimal = Field(default=Decimal(0), sa_column=sa.Column(MONEY, nullable=False))
    status: str = Field(max_length=20)  # paid | cancelled | refunded | partially_refunded
    currency: str = Field(default="", max_length=3)
    channel: str = Field(default="", max_length=40)


class DailyMetric(SQLModel, table=True):
    """A shop-level figure for one day (sessions, visitors, add_to_cart…), logged or imported."""

    __tablename__ = "kpi_daily_metrics"
    __table_args__ = (sa.UniqueConstraint("team_id", "metric", "day", name="uq_kpi_daily_metric"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32, foreign_key="workspaces.team_id", ondelete="CASCADE")
    metric: str = Field(max_length=40)
    day: date
    value: Decimal = Field(sa_column=sa.Column(sa.Numeric(20, 4), nullable=False))
    origin: str = Field(default="manual", max_length=20)
    logged_by: str = Field(default="", max_length=32)
    updated_at: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))


class KpiTarget(SQLModel, table=True):
    """A KPI's target for every month, every week, or one period; a growth target (`+25%`) compares
    with the same period last year or the previous one."""

    __tablename__ = "kpi_targets"
    __table_args__ = (
        sa.UniqueConstraint("team_id", "metric", "period", name="uq_kpi_targets_metric_period"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32, foreign_key="workspaces.team_id", ondelete="CASCADE")
    metric: str = Field(max_length=40)
    period: str = Field(max_length=20)  # month | week | 2026-12 | 2026-W49
    value: Decimal = Field(sa_column=sa.Column(sa.Numeric(20, 4), nullable=False))
    growth: bool = Field(default=False)  # value is a change, e.g. 0.25 for +25 %
    basis: str = Field(default="", max_length=10)  # yoy | previous (growth targets)
    set_by: str = Field(default="", max_length=32)
    updated_at: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))


class KpiAnomaly(SQLModel, table=True):
    """An ongoing anomaly of one metric: consecutive days are one alert, updated in place."""

    __tablename__ = "kpi_anomalies"
    __table_args__ = (sa.Index("ix_kpi_anomalies_team_metric_day", "team_id", "metric", "last_day"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32, foreign_key="workspaces.team_id", ondelete="CASCADE")
    metric: str = Field(max_length=40)
    first_day: date
    last_day: date
    days: int = Field(default=1)
    direction: str = Field(max_length=4)  # up | down
    key: str = Field(max_length=200)  # the outbox key of the alert's message (updated in place)
    created_at: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))


class KpiCustomer(SQLModel, table=True):
    """Each buyer's first order day (over non-cancelled orders), kept up to date by imports: "new
    customers" of a period is then one index range, not a search of every buyer's history."""

    __tablename__ = "kpi_customers"
    __table_args__ = (sa.Index("ix_kpi_customers_team_first", "team_id", "first_day"),)

    team_id: str = Field(
        primary_key=True, max_length=32, foreign_key="workspaces.team_id", ondelete="CASCADE"
    )
    customer_id: str = Field(primary_key=True, max_length=128)
    first_day: date
