"""Retros (复盘): a channel's weekly schedule, each retro (weekly, ad hoc or a campaign review), its
entries and the votes on them.

An anonymous retro stores no author for its entries (not even a hash): `author_id` stays "" and
`created_at` keeps only the day. Its votes are kept under a keyed hash of the voter that only the
open retro can recompute (its salt is dropped when it closes), so a vote can be taken back while it
runs and nobody can tell afterwards who voted for what.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from ecombot.db import UTCDateTime

KINDS = ("well", "improve", "action")
RETRO_KINDS = ("weekly", "adhoc", "campaign")
CHECK_OPS = (">=", "<=", ">", "<")


class RetroSchedule(SQLModel, table=True):
    """A channel's weekly retro: when it opens and closes (workspace time), anonymous or not, votes."""

    __tablename__ = "retro_schedules"
    __table_args__ = (
        sa.Index(
            "uq_retro_schedules_running_channel",
            "team_id",
            "channel_id",
            unique=True,
            sqlite_where=sa.text("off_at IS NULL"),
            postgresql_where=sa.text("off_at IS NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32, foreign_key="workspaces.team_id", ondelete="CASCADE")
    channel_id: str = Field(max_length=32)
    weekday: int = Field(default=4)  # 0 = Monday
    time: str = Field(default="16:00", max_length=5)
    close_weekday: int = Field(default=0)
    close_time: str = Field(default="10:00", max_length=5)
    anonymous: bool = Field(default=False)
    votes: int = Field(default=3)
    private: bool = Field(default=False)  # a private channel (learnt from Slack after the ack)
    created_by: str = Field(default="", max_length=32)
    off_at: datetime | None = Field(default=None, sa_column=sa.Column(UTCDateTime(), nullable=True))
    created_at: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))
    updated_at: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))


class Retro(SQLModel, table=True):
    """One retro: its prompt message (an outbox key, updated in place), when it closes, its summary."""

    __tablename__ = "retros"
    __table_args__ = (
        # A scheduled retro opens once per slot, however many schedulers run.
        sa.UniqueConstraint("schedule_id", "opened_slot", name="uq_retros_schedule_slot"),
        sa.Index("ix_retros_team_channel", "team_id", "channel_id", "opened_at"),
        sa.Index("ix_retros_open_closes", "closed_at", "closes_at"),
        sa.Index("ix_retros_team_campaign", "team_id", "campaign_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32, foreign_key="workspaces.team_id", ondelete="CASCADE")
    channel_id: str = Field(max_length=32)
    kind: str = Field(default="weekly", max_length=10)  # weekly | adhoc | campaign
    schedule_id: int | None = Field(default=None, foreign_key="retro_schedules.id", ondelete="SET NULL")
    campaign_id: int | None = Field(default=None)
    anonymous: bool = Field(default=False)
    votes: int = Field(default=3)
    private: bool = Field(default=False)  # a private channel: its entries and actions stay in it
    language: str = Field(default="en", max_length=8)  # the channel's messages
    first_day: date = Field(sa_column=sa.Column(sa.Date, nullable=False))  # the evidence covers these days
    last_day: date = Field(sa_column=sa.Column(sa.Date, nullable=False))
    opened_slot: datetime | None = Field(default=None, sa_column=sa.Column(UTCDateTime(), nullable=True))
    opened_at: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))
    opened_by: str = Field(default="", max_length=32)
    closes_at: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))
    closed_at: datetime | None = Field(default=None, sa_column=sa.Column(UTCDateTime(), nullable=True))
    closed_by: str = Field(default="", max_length=32)
    next_due: date | None = Field(default=None, sa_column=sa.Column(sa.Date, nullable=True))
    prompt_key: str = Field(default="", max_length=200)  # the outbox key of the prompt message
    revision: int = Field(default=0)  # how many times the prompt was brought up to date
    salt: str = Field(default="", max_length=64)  # anonymous votes' key, dropped at close
    # The prompt's opening blocks (earlier actions, the evidence) as gathered when it opened: each
    # new version of the prompt shows the same evidence with the entries so far.
    head: list[dict[str, Any]] = Field(default_factory=list, sa_column=sa.Column(sa.JSON, nullable=False))


class RetroEntry(SQLModel, table=True):
    """Went well, to improve, or an action item (with its owner, due date, check and task)."""

    __tablename__ = "retro_entries"
    __table_args__ = (
        # The same form submitted twice (a double click, Slack's retry) adds one entry.
        sa.UniqueConstraint("retro_id", "nonce", name="uq_retro_entries_nonce"),
        sa.Index("ix_retro_entries_retro", "retro_id", "kind"),
        sa.Index("ix_retro_entries_team_owner", "team_id", "kind", "owner_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    retro_id: int = Field(foreign_key="retros.id", ondelete="CASCADE")
    team_id: str = Field(max_length=32)
    kind: str = Field(max_length=8)  # well | improve | action
    text: str = Field(max_length=500)
    author_id: str = Field(default="", max_length=32)  # "" in an anonymous retro
    owner_id: str = Field(default="", max_length=32)  # an action item's owner
    due_date: date | None = Field(default=None, sa_column=sa.Column(sa.Date, nullable=True))
    check_metric: str = Field(default="", max_length=40)  # metric:conversion_rate>=3%
    check_op: str = Field(default="", max_length=2)
    check_value: Decimal | None = Field(default=None, sa_column=sa.Column(sa.Numeric(20, 6), nullable=True))
    task_id: int | None = Field(default=None)  # the task it became at the close
    nonce: str = Field(max_length=40)
    created_at: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))


class RetroVote(SQLModel, table=True):
    """One vote on a "to improve" entry: by a user id, or in an anonymous retro by a keyed hash."""

    __tablename__ = "retro_votes"
    __table_args__ = (sa.Index("ix_retro_votes_retro_voter", "retro_id", "voter"),)

    entry_id: int = Field(primary_key=True, foreign_key="retro_entries.id", ondelete="CASCADE")
    voter: str = Field(primary_key=True, max_length=64)
    retro_id: int = Field(foreign_key="retros.id", ondelete="CASCADE")
    # When it was given: a second click within a moment is a double click, not taking it back.
    created_at: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))
