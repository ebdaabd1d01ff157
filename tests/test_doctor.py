"""`ecombot doctor`: one line per finding with its fix, and an exit status that says whether to start."""

from __future__ import annotations

import io
import json
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from slack_sdk import WebClient
from sqlalchemy.engine import Engine

from ecombot.clock import OffsetClock
from ecombot.db import session_scope
from ecombot.devtools.fakeslack import FakeSlack
from ecombot.doctor import Mode, doctor_command, manifest_scopes
from ecombot.scheduling import service
from ecombot.scheduling.delivery import DeliveryWorker, WorkerSettings
from ecombot.standups.calendar import cn_known_years
from tests.support import (
    BOT_TOKEN,
    SECRET_KEY,
    cli_env,
    drop_pg_schema,
    new_pg_schema_url,
    postgres_base_url,
    run_ecombot,
)

# A year whose official holidays, and the next year's, are known: the calendar check passes.
COVERED = datetime(cn_known_years()[1] - 1, 6, 1, 2, 0, tzinfo=UTC)
APP_TOKEN = "xapp-1-A0APP-1234567890-abcdef"
NAMES = [
    "config",
    "database",
    "bot token",
    "scopes",
    "app token",
    "signing secret",
    "oauth",
    "scheduler",
    "deliveries",
    "holiday calendar",
]


