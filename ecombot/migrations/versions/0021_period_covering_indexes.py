"""kpi_orders: the (team, day) index carries the figures a period's sales sum, so `/kpi show`, the
digests and the anomaly checks read them from the index alone

Revision ID: 0021
Revises: 0020
Create Date: 2026-11-24 16:20:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ORDERS = ["team_id", "day", "status", "customer_id", "total", "refunded"]


def upgrade() -> None:
    with op.batch_alter_table("kpi_orders", schema=None) as batch_op:
        batch_op.create_index("ix_kpi_orders_team_day_sales", ORDERS, unique=False)
        batch_op.drop_index("ix_kpi_orders_team_day")


def downgrade() -> None:
    with op.batch_alter_table("kpi_orders", schema=None) as batch_op:
        batch_op.create_index("ix_kpi_orders_team_day", ["team_id", "day"], unique=False)
        batch_op.drop_index("ix_kpi_orders_team_day_sales")
