"""HTTP mode: /healthz, OAuth installs, and `ecombot serve` under gunicorn answering signed requests."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from ecombot.app import create_app
from ecombot.clock import FixedClock
from ecombot.config import Settings
from ecombot.db import make_engine
from ecombot.devtools.driver import LocalServer, SlackDriver, http_post, sign
from ecombot.devtools.fakeslack import FakeSlack
from ecombot.server import EcombotWsgi
from ecombot.slack.tokens import TokenCipher
from tests.support import BOT_TOKEN, SECRET_KEY, SIGNING_SECRET
from tests.test_metrics import FORM, scrape, value


def _get(url: str, headers: dict[str, str] | None = None) -> tuple[int, str, dict[str, str]]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return (
                response.status,
                response.read().decode(),
                {k.lower(): v for k, v in response.headers.items()},
            )
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(), {k.lower(): v for k, v in exc.headers.items()}


def test_healthz_is_200_when_the_database_answers(app_url: str) -> None:
    status, body, _ = _get(f"{app_url}/healthz")
    assert status == 200
    assert '"ok"' in body


def test_healthz_is_503_when_the_database_is_down(settings: Settings, clock: FixedClock) -> None:
    dead = make_engine("postgresql+psycopg://postgres@127.0.0.1:1/nothing?connect_timeout=1")
    app = create_app(settings, engine=dead, clock=clock)
    server = LocalServer(EcombotWsgi(app, dead, signing_secret=SIGNING_SECRET))
    try:
        status, body, _ = _get(f"{server.url}/healthz")
    finally:
        server.close()
    assert status == 503
    assert "database unavailable" in body


def test_unknown_paths_are_404(app_url: str) -> None:
    assert _get(f"{app_url}/nothing-here")[0] == 404


@pytest.fixture
def oauth_server(settings: Settings, db: Engine, clock: FixedClock) -> Iterator[LocalServer]:
    """The app in multi-workspace mode: no bot token, installs through /slack/install."""
    oauth = settings.with_slack(
        bot_token="", client_id="111.222", client_secret="oauth-secret", secret_key=SECRET_KEY
    )
    server = LocalServer(
        EcombotWsgi(create_app(oauth, engine=db, clock=clock), db, signing_secret=SIGNING_SECRET)
    )
    yield server
    server.close()


def test_oauth_install_stores_the_installation_and_the_new_workspace_is_served(
    oauth_server: LocalServer, db: Engine, fake: FakeSlack
) -> None:
    server = oauth_server
    status, page, headers = _get(f"{server.url}/slack/install")
    assert status == 200
    assert "https://slack.com/oauth/v2/authorize" in page
    link = page.split('href="https://slack.com/oauth/v2/authorize')[1].split('"')[0].replace("&amp;", "&")
    query = parse_qs(urlparse(link).query)
    assert query["client_id"] == ["111.222"]
    assert "commands" in query["scope"][0]
    state = query["state"][0]
    with db.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM slack_oauth_states")).scalar() == 1
    cookie = headers["set-cookie"].split(";")[0]
    status, page, _ = _get(
        f"{server.url}/slack/oauth_redirect?code=granted&state={state}", headers={"Cookie": cookie}
    )
    assert status == 200, page
    with db.connect() as conn:
        row = conn.execute(sa.text("SELECT team_id, bot_token FROM slack_installations")).one()
        [bot_token] = conn.execute(sa.text("SELECT bot_token FROM slack_bots")).scalars()
    assert row.team_id == "T_DEMO"
    # Stored encrypted (ECOMBOT_SECRET_KEY), in both of slack-sdk's tables: no token in clear.
    assert row.bot_token.startswith("fernet:") and bot_token.startswith("fernet:")
    assert "xox" not in row.bot_token + bot_token
    token = TokenCipher.from_setting(SECRET_KEY).open(row.bot_token)  # type: ignore[union-attr]
    assert token is not None and token.startswith("xoxb-installed-")
    [exchange] = fake.calls_to("oauth.v2.access")
    assert exchange.args["code"] == "granted"
    reply = SlackDriver(server.url, SIGNING_SECRET, fake).command("/ecom help").json
    assert reply["response_type"] == "ephemeral"
    # The request was served with the installed token, not a configured one (users.info runs after
    # the ack, so wait for it).
    assert fake.wait_for(lambda: bool(fake.calls_to("users.info")), timeout=10)
    assert fake.calls_to("users.info")[-1].token == token


def test_oauth_redirect_with_a_forged_state_installs_nothing(
    oauth_server: LocalServer, db: Engine, fake: FakeSlack
) -> None:
    status, _, _ = _get(f"{oauth_server.url}/slack/oauth_redirect?code=granted&state=forged")
    assert status >= 400
    assert fake.calls_to("oauth.v2.access") == []
    with db.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM slack_installations")).scalar() == 0


# -- `ecombot serve` as a real process -----------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def served(database_url: str, db: Engine, fake: FakeSlack, tmp_path: Path) -> Iterator[str]:
    """`ecombot serve` with two gunicorn workers, on the test database, talking to the fake Slack."""
    port = _free_port()
    env = {
        **os.environ,
        "SLACK_API_URL": fake.api_url,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "ECOMBOT_DATABASE_URL": database_url,
    }
    env.pop("ECOMBOT_CONFIG", None)
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [
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
            ],
            env=env,
            cwd=tmp_path,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail(f"ecombot serve exited early:\n{log.read_text()}")
            try:
                if _get(f"{url}/healthz")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        else:
            pytest.fail(f"ecombot serve did not become healthy:\n{log.read_text()}")
        yield url
        # One scheduler runs beside the HTTP workers (scheduler.enabled is on by default).
        deadline = time.monotonic() + 15
        while "ecombot scheduler running" not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert "ecombot scheduler running" in log.read_text()
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
    assert "xoxb-test-token" not in log.read_text(), "a token reached the log"


@pytest.mark.slow
def test_serve_answers_signed_commands_and_rejects_forged_ones(served: str, fake: FakeSlack) -> None:
    driver = SlackDriver(served, SIGNING_SECRET, fake)
    help_reply = driver.command("/ecom help", user="U_DEMO")
    assert help_reply.status == 200
    assert help_reply.json["response_type"] == "ephemeral"
    assert "/ecom settings" in help_reply.json["text"]

    body = driver.command_body("/ecom help", user="U_DEMO", channel="C_DEMO")
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    assert http_post(driver.events_url, body, {**form, **sign("not-the-secret", body)}).status == 401
    stale = sign(SIGNING_SECRET, body, int(time.time()) - 6 * 60)
    assert http_post(driver.events_url, body, {**form, **stale}).status == 401

    nonsense = driver.command("/ecom nonsense", user="U_DEMO")
    assert nonsense.status == 200
    assert nonsense.json["response_type"] == "ephemeral"
    # U_DEMO is new to this server: until the users.info lookup after the first ack has landed, replies
    # come in the workspace's language (zh-CN by default), so either language may answer here.
    text = nonsense.json["text"]
    assert "`nonsense`" in text and ("Usage:" in text or "用法：" in text)


@pytest.mark.slow
def test_serve_adds_up_both_workers_on_every_scrape(served: str, fake: FakeSlack) -> None:
    driver = SlackDriver(served, SIGNING_SECRET, fake)
    for _ in range(8):
        assert driver.command("/ecom help", user="U_DEMO").status == 200
    body = driver.command_body("/ecom help", user="U_DEMO", channel="C_DEMO")
    headers = {"Content-Type": FORM, **sign(SIGNING_SECRET, body)}
    assert http_post(driver.events_url, body, headers).status == 200
    assert http_post(driver.events_url, body, headers).status == 401  # to either worker
    seen = set()
    for _ in range(6):  # gunicorn hands each connection to either worker
        samples, _ = scrape(served)
        ok = value(samples, "ecombot_requests_total", kind="command", command="/ecom", outcome="ok")
        replays = value(samples, "ecombot_requests_total", kind="command", command="/ecom", outcome="replay")
        seen.add((ok, replays))
        assert value(samples, "ecombot_outbox_messages", state="failed") == 0
        time.sleep(0.05)
    assert seen == {(9.0, 1.0)}


@pytest.mark.slow
def test_a_worker_that_exits_leaves_the_scheduler_and_the_metrics_running(
    served: str, fake: FakeSlack, tmp_path: Path
) -> None:
    """A gunicorn worker leaves through `serve`'s own clean-up when it exits (gunicorn replaces it):
    only the master may stop the scheduler beside the workers and remove the metrics directory."""
    log = tmp_path / "serve.log"
    deadline = time.monotonic() + 15
    while "ecombot scheduler running" not in log.read_text() and time.monotonic() < deadline:
        time.sleep(0.1)
    workers = [int(pid) for pid in re.findall(r"Booting worker with pid: (\d+)", log.read_text())]
    [scheduler] = {int(pid) for pid in re.findall(r"scheduler [^:\s]+:(\d+):\w+ started", log.read_text())}
    driver = SlackDriver(served, SIGNING_SECRET, fake)
    assert driver.command("/ecom help", user="U_DEMO").status == 200
    os.kill(workers[0], signal.SIGTERM)
    deadline = time.monotonic() + 15
    while len(re.findall(r"Booting worker with pid", log.read_text())) < 3 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(re.findall(r"Booting worker with pid", log.read_text())) == 3, log.read_text()
    time.sleep(0.5)
    os.kill(scheduler, 0)  # still running: raises ProcessLookupError if the exiting worker stopped it
    for _ in range(4):  # the metrics directory is still there: the counts of both workers add up
        assert driver.command("/ecom help", user="U_DEMO").status == 200
    samples, _ = scrape(served)
    assert value(samples, "ecombot_requests_total", kind="command", command="/ecom", outcome="ok") == 5
