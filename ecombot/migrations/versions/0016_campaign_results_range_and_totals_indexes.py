"""campaign_results: a partial index of the rows covering a range of days, and a covering index of
each campaign's totals

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-24 09:50:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("campaign_results", schema=None) as batch_op:
        batch_op.create_index(
            "ix_campaign_results_ranges",
            ["team_id", "last_day"],
            unique=False,
            sqlite_where=sa.text("day != last_day"),
            postgresql_where=sa.text("day != last_day"),
        )
        batch_op.create_index(
            "ix_campaign_results_totals",
            ["campaign_id", "team_id", "spend", "revenue", "orders", "refunds"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("campaign_results", schema=None) as batch_op:
        batch_op.drop_index("ix_campaign_results_totals")
        batch_op.drop_index("ix_campaign_results_ranges")
