"""slack_installations and slack_bots: the token columns become TEXT, since a token encrypted at rest
(`fernet:` and Fernet's base64, `ecombot.slack.tokens`) is longer than slack-sdk's VARCHAR(200);
the tokens themselves are encrypted on the next start with ECOMBOT_SECRET_KEY, not here

Revision ID: 0024
Revises: 0023
Create Date: 2026-11-24 19:40:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = {
    "slack_installations": ("bot_token", "bot_refresh_token", "user_token", "user_refresh_token"),
    "slack_bots": ("bot_token", "bot_refresh_token"),
}


def upgrade() -> None:
    for table, columns in COLUMNS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name in columns:
                batch_op.alter_column(name, existing_type=sa.String(length=200), type_=sa.Text())


def downgrade() -> None:
    # An encrypted token does not fit VARCHAR(200): going back needs the tokens in clear first.
    for table, columns in COLUMNS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name in columns:
                batch_op.alter_column(name, existing_type=sa.Text(), type_=sa.String(length=200))
