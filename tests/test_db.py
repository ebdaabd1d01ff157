"""Engines, the UTC column type, and migrations that give one schema on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.engine import Engine
from sqlmodel import Session

from ecombot import db as db_module
from ecombot import migrations
from ecombot.config import WorkspaceDefaults
from ecombot.db import make_engine, session_scope
from ecombot.workspaces import service
from ecombot.workspaces.models import Workspace
from tests.support import drop_pg_schema, new_pg_schema_url, postgres_base_url

PG_BASE = postgres_base_url() or "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _pg_available() -> bool:
    try:
        engine = sa.create_engine(PG_BASE, connect_args={"connect_timeout": 2})
        with engine.connect():
            pass
        engine.dispose()
        return True
    except Exception:
        return False


needs_pg = pytest.mark.skipif(not _pg_available(), reason=f"no PostgreSQL server answers at {PG_BASE}")


def test_sqlite_engine_uses_wal_busy_timeout_and_foreign_keys(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
    engine.dispose()


def test_sqlite_files_are_readable_by_their_owner_only(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A new database file and its -wal and -shm are 0600 whatever the umask; an old 0644 one is narrowed."""
    old_umask = os.umask(0o022)
    try:
        path = tmp_path / "data" / "ecombot.db"
        engine = make_engine(f"sqlite:///{path}")
        migrations.upgrade(engine)
        with engine.connect() as conn:  # WAL readers keep -wal and -shm while connected
            conn.execute(sa.text("SELECT count(*) FROM workspaces")).scalar_one()
            modes = {p.name: oct(p.stat().st_mode & 0o777) for p in path.parent.iterdir()}
        engine.dispose()
        assert modes == {"ecombot.db": "0o600", "ecombot.db-wal": "0o600", "ecombot.db-shm": "0o600"}

        old = tmp_path / "old.db"
        old.write_bytes(b"")
        old.chmod(0o644)
        (tmp_path / "old.db-wal").write_bytes(b"")
        (tmp_path / "old.db-wal").chmod(0o664)
        with caplog.at_level("WARNING", logger="ecombot.db"):
            make_engine(f"sqlite:///{old}").dispose()
        assert oct(old.stat().st_mode & 0o777) == "0o600"
        assert oct((tmp_path / "old.db-wal").stat().st_mode & 0o777) == "0o600"
        assert f"{old} was readable by other users (644): now 600" in caplog.text
    finally:
        os.umask(old_umask)


def test_datetimes_come_back_aware_utc(session: Session) -> None:
    shanghai = timezone(timedelta(hours=8))
    created = datetime(2026, 11, 23, 9, 30, tzinfo=shanghai)
    session.add(
        Workspace(
            team_id="T1",
            timezone="Asia/Shanghai",
            currency="CNY",
            language="zh-CN",
            created_at=created,
            updated_at=created,
        )
    )
    session.commit()
    session.expunge_all()
    row = session.get(Workspace, "T1")
    assert row is not None
    assert row.created_at == created
    assert row.created_at.tzinfo is not None
    assert row.created_at.utcoffset() == timedelta(0)
    assert row.created_at.hour == 1


def test_naive_datetimes_are_refused(session: Session) -> None:
    session.add(
        Workspace(
            team_id="T2",
            timezone="Asia/Shanghai",
            currency="CNY",
            language="zh-CN",
            created_at=datetime(2026, 1, 1),
            updated_at=datetime(2026, 1, 1, tzinfo=UTC),
        )
    )
    with pytest.raises(sa.exc.StatementError, match="naive datetime"):
        session.commit()


def test_foreign_keys_are_enforced(session: Session, clock: Any) -> None:
    service.ensure_workspace(session, team_id="T1", defaults=WorkspaceDefaults(), now=clock.now())
    session.commit()
    profile = service.UserProfile(user_id="U1")
    with pytest.raises(sa.exc.IntegrityError):
        service.save_member(session, team_id="T_MISSING", profile=profile, now=clock.now())
        session.commit()


