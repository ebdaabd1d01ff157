"""Uninstalling the app (`app_uninstalled`, or `tokens_revoked` with the bot's tokens): the workspace's
schedules and per-person work stop, its waiting posts are parked, its data stays; a reinstall (an event
or a command from it again, or the OAuth install flow) brings it all back."""

from __future__ import annotations

import urllib.request
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from ecombot.app import build_runtime, create_app
from ecombot.clock import FixedClock
from ecombot.config import Settings, WorkspaceDefaults
from ecombot.db import session_scope
from ecombot.devtools.driver import LocalServer, SlackDriver
from ecombot.devtools.fakeslack import FakeSlack
from ecombot.devtools.local import TrackingExecutor
from ecombot.scheduling import service as scheduling
from ecombot.scheduling.engine import SchedulingEngine
from ecombot.scheduling.models import Delivery
from ecombot.server import EcombotWsgi
from ecombot.workspaces import service as workspaces
from ecombot.workspaces.models import Workspace
from tests.support import SECRET_KEY, SIGNING_SECRET, StatementCounter, cli_env, run_due, run_ecombot
from tests.workspaces.activity import counts_by_table

TUESDAY_NINE = datetime.fromisoformat("2026-11-24T09:00:00+08:00")
WEDNESDAY_NINE = datetime.fromisoformat("2026-11-25T09:00:00+08:00")
LI_REMINDER = "逾期"  # Li's reminder DM: "逾期 n 项，今天截止 n 项，明天截止 n 项"


def _uninstalled_at(db: Engine, team_id: str = "T_DEMO") -> datetime | None:
    with Session(db) as s:
        workspace = s.get(Workspace, team_id)
        assert workspace is not None
        return workspace.uninstalled_at


def _statuses(db: Engine) -> dict[str, str]:
    with Session(db) as s:
        return {d.idempotency_key: d.status for d in s.exec(select(Delivery))}


def _queue(db: Engine, team_id: str, key: str, at: datetime, target: str = "C_DEMO") -> None:
    with session_scope(db) as s:
        message = scheduling.Outgoing(target, {"text": f"queued {key}"}, key)
        assert scheduling.enqueue(s, team_id=team_id, message=message, now=at)


def _a_working_week(slack: SlackDriver) -> None:
    """People met, a task due Tuesday for Li (her 09:00 reminder), the daily KPI digest at 09:00."""
    for user in ("U_DEMO", "U_LI", "U_SAM", "U_MIA"):
        assert slack.command("/ecom help", user=user).status == 200
    assert "Added task" in slack.command("/task add Banner <@U_LI> due:2026-11-24").json["text"]
    assert slack.command("/kpi digest daily").status == 200


def _posted(fake: FakeSlack, text: str) -> int:
    return sum(1 for call in fake.calls_to("chat.postMessage") if text in str(call.args.get("text", "")))