@pytest.fixture(autouse=True)
def _no_config_file_around(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The doctor reads ./config.toml when there is one; the tests give it none unless they write one.
    monkeypatch.chdir(tmp_path)


def _doctor(
    env: dict[str, str], mode: Mode | None = None, *, now: datetime = COVERED, as_json: bool = False
) -> tuple[int, list[str]]:
    out = io.StringIO()
    code = doctor_command(None, mode, as_json=as_json, out=out, env=env, now=now)
    return code, out.getvalue().splitlines()


def _checks(lines: list[str]) -> list[str]:
    """The finding lines, without the heading and the verdict."""
    return lines[1:-1]


def _line(lines: list[str], name: str) -> str:
    [line] = [line for line in lines if line[2:].startswith(f"{name}: ")]
    return line


def test_a_healthy_setup_passes_every_check(db: Engine, database_url: str, fake: FakeSlack) -> None:
    code, lines = _doctor(cli_env(database_url, fake.api_url))
    assert code == 0
    assert lines[0] == "ecombot doctor: checking for `ecombot serve` (the default: no app-level token)"
    assert [line[2:].split(":")[0] for line in _checks(lines)] == NAMES
    assert all(line.startswith("✓ ") for line in _checks(lines)), "\n".join(lines)
    assert lines[-1] == "Ready for `ecombot serve`."
    assert _line(lines, "config").endswith(
        ": no file, defaults and environment (environment: "
        "SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, SLACK_API_URL, "
        "ECOMBOT_DATABASE_URL)"
    )
    assert "is at" in _line(lines, "database") and "(the newest schema)" in _line(lines, "database")
    assert (
        _line(lines, "bot token") == "✓ bot token: xoxb-… is the bot @ecombot (U_BOT) in Demo Shop (T_DEMO)"
    )
    assert (
        _line(lines, "scopes")
        == f"✓ scopes: all {len(manifest_scopes())} bot scopes of the manifest are granted"
    )
    assert BOT_TOKEN not in "\n".join(lines)


def test_socket_mode_with_an_app_token_opens_a_connection(
    db: Engine, database_url: str, fake: FakeSlack
) -> None:
    fake.socket_url = "ws://127.0.0.1:9/link/"  # where Slack would send the app; the doctor never connects
    code, lines = _doctor(cli_env(database_url, fake.api_url, SLACK_APP_TOKEN=APP_TOKEN))
    assert code == 0, "\n".join(lines)
    assert lines[0] == "ecombot doctor: checking for `ecombot run` (the default: an app-level token is set)"
    assert _line(lines, "app token") == "✓ app token: xapp-…cdef opens Socket Mode connections"
    assert _line(lines, "signing secret").startswith("✓ signing secret: not needed by `ecombot run`")
    assert len(fake.calls_to("apps.connections.open")) == 1
    assert APP_TOKEN not in "\n".join(lines)


def test_a_wrong_bot_token_names_slacks_error(db: Engine, database_url: str, fake: FakeSlack) -> None:
    fake.valid_tokens = frozenset({BOT_TOKEN})
    code, lines = _doctor(cli_env(database_url, fake.api_url, SLACK_BOT_TOKEN="xoxb-not-this-one-9876"))
    assert code == 1
    assert _line(lines, "bot token").startswith(
        "✗ bot token: Slack refused xoxb-…9876: invalid_auth — copy the Bot"
    )
    assert "not-this-one" not in "\n".join(lines)
    # Scopes cannot be read without a working token: no line claims anything about them.
    assert not [line for line in lines if line[2:].startswith("scopes:")]
    assert lines[-1] == "Not ready for `ecombot serve`: 1 problem to fix (✗ above)."
    # The fake recorded Slack's refusal of the wrong token; this test expects it.
    assert [c.error for c in fake.rejections] == ["invalid_auth"]
    fake.clear()


def test_a_missing_scope_is_named_with_how_to_add_it(db: Engine, database_url: str, fake: FakeSlack) -> None:
    fake.granted_scopes = [s for s in manifest_scopes() if s not in ("files:write", "im:write")]
    code, lines = _doctor(cli_env(database_url, fake.api_url))
    assert code == 1
    needed = len(manifest_scopes())
    assert _line(lines, "scopes") == (
        f"✗ scopes: missing files:write, im:write ({needed - 2} of the manifest's {needed} granted) — "
        "add them under OAuth & Permissions (or re-create from `ecombot manifest`) and reinstall"
    )


def test_an_unmigrated_sqlite_database_says_run_db_upgrade(fake: FakeSlack, tmp_path: Path) -> None:
    empty = tmp_path / "fresh.db"
    sqlite3.connect(empty).close()
    code, lines = _doctor(cli_env(f"sqlite:///{empty}", fake.api_url))
    assert code == 1
    database = _line(lines, "database")
    assert database.startswith(f"✗ database: sqlite:///{empty} has no schema yet")
    assert "run `ecombot db upgrade`" in database
    # Nothing reads the tables of a database that has none.
    assert not [line for line in lines if line[2:].startswith(("scheduler:", "deliveries:"))]


def test_a_missing_sqlite_file_is_not_created_by_the_check(fake: FakeSlack, tmp_path: Path) -> None:
    code, lines = _doctor(cli_env(f"sqlite:///{tmp_path / 'nowhere.db'}", fake.api_url))
    assert code == 1
    assert "the file does not exist — run `ecombot db upgrade`" in _line(lines, "database")
    assert not (tmp_path / "nowhere.db").exists()


@pytest.fixture
def empty_pg_url() -> Iterator[str]:
    """A PostgreSQL schema with no tables (skipped without a server)."""
    base = postgres_base_url()
    if not base:
        pytest.skip("PostgreSQL only: set ECOMBOT_TEST_DATABASE_URL")
    url, schema = new_pg_schema_url(base)
    yield url
    drop_pg_schema(base, schema)


def test_an_unmigrated_postgresql_schema_says_run_db_upgrade(fake: FakeSlack, empty_pg_url: str) -> None:
    code, lines = _doctor(cli_env(empty_pg_url, fake.api_url))
    assert code == 1
    database = _line(lines, "database")
    assert database.startswith("✗ database: postgresql") and "has no schema yet" in database
    assert "run `ecombot db upgrade`" in database


def test_socket_mode_without_an_app_token_fails(db: Engine, database_url: str, fake: FakeSlack) -> None:
    code, lines = _doctor(cli_env(database_url, fake.api_url), "run")
    assert code == 1
    assert lines[0] == "ecombot doctor: checking for `ecombot run`"
    assert _line(lines, "app token").startswith("✗ app token: not set: Socket Mode needs an app-level token")
    assert "SLACK_APP_TOKEN" in _line(lines, "app token")


def test_json_has_the_same_findings_as_the_lines(db: Engine, database_url: str, fake: FakeSlack) -> None:
    env = cli_env(database_url, fake.api_url, SLACK_SIGNING_SECRET="")
    code, lines = _doctor(env)
    json_code, json_lines = _doctor(env, as_json=True)
    report = json.loads("\n".join(json_lines))
    assert (code, json_code) == (1, 1)
    assert (report["ok"], report["mode"]) == (False, "serve")
    assert [c["name"] for c in report["checks"]] == NAMES
    marks = {"ok": "✓", "info": "✓", "warn": "!", "fail": "✗"}
    rendered = [
        f"{marks[c['status']]} {c['name']}: {c['finding']}" + (f" — {c['fix']}" if c["fix"] else "")
        for c in report["checks"]
    ]
    assert rendered == _checks(lines)
    [secret] = [c for c in report["checks"] if c["name"] == "signing secret"]
    assert secret["status"] == "fail" and "SLACK_SIGNING_SECRET" in secret["fix"]
    assert {c["status"] for c in report["checks"]} <= {"ok", "fail", "warn", "info"}


def test_a_failed_delivery_is_a_warning_with_its_count(
    db: Engine, database_url: str, fake: FakeSlack, workspace: str
) -> None:
    now = datetime.now(UTC)
    with session_scope(db) as s:
        service.enqueue(
            s, team_id="T_DEMO", message=service.Outgoing("C_GONE", {"text": "hi"}, "gone:1"), now=now
        )
    worker = DeliveryWorker(
        db,
        OffsetClock(now),
        lambda team: WebClient(token=BOT_TOKEN, base_url=fake.api_url),
        worker="w",
        settings=WorkerSettings(poll_interval=0.02, channel_interval=0.0),
    )
    try:
        assert worker.drain(timeout=10).failed == 1
    finally:
        worker.close()
    fake.clear()  # Slack's channel_not_found for the post was the point
    code, lines = _doctor(cli_env(database_url, fake.api_url))
    assert code == 0
    assert _line(lines, "deliveries").startswith("! deliveries: 1 failed delivery waiting")
    assert "channel_not_found" in _line(lines, "deliveries")
    assert _line(lines, "deliveries").endswith(
        "— see `ecombot jobs failed`, retry with `ecombot jobs retry ID`"
    )
    assert lines[-1] == "Ready for `ecombot serve`, with 1 warning (! above)."


def test_the_next_firings_show_in_their_zone(
    db: Engine, database_url: str, fake: FakeSlack, workspace: str
) -> None:
    with session_scope(db) as s:
        for target, zone in (("C_DEMO", "Asia/Shanghai"), ("U_SAM", "America/New_York")):
            service.create_schedule(
                s,
                team_id="T_DEMO",
                kind="scheduling.message",
                rule="0 9 * * *",
                timezone=zone,
                now=COVERED,
                target=target,
                params={"text": "hi"},
            )
    code, lines = _doctor(cli_env(database_url, fake.api_url))
    assert code == 0
    # COVERED is 10:00 in Shanghai (today's 09:00 has passed) and 22:00 the evening before in New York.
    day, next_day = COVERED.date(), COVERED.date() + timedelta(days=1)
    assert _line(lines, "scheduler") == (
        f"✓ scheduler: next: scheduling.message → U_SAM at {day} 09:00 EDT (America/New_York); "
        f"scheduling.message → C_DEMO at {next_day} 09:00 CST (Asia/Shanghai)"
    )
    # A day later nothing has fired them: no scheduler is running.
    code, lines = _doctor(cli_env(database_url, fake.api_url), now=COVERED + timedelta(days=1))
    assert code == 0
    assert _line(lines, "scheduler").startswith(
        "! scheduler: 2 schedules overdue, the oldest (scheduling.message) by 13 h: no scheduler is firing them"
    )
    assert "`ecombot scheduler`" in _line(lines, "scheduler")


def test_a_holiday_calendar_without_next_year_warns(db: Engine, database_url: str, fake: FakeSlack) -> None:
    last = cn_known_years()[1]
    code, lines = _doctor(cli_env(database_url, fake.api_url), now=datetime(last, 6, 1, tzinfo=UTC))
    assert code == 0
    assert _line(lines, "holiday calendar").startswith(
        "! holiday calendar: the official holidays are known for "
    )
    assert f"not {last + 1}" in _line(lines, "holiday calendar")
    assert "pip install -U chinesecalendar" in _line(lines, "holiday calendar")


def test_oauth_installs_need_no_bot_token_in_http_mode(
    db: Engine, database_url: str, fake: FakeSlack
) -> None:
    env = cli_env(
        database_url,
        fake.api_url,
        SLACK_BOT_TOKEN="",
        SLACK_CLIENT_ID="123.456",
        SLACK_CLIENT_SECRET="shh",
        ECOMBOT_SECRET_KEY=SECRET_KEY,
    )
    code, lines = _doctor(env)
    assert code == 0, "\n".join(lines)
    assert (
        _line(lines, "bot token") == "✓ bot token: not set: OAuth installs bring a token for each workspace"
    )
    assert _line(lines, "oauth").startswith("✓ oauth: client id 123.456 and client secret set")
    assert "shh" not in "\n".join(lines)
    # Socket Mode has no installs: there, the bot token is needed.
    code, lines = _doctor(env, "run")
    assert code == 1
    assert _line(lines, "bot token").startswith("✗ bot token: not set — set SLACK_BOT_TOKEN")


def test_the_scheduler_alone_needs_no_signing_secret(db: Engine, database_url: str, fake: FakeSlack) -> None:
    code, lines = _doctor(cli_env(database_url, fake.api_url, SLACK_SIGNING_SECRET=""), "scheduler")
    assert code == 0
    assert _line(lines, "signing secret") == (
        "✓ signing secret: not needed by `ecombot scheduler` (no HTTP requests from Slack)"
    )


# -- through the command line -------------------------------------------------------------------


def test_the_command_prints_json_and_exits_0_when_ready(
    db: Engine, database_url: str, fake: FakeSlack, tmp_path: Path
) -> None:
    result = run_ecombot(["doctor", "--json"], cli_env(database_url, fake.api_url), tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert (report["ok"], report["mode"]) == (True, "serve")
    assert [c["name"] for c in report["checks"]] == NAMES
    assert BOT_TOKEN not in result.stdout + result.stderr


def test_a_bad_setting_is_a_finding_with_its_key_not_a_stop(fake: FakeSlack, tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text('[workspace]\ntimezone = "Mars/Base"\n')
    env = cli_env("sqlite:///unused.db", fake.api_url)
    result = run_ecombot(["doctor", "--mode", "run"], env, tmp_path)
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines() == [
        "ecombot doctor: checking for `ecombot run`",
        "✗ config: workspace.timezone: unknown timezone 'Mars/Base' — correct `workspace.timezone` in "
        "config.toml (config.example.toml documents every key)",
        "Not ready for `ecombot run`: 1 problem to fix (✗ above).",
    ]
    # No Slack call and no database before the settings are valid.
    assert fake.calls == []
    assert not (tmp_path / "unused.db").exists()
    assert "Traceback" not in result.stderr
