"""standups: standups and their members, days, answers, time away, workspace holidays

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from ecombot.db import UTCDateTime

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "standup_away",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(length=16), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["team_id"], ["workspaces.team_id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("standup_away", schema=None) as batch_op:
        batch_op.create_index("ix_standup_away_user", ["team_id", "user_id"], unique=False)

    op.create_table(
        "standup_holidays",
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("created_by", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["team_id"], ["workspaces.team_id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("team_id", "day"),
    )
    op.create_table(
        "standups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=False),
        sa.Column("questions", sa.JSON(), nullable=False),
        sa.Column("days", sa.JSON(), nullable=False),
        sa.Column("prompt_time", sa.String(length=5), nullable=False),
        sa.Column("summary_time", sa.String(length=5), nullable=False),
        sa.Column("reminder_minutes", sa.Integer(), nullable=True),
        sa.Column("mode", sa.String(length=8), nullable=False),
        sa.Column("calendar", sa.String(length=8), nullable=False),
        sa.Column("paused", sa.Boolean(), nullable=False),
        sa.Column("private", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.String(length=32), nullable=False),
        sa.Column("off_at", UTCDateTime(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["team_id"], ["workspaces.team_id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("standups", schema=None) as batch_op:
        batch_op.create_index(
            "uq_standups_running_channel",
            ["team_id", "channel_id"],
            unique=True,
            sqlite_where=sa.text("off_at IS NULL"),
            postgresql_where=sa.text("off_at IS NULL"),
        )

    op.create_table(
        "standup_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("standup_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=8), nullable=False),
        sa.Column("via", sa.String(length=8), nullable=False),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column("prompted_at", UTCDateTime(), nullable=True),
        sa.Column("answered_at", UTCDateTime(), nullable=True),
        sa.Column("tracked", sa.JSON(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["standup_id"], ["standups.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("standup_id", "day", "user_id", name="uq_standup_answers_member_day"),
    )
    with op.batch_alter_table("standup_answers", schema=None) as batch_op:
        batch_op.create_index("ix_standup_answers_user_state", ["team_id", "user_id", "state"], unique=False)

    op.create_table(
        "standup_days",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("standup_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("roster", sa.JSON(), nullable=False),
        sa.Column("away", sa.JSON(), nullable=False),
        sa.Column("later", sa.JSON(), nullable=False),
        sa.Column("report_key", sa.String(length=200), nullable=False),
        sa.Column("report_parts", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("reported_at", UTCDateTime(), nullable=True),
        sa.Column("opened_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["standup_id"], ["standups.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("standup_id", "day", name="uq_standup_days_day"),
    )
    op.create_table(
        "standup_members",
        sa.Column("standup_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("joined_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["standup_id"], ["standups.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("standup_id", "user_id"),
    )


def downgrade() -> None:
    op.drop_table("standup_members")
    op.drop_table("standup_days")
    with op.batch_alter_table("standup_answers", schema=None) as batch_op:
        batch_op.drop_index("ix_standup_answers_user_state")

    op.drop_table("standup_answers")
    with op.batch_alter_table("standups", schema=None) as batch_op:
        batch_op.drop_index("uq_standups_running_channel")

    op.drop_table("standups")
    op.drop_table("standup_holidays")
    with op.batch_alter_table("standup_away", schema=None) as batch_op:
        batch_op.drop_index("ix_standup_away_user")

    op.drop_table("standup_away")
