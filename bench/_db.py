"""What every benchmark needs first: a fresh, migrated database. A SQLite file in a temporary folder,
or, given a PostgreSQL URL, a schema of its own there (dropped afterwards)."""

from __future__ import annotations

import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from ecombot import migrations
from ecombot.db import make_engine


@contextmanager
def bench_database(url: str | None, name: str) -> Iterator[tuple[sa.Engine, str, str]]:
    """(engine, its URL, "SQLite" or "PostgreSQL") of a new migrated database for benchmark `name`."""
    with tempfile.TemporaryDirectory() as tmp:
        target = url or f"sqlite:///{Path(tmp) / 'bench.db'}"
        schema = ""
        if target.startswith("postgresql"):
            schema = f"bench_{name}_{int(time.time())}"
            admin = make_engine(target)
            with admin.begin() as conn:
                conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
            admin.dispose()
            target = (
                make_url(target)
                .update_query_dict({"options": f"-csearch_path={schema}"})
                .render_as_string(hide_password=False)
            )
        engine = make_engine(target)
        try:
            migrations.upgrade(engine)
            yield engine, target, "PostgreSQL" if schema else "SQLite"
        finally:
            engine.dispose()
            if schema and url:
                admin = make_engine(url)
                with admin.begin() as conn:
                    conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
                admin.dispose()
