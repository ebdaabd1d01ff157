"""The scheduler's memory (issue 15): the real `ecombot scheduler` process after a 5,000-recipient fan-out
and a monthly KPI digest over 1,000,000 orders, both due at the same instant. Target: RSS under 250 MB.

- Seeds a new database: `--orders` orders over the two years before today (bulk inserts of 5,000 rows;
  each buyer's first order day filled by the app's own `refresh_customers`, as an import does), one
  direct-message schedule for each of `--recipients` people and the workspace's monthly digest with
  its chart, all due at the current minute.
- Starts the real `ecombot scheduler` (what `ecombot serve` runs beside its workers): its start-up
  pass runs what is due (the fan-out's claims and outbox, the digest's figures and chart, every tick),
  then its delivery worker posts it all to the fake Slack, which runs in this process and allows one
  message per second per channel.
- Samples the scheduler's /proc/PID/status (VmRSS, and VmHWM, the peak) every 50 ms while it works
  and for a few seconds after everything was delivered; prints the peak, the RSS after the work and
  the target, and checks that every message was posted exactly once.

    .venv/bin/python bench/memory.py                       # 1,000,000 orders, 5,000 recipients, SQLite
    .venv/bin/python bench/memory.py --database postgresql+psycopg://postgres@127.0.0.1:5432/test
    .venv/bin/python bench/memory.py --smoke               # CI: 20,000 orders, 200 recipients

Exit status: 0 when the target was met (with --smoke: whenever the run completed), 1 when the run
failed (the scheduler died, a message missing or posted twice), 3 when the target was missed.
"""

from __future__ import annotations

import argparse
import collections
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from _db import bench_database
from sqlmodel import Session

from ecombot.config import SchedulerSettings, WorkspaceDefaults
from ecombot.db import session_scope
from ecombot.devtools.fakeslack import FakeSlack
from ecombot.kpis import digests
from ecombot.kpis import service as kpis
from ecombot.kpis.models import Order
from ecombot.scheduling import service as scheduling
from ecombot.workspaces import service as workspaces

TEAM = "T_BENCH"
ZONE = "Asia/Shanghai"
DIGEST_CHANNEL = "C_DIGEST"
TARGET_MB = 250.0
CHUNK = 5000
SMOKE_ORDERS, SMOKE_RECIPIENTS = 20_000, 200
MiB = 1024 * 1024


# -- seeding -----------------------------------------------------------------------------------------


