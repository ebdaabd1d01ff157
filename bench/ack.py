"""Ack latency and throughput of `ecombot serve` (HTTP mode) under load, against a floor.

The real app runs as `ecombot serve --workers 2` (gunicorn, gthread, 4 threads each) on a database
seeded with 10,000 tasks, with a fake Slack in this process. Client threads send signed slash
commands to /slack/events, one command per phase, and time each HTTP round trip. The floor is
bench/floor_app.py, a Bolt app that only acks, served by gunicorn the same way under the same load.

    .venv/bin/python bench/ack.py                    # SQLite (a new file)
    .venv/bin/python bench/ack.py --database postgresql+psycopg://postgres@127.0.0.1:5432/test
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import itertools
import json
import math
import os
import platform
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from importlib.metadata import version
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ecombot.devtools.driver import SlackDriver, sign  # noqa: E402
from ecombot.devtools.fakeslack import FakeSlack  # noqa: E402

BIN = Path(sys.executable).parent
SECRET, TOKEN = "bench-signing-secret-0123456789abcdef", "xoxb-bench-token"
WORKERS, THREADS = 2, 4
OWNERS = [f"U_B{i:03d}" for i in range(50)]
# Measured in this order; /task add goes last because its after-ack work (App Home refreshes, the
# new owner's DM) outlives its phase and would spill into the next one.
COMMANDS = {
    "/ecom help": "/ecom help",
    "/task show 123": "/task show 123",
    "/task list mine": "/task list mine",
    "/task add": "/task add Bench task {n} <@{owner}> due:fri",
}
ERROR_MARKS = ("went wrong", "出了点问题", "Usage: ", "用法：", ":no_entry:")  # crash, usage, refusal
TARGET_P99_MS, TARGET_RATIO = 150.0, 0.5


class StartError(Exception):
    """The migration or a server did not come up."""


@dataclass
class Phase:
    """One command under load on one server: requests started inside the measured window."""

    command: str
    latencies: list[float] = field(default_factory=list)  # ms
    errors: list[str] = field(default_factory=list)
    elapsed: float = 0.0
    client_cpu: float = 0.0  # CPU of this process (clients and fake Slack), in cores

    def pct(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[max(0, math.ceil(q * len(ordered)) - 1)] if ordered else math.nan

    def figures(self) -> dict[str, Any]:
        n = len(self.latencies)
        return {
            "count": n,
            "errors": len(self.errors),
            **{f"p{q}_ms": round(self.pct(q / 100), 1) for q in (50, 95, 99)},
            "req_per_s": round(n / self.elapsed, 1) if self.elapsed else 0.0,
            "client_cpu_cores": round(self.client_cpu, 2),
        }


def readable(body: str) -> str:
    """A JSON reply with its \\u escapes decoded, so Chinese error texts can be recognised too."""
    with contextlib.suppress(ValueError):
        return json.dumps(json.loads(body), ensure_ascii=False)
    return body


def run_phase(port: int, fake: FakeSlack, command: str, args: argparse.Namespace, counter: Any) -> Phase:
    """`args.clients` threads send the command back to back for warm-up + `args.seconds`."""
    phase, lock, interrupted = Phase(command), threading.Lock(), threading.Event()
    driver = SlackDriver(f"http://127.0.0.1:{port}", SECRET, fake)
    cpu, wall = time.process_time(), time.perf_counter()
    window_start = wall + args.warmup
    window_end = window_start + args.seconds

    def client() -> None:
        conn: http.client.HTTPConnection | None = None
        while time.perf_counter() < window_end and not interrupted.is_set():
            n = next(counter)
            line = COMMANDS[command].format(n=n, owner=OWNERS[n % len(OWNERS)])
            body = driver.command_body(line, user="U_DEMO", channel="C_DEMO")
            headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(SECRET, body)}
            conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            started = time.perf_counter()
            try:
                conn.request("POST", "/slack/events", body=body.encode(), headers=headers)
                reply = conn.getresponse()
                status, text = reply.status, reply.read().decode(errors="replace")
            except (http.client.HTTPException, OSError) as exc:
                status, text = 0, f"{type(exc).__name__}: {exc}"
            ended = time.perf_counter()
            if status == 0 or not args.keep_alive:
                conn.close()
                conn = None
            if window_start <= started < window_end:
                text = readable(text)
                bad = status != 200 or any(mark in text for mark in ERROR_MARKS)
                with lock:
                    phase.latencies.append((ended - started) * 1000)
                    if bad:
                        phase.errors.append(f"{command}: HTTP {status}: {text[:300]}")
        if conn is not None:
            conn.close()

    threads = [threading.Thread(target=client, daemon=True) for _ in range(args.clients)]
    for thread in threads:
        thread.start()
    try:
        for thread in threads:
            thread.join()
    finally:
        interrupted.set()  # on Ctrl-C, before the fake Slack they use goes away
    # Closed loop: requests started in the window over its length is the steady throughput.
    phase.elapsed = args.seconds
    phase.client_cpu = (time.process_time() - cpu) / (time.perf_counter() - wall)
    return phase


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def serving(argv: list[str], env: dict[str, str], port: int, log: Path) -> Iterator[None]:
    """Run a server in its own process group until /healthz answers 200; kill the whole group after."""
    with log.open("ab") as out:
        proc = subprocess.Popen(
            argv, env=env, cwd=log.parent, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        deadline, url = time.monotonic() + 90, f"http://127.0.0.1:{port}/healthz"
        while True:
            if proc.poll() is not None or time.monotonic() > deadline:
                tail = log.read_text(errors="replace")[-3000:]
                raise StartError(f"`{' '.join(argv[:2])}` did not come up (exit {proc.returncode}):\n{tail}")
            with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=2) as reply:
                if reply.status == 200:
                    break
            time.sleep(0.2)
        yield
    finally:
        for sig, wait in ((signal.SIGTERM, 20.0), (signal.SIGKILL, 5.0)):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, sig)
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(wait)


def seed(url: str) -> str:
    """The workspace, its members and 10,000 tasks, in plain SQL; returns the database's version."""
    engine = sa.create_engine(url)
    pg = engine.dialect.name == "postgresql"
    now = datetime.now(UTC)
    stamp = now if pg else now.replace(tzinfo=None)  # SQLite columns hold naive UTC
    today = now.astimezone(ZoneInfo("Asia/Shanghai")).date()
    types: dict[str, Any] = {"ops_leads": sa.JSON(), "due_date": sa.Date(), "number": sa.Integer()}
    types |= {k: sa.Boolean() for k in ("is_admin", "is_owner", "is_bot", "deleted")}

    def insert(conn: sa.Connection, table: str, rows: list[dict[str, Any]]) -> None:
        kinds = {k: types.get(k, sa.DateTime(timezone=True) if k.endswith("_at") else None) for k in rows[0]}
        statement = sa.insert(sa.table(table, *(sa.column(k, kind) for k, kind in kinds.items())))
        for i in range(0, len(rows), 1000):
            conn.execute(statement, rows[i : i + 1000])

    workspace: dict[str, Any] = dict(team_id="T_DEMO", name="Demo Shop", timezone="Asia/Shanghai")
    workspace |= dict(currency="CNY", language="en", ops_leads=[], created_at=stamp, updated_at=stamp)
    members = [
        dict(team_id="T_DEMO", user_id=user, name=user.lower(), tz="Asia/Shanghai", locale="en-US")
        | dict(is_admin=user == "U_DEMO", is_owner=user == "U_DEMO", is_bot=False, deleted=False)
        | dict(refreshed_at=stamp)
        for user in ["U_DEMO", *OWNERS]
    ]
    dues = (-20, -3, -1, 0, 0, 2, 4, 12, 40, None)  # days from today: past, today, this week, later, none
    tasks = []
    for n in range(1, 10_001):
        owner = "U_DEMO" if n % 50 == 25 else OWNERS[(n + n // 50) % 50]  # U_DEMO owns 200
        days, done = dues[n * 7 % 10], n * 37 % 10 < 3  # 30% done
        task = dict(team_id="T_DEMO", number=n, title=f"Seeded task {n}", owner_id=owner, creator_id="U_DEMO")
        task |= dict(due_date=None if days is None else today + timedelta(days=days), recurrence="")
        task |= dict(campaign=("double11", "618", "", "", "cny")[n % 5], priority=("normal", "high")[n % 2])
        task |= dict(status="done" if done else "open", done_at=stamp if done else None)
        task |= dict(done_by=owner if done else "", source_url="", created_at=stamp, updated_at=stamp)
        tasks.append(task)
    with engine.begin() as conn:
        insert(conn, "workspaces", [workspace])
        insert(conn, "members", members)
        insert(conn, "tasks", tasks)
        server = conn.execute(sa.text("SHOW server_version")).scalar() if pg else sqlite3.sqlite_version
    engine.dispose()
    return f"PostgreSQL {server}" if pg else f"SQLite {server}"


def measure(
    argv: list[str], port: int, env: dict[str, str], log: Path, fake: FakeSlack, args: Any
) -> list[Phase]:
    """Start a server (output to `log`), run every command's phase against it, stop it."""
    phases = []
    with serving(argv, env, port, log):
        counter = itertools.count(1)
        for command in args.only or COMMANDS:
            phases.append(run_phase(port, fake, command, args, counter))
            print(f"  {log.stem:<5} {command:<16} {phases[-1].figures()}", flush=True)
    return phases


def report(database: str, rows: list[dict[str, Any]]) -> None:
    """The table: the app's figures, the floor's, and whether the target is met."""
    head = f"{'command':<16} {'n':>6} {'err':>4} {'p50':>7} {'p95':>7} {'p99':>7} {'req/s':>7}"
    head += f" | {'floor p99':>9} {'floor req/s':>11} | {'ratio':>5}  target"
    print(f"\n{database}\n{head}\n{'-' * len(head)}")
    for row in rows:
        a, f = row["app"], row["floor"]
        print(
            f"{row['command']:<16} {a['count']:>6} {a['errors']:>4} {a['p50_ms']:>7.1f} {a['p95_ms']:>7.1f}"
            f" {a['p99_ms']:>7.1f} {a['req_per_s']:>7.1f} | {f['p99_ms']:>9.1f} {f['req_per_s']:>11.1f}"
            f" | {row['ratio']:>5.2f}  {'met' if row['target_met'] else 'MISSED'}"
        )
    print(f"(ms; target: no errors, p99 < {TARGET_P99_MS:.0f} ms, req/s >= {TARGET_RATIO}x the floor)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--database", help="URL (default: a new SQLite file); PostgreSQL gets a fresh schema")
    parser.add_argument("--clients", type=int, default=10, help="concurrent client threads (10)")
    parser.add_argument("--seconds", type=float, default=20.0, help="measured seconds per command (20)")
    parser.add_argument("--warmup", type=float, default=3.0, help="unmeasured seconds before each (3)")
    parser.add_argument("--keep-alive", action="store_true", help="a connection per client, not request")
    parser.add_argument("--json", metavar="FILE", help="also write the figures to FILE")
    parser.add_argument(
        "--only", action="append", choices=list(COMMANDS), help="measure only this command (repeatable)"
    )
    args = parser.parse_args()
    # Ctrl-C and SIGTERM unwind through the finally blocks, which kill the servers and drop the schema.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    tmp = Path(tempfile.mkdtemp(prefix="ecombot-ack-"))
    url, schema = args.database or f"sqlite:///{tmp / 'bench.db'}", None
    if url.startswith("postgresql"):
        schema = f"ecombot_bench_{secrets.token_hex(4)}"
        with sa.create_engine(args.database).begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        url = make_url(url).update_query_dict({"options": f"-csearch_path={schema}"})
        url = url.render_as_string(hide_password=False)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "ECOMBOT_"))}
    try:
        with FakeSlack() as fake:
            for user in OWNERS:
                fake.add_user(user, name=user.lower())
            env |= dict(SLACK_API_URL=fake.api_url, SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET)
            env["ECOMBOT_DATABASE_URL"] = url
            upgrade = [str(BIN / "ecombot"), "db", "upgrade"]
            migrate = subprocess.run(upgrade, env=env, cwd=tmp, capture_output=True, text=True)
            if migrate.returncode:
                raise StartError(f"`ecombot db upgrade` failed:\n{migrate.stdout}{migrate.stderr[-3000:]}")
            started = time.perf_counter()
            database = seed(url)
            print(f"seeded 10,000 tasks on {database} in {time.perf_counter() - started:.1f} s", flush=True)
            port = free_port()
            serve = ["serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(WORKERS)]
            app = measure([str(BIN / "ecombot"), *serve], port, env, tmp / "app.log", fake, args)
            port = free_port()
            gunicorn = ["--worker-class", "gthread", "--threads", str(THREADS), "--workers", str(WORKERS)]
            gunicorn += ["-b", f"127.0.0.1:{port}", "bench.floor_app:application"]
            gunicorn = [str(BIN / "gunicorn"), *gunicorn]
            floor = measure(gunicorn, port, env | {"PYTHONPATH": str(ROOT)}, tmp / "floor.log", fake, args)
    except StartError as exc:
        print(f"error: {exc}\n(files in {tmp})", file=sys.stderr)
        return 2
    finally:
        if schema:
            with sa.create_engine(args.database).begin() as conn:
                conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))

    code = summarize(args, database, app, floor)
    if code:
        print(f"(the servers' logs are in {tmp})", file=sys.stderr)
    else:
        shutil.rmtree(tmp)
    return code


