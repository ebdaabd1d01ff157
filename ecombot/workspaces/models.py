"""Workspaces (one row per Slack team) and the Slack users the bot has met."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from ecombot.db import UTCDateTime


class Workspace(SQLModel, table=True):
    """A Slack workspace and its settings."""

    __tablename__ = "workspaces"
    # The scheduler leaves out uninstalled workspaces on every pass: the few of them, read alone.
    __table_args__ = (
        sa.Index(
            "ix_workspaces_uninstalled",
            "uninstalled_at",
            sqlite_where=sa.text("uninstalled_at IS NOT NULL"),
            postgresql_where=sa.text("uninstalled_at IS NOT NULL"),
        ),
    )

    team_id: str = Field(primary_key=True, max_length=32)
    name: str = Field(default="", max_length=200)
    timezone: str = Field(max_length=64)
    currency: str = Field(max_length=3)
    language: str = Field(max_length=8)
    # Slack user ids allowed to change budgets, schedules, targets and settings besides workspace admins.
    ops_leads: list[str] = Field(default_factory=list, sa_column=sa.Column(sa.JSON, nullable=False))
    created_at: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))
    updated_at: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))
    # Set when Slack says the app was uninstalled (or its bot token revoked): its schedules stop, its
    # outbox is parked, its data is kept; a reinstall clears it.
    uninstalled_at: datetime | None = Field(default=None, sa_column=sa.Column(UTCDateTime(), nullable=True))


class Member(SQLModel, table=True):
    """What we know of a Slack user: name, timezone, locale, admin flags (refreshed from users.info)."""

    __tablename__ = "members"
    # The zones people are in, found a zone at a time (`zone_names`) rather than by reading every member.
    __table_args__ = (sa.Index("ix_members_tz", "tz"),)

    team_id: str = Field(
        primary_key=True, max_length=32, foreign_key="workspaces.team_id", ondelete="CASCADE"
    )
    user_id: str = Field(primary_key=True, max_length=32)
    name: str = Field(default="", max_length=200)
    tz: str | None = Field(default=None, max_length=64)
    locale: str | None = Field(default=None, max_length=16)
    is_admin: bool = Field(default=False)
    is_owner: bool = Field(default=False)
    is_bot: bool = Field(default=False)
    deleted: bool = Field(default=False)
    refreshed_at: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))
    # When they last opened their App Home: only Homes someone has seen are republished after changes.
    home_seen_at: datetime | None = Field(default=None, sa_column=sa.Column(UTCDateTime(), nullable=True))
