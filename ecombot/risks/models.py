"""The risk register (风险控制管理): risks numbered per workspace (R1, R2…), their history (every change,
review and drill), and the review DMs sent."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from ecombot.db import UTCDateTime

CATEGORIES = ("policy", "payment", "ip", "supply", "platform", "data", "other")
STATUSES = ("open", "mitigated", "occurred", "closed")
REVIEWS = ("weekly", "monthly")


class Risk(SQLModel, table=True):
    """A risk: how likely (1–5), how bad (1–5), who owns it, how often it is reviewed, its plan."""

    __tablename__ = "risks"
    __table_args__ = (
        sa.UniqueConstraint("team_id", "number", name="uq_risks_team_number"),
        sa.Index("ix_risks_team_status", "team_id", "status"),
        sa.Index("ix_risks_status_review", "status", "review_due_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32, foreign_key="workspaces.team_id", ondelete="CASCADE")
    number: int
    title: str = Field(max_length=200)
    category: str = Field(default="other", max_length=10)
    likelihood: int = Field(default=3)
    impact: int = Field(default=3)
    owner_id: str = Field(max_length=32)
    review: str = Field(default="monthly", max_length=8)  # weekly | monthly
    plan: str = Field(default="", max_length=1000)  # the contingency plan (应急预案)
    status: str = Field(default="open", max_length=10)
    created_by: str = Field(max_length=32)
    last_drill: date | None = Field(default=None, sa_column=sa.Column(sa.Date, nullable=True))
    last_reviewed_at: datetime | None = Field(default=None, sa_column=sa.Column(UTCDateTime(), nullable=True))
    # The review asked for last (its DM's slot), and whether the ops leads were told it went unanswered.
    review_asked_at: datetime | None = Field(default=None, sa_column=sa.Column(UTCDateTime(), nullable=True))
    review_due_at: datetime | None = Field(default=None, sa_column=sa.Column(UTCDateTime(), nullable=True))
    flagged_at: datetime | None = Field(default=None, sa_column=sa.Column(UTCDateTime(), nullable=True))
    created_at: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))
    updated_at: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))

    @property
    def score(self) -> int:
        """Likelihood × impact (1–25)."""
        return self.likelihood * self.impact


class RiskEvent(SQLModel, table=True):
    """One line of a risk's history: created, changed, status, reviewed, drilled, flagged."""

    __tablename__ = "risk_events"
    __table_args__ = (sa.Index("ix_risk_events_risk", "risk_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    risk_id: int = Field(foreign_key="risks.id", ondelete="CASCADE")
    team_id: str = Field(max_length=32)
    kind: str = Field(max_length=10)  # created | updated | status | reviewed | drill | flagged
    user_id: str = Field(default="", max_length=32)
    changes: list[dict[str, Any]] = Field(default_factory=list, sa_column=sa.Column(sa.JSON, nullable=False))
    note: str = Field(default="", max_length=1000)
    day: date | None = Field(default=None, sa_column=sa.Column(sa.Date, nullable=True))  # a drill's date
    at: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))
