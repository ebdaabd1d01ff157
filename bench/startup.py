"""How long `ecombot run` and `ecombot serve` take to be ready, and what importing the app costs.

- **import**: `python -c "import ecombot.app"` in a fresh interpreter, and which heavy libraries it
  pulled in (pandas, NumPy, SciPy and matplotlib must load only when a file, a chart or a test needs
  them);
- **run**: `ecombot run` from the process start until its Socket Mode connection is open (the local
  endpoint says `hello`), against the fake Slack and a migrated database;
- **serve**: `ecombot serve --workers 2` from the process start until `/healthz` answers 200.

Target (issue 15): each under 2 s. Each figure is the median of `--runs` starts (5 by default).

    .venv/bin/python bench/startup.py [--runs 5] [--database URL]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._db import bench_database
from ecombot.devtools.fakeslack import FakeSlack
from ecombot.devtools.socketmode import SocketModeEndpoint

TARGET = 2.0
HEAVY = ("pandas", "numpy", "scipy", "matplotlib")
BOT_TOKEN = "xoxb-bench-startup"
APP_TOKEN = "xapp-bench-startup"
SECRET = "bench-startup-signing-secret"


def _env(database_url: str, api_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "ECOMBOT_"))}
    env.update(
        SLACK_API_URL=api_url,
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_APP_TOKEN=APP_TOKEN,
        SLACK_SIGNING_SECRET=SECRET,
        ECOMBOT_DATABASE_URL=database_url,
    )
    return env


def _stop(proc: subprocess.Popen[bytes]) -> None:
    for sig, wait in ((signal.SIGTERM, 15.0), (signal.SIGKILL, 5.0)):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, sig)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(wait)
            return


def _timed_start(argv: list[str], env: dict[str, str], ready: Callable[[], bool], log: Path) -> float:
    """Seconds from starting `argv` until `ready()`; the process (group) is stopped afterwards."""
    with log.open("ab") as out:
        started = time.monotonic()
        proc = subprocess.Popen(
            argv, env=env, cwd=log.parent, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        while not ready():
            if proc.poll() is not None or time.monotonic() - started > 60:
                raise SystemExit(
                    f"{' '.join(argv[-3:])} did not come up:\n{log.read_text(errors='replace')[-2000:]}"
                )
            time.sleep(0.005)
        return time.monotonic() - started
    finally:
        _stop(proc)


def measure_import() -> tuple[float, list[str]]:
    """A fresh interpreter importing the app: seconds, and the heavy libraries it loaded."""
    code = (
        "import json, sys, time; t = time.monotonic(); import ecombot.app; "
        f"print(json.dumps([time.monotonic() - t, [m for m in {HEAVY!r} if m in sys.modules]]))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    seconds, heavy = json.loads(out)
    return float(seconds), list(heavy)


def measure_run(database_url: str, fake: FakeSlack, log: Path) -> float:
    endpoint = SocketModeEndpoint(app_id=fake.app_id)
    fake.socket_url = endpoint.url
    try:
        argv = [sys.executable, "-m", "ecombot", "run"]
        return _timed_start(argv, _env(database_url, fake.api_url), lambda: endpoint.connections > 0, log)
    finally:
        endpoint.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def measure_serve(database_url: str, fake: FakeSlack, log: Path) -> float:
    port = _free_port()

    def healthy() -> bool:
        with (
            contextlib.suppress(OSError),
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as r,
        ):
            return bool(r.status == 200)
        return False

    argv = [
        sys.executable,
        "-m",
        "ecombot",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        "2",
    ]
    env = _env(database_url, fake.api_url)
    env.pop("SLACK_APP_TOKEN")
    return _timed_start(argv, env, healthy, log)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=5, help="starts of each kind (the median is printed)")
    parser.add_argument("--database", help="a PostgreSQL URL (default: a new SQLite file)")
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="CI's check that it runs: exit 0 whatever the figures (a loaded runner)",
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp, bench_database(args.database, "startup") as (_, url, kind):
        log = Path(tmp) / "startup.log"
        with FakeSlack() as fake:
            imports = [measure_import() for _ in range(args.runs)]
            runs = [measure_run(url, fake, log) for _ in range(args.runs)]
            serves = [measure_serve(url, fake, log) for _ in range(args.runs)]
    heavy = sorted({m for _, loaded in imports for m in loaded})
    figures = {
        "import ecombot.app": statistics.median(s for s, _ in imports),
        "ecombot run (Socket Mode connected)": statistics.median(runs),
        "ecombot serve --workers 2 (/healthz 200)": statistics.median(serves),
    }
    print(f"Startup on {kind}, {os.cpu_count()} cores, median of {args.runs} (target < {TARGET:.1f} s):")
    for name, seconds in figures.items():
        print(f"  {name:<44} {seconds:5.2f} s  {'ok' if seconds < TARGET else 'OVER TARGET'}")
    print(f"  heavy libraries loaded by the import: {', '.join(heavy) or 'none'}")
    ok = all(s < TARGET for s in figures.values()) and not heavy
    return 0 if ok or args.smoke else 1


if __name__ == "__main__":
    sys.exit(main())
