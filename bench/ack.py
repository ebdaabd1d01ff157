"""Ack latency and throughput of `ecombot serve` (HTTP mode) under load, against a floor.

The real app runs as `ecombot serve --workers 2` (gunicorn, gthread, 4 threads each) on a database
holding N tasks, N campaign result rows and N orders over 50 workspaces (bench/_ack_data.py).
Client threads send signed slash commands to /slack/events, one command per phase, and time each
HTTP round trip. The floor is bench/floor_app.py, a Bolt app that only
acks, served by gunicorn the same way under the same load. The fake Slack the app calls (the DMs of
`/task add`, a chart upload) runs in a process of its own (bench/_fake_slack.py).

    .venv/bin/python bench/ack.py                    # SQLite (a new file), 10,000 rows
    .venv/bin/python bench/ack.py --database postgresql+psycopg://postgres@127.0.0.1:5432/test
    .venv/bin/python bench/ack.py --rows 100000 --only "/task list mine" --seconds 10
    .venv/bin/python bench/ack.py --scale            # 10k, 100k and 1M rows: how p50/p99 grow
    .venv/bin/python bench/ack.py --rows 1000 --seconds 1 --clients 2 --only "/task add" --smoke

Exit status: 0 when every target was met (or with --smoke, whatever the figures), 1 when a request
failed or answered an error, 2 when a server did not start, 3 when a target was missed.
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
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench._ack_data import OWNERS, Seeded, seed  # noqa: E402
from ecombot.devtools.driver import SlackDriver, sign  # noqa: E402
from ecombot.devtools.fakeslack import FakeSlack  # noqa: E402

BIN = Path(sys.executable).parent
SECRET, TOKEN = "bench-signing-secret-0123456789abcdef", "xoxb-bench-token"
WORKERS, THREADS = 2, 4
SCALE = (10_000, 100_000, 1_000_000)


@dataclass(frozen=True)
class Command:
    """A command line to send ({n}: a counter, {owner}, {task}, {campaign}: from the seed) and a
    fragment its normal reply shows: a reply without it is counted as an error."""

    line: str
    shows: str


# Measured in this order. Reads first; then `/budget status`, whose chart is drawn after the ack;
# `/task add` last, because its after-ack work (the new owner's DM) outlives its phase.
COMMANDS: dict[str, Command] = {
    "/ecom help": Command("/ecom help", "/task"),
    "/task show": Command("/task show {task}", "#{task}"),
    "/task list mine": Command("/task list mine", "Seeded task"),
    "/campaign show": Command("/campaign show {campaign}", "{campaign}"),
    "/campaign list": Command("/campaign list", "{campaign}"),
    "/kpi show week": Command("/kpi show week", "GMV"),
    "/standup show": Command("/standup show", "6 of 10"),
    "/retro actions": Command("/retro actions", "Retro action"),
    "/risk list": Command("/risk list", "Seeded risk"),
    "/budget status": Command("/budget status", "Marketing"),
    "/task add": Command("/task add Bench task {n} <@{owner}> due:fri", "Added task #"),
}
ERROR_MARKS = ("went wrong", "出了点问题", "Usage: ", "用法：", ":no_entry:")  # crash, usage, refusal
TARGET_P99_MS, TARGET_RATIO = 150.0, 0.6  # issue 15


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
    first_reply: str = ""
    settle_s: float = 0.0  # how long the server stayed busy after the phase

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
            "settle_s": round(self.settle_s, 1),
        }


def readable(body: str) -> str:
    """A JSON reply with its \\u escapes decoded, so Chinese error texts can be recognised too."""
    with contextlib.suppress(ValueError):
        return json.dumps(json.loads(body), ensure_ascii=False)
    return body


def command_key(value: str) -> str:
    """The COMMANDS key a --only value names: `/task show 123` and `/campaign show ...` work too."""
    for key in COMMANDS:
        if value == key or value.startswith(key + " "):
            return key
    starting = [key for key in COMMANDS if key.startswith(value)]
    if len(starting) == 1:
        return starting[0]
    raise argparse.ArgumentTypeError(f"unknown command {value!r}; one of: {', '.join(COMMANDS)}")


def run_phase(
    port: int, fake: FakeSlack, key: str, args: argparse.Namespace, counter: Any, data: Seeded, floor: bool
) -> Phase:
    """`args.clients` threads send the command back to back for warm-up + `args.seconds`."""
    phase, lock, interrupted = Phase(key), threading.Lock(), threading.Event()
    driver = SlackDriver(f"http://127.0.0.1:{port}", SECRET, fake)
    fields = dict(task=data.task_number, campaign=data.campaign)
    shows = "" if floor else COMMANDS[key].shows.format(**fields)
    cpu, wall = time.process_time(), time.perf_counter()
    window_start = wall + args.warmup
    window_end = window_start + args.seconds

    def client() -> None:
        conn: http.client.HTTPConnection | None = None
        while time.perf_counter() < window_end and not interrupted.is_set():
            n = next(counter)
            line = COMMANDS[key].line.format(n=n, owner=OWNERS[n % len(OWNERS)], **fields)
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
            text = readable(text)
            bad = status != 200 or any(mark in text for mark in ERROR_MARKS) or shows not in text
            with lock:
                if not phase.first_reply:
                    phase.first_reply = f"HTTP {status}: {text}"
                if window_start <= started < window_end:
                    phase.latencies.append((ended - started) * 1000)
                    if bad:
                        phase.errors.append(f"{key}: HTTP {status}: {text[:300]}")
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


def group_cpu(pgid: int) -> float:
    """CPU seconds used so far by the processes of a process group (Linux; 0 elsewhere)."""
    total, tick = 0, os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = stat.read_text().rpartition(")")[2].split()
            if int(fields[2]) == pgid:  # pgrp
                total += int(fields[11]) + int(fields[12])  # utime + stime
    return total / tick


def group_memory(pgid: int) -> list[dict[str, Any]]:
    """Each process of a process group: its role (from its command line), VmRSS and VmHWM in MiB."""
    out = []
    for status in sorted(Path("/proc").glob("[0-9]*/status")):
        with contextlib.suppress(OSError, ValueError, IndexError):
            proc = status.parent
            fields = (proc / "stat").read_text().rpartition(")")[2].split()
            if int(fields[2]) != pgid:
                continue
            values = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
            argv = (proc / "cmdline").read_bytes().split(b"\0")
            role = "scheduler" if b"scheduler" in argv else "master" if int(proc.name) == pgid else "worker"
            rss, hwm = (int(values[k].split()[0]) / 1024 for k in ("VmRSS", "VmHWM"))
            out.append(
                {"pid": int(proc.name), "role": role, "rss_mib": round(rss, 1), "hwm_mib": round(hwm, 1)}
            )
    return out


def settle(pgid: int, limit: float = 60.0) -> float:
    """Wait until the server's processes are nearly idle (under 0.15 of a core over half a second),
    so after-ack work left by one phase is not measured in the next; how long that took."""
    started = time.perf_counter()
    before = group_cpu(pgid)
    while time.perf_counter() - started < limit:
        time.sleep(0.5)
        now = group_cpu(pgid)
        if now - before < 0.075:
            break
        before = now
    return time.perf_counter() - started


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def serving(argv: list[str], env: dict[str, str], port: int, log: Path) -> Iterator[int]:
    """Run a server in its own process group until /healthz answers 200 (yields the group id); kill
    the whole group after."""
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
        yield proc.pid
    finally:
        for sig, wait in ((signal.SIGTERM, 20.0), (signal.SIGKILL, 5.0)):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, sig)
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(wait)


def measure(
    argv: list[str], port: int, env: dict[str, str], log: Path, fake: FakeSlack, args: Any, data: Seeded
) -> list[Phase]:
    """Start a server (output to `log`), run every command's phase against it, stop it."""
    phases, floor = [], log.stem == "floor"
    with serving(argv, env, port, log) as pgid:
        counter = itertools.count(1)
        for key in args.only or COMMANDS:
            phase = run_phase(port, fake, key, args, counter, data, floor)
            phase.settle_s = settle(pgid)
            phases.append(phase)
            print(f"  {log.stem:<5} {key:<16} {phase.figures()}", flush=True)
            if args.replies and not floor:
                print(f"        first reply: {phase.first_reply[:700]}", flush=True)
        MEMORY[log.stem] = group_memory(pgid)  # after every phase, before the server stops
    return phases


