"""`ecombot run` as a real process: it finds its socket through apps.connections.open, answers over it,
and stops cleanly on Ctrl-C."""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from ecombot.devtools.fakeslack import FakeSlack
from ecombot.devtools.socketmode import SocketModeDriver, SocketModeEndpoint
from tests.socketmode.conftest import APP_TOKEN
from tests.support import cli_env


@pytest.fixture
def endpoint(fake: FakeSlack) -> Iterator[SocketModeEndpoint]:
    """The endpoint, known to the fake as where apps.connections.open points."""
    server = SocketModeEndpoint(app_id=fake.app_id)
    fake.socket_url = server.url
    yield server
    server.close()


@pytest.mark.slow
def test_ecombot_run_connects_answers_a_command_and_stops_on_ctrl_c(
    endpoint: SocketModeEndpoint, fake: FakeSlack, database_url: str, db: Engine, tmp_path: Path
) -> None:
    env = cli_env(database_url, fake.api_url, SLACK_APP_TOKEN=APP_TOKEN)
    process = subprocess.Popen(
        [sys.executable, "-m", "ecombot", "run"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        endpoint.wait_connected(timeout=30)
        ack = SocketModeDriver(endpoint, fake).command("/ecom help", user="U_SAM")
        assert ack.seconds < 3
        assert ack.payload is not None and "/task add" in ack.payload["text"]
        # Slack goes away first, so the client is not left waiting on a silent socket.
        endpoint.close()
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr, stderr
    assert [call.token for call in fake.calls_to("apps.connections.open")][:1] == [APP_TOKEN]
