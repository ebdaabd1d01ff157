"""Fan-out benchmark: thousands of DMs and channel digests through the scheduler and the outbox.

The fake Slack runs in this process and enforces one message per second per channel, answering
bursts with 429 + Retry-After. The real `ecombot jobs run-due --at` runs in a child process: it
claims every slot, writes the outbox, and delivers it. Printed: the time against the lower bound the
per-channel limit sets, exactly-once counts by idempotency key, and the worker's peak memory.

    .venv/bin/python bench/fanout.py                 # 5,000 DMs + 200 digests on SQLite
    .venv/bin/python bench/fanout.py --database postgresql+psycopg://postgres@127.0.0.1:5432/test
"""

from __future__ import annotations

import argparse
import collections
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ecombot import migrations  # noqa: E402
from ecombot.config import WorkspaceDefaults  # noqa: E402
from ecombot.db import make_engine, session_scope  # noqa: E402
from ecombot.devtools.fakeslack import FakeSlack  # noqa: E402
from ecombot.scheduling import service  # noqa: E402
from ecombot.workspaces import service as workspaces  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--dms", type=int, default=5000, help="direct-message reminders (5000)")
    parser.add_argument("--dm-users", type=int, default=1000, help="people they go to (1000)")
    parser.add_argument("--digests", type=int, default=200, help="channel digests (200)")
    parser.add_argument("--channels", type=int, default=5, help="channels they go to (5)")
    parser.add_argument("--threads", type=int, default=16, help="delivery threads (16)")
    parser.add_argument("--database", help="database URL (default: a new SQLite file)")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="ecombot-bench-"))
    url = args.database or f"sqlite:///{tmp / 'bench.db'}"
    schema = None
    if url.startswith("postgresql"):
        from tests.support import drop_pg_schema, new_pg_schema_url

        base = url
        url, schema = new_pg_schema_url(base)
    engine = make_engine(url)
    migrations.upgrade(engine)

    fake = FakeSlack(per_channel_rate=1.0).start()
    users = [f"U{i:05d}" for i in range(args.dm_users)]
    channels = [f"C{i:04d}" for i in range(args.channels)]
    for user in users:
        fake.add_user(user, name=user.lower())
    for channel in channels:
        fake.add_channel(channel, name=f"ops-{channel.lower()}")

    created = datetime(2026, 11, 23, 0, 0, tzinfo=UTC)
    at = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai
    setup_started = time.monotonic()
    with session_scope(engine) as s:
        workspaces.ensure_workspace(s, team_id="T_DEMO", defaults=WorkspaceDefaults(), now=created)
        for i in range(args.dms):
            service.create_schedule(
                s,
                team_id="T_DEMO",
                kind="scheduling.message",
                rule="0 9 * * *",
                timezone="Asia/Shanghai",
                now=created,
                target=users[i % len(users)],
                params={"text": f"Reminder {i}: your tasks for today"},
            )
        for i in range(args.digests):
            service.create_schedule(
                s,
                team_id="T_DEMO",
                kind="scheduling.message",
                rule="0 9 * * *",
                timezone="Asia/Shanghai",
                now=created,
                target=channels[i % len(channels)],
                params={"text": f"Daily KPI digest {i}"},
            )
    setup = time.monotonic() - setup_started

    per_channel = collections.Counter(users[i % len(users)] for i in range(args.dms))
    per_channel.update(channels[i % len(channels)] for i in range(args.digests))
    lower_bound = float(max(per_channel.values()) - 1)  # one message per second per channel

    config = tmp / "config.toml"
    config.write_text(f"[scheduler]\ndelivery_threads = {args.threads}\ndelivery_max_attempts = 20\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "ECOMBOT_"))}
    env.update(
        SLACK_API_URL=fake.api_url,
        SLACK_BOT_TOKEN="xoxb-bench",
        ECOMBOT_DATABASE_URL=url,
        ECOMBOT_CONFIG=str(config),
    )
    started = time.monotonic()
    result = subprocess.run(
        [
            sys.executable,
            *(
                ["-m", "cProfile", "-o", os.environ["BENCH_PROFILE"]]
                if os.environ.get("BENCH_PROFILE")
                else []
            ),
            "-m",
            "ecombot",
            "jobs",
            "run-due",
            "--at",
            at.isoformat(),
            "--timeout",
            "900",
        ],
        env=env,
        capture_output=True,
        text=True,
    )
    elapsed = time.monotonic() - started
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss

    posted = collections.Counter(
        c.args["metadata"]["event_payload"]["idempotency_key"]
        for c in fake.calls_to("chat.postMessage")
        if c.ok
    )
    expected = args.dms + args.digests
    with engine.connect() as conn:
        statuses = dict(
            conn.execute(sa.text("SELECT status, count(*) FROM deliveries GROUP BY status")).all()
        )
    fake.stop()
    engine.dispose()
    if schema:
        drop_pg_schema(base, schema)

    print(f"database            {url.split('?')[0]}")
    print(
        f"messages            {args.dms} DMs to {args.dm_users} people + {args.digests} digests to {args.channels} channels"
    )
    print(f"setup (schedules)   {setup:.1f} s")
    print(f"run-due output      {result.stdout.strip().splitlines()}")
    print(f"total time          {elapsed:.1f} s (claims, outbox and delivery, one process)")
    print(
        f"lower bound         {lower_bound:.1f} s (busiest channel: {max(per_channel.values())} messages at 1/s)"
    )
    print(f"ratio               {elapsed / lower_bound:.2f}x the lower bound" if lower_bound else "ratio n/a")
    print(f"throughput          {expected / elapsed:.0f} messages/s")
    print(f"429 answers         {len(fake.rate_limited)}")
    print(
        f"delivered           {len(posted)} distinct keys of {expected}; max copies of one key: {max(posted.values(), default=0)}"
    )
    print(f"deliveries table    {statuses}")
    print(f"worker peak RSS     {peak_kib / 1024:.0f} MiB")
    ok = result.returncode == 0 and len(posted) == expected and set(posted.values()) == {1}
    if not ok:
        print(result.stderr[-3000:], file=sys.stderr)
    print("RESULT              " + ("exactly once" if ok else "FAILED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