def test_uninstall_stops_schedules_parks_the_outbox_keeps_the_data_and_a_reinstall_resumes(
    slack: SlackDriver,
    fake: FakeSlack,
    db: Engine,
    settings: Settings,
    clock: FixedClock,
    database_url: str,
    tmp_path: Path,
) -> None:
    _a_working_week(slack)
    with session_scope(db) as s:
        workspaces.ensure_workspace(s, team_id="T_OTHER", defaults=WorkspaceDefaults(), now=clock.now())
    # Waiting in the outbox when the app is removed: two fresh posts, one from two days ago, and one of
    # another workspace.
    _queue(db, "T_DEMO", "demo:fresh-1", clock.now())
    _queue(db, "T_DEMO", "demo:fresh-2", clock.now(), target="U_LI")
    _queue(db, "T_DEMO", "demo:old", clock.now() - timedelta(days=2))
    _queue(db, "T_OTHER", "other:fresh", clock.now())
    kept = counts_by_table(db, "T_DEMO")

    assert slack.event({"type": "app_uninstalled"}).status == 200
    assert _uninstalled_at(db) == clock.now()
    statuses = _statuses(db)
    assert [statuses[k] for k in ("demo:fresh-1", "demo:fresh-2", "demo:old")] == ["parked"] * 3
    assert statuses["other:fresh"] == "sent"  # the other workspace is served as before
    # Every row is still there (the event itself is remembered, against Slack's retries).
    after = counts_by_table(db, "T_DEMO")
    assert {k: v for k, v in after.items() if k != "processed_events"} == {
        k: v for k, v in kept.items() if k != "processed_events"
    }

    # Tuesday 09:00: Li's reminder and the digest would fire; neither is run. A later pass of the
    # morning does not find them again.
    report = run_due(db, settings, fake, TUESDAY_NINE)
    assert (report.fired, report.parked) == (0, 2)
    report = run_due(db, settings, fake, TUESDAY_NINE + timedelta(minutes=1))
    assert (report.fired, report.parked) == (0, 0)
    assert _posted(fake, LI_REMINDER) == 0 and _posted(fake, "queued demo") == 0
    assert _posted(fake, "queued other:fresh") == 1
    assert _statuses(db)["demo:fresh-1"] == "parked"

    # The operator sees the parked posts, and why they wait.
    listed = run_ecombot(["jobs", "failed"], cli_env(database_url, fake.api_url), tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert "Parked: 3 delivery(ies) of workspaces that uninstalled the app (T_DEMO)" in listed.stdout
    assert "demo:fresh-1" in listed.stdout and "other:fresh" not in listed.stdout
    schedules = run_ecombot(["jobs", "list"], cli_env(database_url, fake.api_url), tmp_path)
    [digest] = [line for line in schedules.stdout.splitlines() if "kpis.daily_digest" in line]
    assert "(uninstalled)" in digest

    # Reinstalled: someone opens the Home tab. The day's parked posts go out; the old one stays parked.
    slack.event({"type": "app_home_opened", "user": "U_LI", "tab": "home"})
    assert _uninstalled_at(db) is None
    statuses = _statuses(db)
    assert (statuses["demo:fresh-1"], statuses["demo:fresh-2"], statuses["demo:old"]) == (
        "sent",
        "sent",
        "parked",
    )
    assert _posted(fake, "queued demo:fresh") == 2

    # Wednesday 09:00: the schedules resume at their next slot, Li's reminder comes again.
    report = run_due(db, settings, fake, WEDNESDAY_NINE)
    assert report.parked == 0
    assert report.fired == 2
    assert _posted(fake, LI_REMINDER) == 1


def test_tokens_revoked_for_the_bot_uninstalls_and_for_users_only_does_not(
    slack: SlackDriver, db: Engine, clock: FixedClock
) -> None:
    slack.command("/ecom help")
    slack.event({"type": "tokens_revoked", "tokens": {"oauth": ["U_SAM"]}})
    assert _uninstalled_at(db) is None
    _queue(db, "T_DEMO", "demo:waiting", clock.now())
    slack.event({"type": "tokens_revoked", "tokens": {"oauth": ["U_DEMO"], "bot": ["U_BOT"]}})
    assert _uninstalled_at(db) == clock.now()
    assert _statuses(db)["demo:waiting"] == "parked"
    # Slack sends app_uninstalled too: still uninstalled, since the first moment.
    slack.event({"type": "app_uninstalled"})
    assert _uninstalled_at(db) == clock.now()
    # Odd shapes change nothing and answer 200.
    for tokens in (None, "bot", {"bot": "U_BOT"}, {"bot": []}):
        assert slack.event({"type": "tokens_revoked", "tokens": tokens}).status == 200
    assert _uninstalled_at(db) == clock.now()


def test_a_command_from_an_uninstalled_workspace_reinstates_it_and_is_answered(
    slack: SlackDriver, db: Engine, clock: FixedClock
) -> None:
    slack.command("/task add First")
    slack.event({"type": "app_uninstalled"})
    assert _uninstalled_at(db) is not None
    reply = slack.command("/task add Second").json
    assert "Added task" in reply["text"]
    assert _uninstalled_at(db) is None
    with Session(db) as s:
        assert s.get(Workspace, "T_DEMO") is not None
    assert counts_by_table(db, "T_DEMO")["tasks"] == 2


def test_the_scheduler_reads_the_uninstalled_workspaces_in_one_query_however_many(
    db: Engine, settings: Settings, clock: FixedClock
) -> None:
    """Each tick with work asks once which workspaces are uninstalled; schedules learn it in the
    statement that reads them. Neither grows with the number of workspaces."""
    from ecombot.actor import Actor
    from ecombot.tasks import service as tasks

    def uninstalled_lookups(count: int) -> tuple[int, int, int]:
        now = clock.now() - timedelta(days=1)
        with session_scope(db) as s:
            for n in range(count):
                team = f"T{count}_{n}"
                workspaces.ensure_workspace(s, team_id=team, defaults=WorkspaceDefaults(), now=now)
                workspaces.save_member(
                    s,
                    team_id=team,
                    profile=workspaces.UserProfile("U1", name="u", tz="Asia/Shanghai"),
                    now=now,
                )
                actor = Actor(team_id=team, user_id="U1", now=now, tz="Asia/Shanghai", is_manager=True)
                tasks.add_task(s, actor, tasks.TaskDraft("Due", "U1", due_date=TUESDAY_NINE.date()))
                scheduling.create_schedule(
                    s,
                    team_id=team,
                    kind="scheduling.message",
                    rule="0 9 * * *",
                    timezone="Asia/Shanghai",
                    now=now,
                    target="C1",
                    params={"text": "hello"},
                )
                workspaces.mark_uninstalled(s, team_id=team, now=now)
        rt = build_runtime(settings, engine=db, clock=FixedClock(TUESDAY_NINE))
        with StatementCounter(db, counted=lambda: True) as counter:
            report = SchedulingEngine(db, rt.jobs, worker="test").run_due(TUESDAY_NINE)
        assert report.errors == [] and report.fired == 0
        # The tick's question (the people query also reads the column, for requests) and the
        # schedules' statement, which reads the workspace with each schedule.
        asked = sum(1 for s in counter.work if "uninstalled_at IS NOT NULL" in s)
        schedules = sum(1 for s in counter.work if "FROM schedules JOIN workspaces" in s)
        with db.begin() as conn:
            conn.execute(sa.delete(Workspace.__table__).where(col(Workspace.team_id).like(f"T{count}_%")))  # type: ignore[attr-defined]
        return report.parked, asked, schedules

    few, many = uninstalled_lookups(2), uninstalled_lookups(12)
    assert few[0] == 2 * 2 and many[0] == 12 * 2  # a schedule and a reminder per workspace
    # Once for the reminders (the one tick with work here), once for the schedules, for 2 or 12.
    assert few[1:] == many[1:] == (1, 1), (few, many)


# -- multi-workspace installs (OAuth) ------------------------------------------------------------


def _get(url: str, headers: dict[str, str] | None = None) -> tuple[int, str, dict[str, str]]:
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.read().decode(), {k.lower(): v for k, v in response.headers.items()}


def _install(server: LocalServer) -> None:
    status, page, headers = _get(f"{server.url}/slack/install")
    assert status == 200
    link = page.split('href="https://slack.com/oauth/v2/authorize')[1].split('"')[0].replace("&amp;", "&")
    state = parse_qs(urlparse(link).query)["state"][0]
    cookie = headers["set-cookie"].split(";")[0]
    status, page, _ = _get(
        f"{server.url}/slack/oauth_redirect?code=granted&state={state}", {"Cookie": cookie}
    )
    assert status == 200, page


@pytest.fixture
def oauth_listeners() -> Iterator[TrackingExecutor]:
    """The OAuth app's listener pool: events are handled after their ack, as in production."""
    executor = TrackingExecutor()
    yield executor
    executor.shutdown(wait=True)


@pytest.fixture
def oauth_server(
    settings: Settings, db: Engine, clock: FixedClock, oauth_listeners: TrackingExecutor
) -> Iterator[LocalServer]:
    oauth = settings.with_slack(
        bot_token="", client_id="111.222", client_secret="oauth-secret", secret_key=SECRET_KEY
    )
    app = create_app(oauth, engine=db, clock=clock, listener_executor=oauth_listeners)
    server = LocalServer(EcombotWsgi(app, db, signing_secret=SIGNING_SECRET))
    yield server
    server.close()


def _tokens(db: Engine) -> tuple[int, int]:
    with db.connect() as conn:
        installs = conn.execute(sa.text("SELECT count(*) FROM slack_installations WHERE team_id = 'T_DEMO'"))
        bots = conn.execute(sa.text("SELECT count(*) FROM slack_bots WHERE team_id = 'T_DEMO'"))
        return int(installs.scalar_one()), int(bots.scalar_one())


def test_oauth_uninstall_forgets_the_tokens_and_the_install_flow_reinstates(
    oauth_server: LocalServer, oauth_listeners: TrackingExecutor, db: Engine, fake: FakeSlack
) -> None:
    _install(oauth_server)
    assert _tokens(db) == (1, 1)
    assert _uninstalled_at(db) is None
    driver = SlackDriver(oauth_server.url, SIGNING_SECRET, fake)
    assert driver.event({"type": "app_uninstalled"}).status == 200
    assert oauth_listeners.wait_idle()  # the event is handled after its ack
    assert _tokens(db) == (0, 0)
    assert _uninstalled_at(db) is not None

    _install(oauth_server)
    assert _tokens(db) == (1, 1)
    assert _uninstalled_at(db) is None
    reply = driver.command("/ecom help").json
    assert reply["response_type"] == "ephemeral"
