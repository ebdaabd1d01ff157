"""Alembic, inside the package, so an installed ecombot can upgrade its own database."""

from __future__ import annotations

import importlib
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from ecombot.slack.oauth import declare_tables

_HERE = Path(__file__).parent
# Any constant works; it only has to be the same for every ecombot process on one database.
_PG_LOCK_KEY = 0x6563_6F6D


def target_metadata() -> sa.MetaData:
    """Every table ecombot owns: the platform's, each domain's models, and slack-sdk's OAuth tables."""
    from ecombot.domains import DOMAINS  # imported late: the domains import this package's users

    importlib.import_module("ecombot.db")  # counters
    importlib.import_module("ecombot.slack.events")  # processed_events
    importlib.import_module("ecombot.slack.replays")  # slack_seen_requests
    for domain in DOMAINS:
        if domain.has_models:
            importlib.import_module(f"ecombot.{domain.name}.models")
    declare_tables(SQLModel.metadata)
    return SQLModel.metadata


def alembic_config(connection: sa.Connection | None = None) -> Config:
    """An Alembic config pointing at this directory (no alembic.ini needed)."""
    config = Config()
    config.set_main_option("script_location", str(_HERE))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest migration shipped with this version of ecombot."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def known_revisions() -> set[str]:
    """Every migration shipped with this version of ecombot (a database at another one is newer)."""
    return {script.revision for script in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def current_revision(engine: Engine) -> str | None:
    """The migration the database is at, or None for an empty database."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate the database up to `revision`; safe when several processes start at once."""
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_lock(:k)"), {"k": _PG_LOCK_KEY})
            conn.commit()
        try:
            command.upgrade(alembic_config(conn), revision)
            conn.commit()
        finally:
            if conn.dialect.name == "postgresql":
                conn.execute(sa.text("SELECT pg_advisory_unlock(:k)"), {"k": _PG_LOCK_KEY})
                conn.commit()


class SchemaOutOfDate(Exception):
    """The database is behind this version of ecombot and auto-migration is off."""


def ensure_schema(engine: Engine, *, auto_migrate: bool) -> None:
    """Migrate on start (the default), or refuse to run on an old schema when auto-migration is off."""
    if auto_migrate:
        upgrade(engine)
    elif current_revision(engine) != head_revision():
        raise SchemaOutOfDate(f"database is at {current_revision(engine)}, ecombot needs {head_revision()}")


def downgrade(engine: Engine, revision: str) -> None:
    """Migrate the database down to `revision` (`base` empties it)."""
    with engine.connect() as conn:
        command.downgrade(alembic_config(conn), revision)
        conn.commit()
