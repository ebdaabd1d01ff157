"""Shared fixtures: a migrated database (SQLite, or PostgreSQL when ECOMBOT_TEST_DATABASE_URL is set),
the fake Slack Web API, and the real app served over HTTP as production runs it (ack first, work
after: `process_before_response = false`) with a driver that signs requests and waits for that work."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from ecombot import migrations
from ecombot.clock import FixedClock
from ecombot.config import Settings
from ecombot.db import make_engine
from ecombot.devtools.driver import SlackDriver
from ecombot.devtools.fakeslack import FakeSlack
from ecombot.devtools.local import LocalApp
from tests.support import BOT_TOKEN, SIGNING_SECRET, drop_pg_schema, new_pg_schema_url, postgres_base_url


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One database for the session: its own PostgreSQL schema, or a SQLite file."""
    base = postgres_base_url()
    if base:
        url, schema = new_pg_schema_url(base)
        yield url
        drop_pg_schema(base, schema)
    else:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


@pytest.fixture(scope="session")
def migrated_engine(database_url: str) -> Iterator[Engine]:
    """The session database, migrated to head once."""
    engine = make_engine(database_url)
    migrations.upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def db(migrated_engine: Engine) -> Iterator[Engine]:
    """The migrated database, emptied after each test."""
    yield migrated_engine
    metadata = migrations.target_metadata()
    with migrated_engine.begin() as conn:
        for table in reversed(metadata.sorted_tables):
            conn.execute(table.delete())


@pytest.fixture
def session(db: Engine) -> Iterator[Session]:
    """A session on the test database (commit explicitly to make writes visible)."""
    with Session(db, expire_on_commit=False) as s:
        yield s


@pytest.fixture
def clock() -> FixedClock:
    """Monday 2026-11-23 09:00 in Shanghai."""
    return FixedClock(datetime(2026, 11, 23, 1, 0, tzinfo=UTC))


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    """The fake Slack Web API; a test fails if the app made a call Slack would refuse."""
    with FakeSlack() as server:
        yield server
        assert server.rejections == [], f"Slack would have refused: {server.rejections}"


@pytest.fixture
def settings(database_url: str, fake: FakeSlack) -> Settings:
    """Settings pointing at the test database and the fake Slack."""
    return (
        Settings()
        .with_database(database_url)
        .with_slack(
            api_url=fake.api_url,
            bot_token=BOT_TOKEN,
            signing_secret=SIGNING_SECRET,
            process_before_response=False,
        )
    )


@pytest.fixture
def local_app(settings: Settings, db: Engine, clock: FixedClock) -> Iterator[LocalApp]:
    """The real app served over HTTP on 127.0.0.1, with its outbox delivered on `settle()`."""
    app = LocalApp(settings, db, clock)
    yield app
    app.close()


@pytest.fixture
def app_url(local_app: LocalApp) -> str:
    """Where the real app answers."""
    return local_app.url


@pytest.fixture
def slack(local_app: LocalApp, fake: FakeSlack, team: str) -> SlackDriver:
    """Plays Slack: signed commands, clicks, submissions and events; each waits for the work after
    the ack and the deliveries it queued, so a test reads what users would see next."""
    return SlackDriver(local_app.url, SIGNING_SECRET, fake, settle=local_app.settle)


DEMO_PEOPLE = ("U_DEMO", "U_LI", "U_SAM", "U_MIA")


@pytest.fixture
def team(db: Engine, clock: FixedClock, fake: FakeSlack) -> str:
    """The demo workspace, whose people the bot has met before (their language, timezone and role are
    known, as for a team already using it). A test of first contact uses someone not in it."""
    from ecombot.config import WorkspaceDefaults
    from ecombot.db import session_scope
    from ecombot.slack.members import profile_from_slack
    from ecombot.workspaces import service as workspaces

    with session_scope(db) as s:
        workspaces.ensure_workspace(s, team_id="T_DEMO", defaults=WorkspaceDefaults(), now=clock.now())
        for user in DEMO_PEOPLE:
            info = fake.user_info(user)
            assert info is not None
            workspaces.save_member(s, team_id="T_DEMO", profile=profile_from_slack(info), now=clock.now())
    return "T_DEMO"


@pytest.fixture
def workspace(db: Engine, clock: FixedClock) -> str:
    """The demo workspace row (schedules and other rows hang off it)."""
    from ecombot.config import WorkspaceDefaults
    from ecombot.db import session_scope
    from ecombot.workspaces import service as workspaces

    with session_scope(db) as s:
        workspaces.ensure_workspace(s, team_id="T_DEMO", defaults=WorkspaceDefaults(), now=clock.now())
    return "T_DEMO"
