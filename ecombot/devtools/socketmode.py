"""Slack's side of Socket Mode on 127.0.0.1, and `ecombot run` connected to it, for end-to-end tests.

- `SocketModeEndpoint`: a WebSocket server (random port, background thread) that plays Slack: it says
  `hello` to each connection, delivers envelopes (`slash_commands`, `interactive`, `events_api`) and
  records each ack with its latency and payload. It can drop every connection (a network blip),
  refuse connections for a while (an outage: envelopes queue up and go out on the reconnect, as Slack
  delivers once the app is back) and ask for a refresh (`disconnect`, `refresh_requested`).
- `SocketModeDriver`: the same commands, clicks, submissions and events as the HTTP `SlackDriver`
  (one payload builder, `SlackRequests`), sent as envelopes; each returns the app's `Ack`.
- `LocalSocketModeApp`: the app, scheduler and Socket Mode handler exactly as `ecombot run` builds
  them (`ecombot.cli.socket_mode_app`), connected to the endpoint through the fake's
  `apps.connections.open`; `settle()` waits for the work after the acks and for the deliveries.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http import HTTPStatus
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

import sqlalchemy as sa
from sqlmodel import col
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response
from websockets.sync.server import ServerConnection, serve

from ecombot.devtools.driver import SlackRequests
from ecombot.devtools.local import TrackingExecutor
from ecombot.scheduling.models import Delivery

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from ecombot.clock import Clock
    from ecombot.config import Settings
    from ecombot.devtools.fakeslack import FakeSlack

LINK_PATH = "/link/"
HOST = "applink-local"  # Slack names the host that serves the connection in every debug_info


@dataclass(frozen=True)
class Ack:
    """What the app answered to one envelope."""

    envelope_id: str
    payload: dict[str, Any] | None
    seconds: float  # from writing the envelope to the socket to reading the ack: Slack's 3 s budget

    @property
    def json(self) -> dict[str, Any] | None:
        """The ack's payload (as `HttpResult.json` gives an HTTP ack's body)."""
        return self.payload


@dataclass(eq=False)
class Envelope:
    """One delivery from Slack: queued until a connection is up, then written, then acked."""

    type: str
    payload: dict[str, Any]
    accepts_response_payload: bool
    envelope_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    retry_attempt: int | None = None
    retry_reason: str | None = None
    deliveries: int = 0  # how often it was written to a socket
    acks: list[Ack] = field(default_factory=list)
    sent_at: float | None = None
    connection: ServerConnection | None = None

    def message(self) -> str:
        """The text frame Slack sends."""
        body: dict[str, Any] = {
            "envelope_id": self.envelope_id,
            "payload": self.payload,
            "type": self.type,
            "accepts_response_payload": self.accepts_response_payload,
        }
        if self.retry_attempt is not None:
            body["retry_attempt"] = self.retry_attempt
            body["retry_reason"] = self.retry_reason or ""
        return json.dumps(body)


class SocketModeEndpoint:
    """Slack's Socket Mode endpoint on 127.0.0.1; give `url` to the fake (`fake.socket_url`)."""

    def __init__(self, *, app_id: str = "A_APP") -> None:
        self.app_id = app_id
        self._cond = threading.Condition(threading.RLock())
        self._live: list[ServerConnection] = []  # said hello to, not closed yet; newest last
        self._retiring: list[ServerConnection] = []  # asked to refresh: closed once a new one is up
        self._queue: deque[Envelope] = deque()
        self._envelopes: dict[str, Envelope] = {}
        self._refusing = False
        self.tickets: list[str] = []  # the ticket of every connection accepted, in order
        self.refused = 0  # connections turned away during an outage
        self.stray: list[str] = []  # frames that acked nothing we sent (unknown envelope, not JSON)
        self._server = serve(
            self._serve_connection,
            "127.0.0.1",
            0,
            process_request=self._admit,
            compression=None,
            close_timeout=1,
        )
        port = self._server.socket.getsockname()[1]
        self.url = f"ws://127.0.0.1:{port}{LINK_PATH}"
        self._thread = threading.Thread(target=self._server.serve_forever, name="socketmode", daemon=True)
        self._thread.start()

    # -- what a test reads ------------------------------------------------------------------------

    @property
    def connected(self) -> int:
        """How many connections are open now."""
        with self._cond:
            return len(self._live)

    @property
    def connections(self) -> int:
        """How many connections were accepted so far (reconnects included)."""
        with self._cond:
            return len(self.tickets)

    @property
    def envelopes(self) -> list[Envelope]:
        """Every envelope sent so far, in order."""
        with self._cond:
            return list(self._envelopes.values())

    def wait_connected(self, timeout: float = 10.0, *, connections: int = 1) -> None:
        """Wait until a connection is open and `connections` were accepted in all."""
        with self._cond:
            if not self._cond.wait_for(lambda: self._live and len(self.tickets) >= connections, timeout):
                raise TimeoutError(f"the app did not connect ({len(self.tickets)} connection(s) so far)")

    def wait_ack(self, envelope: Envelope, timeout: float = 10.0) -> Ack:
        """The app's first ack of `envelope`; TimeoutError when none came."""
        with self._cond:
            if not self._cond.wait_for(lambda: envelope.acks, timeout):
                state = "never delivered" if envelope.deliveries == 0 else "delivered, not acked"
                raise TimeoutError(f"no ack for {envelope.type} {envelope.envelope_id} ({state})")
            return envelope.acks[0]

    # -- what Slack does --------------------------------------------------------------------------

    def send(
        self,
        type: str,
        payload: dict[str, Any],
        *,
        accepts_response_payload: bool,
        retry_attempt: int | None = None,
        retry_reason: str | None = None,
    ) -> Envelope:
        """Deliver an envelope on the newest connection, or queue it until the app connects."""
        envelope = Envelope(
            type, payload, accepts_response_payload, retry_attempt=retry_attempt, retry_reason=retry_reason
        )
        with self._cond:
            self._envelopes[envelope.envelope_id] = envelope
            self._queue.append(envelope)
        self._flush()
        return envelope

    def request_refresh(self, reason: str = "refresh_requested") -> None:
        """Tell every connection to reconnect (a `disconnect` message), as Slack does every few hours;
        each old connection is closed once the app's next one is up."""
        message = json.dumps({"type": "disconnect", "reason": reason, "debug_info": {"host": HOST}})
        for connection in self._connections():
            with self._cond:
                self._retiring.append(connection)
            with contextlib.suppress(ConnectionClosed):
                connection.send(message)

    def drop(self, *, graceful: bool = False, timeout: float = 5.0) -> None:
        """Close every connection: abruptly, as a network blip does, or with a close frame."""
        for connection in self._connections():
            if graceful:
                connection.close(1001, "going away")
            else:
                connection.close_socket()
        with self._cond:
            self._cond.wait_for(lambda: not self._live, timeout)

    @contextlib.contextmanager
    def outage(self) -> Iterator[None]:
        """Drop every connection and refuse new ones inside the block; what is sent meanwhile queues up
        and goes out once the app has reconnected after it."""
        with self._cond:
            self._refusing = True
        try:
            self.drop()
            yield
        finally:
            with self._cond:
                self._refusing = False

    def close(self) -> None:
        """Close the connections and stop listening."""
        with self._cond:
            self._refusing = True
        for connection in self._connections():
            connection.close_socket()
        self._server.shutdown()
        self._thread.join(timeout=5)

    # -- the server ---------------------------------------------------------------------------------

    def _connections(self) -> list[ServerConnection]:
        with self._cond:
            return list(self._live)

    def _admit(self, connection: ServerConnection, request: Request) -> Response | None:
        parts = urlsplit(request.path)
        if parts.path != LINK_PATH:
            return connection.respond(HTTPStatus.NOT_FOUND, "not_found\n")
        ticket = parse_qs(parts.query).get("ticket", [""])[0]
        if not ticket:
            return connection.respond(HTTPStatus.UNAUTHORIZED, "missing ticket\n")
        with self._cond:
            if self._refusing:
                self.refused += 1
                return connection.respond(HTTPStatus.SERVICE_UNAVAILABLE, "outage\n")
            self.tickets.append(ticket)
        return None

    def _hello(self, connections: int) -> str:
        return json.dumps(
            {
                "type": "hello",
                "num_connections": connections,
                "debug_info": {
                    "host": HOST,
                    "started": datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")[:-3],
                    "build_number": 1,
                    "approximate_connection_time": 18060,
                },
                "connection_info": {"app_id": self.app_id},
            }
        )

    def _serve_connection(self, connection: ServerConnection) -> None:
        with self._cond:
            count = len(self._live) + 1
        try:
            connection.send(self._hello(count))
        except ConnectionClosed:
            return
        with self._cond:
            self._live.append(connection)
            retiring, self._retiring = self._retiring, []
            self._cond.notify_all()
        for old in retiring:
            # With a close frame, in the background: the closing handshake waits for the app.
            threading.Thread(target=old.close, args=(1001, "refreshed"), daemon=True).start()
        try:
            self._flush()
            for frame in connection:
                self._receive(frame)
        except ConnectionClosed:
            pass
        finally:
            self._forget(connection)

    def _forget(self, connection: ServerConnection) -> None:
        with self._cond:
            if connection in self._live:
                self._live.remove(connection)
            if connection in self._retiring:
                self._retiring.remove(connection)
            # Slack retries an event that was never acked (its retry_attempt counts up); a command or
            # a click that was not acked is lost, as the user's "did not respond" error says.
            for envelope in self._envelopes.values():
                if envelope.connection is connection and not envelope.acks and envelope.type == "events_api":
                    # The same envelope again (same id), as Slack's retry is the same delivery.
                    envelope.connection = None
                    envelope.sent_at = None
                    envelope.retry_attempt = (envelope.retry_attempt or 0) + 1
                    envelope.retry_reason = "timeout"
                    self._queue.append(envelope)
            self._cond.notify_all()
        self._flush()

    def _flush(self) -> None:
        """Write queued envelopes, oldest first, to the newest connection while there is one."""
        while True:
            with self._cond:
                if not self._queue or not self._live or self._refusing:
                    return
                envelope = self._queue.popleft()
                connection = self._live[-1]
                # Counted before the write: the ack may be read (on another thread) before send returns.
                envelope.deliveries += 1
                envelope.sent_at = time.monotonic()
                envelope.connection = connection
            try:
                connection.send(envelope.message())
            except ConnectionClosed:
                with self._cond:
                    envelope.deliveries -= 1
                    envelope.sent_at = None
                    envelope.connection = None
                    self._queue.appendleft(envelope)
                    if connection in self._live:
                        self._live.remove(connection)

    def _receive(self, frame: str | bytes) -> None:
        text = frame.decode() if isinstance(frame, bytes) else frame
        try:
            message = json.loads(text)
        except ValueError:
            message = None
        with self._cond:
            envelope = (
                self._envelopes.get(str(message.get("envelope_id"))) if isinstance(message, dict) else None
            )
            if envelope is None or envelope.sent_at is None or not isinstance(message, dict):
                self.stray.append(text)
            else:
                payload = message.get("payload")
                envelope.acks.append(
                    Ack(
                        envelope.envelope_id,
                        payload if isinstance(payload, dict) else None,
                        time.monotonic() - envelope.sent_at,
                    )
                )
            self._cond.notify_all()


