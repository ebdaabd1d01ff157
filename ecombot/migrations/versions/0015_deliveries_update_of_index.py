"""deliveries: an index for "is a newer version of this message sent already?"

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-24 10:30:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.create_index(
            "ix_deliveries_update_of",
            ["update_of", "id"],
            unique=False,
            sqlite_where=sa.text("update_of != ''"),
            postgresql_where=sa.text("update_of != ''"),
        )


def downgrade() -> None:
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.drop_index("ix_deliveries_update_of")
