"""The local Socket Mode endpoint plays Slack's side as Slack does: the socket address comes from the
fake's apps.connections.open (app-level tokens only), `hello` comes first, envelopes carry their
envelope_id, acks are recorded with their payload, and an event that was never acked comes again."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from websockets.sync.client import ClientConnection, connect

from ecombot.devtools.fakeslack import FakeSlack
from ecombot.devtools.socketmode import SocketModeEndpoint
from tests.socketmode.conftest import APP_TOKEN
from tests.support import BOT_TOKEN


@pytest.fixture
def endpoint(fake: FakeSlack) -> Iterator[SocketModeEndpoint]:
    """The endpoint, known to the fake as where apps.connections.open points."""
    server = SocketModeEndpoint(app_id=fake.app_id)
    fake.socket_url = server.url
    yield server
    server.close()


def _open(fake: FakeSlack) -> ClientConnection:
    """Connect as an app does: ask for an address with the app-level token, then open it."""
    url = WebClient(base_url=fake.api_url).apps_connections_open(app_token=APP_TOKEN)["url"]
    assert url.startswith("ws://127.0.0.1:") and "/link/?ticket=" in url
    return connect(url, proxy=None, compression=None, open_timeout=5)


def _read(ws: ClientConnection) -> dict[str, Any]:
    frame = ws.recv(timeout=5)
    message: dict[str, Any] = json.loads(frame)
    return message


def test_hello_first_then_an_envelope_and_its_ack_with_the_payload(
    endpoint: SocketModeEndpoint, fake: FakeSlack
) -> None:
    with _open(fake) as ws:
        hello = _read(ws)
        assert hello["type"] == "hello" and hello["num_connections"] == 1
        assert hello["connection_info"] == {"app_id": "A_APP"}
        assert hello["debug_info"]["approximate_connection_time"] > 0

        sent = endpoint.send(
            "slash_commands", {"command": "/task", "text": ""}, accepts_response_payload=True
        )
        envelope = _read(ws)
        assert envelope == {
            "envelope_id": sent.envelope_id,
            "payload": {"command": "/task", "text": ""},
            "type": "slash_commands",
            "accepts_response_payload": True,
        }
        ws.send(json.dumps({"envelope_id": sent.envelope_id, "payload": {"text": "Added task #1."}}))
        ack = endpoint.wait_ack(sent)
        assert ack.payload == {"text": "Added task #1."} and 0 <= ack.seconds < 3
        assert (sent.deliveries, endpoint.stray) == (1, [])


def test_an_event_never_acked_comes_again_after_a_drop_and_a_command_does_not(
    endpoint: SocketModeEndpoint, fake: FakeSlack
) -> None:
    with _open(fake) as ws:
        _read(ws)
        event = endpoint.send(
            "events_api", {"event": {"type": "app_home_opened"}}, accepts_response_payload=False
        )
        command = endpoint.send("slash_commands", {"command": "/task"}, accepts_response_payload=True)
        assert _read(ws)["envelope_id"] == event.envelope_id
        assert _read(ws)["envelope_id"] == command.envelope_id
        endpoint.drop()
    assert endpoint.connected == 0

    with _open(fake) as ws:
        _read(ws)  # hello
        again = _read(ws)
        assert again["envelope_id"] == event.envelope_id
        assert (again["retry_attempt"], again["retry_reason"]) == (1, "timeout")
        ws.send(json.dumps({"envelope_id": event.envelope_id}))
        assert endpoint.wait_ack(event).payload is None
    assert (event.deliveries, command.deliveries, command.acks) == (2, 1, [])
    assert endpoint.connections == 2


def test_apps_connections_open_takes_only_an_app_level_token() -> None:
    with FakeSlack() as fake:
        fake.socket_url = "ws://127.0.0.1:9/link/"
        with pytest.raises(SlackApiError) as refused:
            WebClient(token=BOT_TOKEN, base_url=fake.api_url).apps_connections_open(app_token=BOT_TOKEN)
        assert refused.value.response["error"] == "not_allowed_token_type"

        fake.socket_url = None
        with pytest.raises(SlackApiError) as off:
            WebClient(base_url=fake.api_url).apps_connections_open(app_token=APP_TOKEN)
        assert off.value.response["error"] == "socket_mode_not_enabled"
