"""Every query behind a command, a Home render or a scheduled job finds its rows on a large table
through an index: the SQL the real app runs is captured, then EXPLAINed on the test database
(SQLite `EXPLAIN QUERY PLAN`; PostgreSQL `EXPLAIN (FORMAT JSON)` with sequential scans priced out,
so that tiny test tables cannot make a scan look cheaper than an index). The scenario and the plan
reading live in tests/perf/plans.py, which bench/query_plans.py runs on large tables too."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine

from ecombot.clock import FixedClock
from ecombot.config import Settings
from ecombot.devtools.driver import SlackDriver
from ecombot.devtools.fakeslack import FakeSlack
from tests.perf import plans


def test_every_query_on_a_large_table_uses_an_index(
    slack: SlackDriver, db: Engine, settings: Settings, fake: FakeSlack, clock: FixedClock
) -> None:
    captured = plans.capture(slack, db, settings, fake, clock)
    assert len(captured) > 100, "the scenario ran fewer statements than it should"

    explained = plans.explain_all(db, captured)
    offenders = plans.offenders(explained)
    print(f"{db.dialect.name}: {len(captured)} distinct statements checked")
    if offenders:
        pytest.fail(
            f"{len(offenders)} statements scan a large table:\n\n" + "\n".join(offenders), pytrace=False
        )