class SocketModeDriver(SlackRequests[Ack]):
    """Sends slash commands, clicks, submissions and events over Socket Mode; each waits for the ack
    (and then for the work after it, through `settle`) and returns it."""

    def __init__(
        self,
        endpoint: SocketModeEndpoint,
        fake: FakeSlack,
        *,
        ack_timeout: float = 10.0,
        team_id: str = "T_DEMO",
        team_domain: str = "demo-shop",
        api_app_id: str = "A_ECOMBOT",
        settle: Callable[[], object] | None = None,
    ) -> None:
        super().__init__(fake, team_id=team_id, team_domain=team_domain, api_app_id=api_app_id, settle=settle)
        self.endpoint = endpoint
        self.ack_timeout = ack_timeout

    def deliver(self, envelope: Envelope) -> Ack:
        """Wait for the ack of an envelope already sent, check it as Slack would, then settle."""
        ack = self.endpoint.wait_ack(envelope, self.ack_timeout)
        if ack.payload is not None and ("text" in ack.payload or "blocks" in ack.payload):
            # Slack renders an ack's message like any other: the fake checks it the same way.
            self.fake.check_ack(ack.payload)
        if self.settle is not None:
            self.settle()
        return ack

    def send_command(self, line: str, *, user: str = "U_DEMO", channel: str = "C_DEMO") -> Envelope:
        """Send a slash command without waiting for its ack (it queues while the app is away)."""
        fields = self.command_fields(line, user=user, channel=channel)
        return self.endpoint.send("slash_commands", dict(fields), accepts_response_payload=True)

    def _deliver_command(self, fields: dict[str, str]) -> Ack:
        return self.deliver(self.endpoint.send("slash_commands", dict(fields), accepts_response_payload=True))

    def _interactive(self, payload: dict[str, Any]) -> Ack:
        return self.deliver(self.endpoint.send("interactive", payload, accepts_response_payload=True))

    def _deliver_event(self, envelope: dict[str, Any], retry: int | None) -> Ack:
        return self.deliver(
            self.endpoint.send(
                "events_api",
                envelope,
                accepts_response_payload=False,
                retry_attempt=retry or 0,
                retry_reason="timeout" if retry else "",
            )
        )


