"""`ecombot db backup` and `db restore`: a backup of a workspace at work, taken while the app runs,
restored over changed and deleted data, gives back every table row by row. These run on a SQLite file
of their own (the commands are SQLite's), under the PostgreSQL suite too; there the commands refuse
with pg_dump's guidance."""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from ecombot import migrations
from ecombot.clock import FixedClock
from ecombot.config import Settings
from ecombot.db import make_engine
from ecombot.devtools.driver import SlackDriver
from ecombot.devtools.fakeslack import FakeSlack
from ecombot.devtools.local import LocalApp
from tests.support import SIGNING_SECRET, cli_env, postgres_base_url, run_ecombot
from tests.workspaces.activity import WRITTEN, counts_by_table, rows_by_table, use_the_app


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'ecombot.db'}"


@pytest.fixture
def sqlite_db(sqlite_url: str) -> Iterator[Engine]:
    engine = make_engine(sqlite_url)
    migrations.upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def busy(
    settings: Settings, sqlite_url: str, sqlite_db: Engine, fake: FakeSlack, clock: FixedClock
) -> Iterator[tuple[LocalApp, SlackDriver]]:
    """The real app on the SQLite file, serving two workspaces that have used every domain."""
    app = LocalApp(settings.with_database(sqlite_url), sqlite_db, clock)
    try:
        use_the_app(SlackDriver(app.url, SIGNING_SECRET, fake, team_id="T_OTHER", settle=app.settle))
        demo = SlackDriver(app.url, SIGNING_SECRET, fake, settle=app.settle)
        use_the_app(demo)
        yield app, demo
    finally:
        app.close()


def test_a_restore_gives_back_every_table_row_by_row(
    busy: tuple[LocalApp, SlackDriver], sqlite_url: str, sqlite_db: Engine, fake: FakeSlack, tmp_path: Path
) -> None:
    app, demo = busy
    counts = counts_by_table(sqlite_db, "T_DEMO")
    assert [name for name in WRITTEN if counts.get(name, 0) == 0] == []
    before = rows_by_table(sqlite_db)
    env = cli_env(sqlite_url, fake.api_url)

    # Taken while the app is serving (the online backup reads a consistent snapshot).
    backup = tmp_path / "backups" / "monday.db"
    backup.parent.mkdir()
    done = run_ecombot(["db", "backup", str(backup)], env, tmp_path)
    assert done.returncode == 0, done.stderr
    assert "(mode 0600)" in done.stdout
    assert stat.S_IMODE(os.stat(backup).st_mode) == 0o600
    assert not Path(f"{backup}-wal").exists()
    again = run_ecombot(["db", "backup", str(backup)], env, tmp_path)
    assert again.returncode == 2 and "exists already" in again.stderr

    # Life goes on: new rows, changed rows, and deleted ones.
    demo.command("/task add Written after the backup", user="U_DEMO")
    demo.command("/task done 1", user="U_LI")
    demo.command("/ecom settings timezone Europe/Berlin", user="U_DEMO")
    with sqlite_db.begin() as conn:
        conn.execute(sa.text("DELETE FROM risk_events"))
        conn.execute(sa.text("DELETE FROM campaign_results"))
        conn.execute(sa.text("DELETE FROM standup_members"))
    changed = rows_by_table(sqlite_db)
    assert changed != before
    app.close()  # the runbook: stop every ecombot process before restoring

    refused = run_ecombot(["db", "restore", str(backup)], env, tmp_path)
    assert refused.returncode == 1
    assert "--yes" in refused.stderr and "holds" in refused.stderr
    assert rows_by_table(sqlite_db) == changed

    restored = run_ecombot(["db", "restore", str(backup), "--yes"], env, tmp_path)
    assert restored.returncode == 0, restored.stderr
    assert "restored" in restored.stdout
    after = rows_by_table(sqlite_db)
    assert sorted(after) == sorted(before)
    for table in before:
        assert after[table] == before[table], f"{table} differs after the restore"


def test_restore_refuses_what_is_not_an_ecombot_backup(
    sqlite_url: str, sqlite_db: Engine, fake: FakeSlack, tmp_path: Path
) -> None:
    env = cli_env(sqlite_url, fake.api_url)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE notes (body TEXT)")
    newer = tmp_path / "newer.db"
    assert run_ecombot(["db", "backup", str(newer)], env, tmp_path).returncode == 0
    with sqlite3.connect(newer) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    for path, says in (
        (junk, "is not an SQLite database"),
        (other, "not an ecombot database"),
        (newer, "schema revision 9999, which this version of ecombot does not know"),
        (tmp_path / "missing.db", "no backup at"),
    ):
        result = run_ecombot(["db", "restore", str(path), "--yes"], env, tmp_path)
        assert result.returncode == 2, (path, result.stdout)
        assert says in result.stderr
        assert "Traceback" not in result.stderr
    assert migrations.current_revision(sqlite_db) == migrations.head_revision()


def test_an_empty_database_is_restored_without_asking_and_an_old_backup_is_migrated(
    sqlite_url: str, sqlite_db: Engine, fake: FakeSlack, tmp_path: Path
) -> None:
    old_url = f"sqlite:///{tmp_path / 'old.db'}"
    old = make_engine(old_url)
    migrations.upgrade(old, "0019")
    old.dispose()
    env = cli_env(sqlite_url, fake.api_url)
    backup = tmp_path / "old-backup.db"
    assert (
        run_ecombot(["db", "backup", str(backup)], cli_env(old_url, fake.api_url), tmp_path).returncode == 0
    )
    result = run_ecombot(["db", "restore", str(backup)], env, tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"database migrated from 0019 to {migrations.head_revision()}" in result.stdout
    assert migrations.current_revision(sqlite_db) == migrations.head_revision()


def test_on_postgresql_the_commands_point_to_pg_dump(fake: FakeSlack, tmp_path: Path) -> None:
    url = postgres_base_url() or "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    env = cli_env(url, fake.api_url)
    for args in (
        ["db", "backup", str(tmp_path / "x.db")],
        ["db", "restore", str(tmp_path / "x.db"), "--yes"],
    ):
        result = run_ecombot(args, env, tmp_path)
        assert result.returncode == 2
        assert "pg_dump --format=custom" in result.stderr and "pg_restore" in result.stderr
        assert not (tmp_path / "x.db").exists()
