"""campaigns: running totals of their result rows (rows, spend, revenue, orders, refunds), kept by
the ledger, so that `/campaign list` and Home read them with the campaign instead of summing every
result row of every campaign listed; filled here from the rows already recorded

Revision ID: 0022
Revises: 0021
Create Date: 2026-11-24 16:55:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MONEY = sa.Numeric(18, 2)
COLUMNS = ("result_rows", "spend_total", "revenue_total", "orders_total", "refunds_total", "refund_rows")


def upgrade() -> None:
    with op.batch_alter_table("campaigns", schema=None) as batch_op:
        batch_op.add_column(sa.Column("result_rows", sa.Integer(), nullable=False, server_default="0"))
        for name in ("spend_total", "revenue_total", "orders_total", "refunds_total"):
            batch_op.add_column(sa.Column(name, MONEY, nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("refund_rows", sa.Integer(), nullable=False, server_default="0"))
    campaigns = sa.table("campaigns", *(sa.column(name) for name in ("id", *COLUMNS)))
    r = sa.table(
        "campaign_results",
        *(sa.column(name) for name in ("campaign_id", "spend", "revenue", "orders", "refunds")),
    )
    mine = r.c.campaign_id == campaigns.c.id

    def summed(figure: sa.ColumnClause[object]) -> sa.ColumnElement[object]:
        return sa.func.coalesce(sa.select(sa.func.sum(figure)).where(mine).scalar_subquery(), 0)

    op.execute(
        sa.update(campaigns)
        .where(sa.exists().where(mine))
        .values(
            result_rows=sa.select(sa.func.count()).where(mine).scalar_subquery(),
            spend_total=summed(r.c.spend),
            revenue_total=summed(r.c.revenue),
            orders_total=summed(r.c.orders),
            refunds_total=summed(r.c.refunds),
            refund_rows=sa.select(sa.func.count(r.c.refunds)).where(mine).scalar_subquery(),
        )
    )


def downgrade() -> None:
    with op.batch_alter_table("campaigns", schema=None) as batch_op:
        for name in reversed(COLUMNS):
            batch_op.drop_column(name)
