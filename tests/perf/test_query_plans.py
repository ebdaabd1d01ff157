"""Every query behind a command, a Home render or a scheduled job finds its rows on a large table
through an index: the SQL the real app runs is captured, then EXPLAINed on the test database
(SQLite `EXPLAIN QUERY PLAN`; PostgreSQL `EXPLAIN (FORMAT JSON)` with sequential scans priced out,
so that tiny test tables cannot make a scan look cheaper than an index)."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session

from ecombot.clock import FixedClock
from ecombot.config import Settings
from ecombot.devtools.driver import SlackDriver
from ecombot.devtools.fakeslack import FakeSlack
from ecombot.kpis import service as kpis
from ecombot.kpis.models import DailyMetric, Order
from tests.campaigns.support import texts
from tests.retros.support import add as add_retro_entry
from tests.standups.support import answer_by_form
from tests.support import run_due

# Tables that grow with a company's history or head count (rows per workspace × workspaces).
LARGE_TABLES = frozenset(
    {
        "tasks",
        "kpi_orders",
        "kpi_customers",
        "kpi_daily_metrics",
        "campaign_results",
        "deliveries",
        "job_runs",
        "standup_answers",
        "standup_days",
        "budget_spend",
        "budget_log",
        "retro_entries",
        "retro_votes",
        "processed_events",
        "members",
        "schedules",
    }
)

# Statements allowed a full scan of a large table, by a fragment of their SQL, with the reason.
ALLOWED: dict[str, str] = {}

_WORK = ("SELECT", "UPDATE", "DELETE", "WITH")


@dataclass
class Captured:
    """One distinct statement, the parameters it first ran with, and what ran it."""

    statement: str
    parameters: Any
    sources: list[str] = field(default_factory=list)


class QueryCapture:
    """Records the SELECT/UPDATE/DELETE statements run on an engine, from any thread, by source."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.source = "setup"
        self.found: dict[str, Captured] = {}
        self._lock = threading.Lock()

    def __enter__(self) -> QueryCapture:
        sa.event.listen(self.engine, "before_cursor_execute", self._record)
        return self

    def __exit__(self, *exc: object) -> None:
        sa.event.remove(self.engine, "before_cursor_execute", self._record)

    def _record(
        self, conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool
    ) -> None:
        if executemany or not statement.lstrip().upper().startswith(_WORK):
            return
        with self._lock:
            seen = self.found.setdefault(statement, Captured(statement, parameters))
            if self.source not in seen.sources:
                seen.sources.append(self.source)


# -- plans ---------------------------------------------------------------------------------------


def _table_of(name: str) -> str:
    """The table behind a name in a plan: SQLAlchemy aliases tables as `<table>_<n>`."""
    return re.sub(r"_\d+$", "", name)


def sqlite_full_scans(conn: sa.Connection, statement: str, parameters: Any) -> tuple[list[str], str]:
    """The large tables the statement reads in full on SQLite, and its plan."""
    rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).all()
    details = [str(row[3]) for row in rows]
    scans = []
    for detail in details:
        m = re.match(r"SCAN (\w+)(?: AS (\w+))?(.*)$", detail)
        if not m:
            continue
        table, alias, rest = m.group(1), m.group(2), m.group(3)
        name = _table_of(table)
        if name not in LARGE_TABLES and alias is not None:
            name = _table_of(alias)
        # `SCAN t USING INDEX i` walks all of i: as slow as reading the table, so it counts too.
        if name in LARGE_TABLES:
            scans.append(f"{name}{rest}")
    return scans, "\n".join(details)