def summarize(args: argparse.Namespace, database: str, app: list[Phase], floor: list[Phase]) -> int:
    """Print the machine, the versions and the table; write --json; 1 when there were errors."""
    rows = []
    for app_phase, floor_phase in zip(app, floor, strict=True):
        a, f = app_phase.figures(), floor_phase.figures()
        ratio = round(a["req_per_s"] / f["req_per_s"], 2) if f["req_per_s"] else 0.0
        met = not a["errors"] and a["p99_ms"] < TARGET_P99_MS and ratio >= TARGET_RATIO
        rows.append({"command": app_phase.command, "app": a, "floor": f, "ratio": ratio, "target_met": met})
    packages = ("ecombot", "slack_bolt", "slack_sdk", "gunicorn", "SQLAlchemy", "psycopg")
    versions = {"python": platform.python_version(), **{p: version(p) for p in packages}}
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    commit = f"{head.stdout.strip()} + work tree"
    machine = f"{os.cpu_count()} cores, {platform.system()} {platform.machine()}"
    connections = "a kept-alive connection per client" if args.keep_alive else "a new connection per request"
    print(f"\nmachine   {machine}\nversions  {', '.join(f'{k} {v}' for k, v in versions.items())}")
    print(f"code      {commit}\nload      {args.clients} clients, {connections},")
    print(f"          {args.warmup:g} s warm-up + {args.seconds:g} s per command,")
    print(f"          {WORKERS} gunicorn workers x {THREADS} threads (gthread) for the app and the floor")
    report(database, rows)
    errors = [e for p in app + floor for e in p.errors]
    if args.json:
        load = {k: getattr(args, k) for k in ("clients", "seconds", "warmup", "keep_alive")}
        figures: dict[str, Any] = {"database": database, "machine": machine, "versions": versions}
        figures |= {"code": commit, "load": load | {"workers": WORKERS, "threads": THREADS}}
        figures |= {"results": rows, "errors": errors[:20]}
        Path(args.json).write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")
    if errors:
        print(f"\n{len(errors)} errors; the first ones:", *errors[:5], sep="\n  ", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
