"""Real processes: `jobs run-due` racing itself, and `ecombot scheduler` killed with SIGKILL mid-send."""

from __future__ import annotations

import collections
import os
import signal
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from ecombot.clock import FixedClock
from ecombot.db import session_scope
from ecombot.devtools.fakeslack import FakeSlack
from ecombot.scheduling import service
from ecombot.scheduling.models import Delivery, JobRun
from tests.support import cli_env, ecombot_argv, run_ecombot

AT = "2026-11-24T09:00:00+08:00"


def _make_schedules(db: Engine, clock: FixedClock, count: int) -> None:
    with session_scope(db) as s:
        for i in range(count):
            service.create_schedule(
                s,
                team_id="T_DEMO",
                kind="scheduling.message",
                rule="0 9 * * *",
                timezone="Asia/Shanghai",
                now=clock.now(),
                target=["C_DEMO", "C_PRIV", "U_LI"][i % 3],
                params={"text": f"digest {i}"},
            )


def _count(db: Engine, table: type) -> int:
    with db.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())


def _keys_posted(fake: FakeSlack) -> collections.Counter[str]:
    return collections.Counter(
        c.args["metadata"]["event_payload"]["idempotency_key"]
        for c in fake.calls_to("chat.postMessage")
        if c.ok
    )


@pytest.mark.slow
def test_run_due_twice_posts_nothing_new(
    database_url: str, db: Engine, fake: FakeSlack, clock: FixedClock, workspace: str, tmp_path: Path
) -> None:
    _make_schedules(db, clock, 3)
    env = cli_env(database_url, fake.api_url)
    first = run_ecombot(["jobs", "run-due", "--at", AT], env, tmp_path)
    assert first.returncode == 0, first.stderr
    assert "fired 3 slot(s)" in first.stdout and "3 sent, 0 failed, 0 pending" in first.stdout
    second = run_ecombot(["jobs", "run-due", "--at", AT], env, tmp_path)
    assert second.returncode == 0, second.stderr
    assert "fired 0 slot(s)" in second.stdout and "enqueued 0 message(s)" in second.stdout
    assert sum(_keys_posted(fake).values()) == 3
    listing = run_ecombot(["jobs", "list"], env, tmp_path, timeout=60)
    assert "2026-11-25 09:00 CST" in listing.stdout  # next firing shown in the schedule's own zone


@pytest.mark.slow
def test_three_processes_post_each_slot_once(
    database_url: str, db: Engine, fake: FakeSlack, clock: FixedClock, workspace: str, tmp_path: Path
) -> None:
    _make_schedules(db, clock, 6)
    env = cli_env(database_url, fake.api_url)
    processes = [
        subprocess.Popen(
            ecombot_argv("jobs", "run-due", "--at", AT),
            env=env,
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    outputs = [p.communicate(timeout=120) for p in processes]
    assert [p.returncode for p in processes] == [0, 0, 0], outputs
    fired = sum(int(out.split("fired ")[1].split(" ")[0]) for out, _ in outputs)
    assert fired == 6
    assert _count(db, JobRun) == 6
    assert _count(db, Delivery) == 6
    posted = _keys_posted(fake)
    assert len(posted) == 6 and set(posted.values()) == {1}


@pytest.mark.slow
def test_scheduler_killed_mid_delivery_sends_each_message_exactly_once(
    database_url: str, db: Engine, fake: FakeSlack, clock: FixedClock, workspace: str, tmp_path: Path
) -> None:
    now = datetime.now(UTC)
    keys = [f"kill:{i}" for i in range(12)]
    with session_scope(db) as s:
        for i, key in enumerate(keys):
            target = ["C_DEMO", "C_PRIV", "U_SAM"][i % 3]
            service.enqueue(
                s, team_id="T_DEMO", message=service.Outgoing(target, {"text": key}, key), now=now
            )
    config = tmp_path / "config.toml"
    config.write_text(
        "[scheduler]\ntick_seconds = 3600\ndelivery_lease_seconds = 2\nchannel_interval_seconds = 0.1\n"
    )
    env = cli_env(database_url, fake.api_url, ECOMBOT_CONFIG=str(config))
    # Each post takes effect at once but is answered late: a kill lands between the two.
    fake.delay_replies("chat.postMessage", 0.5)
    log = (tmp_path / "first.log").open("w")
    first = subprocess.Popen(
        ecombot_argv("scheduler"), env=env, cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        assert fake.wait_for(lambda: len(fake.calls_to("chat.postMessage")) >= 4, timeout=30)
    finally:
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
    with db.connect() as conn:
        unfinished = conn.execute(
            sa.select(sa.func.count()).select_from(Delivery).where(Delivery.status != "sent")  # type: ignore[arg-type]
        ).scalar_one()
    assert unfinished > 0, "the kill came too late to test anything"
    posted_before_restart = sum(_keys_posted(fake).values())

    fake.delay_replies("chat.postMessage", 0)
    log = (tmp_path / "second.log").open("w")
    second = subprocess.Popen(
        ecombot_argv("scheduler"), env=env, cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with db.connect() as conn:
                done = conn.execute(
                    sa.select(sa.func.count()).select_from(Delivery).where(Delivery.status == "sent")  # type: ignore[arg-type]
                ).scalar_one()
            if done == len(keys):
                break
            time.sleep(0.2)
        else:
            pytest.fail(f"not all delivered after restart:\n{(tmp_path / 'second.log').read_text()}")
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=30)
    posted = _keys_posted(fake)
    assert sorted(posted) == sorted(keys)
    assert set(posted.values()) == {1}, f"duplicates: {[k for k, n in posted.items() if n > 1]}"
    assert posted_before_restart >= 4
    # The message that was in flight at the kill was found in the channel history, not posted again.
    assert fake.calls_to("conversations.history")
    assert "was in flight when its worker stopped" in (tmp_path / "second.log").read_text()