def _nodes(plan: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield plan
    for child in plan.get("Plans", []):
        yield from _nodes(child)


_LEADING_COLUMN = sa.text(
    "SELECT t.relname, a.attname FROM pg_index i"
    " JOIN pg_class t ON t.oid = i.indrelid"
    " LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]"
    " WHERE i.indexrelid = to_regclass(:name)"
)


def postgres_full_scans(conn: sa.Connection, statement: str, parameters: Any) -> tuple[list[str], str]:
    """The large tables the statement reads in full on PostgreSQL: a Seq Scan although priced out, or
    an index walked from end to end (no condition on its leading column), rows filtered one by one."""
    with conn.begin():
        conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
        raw = conn.exec_driver_sql("EXPLAIN (FORMAT JSON) " + statement, parameters).scalar_one()
        conn.rollback()
    doc = raw if isinstance(raw, list) else json.loads(raw)
    nodes = list(_nodes(doc[0]["Plan"]))
    scans = []
    for node in nodes:
        if node["Node Type"] == "Seq Scan" and node.get("Relation Name") in LARGE_TABLES:
            scans.append(f"{node['Relation Name']} (Seq Scan)")
        elif "Index Name" in node:
            table, leading = conn.execute(_LEADING_COLUMN, {"name": node["Index Name"]}).one()
            condition = str(node.get("Index Cond", ""))
            if table in LARGE_TABLES and not (leading and re.search(rf"\b{leading}\b", condition)):
                scans.append(f"{table} (whole of {node['Index Name']})")
    summary = "\n".join(
        " ".join(
            str(node[k])
            for k in ("Node Type", "Relation Name", "Index Name", "Index Cond", "Filter")
            if k in node
        )
        for node in nodes
    )
    return scans, summary


# -- driving the app -----------------------------------------------------------------------------


def _shanghai(day: str, hhmm: str) -> datetime:
    return datetime.fromisoformat(f"{day}T{hhmm}:00+08:00")


def _seed_orders(db: Engine) -> None:
    """An order a day for eight weeks to Sunday Nov 22, and the day's sessions."""
    with Session(db) as s:
        day = date(2026, 9, 28)
        n = 0
        while day <= date(2026, 11, 22):
            at = datetime(day.year, day.month, day.day, 4, tzinfo=UTC)
            total = Decimal(900 if day == date(2026, 11, 22) else 100)
            s.add(
                Order(
                    team_id="T_DEMO",
                    order_id=f"O{n}",
                    customer_id=f"c{n % 9}",
                    created_at=at,
                    day=day,
                    total=total,
                    status="paid",
                )
            )
            s.add(
                DailyMetric(team_id="T_DEMO", metric="sessions", day=day, value=Decimal(1000), updated_at=at)
            )
            day += timedelta(days=1)
            n += 1
        s.flush()
        kpis.refresh_customers(s, "T_DEMO")
        s.commit()


class _Scenario:
    """A week of a shop using every domain, with each step labelled for the capture."""

    def __init__(
        self,
        capture: QueryCapture,
        slack: SlackDriver,
        db: Engine,
        settings: Settings,
        fake: FakeSlack,
        clock: FixedClock,
    ) -> None:
        self.capture, self.slack, self.db, self.settings, self.fake, self.clock = (
            capture,
            slack,
            db,
            settings,
            fake,
            clock,
        )

    def say(self, line: str, *, user: str = "U_DEMO", channel: str = "C_DEMO") -> str:
        self.capture.source = line
        result = self.slack.command(line, user=user, channel=channel)
        assert result.status == 200, (line, result.text)
        body = result.json if result.text.startswith("{") else None
        return texts(body) if isinstance(body, dict) else ""

    def act(self, source: str, action: Callable[[], object]) -> None:
        """A click or a form, as people use them between commands."""
        self.capture.source = source
        action()

    def home(self, user: str) -> None:
        self.capture.source = "App Home"
        event = {"type": "app_home_opened", "user": user, "channel": f"D_{user}", "tab": "home"}
        assert self.slack.event(event).status == 200

    def tick(self, at: datetime) -> None:
        self.capture.source = f"jobs at {at.isoformat()}"
        self.clock.set(at)
        run_due(self.db, self.settings, self.fake, at)


def _number(text: str) -> str:
    m = re.search(r"#(\d+)", text)
    assert m, text
    return m.group(1)


def play(run: _Scenario) -> None:
    """Seed through the commands, then run each command the benchmark drives and each job's slot."""
    run.say("/ecom settings language en")
    banner = _number(run.say("/task add Banner for Double 11 <@U_LI> due:fri #双11"))
    run.say("/task add Restock socks due:2026-11-20", user="U_LI")
    run.say("/task add Weekly report every:mon")
    run.say(f"/task add Checkpoint parent:{banner}")
    run.say("/campaign new Double 11 budget:50000 start:2026-11-01 end:2026-11-22 target_orders:50")
    run.say("/campaign new Double 12 budget:9000 start:2026-12-01 end:2026-12-12")
    run.say("/campaign log Double 11 date:2026-11-20 spend:4000 revenue:9000 orders:9")
    run.say("/campaign log Double 11 date:2026-11-21 spend:1500 revenue:3000 orders:3")
    run.say("/budget set marketing 10000 period:2026-11 channel:<#C_DEMO|ops>")
    run.say("/budget set people 1000")
    run.say("/budget alerts 50,80,100")
    run.say("/budget spend marketing 9500 date:2026-11-20 note:KOL")
    run.say("/budget spend people 600")
    run.say("/kpi digest daily")
    run.say("/kpi digest weekly day:mon")
    run.say("/kpi target gmv 3000 period:month")
    run.say("/kpi log sessions 1000 date:2026-11-22")
    run.say("/standup config reminder:30m")
    for user in ("U_LI", "U_SAM"):
        run.say("/standup join", user=user)
    run.say("/retro schedule fri 16:00")
    run.say(
        "/risk add Card fraud spike category:payment likelihood:3 impact:5 owner:<@U_SAM|sam> review:weekly"
    )

    # What people do all day (the commands of the ack benchmark, and a few neighbours).
    for line in (
        "/task list mine",
        "/task list all",
        "/task list overdue",
        f"/task show {banner}",
        "/campaign show Double 11",
        "/campaign list",
        "/campaign list ended",
        "/budget status",
        "/budget log",
        "/kpi show week",
        "/kpi show month",
        "/standup show",
        "/retro actions",
        "/risk list",
        "/ecom help",
    ):
        run.say(line)
    run.home("U_DEMO")
    run.home("U_LI")

    # The scheduler's day: 09:00 reminders and digests, the standup prompt, reminder and report,
    # 10:00 anomalies and pacing, Friday's retro opening and closing, the month's end.
    run.tick(_shanghai("2026-11-23", "09:00"))
    run.tick(_shanghai("2026-11-23", "09:30"))
    slack, fake = run.slack, run.fake
    run.act("standup answer form", lambda: answer_by_form(slack, fake, "U_LI", ["Copy", "Banner", "None"]))
    for day, hhmm in (
        ("2026-11-23", "10:00"),
        ("2026-11-23", "11:00"),
        ("2026-11-24", "09:00"),
        ("2026-11-24", "10:00"),
        ("2026-11-27", "16:00"),
    ):
        run.tick(_shanghai(day, hhmm))
    run.clock.set(_shanghai("2026-11-27", "16:30"))
    run.act(
        "retro entry form", lambda: add_retro_entry(slack, fake, "well", "Presale went well", user="U_LI")
    )
    run.act(
        "retro action form",
        lambda: add_retro_entry(
            slack, fake, "action", "Fix the mobile cart", user="U_DEMO", extra={"owner": "U_DEMO"}
        ),
    )
    run.say(f"/task done {banner}")
    for day, hhmm in (("2026-11-30", "10:00"), ("2026-12-01", "10:00"), ("2026-12-03", "03:00")):
        run.tick(_shanghai(day, hhmm))
    for line in ("/retro actions", "/retro actions all", "/task list mine", "/standup show"):
        run.say(line)
    run.home("U_SAM")


def test_every_query_on_a_large_table_uses_an_index(
    slack: SlackDriver, db: Engine, settings: Settings, fake: FakeSlack, clock: FixedClock
) -> None:
    _seed_orders(db)
    with QueryCapture(db) as capture:
        play(_Scenario(capture, slack, db, settings, fake, clock))
    captured = list(capture.found.values())
    assert len(captured) > 100, "the scenario ran fewer statements than it should"

    explain = postgres_full_scans if db.dialect.name == "postgresql" else sqlite_full_scans
    offenders: list[str] = []
    with db.connect() as conn:
        for query in captured:
            if any(fragment in query.statement for fragment in ALLOWED):
                continue
            scans, plan = explain(conn, query.statement, query.parameters)
            if conn.in_transaction():
                conn.rollback()
            if scans:
                offenders.append(
                    f"full scan of {', '.join(sorted(set(scans)))} behind {query.sources[:3]}:\n"
                    f"{query.statement}\n-- plan:\n{plan}\n"
                )
    print(f"{db.dialect.name}: {len(captured)} distinct statements checked")
    if offenders:
        pytest.fail(
            f"{len(offenders)} statements scan a large table:\n\n" + "\n".join(offenders), pytrace=False
        )