class LocalSocketModeApp:
    """`ecombot run` in this process (the code that command runs), connected to a local endpoint."""

    def __init__(
        self,
        settings: Settings,
        engine: Engine,
        clock: Clock,
        fake: FakeSlack,
        *,
        ping_interval: float = 0.2,
        connect_timeout: float = 10.0,
    ) -> None:
        from ecombot.cli import socket_mode_app

        self.engine = engine
        self.clock = clock
        self.fake = fake
        self.endpoint = SocketModeEndpoint(app_id=fake.app_id)
        fake.socket_url = self.endpoint.url
        self.executor = TrackingExecutor()
        # A short ping interval: the client notices a dead socket (and reconnects) within a second.
        self.app, self.runner, self.handler = socket_mode_app(
            settings, engine=engine, clock=clock, listener_executor=self.executor, ping_interval=ping_interval
        )
        try:
            self.handler.connect()  # type: ignore[no-untyped-call]
            self.endpoint.wait_connected(connect_timeout)
        except BaseException:
            self.close()
            raise

    def settle(self, timeout: float = 15.0) -> None:
        """Wait for the work after acks, then for the scheduler's delivery worker to post what is due."""
        deadline = time.monotonic() + timeout
        if not self.executor.wait_idle(timeout):
            raise TimeoutError("the work after an ack did not finish")
        if self.runner is None:
            return
        while self._outbox_busy() or self.runner.delivery.busy():
            if time.monotonic() > deadline:
                raise TimeoutError("the delivery worker did not post what is due")
            time.sleep(0.01)

    def _outbox_busy(self) -> bool:
        due = sa.and_(col(Delivery.status) == "pending", col(Delivery.next_attempt_at) <= self.clock.now())
        query = sa.select(sa.func.count()).where(sa.or_(col(Delivery.status) == "sending", due))
        with self.engine.connect() as conn:
            return bool(conn.execute(query.select_from(Delivery)).scalar())

    def close(self) -> None:
        """Disconnect, stop the scheduler, let running work finish, stop the endpoint."""
        self.endpoint.close()
        client = self.handler.client
        # The client's message loop checks `closed` between messages and otherwise waits a second for
        # one: an empty message ends it now (it is not JSON, so no listener sees it).
        client.closed = True
        client.message_queue.put("")
        self.handler.close()  # type: ignore[no-untyped-call]
        if self.runner is not None:
            self.runner.stop()
        self.executor.shutdown(wait=True)
        self.fake.socket_url = None
