"""Scorecards (绩效考核): personal targets set by ops leads, and whether each member gets their own
card by DM every month."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from ecombot.db import UTCDateTime


class ScorecardTarget(SQLModel, table=True):
    """A member's target for one figure of their card, per month or per week."""

    __tablename__ = "scorecard_targets"
    __table_args__ = (
        sa.UniqueConstraint("team_id", "user_id", "metric", "period", name="uq_scorecard_targets_metric"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32, foreign_key="workspaces.team_id", ondelete="CASCADE")
    user_id: str = Field(max_length=32)
    metric: str = Field(max_length=40)
    period: str = Field(default="month", max_length=8)  # month | week
    value: Decimal = Field(sa_column=sa.Column(sa.Numeric(20, 4), nullable=False))
    set_by: str = Field(max_length=32)
    updated_at: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))


class ScorecardSettings(SQLModel, table=True):
    """Whether each member gets last month's card by DM on the 1st at 10:00 their time."""

    __tablename__ = "scorecard_settings"

    team_id: str = Field(
        primary_key=True, max_length=32, foreign_key="workspaces.team_id", ondelete="CASCADE"
    )
    monthly: bool = Field(default=False)
    updated_by: str = Field(default="", max_length=32)
    updated_at: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))
