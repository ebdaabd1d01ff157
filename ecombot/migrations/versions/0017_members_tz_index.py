"""members: an index of their zones (the scheduler's ticks find the zones a zone at a time)

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-24 10:45:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.create_index("ix_members_tz", ["tz"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.drop_index("ix_members_tz")
