"""The tables of slack-sdk's SQLAlchemy installation and OAuth state stores, on our metadata, and
the installation store that keeps their tokens encrypted (`ecombot.slack.tokens`).

They live in our database and are created by our migrations, so `ecombot db upgrade` is the only
schema step; declaring them here lets the migration check compare them like our own tables.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from slack_sdk.oauth.installation_store import Bot, Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import MetaData, Table
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel

from ecombot.slack.tokens import PREFIX, TOKEN_COLUMNS, TokenCipher

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
    tables = (
        SQLAlchemyInstallationStore.build_installations_table(metadata, INSTALLATIONS_TABLE),
        SQLAlchemyInstallationStore.build_bots_table(metadata, BOTS_TABLE),
        SQLAlchemyOAuthStateStore.build_oauth_states_table(metadata, OAUTH_STATES_TABLE),
    )
    # An encrypted token is longer than slack-sdk's String(200) (migration 0024).
    for table in tables[:2]:
        for name in TOKEN_COLUMNS[table.name]:
            table.c[name].type = sa.Text()
    return tables


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
    """slack-sdk's store in our tables, its tokens encrypted by `cipher`; each installation it saves is
    also passed to `on_install` (which marks a workspace that had uninstalled the app installed again)."""

    def __init__(
        self,
        *,
        cipher: TokenCipher,
        on_install: Callable[[Installation], None] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.cipher = cipher
        self.on_install = on_install

    def save(self, installation: Installation) -> None:
        """Store the installation with its tokens encrypted, then tell `on_install`."""
        sealed = copy.copy(installation)
        for name in TOKEN_COLUMNS[INSTALLATIONS_TABLE]:
            setattr(sealed, name, self.cipher.seal(getattr(installation, name)))
        super().save(sealed)  # saves the bot too, through save_bot (sealing is idempotent)
        if self.on_install is not None:
            self.on_install(installation)

    def save_bot(self, bot: Bot) -> None:
        """Store the bot with its tokens encrypted."""
        sealed = copy.copy(bot)
        for name in TOKEN_COLUMNS[BOTS_TABLE]:
            setattr(sealed, name, self.cipher.seal(getattr(bot, name)))
        super().save_bot(sealed)

    # slack-sdk builds what it finds with these (as classmethods, called on the store): decrypt there.
    def build_installation_entity(self, row: Any) -> Installation:  # type: ignore[override]
        """An installation read from a row, its tokens decrypted."""
        installation = super().build_installation_entity(row)
        for name in TOKEN_COLUMNS[INSTALLATIONS_TABLE]:
            setattr(installation, name, self.cipher.open(getattr(installation, name)))
        return installation

    def build_bot_entity(self, row: Any) -> Bot:  # type: ignore[override]
        """A bot read from a row, its tokens decrypted."""
        bot = super().build_bot_entity(row)
        for name in TOKEN_COLUMNS[BOTS_TABLE]:
            setattr(bot, name, self.cipher.open(getattr(bot, name)))
        return bot


@dataclass(frozen=True)
class Resealed:
    """What `reseal_stored` did: values encrypted from clear, re-encrypted from an older key, left."""

    encrypted: int = 0
    rotated: int = 0
    unchanged: int = 0


def reseal_stored(engine: Engine, cipher: TokenCipher, *, rotate: bool = True) -> Resealed:
    """Encrypt every stored token in clear and (with `rotate`) move every one under an older key to
    the newest, in one transaction: a token no key opens raises TokenKeyError and changes nothing."""
    installations, bots, _ = declare_tables(SQLModel.metadata)
    encrypted = rotated = unchanged = 0
    with engine.begin() as conn:
        for table in (installations, bots):
            columns = TOKEN_COLUMNS[table.name]
            rows = conn.execute(sa.select(table.c.id, *(table.c[name] for name in columns))).all()
            for row in rows:
                changes: dict[str, str] = {}
                for name in columns:
                    value = row._mapping[name]
                    if not value:
                        continue
                    new = cipher.reseal(value) if rotate or not value.startswith(PREFIX) else None
                    if new is None:
                        unchanged += 1
                        continue
                    changes[name] = new
                    if value.startswith(PREFIX):
                        rotated += 1
                    else:
                        encrypted += 1
                if changes:
                    conn.execute(sa.update(table).where(table.c.id == row.id).values(**changes))
    return Resealed(encrypted=encrypted, rotated=rotated, unchanged=unchanged)


def count_clear(engine: Engine) -> int:
    """How many stored tokens are not encrypted (for `ecombot doctor`)."""
    installations, bots, _ = declare_tables(SQLModel.metadata)
    total = 0
    with engine.connect() as conn:
        for table in (installations, bots):
            for name in TOKEN_COLUMNS[table.name]:
                column = table.c[name]
                total += conn.execute(
                    sa.select(sa.func.count()).where(
                        column.is_not(None), column != "", ~column.startswith(PREFIX)
                    )
                ).scalar_one()
    return total
