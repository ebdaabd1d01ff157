"""The tables of slack-sdk's SQLAlchemy installation and OAuth state stores, on our metadata.

They live in our database and are created by our migrations, so `ecombot db upgrade` is the only
schema step; declaring them here lets the migration check compare them like our own tables.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa
from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import MetaData, Table
from sqlmodel import Session, SQLModel

INSTALLATIONS_TABLE = "slack_installations"
BOTS_TABLE = "slack_bots"
OAUTH_STATES_TABLE = "slack_oauth_states"


def declare_tables(metadata: MetaData) -> tuple[Table, Table, Table]:
    """Add the three slack-sdk tables to `metadata` (idempotent)."""
    if INSTALLATIONS_TABLE in metadata.tables:
        return (
            metadata.tables[INSTALLATIONS_TABLE],
            metadata.tables[BOTS_TABLE],
            metadata.tables[OAUTH_STATES_TABLE],
        )
    return (
        SQLAlchemyInstallationStore.build_installations_table(metadata, INSTALLATIONS_TABLE),
        SQLAlchemyInstallationStore.build_bots_table(metadata, BOTS_TABLE),
        SQLAlchemyOAuthStateStore.build_oauth_states_table(metadata, OAUTH_STATES_TABLE),
    )


def forget_tokens(session: Session, team_id: str, *, bot: bool = True, users: Sequence[str] = ()) -> None:
    """Delete a workspace's stored OAuth tokens that Slack revoked (what Bolt's own revocation
    listeners do, in the event's transaction): the bot's, and those of `users`. Both tables exist
    whether or not OAuth is configured (the migrations make them)."""
    installations, bots, _ = declare_tables(SQLModel.metadata)
    if bot:
        session.execute(sa.delete(bots).where(bots.c.team_id == team_id))
        session.execute(sa.delete(installations).where(installations.c.team_id == team_id))
    elif users:
        session.execute(
            sa.delete(installations).where(
                installations.c.team_id == team_id, installations.c.user_id.in_(list(users))
            )
        )


class InstallationStore(SQLAlchemyInstallationStore):
    """slack-sdk's store in our tables; each installation it saves is also passed to `on_install`
    (which marks a workspace that had uninstalled the app installed again)."""

    def __init__(self, *, on_install: Callable[[Installation], None], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.on_install = on_install

    def save(self, installation: Installation) -> None:
        """Store the installation, then tell `on_install`."""
        super().save(installation)
        self.on_install(installation)
