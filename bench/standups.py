"""What the standup ticks cost the scheduler: 10 standups of 100 members each (1,000 people, a
third of them in Berlin), through the real scheduling engine (claims and outbox, no delivery).

Prints, for each instant the scheduler passes at: how long the three standup ticks took together,
and what they fired. The live scheduler runs them every `scheduler.tick_seconds` (60 s by default),
so an idle pass must stay far below that.

    .venv/bin/python bench/standups.py
    .venv/bin/python bench/standups.py --database postgresql+psycopg://postgres@127.0.0.1:5432/test
    .venv/bin/python bench/standups.py --standups 2 --members 10     # CI's smoke run
"""

from __future__ import annotations

import argparse
import time
from datetime import datetime, timedelta

import sqlalchemy as sa
from _db import bench_database

from ecombot.actor import Actor
from ecombot.app import build_runtime
from ecombot.clock import FixedClock
from ecombot.config import Settings, WorkspaceDefaults
from ecombot.db import session_scope
from ecombot.scheduling.engine import SchedulingEngine
from ecombot.standups import answers, service
from ecombot.workspaces import service as workspaces

STANDUPS = 10
MEMBERS = 100
TEAM = "T_BENCH"
START = datetime.fromisoformat("2026-11-24T08:00:00+08:00")


def _seed(engine: sa.Engine, standups: int = STANDUPS, members: int = MEMBERS) -> None:
    with session_scope(engine) as s:
        workspaces.ensure_workspace(s, team_id=TEAM, defaults=WorkspaceDefaults(), now=START)
        for n in range(standups * members):
            tz = "Europe/Berlin" if n % 3 == 0 else "Asia/Shanghai"
            profile = workspaces.UserProfile(user_id=f"U{n:05d}", name=f"user{n}", tz=tz, locale="zh-CN")
            workspaces.save_member(s, team_id=TEAM, profile=profile, now=START)
        lead = Actor(team_id=TEAM, user_id="U00000", now=START, tz="Asia/Shanghai", is_manager=True)
        for i in range(standups):
            people = tuple(f"U{i * members + m:05d}" for m in range(members))
            service.configure(s, lead, f"C{i:04d}", service.StandupConfig(participants=people))


def _answer_half(engine: sa.Engine) -> None:
    """Half of the Shanghai people answer before the report."""
    at = START + timedelta(hours=2)
    with session_scope(engine) as s:
        for standup in service.active_standups(s):
            for user in service.participants(s, standup)[::2]:
                if int(user[1:]) % 3 == 0:
                    continue
                actor = Actor(team_id=TEAM, user_id=user, now=at, tz="Asia/Shanghai")
                answers.save_answers(
                    s, actor, standup, at.date(), ["did", "will do", "blocked by X"], via="form"
                )


def _pass(scheduler: SchedulingEngine, names: list[str], at: datetime) -> tuple[float, int, int]:
    started = time.perf_counter()
    fired = enqueued = 0
    for name in names:
        report = scheduler.run_tick(name, at)
        assert report.errors == [], report.errors
        fired += report.fired
        enqueued += report.enqueued
    return time.perf_counter() - started, fired, enqueued


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="a database URL (default: a new SQLite file)")
    parser.add_argument("--standups", type=int, default=STANDUPS, help=f"standups ({STANDUPS})")
    parser.add_argument("--members", type=int, default=MEMBERS, help=f"members of each ({MEMBERS})")
    args = parser.parse_args()
    with bench_database(args.database, "standups") as (engine, url, kind):
        _seed(engine, args.standups, args.members)
        rt = build_runtime(Settings().with_database(url), engine=engine, clock=FixedClock(START))
        scheduler = SchedulingEngine(engine, rt.jobs, worker="bench")
        names = [n for n in rt.jobs.ticks if n.startswith("standups.")]
        print(f"{args.standups} standups x {args.members} members on {kind}; ticks: {', '.join(names)}")
        print(f"{'instant (Shanghai)':<28} {'seconds':>8} {'fired':>6} {'queued':>7}")
        plan = [
            ("08:00 idle", START),
            ("09:30 Shanghai prompts", START + timedelta(minutes=90)),
            ("09:31 idle (all asked)", START + timedelta(minutes=91)),
            ("10:30 reminders", START + timedelta(minutes=150)),
            ("11:00 reports", START + timedelta(minutes=180)),
            ("11:01 idle", START + timedelta(minutes=181)),
            ("16:30 Berlin prompts", START + timedelta(minutes=510)),
        ]
        for label, at in plan:
            if label.startswith("10:30"):
                _answer_half(engine)
            seconds, fired, queued = _pass(scheduler, names, at)
            print(f"{label:<28} {seconds:>8.3f} {fired:>6} {queued:>7}")


if __name__ == "__main__":
    main()
