"""A/B tests (A/B测试): the experiment (hypothesis, metric, variants, planned sample, decision) and the
figures logged for each variant, daily or as running totals."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from ecombot.db import UTCDateTime


class Experiment(SQLModel, table=True):
    """One A/B test; the first variant is the control."""

    __tablename__ = "experiments"
    __table_args__ = (sa.UniqueConstraint("team_id", "name_key", name="uq_experiments_team_name"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32, foreign_key="workspaces.team_id", ondelete="CASCADE")
    name: str = Field(max_length=80)
    name_key: str = Field(max_length=80)
    hypothesis: str = Field(default="", max_length=500)
    metric: str = Field(
        default="conversion", max_length=40
    )  # conversion | revenue_per_visitor | a custom name
    variants: list[str] = Field(default_factory=list, sa_column=sa.Column(sa.JSON, nullable=False))
    min_sample: int | None = Field(default=None)  # visitors per variant planned before any verdict
    start: date | None = Field(default=None, sa_column=sa.Column(sa.Date, nullable=True))
    end: date | None = Field(default=None, sa_column=sa.Column(sa.Date, nullable=True))
    owner_id: str = Field(max_length=32)
    channel_id: str = Field(default="", max_length=32)
    status: str = Field(default="running", max_length=10)  # running | decided
    decision: str = Field(default="", max_length=40)  # the variant chosen, or "none"
    reason: str = Field(default="", max_length=500)
    decided_by: str = Field(default="", max_length=32)
    decided_at: datetime | None = Field(default=None, sa_column=sa.Column(UTCDateTime(), nullable=True))
    created_by: str = Field(max_length=32)
    created_at: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))
    updated_at: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))


class ExperimentResult(SQLModel, table=True):
    """A variant's figures: one day's (daily), or everything up to that day (cumulative)."""

    __tablename__ = "experiment_results"
    __table_args__ = (
        sa.UniqueConstraint(
            "experiment_id", "variant", "day", "cumulative", name="uq_experiment_results_variant_day"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    experiment_id: int = Field(foreign_key="experiments.id", ondelete="CASCADE")
    team_id: str = Field(max_length=32)
    variant: str = Field(max_length=40)
    day: date = Field(sa_column=sa.Column(sa.Date, nullable=False))
    cumulative: bool = Field(default=False)
    visitors: int
    conversions: int
    revenue: Decimal | None = Field(default=None, sa_column=sa.Column(sa.Numeric(18, 2), nullable=True))
    logged_by: str = Field(default="", max_length=32)
    logged_at: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))
