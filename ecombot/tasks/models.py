"""Tasks and checkpoints (a checkpoint is a task with a parent)."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from ecombot.db import UTCDateTime

PRIORITIES = ("high", "normal", "low")
RECURRENCES = ("day", "mon", "tue", "wed", "thu", "fri", "sat", "sun", "month")


class Task(SQLModel, table=True):
    """A piece of work with an owner, maybe a due date and a campaign; shown to users as #number."""

    __tablename__ = "tasks"
    __table_args__ = (
        sa.UniqueConstraint("team_id", "number", name="uq_tasks_team_number"),
        sa.Index("ix_tasks_owner_status", "team_id", "owner_id", "status"),
        # Someone's open list: its group counts read the index alone, its page the index in order.
        sa.Index(
            "ix_tasks_open_by_owner",
            "team_id",
            "owner_id",
            "status",
            "due_date",
            "number",
            "deleted_at",
            sqlite_where=sa.text("deleted_at IS NULL"),
            postgresql_where=sa.text("deleted_at IS NULL"),
        ),
        # Subtasks of a task; most tasks have no parent, and are left out.
        sa.Index(
            "ix_tasks_parent",
            "parent_id",
            sqlite_where=sa.text("parent_id IS NOT NULL"),
            postgresql_where=sa.text("parent_id IS NOT NULL"),
        ),
        # The reminder and roll-over ticks look for open tasks by date across all workspaces.
        sa.Index("ix_tasks_status_due", "status", "due_date"),
        # The roll-over tick looks for the latest occurrence of each recurring task, across workspaces.
        sa.Index(
            "ix_tasks_recurring_due",
            "due_date",
            sqlite_where=sa.text("recurrence != '' AND next_id IS NULL AND deleted_at IS NULL"),
            postgresql_where=sa.text("recurrence != '' AND next_id IS NULL AND deleted_at IS NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32, foreign_key="workspaces.team_id", ondelete="CASCADE")
    number: int
    title: str = Field(max_length=300)
    owner_id: str = Field(max_length=32)
    creator_id: str = Field(max_length=32)
    due_date: date | None = Field(default=None, sa_column=sa.Column(sa.Date, nullable=True))
    campaign: str = Field(default="", max_length=100)
    priority: str = Field(default="normal", max_length=8)
    recurrence: str = Field(default="", max_length=8)
    parent_id: int | None = Field(default=None, foreign_key="tasks.id", ondelete="SET NULL")
    status: str = Field(default="open", max_length=8)  # open | done
    done_at: datetime | None = Field(default=None, sa_column=sa.Column(UTCDateTime(), nullable=True))
    done_by: str = Field(default="", max_length=32)
    # Snooze: no reminder before this instant (the due date stays).
    remind_after: datetime | None = Field(default=None, sa_column=sa.Column(UTCDateTime(), nullable=True))
    # The next occurrence of a recurring task, once it exists (so it is made only once).
    next_id: int | None = Field(default=None)
    source_url: str = Field(default="", max_length=500)
    deleted_at: datetime | None = Field(default=None, sa_column=sa.Column(UTCDateTime(), nullable=True))
    created_at: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))
    updated_at: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))
