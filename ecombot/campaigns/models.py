"""Campaigns (plans, budgets, targets), their results per day and source, and the ad reports imported."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from ecombot.db import UTCDateTime

MONEY = sa.Numeric(18, 2)
COUNT = sa.Numeric(18, 2)  # platforms report fractional conversions (Google's 12.5)


class Campaign(SQLModel, table=True):
    """A campaign: its budget in the workspace currency, its dates, its targets, where it reports."""

    __tablename__ = "campaigns"
    # Names are unique per workspace regardless of case; a deleted one frees its name only when purged.
    __table_args__ = (
        sa.UniqueConstraint("team_id", "name_key", name="uq_campaigns_team_name"),
        # The evaluation tick looks only at campaigns not evaluated yet.
        sa.Index(
            "ix_campaigns_to_evaluate",
            "end",
            sqlite_where=sa.text("evaluated_at IS NULL"),
            postgresql_where=sa.text("evaluated_at IS NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32, foreign_key="workspaces.team_id", ondelete="CASCADE")
    name: str = Field(max_length=80)
    name_key: str = Field(max_length=80)  # casefolded name
    currency: str = Field(max_length=3)
    budget: Decimal = Field(sa_column=sa.Column(MONEY, nullable=False))
    start: date
    end: date | None = Field(default=None)
    channel_id: str = Field(default="", max_length=32)
    private: bool = Field(default=False)  # a private channel: shown only there
    owner_id: str = Field(max_length=32)
    category: str = Field(default="", max_length=60)  # the budget category its spend counts against
    target_roas: Decimal | None = Field(default=None, sa_column=sa.Column(sa.Numeric(10, 2), nullable=True))
    target_revenue: Decimal | None = Field(default=None, sa_column=sa.Column(MONEY, nullable=True))
    target_cpa: Decimal | None = Field(default=None, sa_column=sa.Column(MONEY, nullable=True))
    target_orders: int | None = Field(default=None)
    created_by: str = Field(max_length=32)
    closed_at: datetime | None = Field(default=None, sa_column=sa.Column(UTCDateTime(), nullable=True))
    closed_by: str = Field(default="", max_length=32)
    # Set in the transaction that queues the evaluation: it is posted once.
    evaluated_at: datetime | None = Field(default=None, sa_column=sa.Column(UTCDateTime(), nullable=True))
    deleted_at: datetime | None = Field(default=None, sa_column=sa.Column(UTCDateTime(), nullable=True))
    created_at: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))
    updated_at: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))
    # Running sums of its result rows, moved by the ledger in the transaction that writes the rows
    # (ledger.record_many), so that a list or Home reads a campaign's totals with the campaign.
    result_rows: int = Field(default=0, sa_column=sa.Column(sa.Integer, nullable=False, server_default="0"))
    spend_total: Decimal = Field(
        default=Decimal(0), sa_column=sa.Column(MONEY, nullable=False, server_default="0")
    )
    revenue_total: Decimal = Field(
        default=Decimal(0), sa_column=sa.Column(MONEY, nullable=False, server_default="0")
    )
    orders_total: Decimal = Field(
        default=Decimal(0), sa_column=sa.Column(COUNT, nullable=False, server_default="0")
    )
    refunds_total: Decimal = Field(
        default=Decimal(0), sa_column=sa.Column(MONEY, nullable=False, server_default="0")
    )
    refund_rows: int = Field(default=0, sa_column=sa.Column(sa.Integer, nullable=False, server_default="0"))


class CampaignResult(SQLModel, table=True):
    """What one source reported for one campaign over one day, or over a range (`day`..`last_day`)
    when the report had no daily breakdown. Optional figures are None when the source gave none."""

    __tablename__ = "campaign_results"
    __table_args__ = (
        sa.UniqueConstraint("campaign_id", "source", "day", "last_day", name="uq_campaign_results_row"),
        # Not covering on purpose: a period's daily figures are read from campaign_days, and a wider
        # index here, with no statistics (SQLite's usual state), drew the range-row queries away
        # from ix_campaign_results_ranges to read every row of the workspace up to the period's end.
        sa.Index("ix_campaign_results_team_day", "team_id", "day"),
        # Rows covering a range of days are few: a period's queries find those overlapping it here,
        # instead of reading every daily row since the workspace's first.
        sa.Index(
            "ix_campaign_results_ranges",
            "team_id",
            "last_day",
            sqlite_where=sa.text("day != last_day"),
            postgresql_where=sa.text("day != last_day"),
        ),
        # Each campaign's totals (lists, Home) read from the index alone.
        sa.Index(
            "ix_campaign_results_totals", "campaign_id", "team_id", "spend", "revenue", "orders", "refunds"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    campaign_id: int = Field(foreign_key="campaigns.id", ondelete="CASCADE")
    source: str = Field(max_length=20)
    day: date
    last_day: date
    spend: Decimal = Field(sa_column=sa.Column(MONEY, nullable=False))
    revenue: Decimal = Field(sa_column=sa.Column(MONEY, nullable=False))
    orders: Decimal = Field(sa_column=sa.Column(COUNT, nullable=False))
    clicks: int | None = Field(default=None, sa_column=sa.Column(sa.BigInteger, nullable=True))
    impressions: int | None = Field(default=None, sa_column=sa.Column(sa.BigInteger, nullable=True))
    sessions: int | None = Field(default=None, sa_column=sa.Column(sa.BigInteger, nullable=True))
    refunds: Decimal | None = Field(default=None, sa_column=sa.Column(MONEY, nullable=True))
    new_customers: int | None = Field(default=None)
    origin: str = Field(default="manual", max_length=20)  # manual | import
    logged_by: str = Field(default="", max_length=32)
    updated_at: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))


class CampaignDay(SQLModel, table=True):
    """A campaign's daily result rows of one day summed over their sources (range rows stay out),
    moved by the ledger in the transaction that writes the rows: a period's spend, revenue and
    orders read one row per campaign and day (budgets, KPIs), not one per source."""

    __tablename__ = "campaign_days"
    __table_args__ = (
        sa.Index("ix_campaign_days_team_day", "team_id", "day", "campaign_id", "spend", "revenue", "orders"),
    )

    campaign_id: int = Field(foreign_key="campaigns.id", ondelete="CASCADE", primary_key=True)
    day: date = Field(primary_key=True)
    team_id: str = Field(max_length=32)
    rows: int = Field(default=0)
    spend: Decimal = Field(default=Decimal(0), sa_column=sa.Column(MONEY, nullable=False))
    revenue: Decimal = Field(default=Decimal(0), sa_column=sa.Column(MONEY, nullable=False))
    orders: Decimal = Field(default=Decimal(0), sa_column=sa.Column(COUNT, nullable=False))


class CampaignImport(SQLModel, table=True):
    """An ad report imported once: its fingerprint, what it did, and the rows waiting for a campaign
    that did not exist yet (recorded when someone creates it from the import's reply)."""

    __tablename__ = "campaign_imports"
    __table_args__ = (sa.Index("ix_campaign_imports_team_sha", "team_id", "sha256"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32, foreign_key="workspaces.team_id", ondelete="CASCADE")
    filename: str = Field(max_length=200)
    sha256: str = Field(max_length=64)
    layout: str = Field(max_length=20)
    imported_by: str = Field(default="", max_length=32)
    counts: dict[str, int] = Field(default_factory=dict, sa_column=sa.Column(sa.JSON, nullable=False))
    # {campaign name: [row dicts as strings]} for campaigns unknown at import time.
    pending: dict[str, list[dict[str, Any]]] = Field(
        default_factory=dict, sa_column=sa.Column(sa.JSON, nullable=False)
    )
    created_at: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))
