"""Schedules (the source of truth), job_runs (one winner per slot) and deliveries (the outbox)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from ecombot.db import UTCDateTime


class Schedule(SQLModel, table=True):
    """A recurring job: what (`kind`), for whom (`target`), when (`rule` in `timezone`)."""

    __tablename__ = "schedules"
    __table_args__ = (sa.Index("ix_schedules_due", "enabled", "next_fire_at"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32, foreign_key="workspaces.team_id", ondelete="CASCADE", index=True)
    kind: str = Field(max_length=64)
    # A channel id, a user id (a DM), or "" when the kind finds its own recipients.
    target: str = Field(default="", max_length=64)
    rule: str = Field(max_length=120)
    timezone: str = Field(max_length=64)
    enabled: bool = Field(default=True)
    # How late a missed slot may still run, in seconds; None means the kind's default.
    grace_seconds: int | None = Field(default=None)
    params: dict[str, Any] = Field(default_factory=dict, sa_column=sa.Column(sa.JSON, nullable=False))
    last_fired_at: datetime | None = Field(default=None, sa_column=sa.Column(UTCDateTime(), nullable=True))
    next_fire_at: datetime | None = Field(default=None, sa_column=sa.Column(UTCDateTime(), nullable=True))
    created_by: str = Field(default="", max_length=32)
    created_at: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))
    updated_at: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))


class JobRun(SQLModel, table=True):
    """One claimed firing: the unique (job_key, slot) makes exactly one process the winner."""

    __tablename__ = "job_runs"
    __table_args__ = (
        sa.UniqueConstraint("job_key", "slot", name="uq_job_runs_job_key_slot"),
        # A tick leaves out what an earlier pass of the same slot did (`service.is_claimed`): the
        # slot's claims, read by slot first, whatever the planner does with the key's expression.
        sa.Index("ix_job_runs_slot_key", "slot", "job_key"),
    )

    id: int | None = Field(default=None, primary_key=True)
    job_key: str = Field(max_length=200)
    slot: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))
    team_id: str = Field(default="", max_length=32)
    claimed_by: str = Field(default="", max_length=100)
    claimed_at: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))


class Delivery(SQLModel, table=True):
    """A message waiting to be posted, being posted, posted, or given up on."""

    __tablename__ = "deliveries"
    __table_args__ = (
        sa.UniqueConstraint("idempotency_key", name="uq_deliveries_idempotency_key"),
        sa.Index("ix_deliveries_due", "status", "next_attempt_at"),
        # Is a newer version of this message sent already? Only new versions (chat.update) are in it.
        sa.Index(
            "ix_deliveries_update_of",
            "update_of",
            "id",
            sqlite_where=sa.text("update_of != ''"),
            postgresql_where=sa.text("update_of != ''"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32, index=True)
    # Where it goes as enqueued: a channel id or a user id (sent as a DM).
    target: str = Field(max_length=64)
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=sa.Column(sa.JSON, nullable=False))
    idempotency_key: str = Field(max_length=200)
    # A reply in the thread of another delivery, or a new version of it (chat.update), named by its
    # key: sent once that one has been posted.
    thread_of: str = Field(default="", max_length=200)
    update_of: str = Field(default="", max_length=200)
    # pending | sending | sent | failed | parked (its workspace uninstalled the app: not sent)
    status: str = Field(default="pending", max_length=16)
    attempts: int = Field(default=0)
    next_attempt_at: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))
    # The lease of the worker that is sending it; a lapsed lease means that worker died mid-send.
    lease_until: datetime | None = Field(default=None, sa_column=sa.Column(UTCDateTime(), nullable=True))
    claimed_by: str = Field(default="", max_length=100)
    # The conversation the message lands in (a DM's D… id once opened) and its ts once sent.
    channel: str = Field(default="", max_length=64)
    message_ts: str = Field(default="", max_length=32)
    last_error: str = Field(default="", max_length=500)
    # Set when an attempt may have posted without our knowing (timeout, 5xx, a worker that died):
    # the next attempt first looks for the message in the channel's history.
    verify_before_send: bool = Field(default=False)
    created_at: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))
    updated_at: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))
    sent_at: datetime | None = Field(default=None, sa_column=sa.Column(UTCDateTime(), nullable=True))
