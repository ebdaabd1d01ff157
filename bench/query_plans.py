"""Query plans at company scale (issue 15): every statement behind a command, an App Home render, a form
or a scheduler job, EXPLAINed on tables large enough that the planner's choice is real.

- Plays the week of tests/perf/test_query_plans.py through the real app (served on 127.0.0.1, against
  the fake Slack) on a new database, capturing each distinct statement with what ran it
  (tests/perf/plans.py, shared with the test).
- Then grows the database: `--workspaces` more workspaces like the one played, each a copy of its rows
  (every table with a `team_id`, and the rows hanging off them) moved back in time by up to two years,
  so that every large table holds N times the workspace's rows and a workspace is a small part of each.
  On PostgreSQL it then runs ANALYZE (what autovacuum would have done); SQLite plans as the app runs it,
  without statistics.
- EXPLAINs every captured statement with the parameters it ran with, the planner free to choose (no
  sequential scans priced out, unlike the test's tiny tables), and prints one line per statement: what
  ran it (command, job, home, form), each table it reads and through which index, or FULL SCAN.

    .venv/bin/python bench/query_plans.py                   # SQLite, 2,000 more workspaces
    .venv/bin/python bench/query_plans.py --database postgresql+psycopg://postgres@127.0.0.1:5432/test
    .venv/bin/python bench/query_plans.py --workspaces 200  # CI's size

Exit status: 0 when no statement reads a large table in full, 1 when one does.
"""

from __future__ import annotations

import argparse
import collections
import logging
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from _db import bench_database

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ecombot import migrations  # noqa: E402
from tests.perf import plans  # noqa: E402

SOURCE = "T_DEMO"
SMOKE_WORKSPACES = 200
RECENT_ONLY = {"processed_events"}  # a tick deletes what is older than a day
# Columns naming another row by a key that is changed in a copy (an outbox message's thread or the
# message it is a new version of, by its idempotency key).
KEY_REFERENCES = {"deliveries": ("thread_of", "update_of")}
CHUNK = 5000


def _copied_tables(metadata: sa.MetaData) -> list[sa.Table]:
    """The tables holding a workspace's rows: those with a team_id, and those hanging off them."""
    out: list[sa.Table] = []
    for table in metadata.sorted_tables:
        if table.name == "alembic_version" or table.name.startswith("slack_"):
            continue
        parents = {fk.column.table.name for fk in table.foreign_keys}
        if "team_id" in table.c or parents & {t.name for t in out}:
            out.append(table)
    return out


def _id_column(table: sa.Table) -> sa.Column[Any] | None:
    """The table's integer surrogate key, if it has one."""
    pk = list(table.primary_key.columns)
    if len(pk) == 1 and isinstance(pk[0].type, sa.Integer):
        return pk[0]
    return None


def _is_string(column: sa.Column[Any]) -> bool:
    kind = column.type
    return isinstance(kind.impl_instance if isinstance(kind, sa.TypeDecorator) else kind, sa.String)


def _suffixed(table: sa.Table, remapped: set[str]) -> set[str]:
    """String columns that must change in a copy: one of each unique key that neither team_id nor a
    remapped id tells apart (an outbox key, a claim key, an event id)."""
    keys = [set(c.name for c in table.primary_key.columns)]
    keys += [
        {c.name for c in constraint.columns}
        for constraint in table.constraints
        if isinstance(constraint, sa.UniqueConstraint)
    ]
    keys += [{c.name for c in index.columns} for index in table.indexes if index.unique]
    keys += [{c.name} for c in table.columns if c.unique]
    out = set()
    for key in keys:
        if not key or "team_id" in key or key & remapped:
            continue
        strings = [name for name in sorted(key) if _is_string(table.c[name])]
        if strings:
            out.add(strings[0])
    return out