def test_migrations_match_the_models(db: Engine) -> None:
    """Every model change comes with a migration: autogenerate finds nothing to add."""
    with db.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, migrations.target_metadata())
    assert diff == []


def _schema(engine: Engine) -> dict[str, Any]:
    inspector = sa.inspect(engine)
    schema: dict[str, Any] = {}
    for table in sorted(inspector.get_table_names()):
        columns = {
            c["name"]: (c["type"]._type_affinity.__name__, c["nullable"])
            for c in inspector.get_columns(table)
        }
        schema[table] = {
            "columns": columns,
            "pk": sorted(inspector.get_pk_constraint(table)["constrained_columns"]),
            "fks": sorted(
                (tuple(fk["constrained_columns"]), fk["referred_table"], tuple(fk["referred_columns"]))
                for fk in inspector.get_foreign_keys(table)
            ),
            # PostgreSQL also reports the index behind each unique constraint; compare constraints once.
            "indexes": sorted(
                (ix["name"], tuple(ix["column_names"]), bool(ix["unique"]))
                for ix in inspector.get_indexes(table)
                if not ix.get("duplicates_constraint")
            ),
            "uniques": sorted(tuple(u["column_names"]) for u in inspector.get_unique_constraints(table)),
        }
    return schema


@needs_pg
def test_upgrade_gives_the_same_schema_on_postgresql_and_sqlite(tmp_path: Path) -> None:
    sqlite_engine = make_engine(f"sqlite:///{tmp_path / 'new.db'}")
    pg_url, schema_name = new_pg_schema_url(PG_BASE)
    pg_engine = make_engine(pg_url)
    try:
        migrations.upgrade(sqlite_engine)
        migrations.upgrade(pg_engine)
        sqlite_schema = _schema(sqlite_engine)
        pg_schema = _schema(pg_engine)
        assert "workspaces" in sqlite_schema
        assert "slack_installations" in sqlite_schema
        assert sqlite_schema == pg_schema
        assert migrations.current_revision(pg_engine) == migrations.head_revision()
    finally:
        sqlite_engine.dispose()
        pg_engine.dispose()
        drop_pg_schema(PG_BASE, schema_name)


def test_downgrade_to_base_and_up_again(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'updown.db'}")
    migrations.upgrade(engine)
    migrations.downgrade(engine, "base")
    assert migrations.current_revision(engine) is None
    assert set(sa.inspect(engine).get_table_names()) <= {"alembic_version"}
    migrations.upgrade(engine)
    assert migrations.current_revision(engine) == migrations.head_revision()
    engine.dispose()


