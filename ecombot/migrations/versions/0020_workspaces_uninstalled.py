"""workspaces: when the app was uninstalled (its schedules stop and its outbox is parked until a
reinstall), with a partial index of the uninstalled ones for the scheduler's passes

Revision ID: 0020
Revises: 0019
Create Date: 2026-11-24 13:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from ecombot.db import UTCDateTime

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("workspaces", schema=None) as batch_op:
        batch_op.add_column(sa.Column("uninstalled_at", UTCDateTime(), nullable=True))
        batch_op.create_index(
            "ix_workspaces_uninstalled",
            ["uninstalled_at"],
            unique=False,
            sqlite_where=sa.text("uninstalled_at IS NOT NULL"),
            postgresql_where=sa.text("uninstalled_at IS NOT NULL"),
        )


def downgrade() -> None:
    with op.batch_alter_table("workspaces", schema=None) as batch_op:
        batch_op.drop_index("ix_workspaces_uninstalled")
        batch_op.drop_column("uninstalled_at")
