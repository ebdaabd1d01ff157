"""tasks: an index of each person's open tasks by date (`/task list mine` reads it alone); the index of
subtasks leaves out tasks without a parent

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-24 13:20:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.create_index(
            "ix_tasks_open_by_owner",
            ["team_id", "owner_id", "status", "due_date", "number", "deleted_at"],
            unique=False,
            sqlite_where=sa.text("deleted_at IS NULL"),
            postgresql_where=sa.text("deleted_at IS NULL"),
        )
        batch_op.drop_index("ix_tasks_parent")
        batch_op.create_index(
            "ix_tasks_parent",
            ["parent_id"],
            unique=False,
            sqlite_where=sa.text("parent_id IS NOT NULL"),
            postgresql_where=sa.text("parent_id IS NOT NULL"),
        )


def downgrade() -> None:
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.drop_index("ix_tasks_parent")
        batch_op.create_index("ix_tasks_parent", ["parent_id"], unique=False)
        batch_op.drop_index("ix_tasks_open_by_owner")