def _orders(rows: int, last: date) -> Iterator[dict[str, Any]]:
    """Two years of orders up to `last`, as bench/kpis.py makes them: evenly over the days, a buyer
    ordering about four times, 90% paid, 5% cancelled, 5% refunded, three channels."""
    first = last - timedelta(days=729)
    buyers = rows // 4 + 1
    statuses = ("paid",) * 18 + ("cancelled", "refunded")
    for n in range(rows):
        day = first + timedelta(days=n * 730 // rows)
        status = statuses[n % 20]
        total = Decimal(50 + (n * 37) % 400)
        yield dict(
            team_id=TEAM,
            order_id=f"B{n:08d}",
            customer_id=f"c{(n * 7919) % buyers}",
            created_at=datetime(day.year, day.month, day.day, n % 24, n % 60, tzinfo=ZoneInfo(ZONE)),
            day=day,
            total=total,
            refunded=total if status == "refunded" else Decimal(0),
            status=status,
            currency="CNY",
            channel=("tmall", "jd", "douyin")[n % 3],
        )


def seed_orders(engine: sa.Engine, rows: int, last: date) -> None:
    """Bulk inserts of CHUNK rows, then each buyer's first order day through the app's own refresh."""
    table = Order.__table__  # type: ignore[attr-defined]
    with engine.begin() as conn:
        chunk: list[dict[str, Any]] = []
        for row in _orders(rows, last):
            chunk.append(row)
            if len(chunk) == CHUNK:
                conn.execute(sa.insert(table), chunk)
                chunk = []
        if chunk:
            conn.execute(sa.insert(table), chunk)
    with Session(engine) as s:
        kpis.refresh_customers(s, TEAM)
        s.commit()
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:  # what autovacuum would have done by the time a digest runs
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(sa.text("ANALYZE"))


def seed_schedules(engine: sa.Engine, recipients: list[str], slot: datetime) -> None:
    """A daily DM for each recipient and the monthly digest (day of month: the slot's), all due at `slot`."""
    local = slot.astimezone(ZoneInfo(ZONE))
    before = slot - timedelta(minutes=1)
    with session_scope(engine) as s:
        for n, user in enumerate(recipients):
            scheduling.create_schedule(
                s,
                team_id=TEAM,
                kind="scheduling.message",
                rule=f"{local.minute} {local.hour} * * *",
                timezone=ZONE,
                now=before,
                target=user,
                params={"text": f"Reminder {n}: your tasks for today"},
            )
        digest = scheduling.create_schedule(
            s,
            team_id=TEAM,
            kind=digests.schedule_kind("monthly"),
            rule=f"{local.minute} {local.hour} {local.day} * *",
            timezone=ZONE,
            now=before,
            target=DIGEST_CHANNEL,
            created_by="U_BOSS",
        )
        assert digest.next_fire_at == slot, (digest.next_fire_at, slot)


# -- the scheduler process ---------------------------------------------------------------------------


def proc_status(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM of a process, in bytes (empty once it is gone)."""
    out = {}
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return {}
    for line in text.splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            out[name] = int(value.split()[0]) * 1024
    return out


@dataclass
class Run:
    """What the sampling saw."""

    samples: list[tuple[float, int]] = field(default_factory=list)  # (seconds since start, VmRSS)
    peak: int = 0  # VmHWM at the last sample
    outbox_s: float | None = None  # when every message was in the outbox
    outbox_rss: int = 0
    delivered_s: float | None = None  # when every message was sent
    delivered_rss: int = 0
    after: int = 0  # RSS after the work: the last sample, `settle` seconds after the deliveries
    exit_code: int | None = None


def per_second(samples: list[tuple[float, int]]) -> list[int]:
    """The first sample of each whole second after the first."""
    out: dict[int, int] = {}
    for at, rss in samples:
        if at >= 1:
            out.setdefault(int(at), rss)
    return list(out.values())


def _count(engine: sa.Engine) -> tuple[int, int]:
    """(messages in the outbox, messages sent)."""
    with engine.connect() as conn:
        row = conn.execute(
            sa.text("SELECT count(*), count(CASE WHEN status = 'sent' THEN 1 END) FROM deliveries")
        ).one()
    return int(row[0]), int(row[1])


def watch(
    proc: subprocess.Popen[str], engine: sa.Engine, expected: int, timeout: float, settle: float
) -> Run:
    """Sample the scheduler's memory until it has delivered `expected` messages and `settle` s more."""
    run, started, polled = Run(), time.monotonic(), 0.0
    while True:
        now = time.monotonic() - started
        status = proc_status(proc.pid)
        if proc.poll() is not None or not status:
            run.exit_code = proc.poll()
            return run
        run.samples.append((now, status["VmRSS"]))
        run.peak = max(run.peak, status["VmHWM"])
        if run.delivered_s is None and now - polled >= 0.25:
            polled = now
            queued, sent = _count(engine)
            now = time.monotonic() - started  # the count may have waited for the scheduler's writes
            status = proc_status(proc.pid) or status
            if run.outbox_s is None and queued >= expected:
                run.outbox_s, run.outbox_rss = now, status["VmRSS"]
            if sent >= expected:
                run.delivered_s, run.delivered_rss = now, status["VmRSS"]
        if run.delivered_s is not None and now - run.delivered_s >= settle:
            run.after = status["VmRSS"]
            return run
        if now > timeout:
            return run
        time.sleep(0.05)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--orders", type=int, help="orders in the workspace (1,000,000; --smoke 20,000)")
    parser.add_argument("--recipients", type=int, help="people the fan-out DMs (5,000; --smoke 200)")
    parser.add_argument("--database", help="database URL (default: a new SQLite file)")
    parser.add_argument(
        "--threads",
        type=int,
        help=f"delivery threads (the default setting: {SchedulerSettings().delivery_threads})",
    )
    parser.add_argument("--settle", type=float, default=3.0, help="seconds sampled after the work (3)")
    parser.add_argument("--timeout", type=float, default=900.0, help="give up after this many seconds")
    parser.add_argument("--smoke", action="store_true", help="CI: small sizes, exit 0 whatever the figures")
    args = parser.parse_args()
    orders = args.orders if args.orders is not None else SMOKE_ORDERS if args.smoke else 1_000_000
    people = args.recipients if args.recipients is not None else SMOKE_RECIPIENTS if args.smoke else 5000
    threads = args.threads or SchedulerSettings().delivery_threads

    # The instant everything is due: the minute this run started in (the live scheduler's start-up
    # pass runs what is due within its grace, so nothing waits for a clock).
    slot = datetime.now(UTC).replace(second=0, microsecond=0)
    today = slot.astimezone(ZoneInfo(ZONE)).date()
    with bench_database(args.database, "memory") as (engine, url, kind):
        print(
            f"Memory on {kind}: the scheduler after a {people:,}-recipient fan-out and a monthly digest "
            f"over {orders:,} orders"
        )
        started = time.perf_counter()
        with session_scope(engine) as s:
            workspaces.ensure_workspace(s, team_id=TEAM, defaults=WorkspaceDefaults(), now=slot)
        seed_orders(engine, orders, today - timedelta(days=1))
        seeded_orders = time.perf_counter() - started
        recipients = [f"U{n:05d}" for n in range(people)]
        seed_schedules(engine, recipients, slot)
        seeded = time.perf_counter() - started
        print(
            f"seed                {orders:,} orders in {seeded_orders:.1f} s; {people:,} DM schedules and the "
            f"monthly digest (with its chart) due at {slot.astimezone(ZoneInfo(ZONE)):%Y-%m-%d %H:%M} "
            f"Shanghai, {seeded:.1f} s in all"
        )

        fake = FakeSlack(per_channel_rate=1.0).start()
        for user in recipients:
            fake.add_user(user, name=user.lower())
        fake.add_channel(DIGEST_CHANNEL, name="ops-digest")
        with tempfile.TemporaryDirectory() as tmp:
            config = Path(tmp) / "config.toml"
            config.write_text(
                f"[scheduler]\ndelivery_threads = {threads}\ndelivery_max_attempts = 20\n"
                '[logging]\nlevel = "WARNING"\n'
            )
            env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "ECOMBOT_"))}
            env.update(
                SLACK_API_URL=fake.api_url,
                SLACK_BOT_TOKEN="xoxb-bench",
                ECOMBOT_DATABASE_URL=url,
                ECOMBOT_CONFIG=str(config),
            )
            log = (Path(tmp) / "scheduler.log").open("w")
            proc = subprocess.Popen(
                [sys.executable, "-m", "ecombot", "scheduler"],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                text=True,
            )
            expected = people + 2  # the DMs, the digest and its chart
            try:
                run = watch(proc, engine, expected, args.timeout, args.settle)
            finally:
                if proc.poll() is None:
                    proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
                log.close()
                output = (Path(tmp) / "scheduler.log").read_text()

        posted = collections.Counter(
            c.args["metadata"]["event_payload"]["idempotency_key"]
            for c in fake.calls_to("chat.postMessage")
            if c.ok and "metadata" in c.args
        )
        uploads = [c for c in fake.calls_to("files.completeUploadExternal") if c.ok]
        digest_posts = [
            c for c in fake.calls_to("chat.postMessage") if c.ok and c.args.get("channel") == DIGEST_CHANNEL
        ]
        fake.stop()

    def mib(value: int) -> str:
        return f"{value / MiB:.0f} MiB"

    print(f"scheduler           ecombot scheduler (pid {proc.pid}), {threads} delivery threads")
    print("RSS from 1 s, each s " + " ".join(f"{rss / MiB:.0f}" for rss in per_second(run.samples)) + " MiB")
    if run.outbox_s is not None:
        print(
            f"outbox written      {run.outbox_s:.1f} s after the start ({expected:,} messages), RSS {mib(run.outbox_rss)}"
        )
    if run.delivered_s is not None:
        print(f"delivered           {run.delivered_s:.1f} s after the start, RSS {mib(run.delivered_rss)}")
    print(
        f"posted              {len(posted):,} distinct messages of {expected - 1:,}, max copies of one: "
        f"{max(posted.values(), default=0)}; digest posts {len(digest_posts)}; charts uploaded {len(uploads)}"
    )
    if digest_posts:
        print(f"digest              {digest_posts[0].args.get('text', '')}")
    print(f"429 answers         {len(fake.rate_limited)}")
    print(f"peak RSS (VmHWM)    {mib(run.peak)}")
    print(f"RSS after the work  {mib(run.after)} ({args.settle:.0f} s after the last delivery)")
    print(f"target              {TARGET_MB:.0f} MB (MiB here: {TARGET_MB * 1e6 / MiB:.0f} MiB)")

    complete = (
        run.delivered_s is not None
        and run.exit_code is None
        and len(posted) == expected - 1
        and set(posted.values()) == {1}
        and len(uploads) == 1
    )
    if not complete:
        print(output[-3000:], file=sys.stderr)
        print("RESULT              FAILED (see above)")
        return 1
    met = max(run.peak, run.after) < TARGET_MB * 1e6
    print(f"RESULT              {'met' if met else 'missed'}")
    return 0 if met or args.smoke else 3


if __name__ == "__main__":
    sys.exit(main())
