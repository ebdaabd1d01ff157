"""What KPIs cost at scale: importing a large generic orders file, and the monthly digest over two years
of orders, each against a floor measured in the same run.

- Import: `ecombot`'s import (parse, check, upsert) against `pandas.read_csv` plus a plain bulk insert
  of the same rows into the same database.
- Monthly digest, in a fresh process: its figures (every KPI of the month, the month before and the
  same month last year, GMV over the chart's 8 months) against hand-written SQL computing the same
  figures; the chart's drawing apart; the process's peak RSS.

    .venv/bin/python bench/kpis.py [--rows 1000000]
    .venv/bin/python bench/kpis.py --database postgresql+psycopg://postgres@127.0.0.1:5432/test
"""

from __future__ import annotations

import argparse
import io
import multiprocessing
import random
import resource
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pandas as pd
import sqlalchemy as sa
from _db import bench_database

from ecombot import charts
from ecombot.actor import Actor
from ecombot.config import WorkspaceDefaults
from ecombot.db import make_engine, session_scope
from ecombot.kpis import digests, service
from ecombot.workspaces import service as workspaces

TEAM = "T_BENCH"
FLOOR_TEAM = "T_FLOOR"
NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
FIRST = date(2024, 12, 1)


def orders_csv(rows: int, seed: int = 5) -> bytes:
    """Two years of orders (Dec 2024 - Nov 2026) in the generic layout."""
    rng = random.Random(seed)
    days = (date(2026, 11, 30) - FIRST).days + 1
    out = io.StringIO()
    out.write("order_id,customer_id,created_at,total,status,refunded_amount,channel\n")
    statuses = ("paid",) * 18 + ("cancelled", "refunded")
    for n in range(rows):
        day = FIRST + timedelta(days=n * days // rows)
        status = statuses[n % 20]
        total = 50 + (n * 37) % 400
        out.write(
            f"B{n:08d},c{rng.randint(1, rows // 4 + 1)},{day.isoformat()} {n % 24:02d}:{n % 60:02d},"
            f"{total}.00,{status},{total if status == 'refunded' else 0},{('tmall', 'jd', 'douyin')[n % 3]}\n"
        )
    return out.getvalue().encode()


def rss_mb() -> float:
    """Peak resident memory of this process so far, in MiB (VmHWM: ru_maxrss survives exec on Linux,
    so a spawned child would report its parent's peak)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def floor_import(engine: sa.Engine, data: bytes) -> float:
    """pandas.read_csv and a plain bulk insert of the same rows, no checks: the floor."""
    started = time.perf_counter()
    frame = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)
    frame["team_id"] = FLOOR_TEAM
    created = pd.to_datetime(frame["created_at"], format="%Y-%m-%d %H:%M").dt.tz_localize("Asia/Shanghai")
    frame["created_at"] = created.dt.tz_convert("UTC").dt.tz_localize(None)
    frame["day"] = created.dt.date
    frame = frame.rename(columns={"refunded_amount": "refunded"})
    frame["currency"] = ""
    records = frame.to_dict("records")
    table = sa.Table("kpi_orders", sa.MetaData(), autoload_with=engine)
    with engine.begin() as conn:
        for start in range(0, len(records), 5000):
            conn.execute(table.insert(), records[start : start + 5000])
    return time.perf_counter() - started


FLOOR_SQL = (
    "SELECT count(*), sum(total), sum(refunded), count(DISTINCT CASE WHEN customer_id <> '' THEN customer_id END) "
    "FROM kpi_orders WHERE team_id = :team AND day BETWEEN :first AND :last AND status <> 'cancelled'",
    "SELECT count(*) FROM (SELECT customer_id FROM kpi_orders WHERE team_id = :team AND day BETWEEN :first AND :last "
    "AND status <> 'cancelled' AND customer_id <> '' GROUP BY customer_id HAVING count(*) >= 2) AS repeaters",
    "SELECT count(*) FROM kpi_customers WHERE team_id = :team AND first_day BETWEEN :first AND :last",
)
SERIES_SQL = (
    "SELECT day, sum(total) FROM kpi_orders WHERE team_id = :team AND day BETWEEN :first AND :last "
    "AND status <> 'cancelled' GROUP BY day"
)


def floor_figures(engine: sa.Engine) -> float:
    """The same figures, hand-written: each KPI aggregate of November, October and November last year,
    and GMV per day over the chart's 8 months."""
    periods = (
        (date(2026, 11, 1), date(2026, 11, 30)),
        (date(2026, 10, 1), date(2026, 10, 31)),
        (date(2025, 11, 1), date(2025, 11, 30)),
    )
    started = time.perf_counter()
    with engine.connect() as conn:
        for first, last in periods:
            for sql in FLOOR_SQL:
                conn.execute(sa.text(sql), {"team": TEAM, "first": first, "last": last}).all()
        conn.execute(
            sa.text(SERIES_SQL), {"team": TEAM, "first": date(2026, 4, 1), "last": date(2026, 11, 30)}
        ).all()
    return time.perf_counter() - started


def measure_digest(url: str) -> tuple[float, float, float, float]:
    """In a fresh process: (figures s, chart s, floor s, peak RSS MiB) of the monthly digest."""
    engine = make_engine(url)
    figures, charts_s, floors = [], [], []
    for _ in range(3):
        started = time.perf_counter()
        with session_scope(engine, write=False) as s:
            digest = digests.build(
                s, TEAM, "monthly", date(2026, 12, 1), locale="en", currency="CNY", draw=False
            )
        figures.append(time.perf_counter() - started)
        started = time.perf_counter()
        charts.daily_from_spec(
            digests.chart_spec(
                "GMV",
                [str(i) for i in range(8)],
                [date(2026, 4 + i, 1) for i in range(8)],
                [Decimal(i) for i in range(8)],
                [None] * 8,
                "CNY",
                "en",
            )
        )
        charts_s.append(time.perf_counter() - started)
        floors.append(floor_figures(engine))
        del digest
    engine.dispose()
    return min(figures), min(charts_s[1:] or charts_s), min(floors), rss_mb()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--database", help="a database URL (default: a new SQLite file)")
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    with bench_database(args.database, "kpis") as (engine, url, kind):
        with session_scope(engine) as s:
            for team in (TEAM, FLOOR_TEAM):
                workspaces.ensure_workspace(s, team_id=team, defaults=WorkspaceDefaults(), now=NOW)
        print(f"KPIs on {kind}")
        sizes = sorted({min(100_000, args.rows), args.rows})
        for size in sizes:
            data = orders_csv(size)
            floor = floor_import(engine, data)
            actor = Actor(team_id=TEAM, user_id="", now=NOW, tz="Asia/Shanghai", is_manager=True)
            started = time.perf_counter()
            with session_scope(engine) as s:
                done = service.import_orders(
                    s, actor, data, "orders.csv", currency="CNY", workspace_tz="Asia/Shanghai"
                )
            seconds = time.perf_counter() - started
            print(
                f"import {size:>9,} orders: {seconds:7.2f} s  floor {floor:6.2f} s  ratio {seconds / floor:4.2f}x  "
                f"({done.new:,} new, {done.updated:,} updated)  peak RSS {rss_mb():.0f} MiB"
            )
            with engine.begin() as conn:
                conn.execute(sa.text("DELETE FROM kpi_orders WHERE team_id = :team"), {"team": FLOOR_TEAM})
            with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
                figures, chart, floor_s, peak = pool.submit(measure_digest, url).result()
            print(
                f"monthly digest over {size:>9,} orders: figures {figures:6.3f} s  hand-written SQL {floor_s:6.3f} s  "
                f"ratio {figures / floor_s:4.2f}x  + chart {chart:5.3f} s  digest process peak RSS {peak:.0f} MiB"
            )
            if size != sizes[-1]:
                with engine.begin() as conn:
                    conn.execute(sa.text("DELETE FROM kpi_orders WHERE team_id = :team"), {"team": TEAM})


if __name__ == "__main__":
    main()
