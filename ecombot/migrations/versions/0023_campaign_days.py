"""campaign_days: each campaign's daily result rows summed per day over their sources, kept by the
ledger, so that a period's spend, revenue and orders (`/budget status`, `/kpi show`, digests) read
one row per campaign and day; filled here from the rows already recorded

Revision ID: 0023
Revises: 0022
Create Date: 2026-11-24 16:40:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MONEY = sa.Numeric(18, 2)
COLUMNS = ("campaign_id", "day", "team_id", "rows", "spend", "revenue", "orders")


def upgrade() -> None:
    op.create_table(
        "campaign_days",
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("spend", MONEY, nullable=False),
        sa.Column("revenue", MONEY, nullable=False),
        sa.Column("orders", MONEY, nullable=False),
        sa.ForeignKeyConstraint(["campaign_id"], ["campaigns.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("campaign_id", "day"),
    )
    with op.batch_alter_table("campaign_days", schema=None) as batch_op:
        batch_op.create_index(
            "ix_campaign_days_team_day",
            ["team_id", "day", "campaign_id", "spend", "revenue", "orders"],
            unique=False,
        )
    days = sa.table("campaign_days", *(sa.column(name) for name in COLUMNS))
    r = sa.table(
        "campaign_results",
        *(
            sa.column(name)
            for name in ("campaign_id", "day", "last_day", "team_id", "spend", "revenue", "orders")
        ),
    )
    op.execute(
        sa.insert(days).from_select(
            list(COLUMNS),
            sa.select(
                r.c.campaign_id,
                r.c.day,
                r.c.team_id,
                sa.func.count(),
                sa.func.sum(r.c.spend),
                sa.func.sum(r.c.revenue),
                sa.func.sum(r.c.orders),
            )
            .where(r.c.day == r.c.last_day)
            .group_by(r.c.campaign_id, r.c.day, r.c.team_id),
        )
    )


def downgrade() -> None:
    with op.batch_alter_table("campaign_days", schema=None) as batch_op:
        batch_op.drop_index("ix_campaign_days_team_day")
    op.drop_table("campaign_days")
