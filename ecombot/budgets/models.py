"""Budget categories, lines per category and period, spend recorded outside campaigns, the audit
log, alert settings, and the state of each threshold alert."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from ecombot.db import UTCDateTime

MONEY = sa.Numeric(18, 2)


class BudgetCategory(SQLModel, table=True):
    """A category of spend; the five defaults exist in every workspace, under names it may change."""

    __tablename__ = "budget_categories"

    team_id: str = Field(
        primary_key=True, max_length=32, foreign_key="workspaces.team_id", ondelete="CASCADE"
    )
    key: str = Field(
        primary_key=True, max_length=40
    )  # platform | marketing | technology | people | reserve | …
    name: str = Field(default="", max_length=60)  # a name given by the team ("" = the default names)
    reserve: bool = Field(default=False)
    position: int = Field(default=0)


class BudgetLine(SQLModel, table=True):
    """The budget of one category over one period."""

    __tablename__ = "budget_lines"
    __table_args__ = (
        sa.UniqueConstraint("team_id", "category", "start", "end", name="uq_budget_lines_period"),
        sa.Index("ix_budget_lines_team_end", "team_id", "end"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32, foreign_key="workspaces.team_id", ondelete="CASCADE")
    category: str = Field(max_length=40)
    start: date
    end: date
    amount: Decimal = Field(sa_column=sa.Column(MONEY, nullable=False))
    currency: str = Field(max_length=3)
    owner_id: str = Field(default="", max_length=32)
    channel_id: str = Field(default="", max_length=32)  # given with `channel:`: where its alerts go
    set_in: str = Field(default="", max_length=32)  # where it was set: its alerts' channel otherwise
    # A festival curve: the campaign whose daily spend shapes the expected spend, and its shares.
    curve_campaign: str = Field(default="", max_length=80)
    curve: list[str] = Field(default_factory=list, sa_column=sa.Column(sa.JSON, nullable=False))
    created_by: str = Field(default="", max_length=32)
    created_at: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))
    updated_at: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))


class BudgetSpend(SQLModel, table=True):
    """Spend outside campaigns (KOL fees, samples); a refund is a negative amount."""

    __tablename__ = "budget_spend"
    __table_args__ = (sa.Index("ix_budget_spend_team_day", "team_id", "category", "day"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32, foreign_key="workspaces.team_id", ondelete="CASCADE")
    category: str = Field(max_length=40)
    day: date
    amount: Decimal = Field(sa_column=sa.Column(MONEY, nullable=False))
    note: str = Field(default="", max_length=200)
    user_id: str = Field(max_length=32)
    created_at: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))


class BudgetLog(SQLModel, table=True):
    """Who changed what about a budget, when, before and after: nothing changes without a row here."""

    __tablename__ = "budget_log"
    __table_args__ = (sa.Index("ix_budget_log_team_at", "team_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32, foreign_key="workspaces.team_id", ondelete="CASCADE")
    line_id: int | None = Field(default=None)
    category: str = Field(default="", max_length=40)
    action: str = Field(max_length=20)  # set | move_out | move_in | spend | refund | alerts | curve | rename
    before: str = Field(default="", max_length=200)
    after: str = Field(default="", max_length=200)
    reason: str = Field(default="", max_length=200)
    user_id: str = Field(max_length=32)
    at: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))


class BudgetSettings(SQLModel, table=True):
    """A workspace's alert thresholds (percent of a line) and the channel alerts go to by default."""

    __tablename__ = "budget_settings"

    team_id: str = Field(
        primary_key=True, max_length=32, foreign_key="workspaces.team_id", ondelete="CASCADE"
    )
    thresholds: list[int] = Field(default_factory=list, sa_column=sa.Column(sa.JSON, nullable=False))
    channel_id: str = Field(default="", max_length=32)


class BudgetAlert(SQLModel, table=True):
    """One threshold of one line: whether it fired (and how often it re-armed), what was spent then."""

    __tablename__ = "budget_alerts"
    __table_args__ = (sa.UniqueConstraint("line_id", "threshold", name="uq_budget_alerts_line_threshold"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    line_id: int = Field(foreign_key="budget_lines.id", ondelete="CASCADE")
    threshold: int
    fired: bool = Field(default=False)
    generation: int = Field(default=0)  # +1 each time it fires: the claim key of the next firing
    spent_then: Decimal = Field(default=Decimal(0), sa_column=sa.Column(MONEY, nullable=False))
    fired_at: datetime | None = Field(default=None, sa_column=sa.Column(UTCDateTime(), nullable=True))
