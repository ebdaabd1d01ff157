"""Constants and helpers shared by the tests (fixtures live in conftest.py)."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from ecombot.db import READ_ONLY

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from ecombot.config import Settings
    from ecombot.devtools.fakeslack import FakeSlack
    from ecombot.scheduling.engine import RunReport

SIGNING_SECRET = "test-signing-secret-0123456789abcdef"
# ECOMBOT_SECRET_KEY of the OAuth tests: the Fernet key their stored tokens are encrypted with.
SECRET_KEY = "8g08awlhqOB9qppV7WoofZIaUYDfdWTgZYmeuwXyDyk="
BOT_TOKEN = "xoxb-test-token"


def postgres_base_url() -> str | None:
    """The PostgreSQL URL the suite runs against, if any."""
    return os.environ.get("ECOMBOT_TEST_DATABASE_URL") or None


def new_pg_schema_url(base_url: str) -> tuple[str, str]:
    """Create a fresh schema on the PostgreSQL server; the URL selects it through search_path."""
    schema = f"ecombot_test_{secrets.token_hex(4)}"
    admin = sa.create_engine(base_url)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    admin.dispose()
    url = make_url(base_url).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False), schema


def drop_pg_schema(base_url: str, schema: str) -> None:
    """Drop a schema made by new_pg_schema_url."""
    admin = sa.create_engine(base_url)
    with admin.begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    admin.dispose()


def cli_env(database_url: str, api_url: str, **extra: str) -> dict[str, str]:
    """The environment of an `ecombot` subprocess on the test database and the fake Slack."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "ECOMBOT_"))}
    env.update(
        SLACK_API_URL=api_url,
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        ECOMBOT_DATABASE_URL=database_url,
    )
    env.update(extra)
    return env


def ecombot_argv(*args: str) -> list[str]:
    """The command line of `ecombot ARGS` with this interpreter (for a process a test starts itself)."""
    return [sys.executable, "-m", "ecombot", *args]


def run_ecombot(
    args: list[str], env: dict[str, str], cwd: Path, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """`ecombot ARGS` in a subprocess, as an operator runs it (env: `cli_env`)."""
    return subprocess.run(
        ecombot_argv(*args),
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def run_due(
    db: Engine,
    settings: Settings,
    fake: FakeSlack,
    at: datetime,
    *,
    token_for: Callable[[str], str] = lambda team: BOT_TOKEN,
) -> RunReport:
    """What `ecombot jobs run-due --at AT` does: fire what is due at AT, then deliver it. `token_for`
    gives a workspace's bot token (as OAuth installs have one each); by default all share one."""
    from slack_sdk import WebClient

    from ecombot.app import build_runtime
    from ecombot.clock import FixedClock, OffsetClock
    from ecombot.scheduling.delivery import DeliveryWorker, WorkerSettings
    from ecombot.scheduling.engine import SchedulingEngine

    rt = build_runtime(settings, engine=db, clock=FixedClock(at))
    report = SchedulingEngine(db, rt.jobs, worker="w").run_due(at)
    assert report.errors == []
    worker = DeliveryWorker(
        db,
        OffsetClock(at),
        lambda team: WebClient(token=token_for(team), base_url=fake.api_url),
        worker="w",
        settings=WorkerSettings(channel_interval=0.0, poll_interval=0.02),
    )
    try:
        drained = worker.drain(timeout=10)
    finally:
        worker.close()
    assert (drained.failed, drained.pending) == (0, 0)
    return report


def on_listener_thread() -> bool:
    """True on Bolt's listener executor (`devtools.local.TrackingExecutor`): the work of a request,
    before and after its ack, and not the test's nor the delivery worker's."""
    return threading.current_thread().name.startswith("listener")


class StatementCounter:
    """Counts the SQL statements, and the transactions, that the app's request threads run on `engine`
    while the block runs (`counted` chooses the threads: by default Bolt's listener threads)."""

    CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")

    def __init__(self, engine: Engine, counted: Callable[[], bool] = on_listener_thread) -> None:
        self.engine = engine
        self.counted = counted
        self.statements: list[str] = []
        self.transactions: list[str] = []

    def __enter__(self) -> StatementCounter:
        sa.event.listen(self.engine, "before_cursor_execute", self._count)
        sa.event.listen(self.engine, "begin", self._begin)
        return self

    def __exit__(self, *exc: object) -> None:
        sa.event.remove(self.engine, "before_cursor_execute", self._count)
        sa.event.remove(self.engine, "begin", self._begin)

    def _count(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if self.counted():
            self.statements.append(statement)

    def _begin(self, conn: sa.Connection) -> None:
        if self.counted():
            self.transactions.append("read" if conn.get_execution_options().get(READ_ONLY) else "write")

    @property
    def work(self) -> list[str]:
        """Statements other than transaction control."""
        return [s for s in self.statements if not s.lstrip().upper().startswith(self.CONTROL)]

    @property
    def write_transactions(self) -> int:
        """How many of the transactions could write."""
        return self.transactions.count("write")


# Written by every verified request by design (its signature, to refuse a replay): not a record.
PLUMBING_TABLES = frozenset({"slack_seen_requests"})


def table_snapshot(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table that holds records, sorted: equal before and after means nothing
    was written."""
    from ecombot import migrations

    with engine.connect() as conn:
        return {
            table.name: sorted(map(tuple, conn.execute(sa.select(table)).all()), key=repr)
            for table in migrations.target_metadata().sorted_tables
            if table.name not in PLUMBING_TABLES
        }


# A Web API call's arguments nobody reads: the message's metadata (keys made of random event ids),
# timestamps and upload lengths, whose digits could look like a figure a test looks for.
UNSEEN_ARGS = frozenset({"metadata", "ts", "thread_ts", "length"})


def shown_in(args: dict[str, Any]) -> str:
    """What people see of a Web API call: `texts_in` its arguments but `UNSEEN_ARGS`."""
    return texts_in({k: v for k, v in args.items() if k not in UNSEEN_ARGS})


def texts_in(payload: Any) -> str:
    """Every string in a reply, a view or an API call's arguments, one per line."""
    if isinstance(payload, str):
        return payload
    if isinstance(payload, dict):
        return "\n".join(texts_in(v) for v in payload.values())
    if isinstance(payload, list):
        return "\n".join(texts_in(v) for v in payload)
    return ""
