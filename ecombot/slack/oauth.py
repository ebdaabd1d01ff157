"""The tables of slack-sdk's SQLAlchemy installation and OAuth state stores, on our metadata.

They live in our database and are created by our migrations, so `ecombot db upgrade` is the only
schema step; declaring them here lets the migration check compare them like our own tables.
"""

from __future__ import annotations

from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import MetaData, Table

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
