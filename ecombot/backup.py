"""`ecombot db backup PATH` and `ecombot db restore PATH`: SQLite's online backup API, both ways.

A backup is a consistent copy taken while the bot runs, in a new file only its owner can read (it
holds the OAuth installations' bot tokens). PostgreSQL has its own tools (`pg_dump`, `pg_restore`):
the commands say so instead of pretending.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from ecombot import migrations

PG_GUIDANCE = (
    "`ecombot db backup` and `db restore` work on SQLite only. For PostgreSQL use its own tools, at any "
    "time (pg_dump takes a consistent snapshot):\n"
    '  backup:  pg_dump --format=custom --file=ecombot.dump "$DATABASE"\n'
    '  restore: stop every ecombot process, then pg_restore --clean --if-exists --no-owner --dbname="$DATABASE" '
    "ecombot.dump, then `ecombot db upgrade`\n"
    "(see the runbook, docs/runbook.md#backups)"
)


class BackupError(Exception):
    """A backup or restore that cannot be done: the message is for the terminal."""


@dataclass(frozen=True)
class Copied:
    """What a backup or restore copied: the schema revision and the rows per table."""

    revision: str
    rows: dict[str, int]

    @property
    def total(self) -> int:
        """Rows in every table."""
        return sum(self.rows.values())


def sqlite_file(database_url: str) -> Path:
    """The SQLite file of the configured database, or BackupError (PostgreSQL, in-memory)."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        raise BackupError(PG_GUIDANCE)
    if not url.database or url.database == ":memory:":
        raise BackupError("the database is in memory: there is nothing to back up or restore")
    return Path(url.database)


def backup(database_url: str, target: Path) -> Copied:
    """Copy the live database into `target`, a new file created with mode 0600."""
    source = sqlite_file(database_url)
    if not source.exists():
        raise BackupError(f"no database at {source}")
    try:
        # O_EXCL: never overwrite an earlier backup; 0600 from the start, not chmod-ed afterwards.
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise BackupError(f"{target} exists already: choose a new file name") from None
    except OSError as exc:
        raise BackupError(f"cannot create {target}: {exc.strerror}") from None
    os.close(fd)
    try:
        with _connect(source, read_only=True) as src, _connect(target) as dst:
            src.backup(dst)
            # One self-contained file: no -wal or -shm beside it.
            dst.execute("PRAGMA journal_mode=DELETE")
            return _describe(dst)
    except BaseException:
        target.unlink(missing_ok=True)
        raise


def inspect(path: Path) -> Copied:
    """What an ecombot backup holds; BackupError when `path` is not one, or is newer than this code."""
    if not path.is_file():
        raise BackupError(f"no backup at {path}")
    try:
        with _connect(path, read_only=True) as conn:
            found = _describe(conn)
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} is not an SQLite database ({exc})") from None
    known = migrations.known_revisions()
    if found.revision not in known:
        raise BackupError(
            f"{path} is at schema revision {found.revision}, which this version of ecombot does not know "
            f"(its newest is {migrations.head_revision()}): restore it with the version that made it"
        )
    return found


def rows_in(database_url: str) -> dict[str, int]:
    """The rows of each ecombot table in the configured SQLite database (tables with none left out)."""
    path = sqlite_file(database_url)
    if not path.exists():
        return {}
    with _connect(path, read_only=True) as conn:
        return {name: n for name, n in _count_rows(conn).items() if n}


def restore(database_url: str, source: Path) -> Copied:
    """Replace the configured database with the backup at `source` (checked with `inspect` first)."""
    found = inspect(source)
    target = sqlite_file(database_url)
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    with _connect(source, read_only=True) as src, _connect(target) as dst:
        # The destination stays in WAL mode: the backup API keeps the destination's journal mode.
        src.backup(dst)
    return found


@contextlib.contextmanager
def _connect(path: Path, *, read_only: bool = False) -> Iterator[sqlite3.Connection]:
    uri = f"file:{path.resolve()}{'?mode=ro' if read_only else ''}"
    conn = sqlite3.connect(uri, uri=True, timeout=30)
    try:
        yield conn
    finally:
        conn.close()


def _describe(conn: sqlite3.Connection) -> Copied:
    tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "alembic_version" not in tables or "workspaces" not in tables:
        raise BackupError("not an ecombot database (no alembic_version or workspaces table)")
    row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    if row is None:
        raise BackupError("not an ecombot database (no schema revision recorded)")
    return Copied(revision=str(row[0]), rows=_count_rows(conn))


def _count_rows(conn: sqlite3.Connection) -> dict[str, int]:
    tables = [
        name
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
        if name != "alembic_version"
    ]
    counts = {}
    for name in tables:
        quoted = '"' + name.replace('"', '""') + '"'  # a name from sqlite_master, quoted as an identifier
        counts[name] = int(conn.execute(f"SELECT count(*) FROM {quoted}").fetchone()[0])  # noqa: S608
    return counts
