"""Standups (one per channel), their members, each day's roster and report, answers, time away, and
the workspace's own holidays."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from ecombot.db import UTCDateTime

MODES = ("thread", "channel")
CALENDARS = ("cn", "none")


class Standup(SQLModel, table=True):
    """A channel's async standup: its questions and its times (prompts in each member's own zone,
    the summary in the workspace's)."""

    __tablename__ = "standups"
    # One running standup per channel, even when two setups race (a partial unique index; SQLite and
    # PostgreSQL both have them).
    __table_args__ = (
        sa.Index(
            "uq_standups_running_channel",
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
    # [{"text": "What did you do yesterday?", "kind": "yesterday" | "today" | "blockers" | ""}]
    questions: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=sa.Column(sa.JSON, nullable=False)
    )
    days: list[int] = Field(default_factory=list, sa_column=sa.Column(sa.JSON, nullable=False))  # 0 = Monday
    prompt_time: str = Field(default="09:30", max_length=5)
    summary_time: str = Field(default="11:00", max_length=5)
    # Minutes before the summary; None: no reminder. (No column default: the ORM would write the
    # default instead of an explicit None.)
    reminder_minutes: int | None = Field(default=None)
    mode: str = Field(default="thread", max_length=8)
    calendar: str = Field(default="none", max_length=8)
    paused: bool = Field(default=False)
    private: bool = Field(default=False)  # a private channel: its answers stay in it
    created_by: str = Field(default="", max_length=32)
    off_at: datetime | None = Field(default=None, sa_column=sa.Column(UTCDateTime(), nullable=True))
    created_at: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))
    updated_at: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))


class StandupMember(SQLModel, table=True):
    """Someone who takes part in a standup."""

    __tablename__ = "standup_members"

    standup_id: int = Field(primary_key=True, foreign_key="standups.id", ondelete="CASCADE")
    user_id: str = Field(primary_key=True, max_length=32)
    joined_at: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))


class StandupDay(SQLModel, table=True):
    """One standup day: who is in it (fixed when it opens), and its report once posted."""

    __tablename__ = "standup_days"
    __table_args__ = (sa.UniqueConstraint("standup_id", "day", name="uq_standup_days_day"),)

    id: int | None = Field(default=None, primary_key=True)
    standup_id: int = Field(foreign_key="standups.id", ondelete="CASCADE")
    team_id: str = Field(max_length=32)
    day: date = Field(sa_column=sa.Column(sa.Date, nullable=False))
    roster: list[str] = Field(default_factory=list, sa_column=sa.Column(sa.JSON, nullable=False))
    # Fixed when the report goes out: who was away, and whose prompt came only after the report (a
    # member far west of the workspace), whose answers are then added to it without being late.
    away: list[str] = Field(default_factory=list, sa_column=sa.Column(sa.JSON, nullable=False))
    later: list[str] = Field(default_factory=list, sa_column=sa.Column(sa.JSON, nullable=False))
    report_key: str = Field(default="", max_length=200)  # the outbox key of the report's first message
    report_parts: int = Field(default=0)  # how many messages the report took (the first, then its thread)
    revision: int = Field(default=0)  # how many times the posted report was brought up to date
    reported_at: datetime | None = Field(default=None, sa_column=sa.Column(UTCDateTime(), nullable=True))
    opened_at: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))


class StandupAnswer(SQLModel, table=True):
    """One member's answers for one standup day (filled question by question when replying by DM)."""

    __tablename__ = "standup_answers"
    __table_args__ = (
        sa.UniqueConstraint("standup_id", "day", "user_id", name="uq_standup_answers_member_day"),
        sa.Index("ix_standup_answers_user_state", "team_id", "user_id", "state"),
    )

    id: int | None = Field(default=None, primary_key=True)
    standup_id: int = Field(foreign_key="standups.id", ondelete="CASCADE")
    team_id: str = Field(max_length=32)
    user_id: str = Field(max_length=32)
    day: date = Field(sa_column=sa.Column(sa.Date, nullable=False))
    answers: list[str] = Field(default_factory=list, sa_column=sa.Column(sa.JSON, nullable=False))
    # asking: prompted, answering by DM replies one question at a time; done: all answered
    state: str = Field(default="asking", max_length=8)
    via: str = Field(default="", max_length=8)  # form | dm
    late: bool = Field(default=False)
    prompted_at: datetime | None = Field(default=None, sa_column=sa.Column(UTCDateTime(), nullable=True))
    answered_at: datetime | None = Field(default=None, sa_column=sa.Column(UTCDateTime(), nullable=True))
    tracked: list[int] = Field(
        default_factory=list, sa_column=sa.Column(sa.JSON, nullable=False)
    )  # task numbers
    updated_at: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))


class StandupAway(SQLModel, table=True):
    """A member away (a skipped day, a vacation): no prompt, no reminder, shown as away."""

    __tablename__ = "standup_away"
    __table_args__ = (sa.Index("ix_standup_away_user", "team_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32, foreign_key="workspaces.team_id", ondelete="CASCADE")
    user_id: str = Field(max_length=32)
    first_day: date = Field(sa_column=sa.Column(sa.Date, nullable=False))
    last_day: date = Field(sa_column=sa.Column(sa.Date, nullable=False))
    reason: str = Field(default="skip", max_length=16)  # skip | vacation
    created_at: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))


class StandupHoliday(SQLModel, table=True):
    """A workspace holiday: no standup anywhere in the workspace that day."""

    __tablename__ = "standup_holidays"

    team_id: str = Field(
        primary_key=True, max_length=32, foreign_key="workspaces.team_id", ondelete="CASCADE"
    )
    day: date = Field(primary_key=True, sa_column_kwargs={"nullable": False})
    name: str = Field(default="", max_length=100)
    created_by: str = Field(default="", max_length=32)
