"""Query plans, shared by tests/perf/test_query_plans.py and bench/query_plans.py: a week of a shop played
through the real app (every command the ack benchmark drives and their neighbours, App Home renders, the
forms people fill, and the scheduler's slots and ticks), the SQL it runs captured by what ran it, and
each statement's plan on SQLite (`EXPLAIN QUERY PLAN`) or PostgreSQL (`EXPLAIN (FORMAT JSON)`): which
table it reads through which index, and which large table it reads in full."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

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
from tests.retros.support import click, entry_ids
from tests.retros.support import prompts as retro_prompts
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


@dataclass(frozen=True)
class Access:
    """How a plan reads one table: through an index (its name), or in full."""

    table: str
    index: str  # the index, "PRIMARY KEY", or "" for a full scan
    detail: str = ""  # what a full scan is: "Seq Scan", "whole of ix_…", "SCAN"

    @property
    def full(self) -> bool:
        """Whether the table is read from end to end."""
        return not self.index

    @property
    def large(self) -> bool:
        """Whether the table is one that grows with a company."""
        return self.table in LARGE_TABLES

    def __str__(self) -> str:
        if not self.full:
            return f"{self.table}: {self.index}"
        return (
            f"{self.table}: FULL SCAN ({self.detail})" if self.large else f"{self.table}: full scan (small)"
        )


@dataclass
class Plan:
    """A captured statement and how the database would run it."""

    query: Captured
    accesses: list[Access]
    text: str  # the plan as the database printed it (one line per step)

    @property
    def full_scans(self) -> list[str]:
        """The large tables read in full (sorted, each once)."""
        return sorted({f"{a.table} ({a.detail})" for a in self.accesses if a.full and a.large})

    @property
    def allowed(self) -> bool:
        """Whether ALLOWED lets this statement scan."""
        return any(fragment in self.query.statement for fragment in ALLOWED)


def _table_of(name: str) -> str:
    """The table behind a name in a plan: SQLAlchemy aliases tables as `<table>_<n>`."""
    return re.sub(r"_\d+$", "", name)


_SQLITE_STEP = re.compile(r"(SCAN|SEARCH) (\w+)(?: AS (\w+))?(.*)$")
_SQLITE_INDEX = re.compile(r"USING (?:COVERING )?INDEX (\w+)")


def _sqlite_index_name(conn: sa.Connection, table: str, index: str) -> str:
    """An index by a name people know: SQLite names the index of a UNIQUE constraint or of a
    non-integer primary key `sqlite_autoindex_<table>_<n>`."""
    if not index.startswith("sqlite_autoindex"):
        return index
    origin = {row[1]: row[3] for row in conn.exec_driver_sql(f'PRAGMA index_list("{table}")')}
    columns = [row[2] for row in conn.exec_driver_sql(f'PRAGMA index_info("{index}")')]
    kind = "primary key" if origin.get(index) == "pk" else "unique"
    return f"{kind} ({', '.join(columns)})"


def sqlite_plan(conn: sa.Connection, statement: str, parameters: Any) -> tuple[list[Access], str]:
    """The tables a statement reads on SQLite, and how, with its plan."""
    rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).all()
    details = [str(row[3]) for row in rows]
    tables = set(sa.inspect(conn).get_table_names())
    accesses = []
    for detail in details:
        m = _SQLITE_STEP.match(detail)
        if not m:
            continue
        verb, table, alias, rest = m.groups()
        name = _table_of(table)
        if name not in LARGE_TABLES and alias is not None:
            name = _table_of(alias)
        if table not in tables and name not in tables:
            continue  # a subquery's or a CTE's rows, read where the statement made them
        index = _SQLITE_INDEX.search(rest)
        if verb == "SCAN":
            # `SCAN t USING INDEX i` walks all of i: as slow as reading the table, so it counts too.
            accesses.append(Access(name, "", f"SCAN{rest}".strip()))
        elif "AUTOMATIC" in rest:
            # An index SQLite builds for this statement alone: it reads the whole table first.
            accesses.append(Access(name, "", rest.strip()))
        elif "INTEGER PRIMARY KEY" in rest:
            accesses.append(Access(name, "primary key"))
        else:
            used = _sqlite_index_name(conn, name, index.group(1)) if index else rest.strip()
            accesses.append(Access(name, used))
    return accesses, "\n".join(details)


def _nodes(plan: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield plan
    for child in plan.get("Plans", []):
        yield from _nodes(child)


_LEADING_COLUMN = sa.text(
    "SELECT t.relname, a.attname, i.indisprimary FROM pg_index i"
    " JOIN pg_class t ON t.oid = i.indrelid"
    " LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]"
    " WHERE i.indexrelid = to_regclass(:name)"
)


def postgres_plan(
    conn: sa.Connection, statement: str, parameters: Any, *, price_out_seqscans: bool = True
) -> tuple[list[Access], str]:
    """The tables a statement reads on PostgreSQL, and how, with its plan. A Seq Scan is a full scan;
    so is an index walked from end to end (no condition on its leading column), rows filtered one by
    one. `price_out_seqscans`: plan as if sequential scans cost a fortune, so that small tables
    cannot make a scan look cheaper than an index (the test's tiny tables); without it, the planner's
    own choice on the data as it is (the benchmark's large tables)."""
    with conn.begin():
        if price_out_seqscans:
            conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
        raw = conn.exec_driver_sql("EXPLAIN (FORMAT JSON) " + statement, parameters).scalar_one()
        conn.rollback()
    doc = raw if isinstance(raw, list) else json.loads(raw)
    nodes = list(_nodes(doc[0]["Plan"]))
    accesses = []
    for node in nodes:
        if node["Node Type"] == "Seq Scan":
            accesses.append(Access(node["Relation Name"], "", "Seq Scan"))
        elif "Index Name" in node:
            table, leading, primary = conn.execute(_LEADING_COLUMN, {"name": node["Index Name"]}).one()
            condition = str(node.get("Index Cond", ""))
            if not (leading and re.search(rf"\b{leading}\b", condition)):
                accesses.append(Access(table, "", f"whole of {node['Index Name']}"))
            else:
                accesses.append(
                    Access(table, str(node["Index Name"]) + (" (primary key)" if primary else ""))
                )
    summary = "\n".join(
        " ".join(
            str(node[k])
            for k in ("Node Type", "Relation Name", "Index Name", "Index Cond", "Filter")
            if k in node
        )
        for node in nodes
    )
    return accesses, summary


def explain_all(db: Engine, captured: list[Captured], *, price_out_seqscans: bool = True) -> list[Plan]:
    """Each captured statement's plan on `db` (SQLite or PostgreSQL)."""
    plans = []
    with db.connect() as conn:
        for query in captured:
            if db.dialect.name == "postgresql":
                accesses, text = postgres_plan(
                    conn, query.statement, query.parameters, price_out_seqscans=price_out_seqscans
                )
            else:
                accesses, text = sqlite_plan(conn, query.statement, query.parameters)
            if conn.in_transaction():
                conn.rollback()
            plans.append(Plan(query, accesses, text))
    return plans


def offenders(plans: list[Plan]) -> list[str]:
    """A paragraph for each plan that reads a large table in full (ALLOWED aside)."""
    return [
        f"full scan of {', '.join(plan.full_scans)} behind {plan.query.sources[:3]}:\n"
        f"{plan.query.statement}\n-- plan:\n{plan.text}\n"
        for plan in plans
        if plan.full_scans and not plan.allowed
    ]


def origin(source: str) -> str:
    """What kind of thing ran a statement: a command, a job (scheduler pass), the App Home, a form or a
    click."""
    if source.startswith("/"):
        return "command"
    if source.startswith("jobs at"):
        return "job"
    if source == "App Home":
        return "home"
    return "form" if source.endswith("form") else "click" if source.endswith("click") else source


# -- driving the app -----------------------------------------------------------------------------

START = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)  # Monday 09:00 in Shanghai, as the tests' clock
PEOPLE = ("U_DEMO", "U_LI", "U_SAM", "U_MIA")  # the `team` fixture's people


def _shanghai(day: str, hhmm: str) -> datetime:
    return datetime.fromisoformat(f"{day}T{hhmm}:00+08:00")


def seed_orders(db: Engine) -> None:
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


class Scenario:
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


def play(run: Scenario) -> None:
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
    run.act("retro entry form", lambda: add_retro_entry(slack, fake, "improve", "Slow refunds", user="U_LI"))
    run.act(
        "retro vote click",
        lambda: click(
            slack,
            retro_prompts(fake)[-1],
            "retros.vote",
            user="U_SAM",
            value=entry_ids(retro_prompts(fake)[-1])["Slow refunds"],
        ),
    )
    run.say(f"/task done {banner}")
    for day, hhmm in (("2026-11-30", "10:00"), ("2026-12-01", "10:00"), ("2026-12-03", "03:00")):
        run.tick(_shanghai(day, hhmm))
    for line in ("/retro actions", "/retro actions all", "/task list mine", "/standup show"):
        run.say(line)
    run.home("U_SAM")


def capture(
    slack: SlackDriver, db: Engine, settings: Settings, fake: FakeSlack, clock: FixedClock
) -> list[Captured]:
    """Seed the orders, play the week, and return every distinct statement it ran."""
    seed_orders(db)
    with QueryCapture(db) as captured:
        play(Scenario(captured, slack, db, settings, fake, clock))
    return list(captured.found.values())


@contextmanager
def served_app(db: Engine, url: str) -> Iterator[tuple[SlackDriver, Settings, FakeSlack, FixedClock]]:
    """Outside pytest (bench/query_plans.py): what the tests' fixtures set up on a migrated, empty
    database: the fake Slack, the real app served on 127.0.0.1 with its settings and clock, and the
    demo workspace with the `team` fixture's people."""
    from ecombot.config import WorkspaceDefaults
    from ecombot.db import session_scope
    from ecombot.devtools.local import LocalApp
    from ecombot.slack.members import profile_from_slack
    from ecombot.workspaces import service as workspaces
    from tests.support import BOT_TOKEN, SIGNING_SECRET

    clock = FixedClock(START)
    with FakeSlack() as fake:
        settings = (
            Settings()
            .with_database(url)
            .with_slack(
                api_url=fake.api_url,
                bot_token=BOT_TOKEN,
                signing_secret=SIGNING_SECRET,
                process_before_response=False,
            )
        )
        app = LocalApp(settings, db, clock)
        try:
            with session_scope(db) as s:
                workspaces.ensure_workspace(s, team_id="T_DEMO", defaults=WorkspaceDefaults(), now=START)
                for user in PEOPLE:
                    info = fake.user_info(user)
                    assert info is not None
                    workspaces.save_member(s, team_id="T_DEMO", profile=profile_from_slack(info), now=START)
            yield SlackDriver(app.url, SIGNING_SECRET, fake, settle=app.settle), settings, fake, clock
        finally:
            app.close()
        assert fake.rejections == [], f"Slack would have refused: {fake.rejections}"
