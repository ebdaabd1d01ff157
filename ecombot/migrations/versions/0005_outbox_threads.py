"""outbox threads: a delivery can be a reply in the thread of another, or a new version of it

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        # Existing deliveries are plain messages: "" for both.
        batch_op.add_column(sa.Column("thread_of", sa.String(length=200), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("update_of", sa.String(length=200), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.drop_column("update_of")
        batch_op.drop_column("thread_of")
