"""Web API handlers for ``apps.*``: ``apps.connections.open``, where a Socket Mode app connects."""

from __future__ import annotations

import secrets

from ecombot.devtools.fakeslack.model import JSONDict, _SlackError
from ecombot.devtools.fakeslack.state import FakeSlackState


class AppsMixin(FakeSlackState):
    """``apps.connections.open`` (the app-level token is checked before, as for every method)."""

    # The WebSocket address of the local Socket Mode endpoint (``ecombot.devtools.socketmode``), e.g.
    # ``ws://127.0.0.1:PORT/link/``; None while there is none, as for an app with Socket Mode off.
    socket_url: str | None = None

    def _apps_connections_open(self, args: JSONDict) -> JSONDict:
        if not self.socket_url:
            # Not one of Slack's documented codes: only a test that forgot the endpoint meets it.
            raise _SlackError(
                "socket_mode_not_enabled", "[ERROR] no Socket Mode endpoint: set fake.socket_url"
            )
        # A fresh ticket for every connection, as Slack issues (the endpoint records which was used).
        return {"url": f"{self.socket_url}?ticket={secrets.token_hex(16)}"}