def test_db_upgrade_and_current_commands_on_a_new_sqlite_file(tmp_path: Path) -> None:
    env = {**os.environ, "ECOMBOT_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"}
    run = [sys.executable, "-m", "ecombot"]
    before = subprocess.run(
        [*run, "db", "current"], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert before.returncode == 0, before.stderr
    assert "empty" in before.stdout
    up = subprocess.run(
        [*run, "db", "upgrade"], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert up.returncode == 0, up.stderr
    after = subprocess.run(
        [*run, "db", "current"], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert f"{migrations.head_revision()} (up to date)" in after.stdout


@needs_pg
def test_a_pooled_postgresql_connection_whose_server_side_went_away_is_replaced_not_used(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Pooled connections are pinged when they sat idle (not on every checkout); one whose backend was
    terminated while idle is replaced, and reads and writes go on without an error."""
    monkeypatch.setattr(db_module, "IDLE_PING", 0.0)  # every checkout counts as idle: no waiting
    engine = make_engine(PG_BASE)
    try:
        with session_scope(engine, write=False) as session:
            pid = session.execute(sa.text("SELECT pg_backend_pid()")).scalar()
        admin = sa.create_engine(PG_BASE)
        with admin.begin() as conn:
            assert conn.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar()
        admin.dispose()
        with session_scope(engine, write=False) as session:
            assert session.execute(sa.text("SELECT pg_backend_pid()")).scalar() != pid
        with session_scope(engine) as session:
            assert session.execute(sa.text("SELECT 1")).scalar() == 1
    finally:
        engine.dispose()


@needs_pg
def test_postgresql_reads_run_without_begin_and_commit_and_writes_in_one_transaction() -> None:
    engine = make_engine(PG_BASE)
    try:
        with session_scope(engine, write=False) as session:
            # Autocommit: no transaction is open between the statements of a read.
            assert session.execute(sa.text("SELECT now() = statement_timestamp()")).scalar() is True
        with session_scope(engine) as session:
            session.execute(sa.text("SELECT pg_sleep(0.01)"))
            assert session.execute(sa.text("SELECT now() = statement_timestamp()")).scalar() is False
    finally:
        engine.dispose()


def test_a_read_never_waits_for_a_writer_and_each_statement_sees_what_was_committed_before_it(
    db: Engine, clock: Any
) -> None:
    """Reads run without a transaction on both databases: on SQLite a writer holding the write lock
    (another process, say) neither delays a read nor hides from its next statement what it commits."""
    with session_scope(db) as s:
        service.ensure_workspace(s, team_id="T_ONE", defaults=WorkspaceDefaults(), now=clock.now())
    count = sa.text("SELECT count(*) FROM workspaces")
    with session_scope(db, write=False) as reading:
        assert reading.execute(count).scalar() == 1
        with session_scope(db, wait=1.0) as writing:  # holds the write lock until its commit
            service.ensure_workspace(writing, team_id="T_TWO", defaults=WorkspaceDefaults(), now=clock.now())
            writing.flush()
            started = datetime.now(UTC)
            assert reading.execute(count).scalar() == 1  # not committed yet: not seen, not waited for
            assert datetime.now(UTC) - started < timedelta(seconds=0.5)
        assert reading.execute(count).scalar() == 2  # committed: the same read session sees it


def test_a_task_number_taken_in_an_open_transaction_does_not_hold_back_the_next_one(
    db: Engine, clock: Any
) -> None:
    """PostgreSQL: the counter's row lock lasts the statement that takes the number, not the rest of
    the transaction using it (which held every other /task add of the workspace until its commit).
    On SQLite one transaction writes at a time anyway: the number is taken in it."""
    if db.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only: SQLite has one writer at a time")
    with session_scope(db) as s:
        service.ensure_workspace(s, team_id="T_ONE", defaults=WorkspaceDefaults(), now=clock.now())
    with session_scope(db) as first:
        assert db_module.next_number(first, "T_ONE", "tasks") == 1
        with session_scope(db, wait=0.2) as second:  # lock_timeout 200 ms: waiting would fail
            assert db_module.next_number(second, "T_ONE", "tasks") == 2
        first.rollback()  # the first number is left unused, as a deleted task's is
    with session_scope(db) as third:
        assert db_module.next_number(third, "T_ONE", "tasks") == 3
    numbers: list[int] = []

    def new_workspace_and_two_tasks() -> None:  # as a job or the demo seeds a workspace
        with session_scope(db) as s:
            service.ensure_workspace(s, team_id="T_NEW", defaults=WorkspaceDefaults(), now=clock.now())
            s.flush()
            numbers.extend(db_module.next_number(s, "T_NEW", "tasks") for _ in range(2))

    # The workspace is not committed, so its counter is taken in the transaction, which then holds
    # the counter's row: the second number must not wait for it on another connection (forever).
    worker = threading.Thread(target=new_workspace_and_two_tasks, daemon=True)
    worker.start()
    worker.join(10)
    if worker.is_alive():  # stuck: free it (and this test's clean-up) before failing
        with db.connect() as conn:
            conn.execute(
                sa.text("SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")
            )
        worker.join(10)
    assert numbers == [1, 2]