MEMORY: dict[str, list[dict[str, Any]]] = {}  # "app" / "floor" -> its processes after the load
TARGET_WORKER_MIB = 200.0  # issue 15: a serve worker's RSS after the load


@contextlib.contextmanager
def database(args: argparse.Namespace, tmp: Path) -> Iterator[str]:
    """A new SQLite file in `tmp`, or a new schema in the PostgreSQL database (dropped after)."""
    url, schema = args.database or f"sqlite:///{tmp / 'bench.db'}", None
    if url.startswith("postgresql"):
        schema = f"ecombot_bench_{secrets.token_hex(4)}"
        with sa.create_engine(args.database).begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        url = make_url(url).update_query_dict({"options": f"-csearch_path={schema}"})
        url = url.render_as_string(hide_password=False)
    try:
        yield url
    finally:
        if schema:
            with sa.create_engine(args.database).begin() as conn:
                conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))


@contextlib.contextmanager
def slack_process() -> Iterator[str]:
    """The fake Slack the app calls, in a child process (yields its API URL)."""
    argv = [sys.executable, str(ROOT / "bench" / "_fake_slack.py"), *OWNERS]
    proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        api_url = proc.stdout.readline().strip()
        if not api_url.startswith("http"):
            raise StartError(f"the fake Slack did not start (exit {proc.poll()})")
        yield api_url
    finally:
        with contextlib.suppress(OSError):
            if proc.stdin is not None:
                proc.stdin.close()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def run(args: argparse.Namespace, rows: int, tmp: Path) -> tuple[Seeded, list[Phase], list[Phase]]:
    """One whole run: migrate, seed `rows`, measure the app, then the floor."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "ECOMBOT_"))}
    # The driver builds requests with an in-process fake (response URLs, trigger ids); the app calls
    # one in its own process (bench/_fake_slack.py).
    with database(args, tmp) as url, FakeSlack() as fake, slack_process() as api_url:
        env |= dict(SLACK_API_URL=api_url, SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET)
        env["ECOMBOT_DATABASE_URL"] = url
        upgrade = [str(BIN / "ecombot"), "db", "upgrade"]
        migrate = subprocess.run(upgrade, env=env, cwd=tmp, capture_output=True, text=True)
        if migrate.returncode:
            raise StartError(f"`ecombot db upgrade` failed:\n{migrate.stdout}{migrate.stderr[-3000:]}")
        data = seed(url, rows)
        print(
            f"seeded {rows:,} tasks, campaign result rows and orders over 50 workspaces on {data.database}"
            f" in {data.seconds:.1f} s (T_DEMO: {data.demo_tasks:,} of each; `/task show {data.task_number}`,"
            f" `/campaign show {data.campaign}` with {data.campaign_rows} result rows)",
            flush=True,
        )
        port = free_port()
        serve = ["serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(WORKERS)]
        app = measure([str(BIN / "ecombot"), *serve], port, env, tmp / "app.log", fake, args, data)
        port = free_port()
        gunicorn = ["--worker-class", "gthread", "--threads", str(THREADS), "--workers", str(WORKERS)]
        gunicorn += ["-b", f"127.0.0.1:{port}", "bench.floor_app:application"]
        gunicorn = [str(BIN / "gunicorn"), *gunicorn]
        env_floor = env | {"PYTHONPATH": str(ROOT)} | ({"FLOOR_PROMPT_ACK": "1"} if args.prompt_floor else {})
        floor = measure(gunicorn, port, env_floor, tmp / "floor.log", fake, args, data)
    return data, app, floor


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--database", help="URL (default: a new SQLite file); PostgreSQL gets a fresh schema")
    parser.add_argument("--rows", type=int, default=10_000, help="tasks, campaign rows and orders (10000)")
    parser.add_argument(
        "--scale",
        nargs="?",
        const=",".join(map(str, SCALE)),
        metavar="N,N,...",
        help="repeat the whole run at each size (default 10000,100000,1000000) and print how p50/p99 grow",
    )
    parser.add_argument("--clients", type=int, default=20, help="concurrent client threads (20)")
    parser.add_argument("--seconds", type=float, default=60.0, help="measured seconds per command (60)")
    parser.add_argument("--warmup", type=float, help="unmeasured seconds before each (3; 0.5 with --smoke)")
    parser.add_argument("--keep-alive", action="store_true", help="a connection per client, not request")
    parser.add_argument("--json", metavar="FILE", help="also write the figures to FILE")
    parser.add_argument("--replies", action="store_true", help="print each command's first reply")
    parser.add_argument("--smoke", action="store_true", help="exit 0 whatever the figures (errors: 1)")
    parser.add_argument(
        "--prompt-floor",
        action="store_true",
        help="the floor answers at the ack, as ecombot does (default: stock Bolt, which polls every 10 ms)",
    )
    parser.add_argument(
        "--only", action="append", type=command_key, help="measure only this command (repeatable)"
    )
    args = parser.parse_args()
    if args.warmup is None:
        args.warmup = 0.5 if args.smoke else 3.0
    if args.only:
        args.only = list(dict.fromkeys(sorted(args.only, key=list(COMMANDS).index)))
    sizes = [int(n) for n in args.scale.split(",")] if args.scale else [args.rows]
    # Ctrl-C and SIGTERM unwind through the finally blocks, which kill the servers and drop the schema.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    runs: list[dict[str, Any]] = []
    errors: list[str] = []
    for rows in sizes:
        tmp = Path(tempfile.mkdtemp(prefix="ecombot-ack-"))
        try:
            data, app, floor = run(args, rows, tmp)
        except StartError as exc:
            print(f"error: {exc}\n(files in {tmp})", file=sys.stderr)
            return 2
        figures = summarize(args, data, app, floor)
        runs.append(figures)
        run_errors = [e for p in app + floor for e in p.errors]
        errors += run_errors
        if run_errors:
            print(f"(the servers' logs are in {tmp})", file=sys.stderr)
        else:
            shutil.rmtree(tmp)
    if len(runs) > 1:
        scale_table(runs)
    if args.json:
        Path(args.json).write_text(
            json.dumps(runs if args.scale else runs[0], indent=2, ensure_ascii=False) + "\n"
        )
    if errors:
        print(f"\n{len(errors)} errors; the first ones:", *errors[:5], sep="\n  ", file=sys.stderr)
        return 1
    missed = [r["command"] for f in runs for r in f["results"] if not r["target_met"]]
    missed += ["serve worker RSS"] * any(not f["worker_rss_met"] for f in runs)
    if missed and not args.smoke:
        print(f"\ntarget missed by: {', '.join(dict.fromkeys(missed))}", file=sys.stderr)
        return 3
    return 0


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


def scale_table(runs: list[dict[str, Any]]) -> None:
    """Command x rows: p50 and p99 at each size, and how much they grew from the smallest."""
    sizes = [f"{run['rows']:,}" for run in runs]
    head = f"{'command':<16}" + "".join(f" {'p50 @' + s:>12}" for s in sizes) + f" {'x':>5} |"
    head += "".join(f" {'p99 @' + s:>12}" for s in sizes) + f" {'x':>5}"
    print(f"\nhow latency grows with the data ({runs[0]['database']}; ms)\n{head}\n{'-' * len(head)}")
    by_command: dict[str, list[dict[str, Any]]] = {}
    for run in runs:
        for row in run["results"]:
            by_command.setdefault(row["command"], []).append(row["app"])
    for command, figures in by_command.items():
        line = f"{command:<16}"
        for q in ("p50_ms", "p99_ms"):
            values = [f[q] for f in figures]
            line += "".join(f" {v:>12.1f}" for v in values)
            growth = values[-1] / values[0] if values[0] else math.nan
            line += f" {growth:>4.1f}x" + (" |" if q == "p50_ms" else "")
        print(line)


def summarize(args: argparse.Namespace, data: Seeded, app: list[Phase], floor: list[Phase]) -> dict[str, Any]:
    """Print the machine, the versions and the table; the figures of the run."""
    rows = []
    for app_phase, floor_phase in zip(app, floor, strict=True):
        a, f = app_phase.figures(), floor_phase.figures()
        ratio = round(a["req_per_s"] / f["req_per_s"], 2) if f["req_per_s"] else 0.0
        met = not a["errors"] and a["p99_ms"] < TARGET_P99_MS and ratio >= TARGET_RATIO
        rows.append({"command": app_phase.command, "app": a, "floor": f, "ratio": ratio, "target_met": met})
    packages = ("ecombot", "slack_bolt", "slack_sdk", "gunicorn", "SQLAlchemy", "psycopg")
    versions = {"python": platform.python_version(), **{p: version(p) for p in packages}}
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    dirty = subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True)
    commit = head.stdout.strip() + (" + work tree" if dirty.stdout.strip() else "")
    machine = f"{os.cpu_count()} cores, {platform.system()} {platform.machine()}"
    connections = "a kept-alive connection per client" if args.keep_alive else "a new connection per request"
    print(f"\nmachine   {machine}\nversions  {', '.join(f'{k} {v}' for k, v in versions.items())}")
    print(
        f"code      {commit}\ndata      {data.rows:,} tasks, campaign result rows and orders, 50 workspaces"
    )
    print(f"load      {args.clients} clients, {connections},")
    print(f"          {args.warmup:g} s warm-up + {args.seconds:g} s per command,")
    print(f"          {WORKERS} gunicorn workers x {THREADS} threads (gthread) for the app and the floor")
    floor_kind = "answers at the ack (--prompt-floor)" if args.prompt_floor else "stock Bolt (10 ms ack poll)"
    print(f"floor     {floor_kind}")
    report(data.database, rows)
    memory = {name: list(procs) for name, procs in MEMORY.items()}
    for name, procs in memory.items():
        shown = ", ".join(f"{p['role']} {p['rss_mib']:.0f} MiB (peak {p['hwm_mib']:.0f})" for p in procs)
        print(f"RSS after the load, {name}: {shown}")
    workers = [p["rss_mib"] for p in memory.get("app", []) if p["role"] == "worker"]
    memory_met = bool(workers) and max(workers) < TARGET_WORKER_MIB
    if workers:
        verdict = "met" if memory_met else "MISSED"
        print(
            f"serve worker RSS after the load: {max(workers):.0f} MiB (target < {TARGET_WORKER_MIB:.0f}): {verdict}"
        )
    load = {k: getattr(args, k) for k in ("clients", "seconds", "warmup", "keep_alive", "prompt_floor")}
    figures: dict[str, Any] = {"database": data.database, "rows": data.rows, "machine": machine}
    figures |= {"versions": versions, "code": commit, "load": load | {"workers": WORKERS, "threads": THREADS}}
    errors = [e for p in app + floor for e in p.errors]
    figures |= {"results": rows, "errors": errors[:20], "memory": memory, "worker_rss_met": memory_met}
    return figures


if __name__ == "__main__":
    sys.exit(main())