def grow(engine: sa.Engine, copies: int, spread_days: int = 730) -> dict[str, tuple[int, int]]:
    """`copies` more workspaces, each a copy of SOURCE's rows moved back by up to `spread_days`;
    returns each copied table's (rows before, rows after)."""
    metadata = migrations.target_metadata()
    tables = _copied_tables(metadata)
    strides: dict[str, int] = {}  # table -> how far a copy's ids are moved
    counts: dict[str, tuple[int, int]] = {}
    picked: dict[str, list[int]] = {}  # table -> SOURCE's ids in it
    with engine.begin() as conn:
        for table in tables:
            key = _id_column(table)
            if "team_id" in table.c:
                where: Any = table.c.team_id == SOURCE
            else:
                links = [
                    fk.parent.in_(picked[fk.column.table.name])
                    for fk in table.foreign_keys
                    if fk.column.table.name in picked
                ]
                where = sa.or_(*links)
            query = sa.select(table).where(where)
            if key is not None:  # a parent row before its children (tasks.parent_id)
                query = query.order_by(key)
            rows = [dict(r._mapping) for r in conn.execute(query)]
            before = int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())
            if key is not None:
                picked[table.name] = [int(r[key.name]) for r in rows]
                top = conn.execute(sa.select(sa.func.max(key))).scalar()
                strides[table.name] = int(top or 0) + 1
            fks = {
                fk.parent.name: fk.column.table.name
                for fk in table.foreign_keys
                if fk.column.table.name in strides and fk.column.primary_key
            }
            remapped = set(fks) | ({key.name} if key is not None else set())
            suffixed = _suffixed(table, remapped) | set(KEY_REFERENCES.get(table.name, ()))
            statement = sa.insert(table)
            chunk: list[dict[str, Any]] = []
            for k in range(1, copies + 1):
                team = f"T_C{k:05d}"
                # Moved back in time, except where the app keeps only the last day (deduplicated
                # events): there a copy is what the other workspaces received meanwhile.
                shift = timedelta(days=0 if table.name in RECENT_ONLY else k % spread_days)
                for row in rows:
                    new = dict(row)
                    if "team_id" in new:
                        new["team_id"] = team
                    if key is not None:
                        new[key.name] = row[key.name] + k * strides[table.name]
                    for column, parent in fks.items():
                        if new[column] is not None:
                            new[column] = new[column] + k * strides[parent]
                    for column in suffixed:
                        if new[column]:
                            new[column] = f"{new[column]}~{k}"
                    for column, value in new.items():
                        if isinstance(value, date):  # dates and datetimes
                            new[column] = value - shift
                    chunk.append(new)
                    if len(chunk) == CHUNK:
                        conn.execute(statement, chunk)
                        chunk = []
            if chunk:
                conn.execute(statement, chunk)
            counts[table.name] = (before, before + len(rows) * copies)
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(sa.text("ANALYZE"))
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", help="database URL (default: a new SQLite file)")
    parser.add_argument(
        "--workspaces",
        type=int,
        help=f"workspaces added like the one played (2000; --smoke {SMOKE_WORKSPACES})",
    )
    parser.add_argument("--plans", action="store_true", help="print each statement's plan too")
    parser.add_argument(
        "--smoke", action="store_true", help=f"CI: {SMOKE_WORKSPACES} workspaces, exit 0 whatever the plans"
    )
    args = parser.parse_args()
    workspaces = args.workspaces if args.workspaces is not None else SMOKE_WORKSPACES if args.smoke else 2000
    # The week's ticks skip the daily digests it leaves behind: expected, and not what this is about.
    logging.getLogger("ecombot.scheduling.engine").setLevel(logging.ERROR)

    with bench_database(args.database, "plans") as (engine, url, kind):
        started = time.perf_counter()
        with plans.served_app(engine, url) as (slack, settings, fake, clock):
            captured = plans.capture(slack, engine, settings, fake, clock)
        played = time.perf_counter() - started
        counts = grow(engine, workspaces)
        grown = time.perf_counter() - started - played
        # The planner's own choice, except in a smoke run on PostgreSQL: with a few hundred rows a
        # table, a sequential scan is its right choice; sequential scans are then priced out, as in
        # the test, and what shows is whether an index could serve each statement.
        price_out = args.smoke and kind == "PostgreSQL"
        explained = plans.explain_all(engine, captured, price_out_seqscans=price_out)
        total = time.perf_counter() - started

    print(
        f"Query plans on {kind}: {len(captured)} distinct statements behind commands, App Home, forms and jobs"
    )
    print(f"played the week in {played:.1f} s; added {workspaces:,} workspaces like it in {grown:.1f} s")
    sizes = ", ".join(
        f"{name} {after:,}" for name, (_, after) in sorted(counts.items()) if name in plans.LARGE_TABLES
    )
    print(f"large tables (rows): {sizes}")
    if price_out:
        print("smoke run: sequential scans priced out (tables this small make them the planner's choice)")
    print()
    print(f"{'run by':<27} {'first by':<36} {'runs':>4}  {'':<6} tables read: index, or FULL SCAN")
    failed = []
    for plan in explained:
        sources = plan.query.sources
        origins = "+".join(sorted({plans.origin(source) for source in sources}))
        verb = plan.query.statement.split(maxsplit=1)[0].upper()
        accesses = "; ".join(sorted({str(a) for a in plan.accesses})) or "no table"
        flag = ""
        if plan.full_scans:
            flag = "  <- allowed" if plan.allowed else "  <- FULL SCAN OF A LARGE TABLE"
            if not plan.allowed:
                failed.append(plan)
        print(f"{origins:<27} {sources[0][:36]:<36} {len(sources):>4}  {verb:<6} {accesses}{flag}")
        if args.plans or (plan.full_scans and not plan.allowed):
            print("    " + plan.text.replace("\n", "\n    "))
    by_origin = collections.Counter(o for p in explained for o in {plans.origin(s) for s in p.query.sources})
    print()
    print(
        f"statements: {len(explained)} (run by a {', a '.join(f'{o}: {n}' for o, n in by_origin.most_common())}); "
        f"full scans of a large table: {len(failed)}; {total:.1f} s in all"
    )
    print("RESULT: " + ("every query on a large table uses an index" if not failed else "FULL SCAN"))
    return 1 if failed and not args.smoke else 0


if __name__ == "__main__":
    sys.exit(main())
