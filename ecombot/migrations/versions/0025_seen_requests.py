"""slack_seen_requests: the signature of every verified request, kept for the 5-minute window so
that a replay is refused (ecombot.slack.replays); UNLOGGED on PostgreSQL, since losing it in a
crash only forgets a few minutes of signatures and it is written on every request

Revision ID: 0025
Revises: 0024
Create Date: 2026-11-24 19:30:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    op.create_table(
        "slack_seen_requests",
        sa.Column("request_ts", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("signature", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("request_ts", "signature"),
        prefixes=["UNLOGGED"] if postgresql else [],
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    op.drop_table("slack_seen_requests")
