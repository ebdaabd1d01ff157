"""`ecombot run` as it runs, connected over Socket Mode to a local Slack endpoint (see
ecombot.devtools.socketmode), with a driver that sends envelopes and waits for the acks and the
work after them."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from sqlalchemy.engine import Engine

from ecombot.clock import FixedClock
from ecombot.config import Settings
from ecombot.devtools.fakeslack import FakeSlack
from ecombot.devtools.socketmode import LocalSocketModeApp, SocketModeDriver

APP_TOKEN = "xapp-1-A_APP-test-token"


@pytest.fixture
def run_settings(settings: Settings) -> Settings:
    """The test settings with an app-level token; deliveries unpaced so a test does not wait a second
    between two messages to one person."""
    with_token = settings.with_slack(app_token=APP_TOKEN)
    return replace(with_token, scheduler=replace(with_token.scheduler, channel_interval_seconds=0.0))


@pytest.fixture
def running(
    run_settings: Settings, db: Engine, clock: FixedClock, fake: FakeSlack, team: str
) -> Iterator[LocalSocketModeApp]:
    """`ecombot run`: the app and its scheduler, connected over Socket Mode."""
    app = LocalSocketModeApp(run_settings, db, clock, fake)
    yield app
    app.close()


@pytest.fixture
def socket(running: LocalSocketModeApp, fake: FakeSlack) -> SocketModeDriver:
    """Plays Slack over the socket: each call waits for the ack, the work after it and the deliveries."""
    return SocketModeDriver(running.endpoint, fake, settle=running.settle)
