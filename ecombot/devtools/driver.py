"""Plays Slack's side of the conversation: signed requests to the app, as Slack would send them.

Used by the console, the demo and the end-to-end tests, so all three exercise the real request path
(signature check included) of the real app.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
import urllib.error
import urllib.request
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar
from urllib.parse import urlencode
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from slack_sdk.signature import SignatureVerifier

if TYPE_CHECKING:
    from wsgiref.types import WSGIApplication

    from ecombot.devtools.fakeslack import FakeSlack

R = TypeVar("R")


@dataclass(frozen=True)
class HttpResult:
    """What the app answered over HTTP."""

    status: int
    text: str
    seconds: float = 0.0  # the HTTP round trip alone: how long Slack would wait for the ack

    @property
    def json(self) -> Any:
        """The body parsed as JSON, or None when it is empty or not JSON."""
        try:
            return json.loads(self.text) if self.text else None
        except ValueError:
            return None


def sign(signing_secret: str, body: str, timestamp: int | None = None) -> dict[str, str]:
    """The two headers Slack adds to every request."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(signing_secret).generate_signature(timestamp=ts, body=body)
    assert signature is not None
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature}


def http_post(url: str, body: str, headers: dict[str, str], timeout: float = 30) -> HttpResult:
    """POST and return status and body, whatever the status."""
    return http_post_bytes(url, body.encode(), headers, timeout)


def http_post_bytes(url: str, body: bytes, headers: dict[str, str], timeout: float = 30) -> HttpResult:
    """POST raw bytes (a test may send a body that is not UTF-8) and return status, body and time."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - local URLs only
            text = response.read().decode()
            return HttpResult(response.status, text, time.monotonic() - started)
    except urllib.error.HTTPError as exc:
        return HttpResult(exc.code, exc.read().decode(), time.monotonic() - started)


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class _ThreadingWSGIServer(WSGIServer):
    daemon_threads = True

    def process_request(self, request: Any, client_address: Any) -> None:
        # One thread per request, like gunicorn's gthread workers.
        thread = threading.Thread(target=self._handle, args=(request, client_address), daemon=True)
        thread.start()

    def _handle(self, request: Any, client_address: Any) -> None:
        try:
            self.finish_request(request, client_address)
        except Exception:
            self.handle_error(request, client_address)
        finally:
            self.shutdown_request(request)


class LocalServer:
    """A WSGI app served on 127.0.0.1 (random port) in a background thread."""

    def __init__(self, app: WSGIApplication) -> None:
        self._server = make_server(
            "127.0.0.1", 0, app, server_class=_ThreadingWSGIServer, handler_class=_QuietHandler
        )
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        # A short poll interval makes close() quick (serve_forever checks for shutdown between polls).
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.start()

    def close(self) -> None:
        """Stop serving."""
        self._server.shutdown()
        self._server.server_close()


class SlackRequests(ABC, Generic[R]):
    """Builds what Slack sends the app for each user action (slash commands, clicks, modal submissions,
    shortcuts, events); a subclass delivers it: signed HTTP requests (`SlackDriver`) or Socket Mode
    envelopes (`ecombot.devtools.socketmode.SocketModeDriver`), so both carry the same payloads."""

    def __init__(
        self,
        fake: FakeSlack,
        *,
        team_id: str = "T_DEMO",
        team_domain: str = "demo-shop",
        api_app_id: str = "A_ECOMBOT",
        settle: Callable[[], object] | None = None,
    ) -> None:
        # Called after every delivery: waits for the work after the ack (see devtools.local).
        self.settle = settle
        self.fake = fake
        self.team_id = team_id
        self.team_domain = team_domain
        self.api_app_id = api_app_id
        self._counter = 0

    def _next(self, prefix: str) -> str:
        self._counter += 1
        return f"{prefix}{self._counter:06d}"

    # -- delivery: what a subclass implements ----------------------------------------------------

    @abstractmethod
    def _deliver_command(self, fields: dict[str, str]) -> R:
        """Deliver a slash command's fields."""

    @abstractmethod
    def _interactive(self, payload: dict[str, Any]) -> R:
        """Deliver an interactivity payload (block_actions, view_submission, shortcut, ...)."""

    @abstractmethod
    def _deliver_event(self, envelope: dict[str, Any], retry: int | None) -> R:
        """Deliver an Events API envelope (`retry`: Slack's retry number, when it resends one)."""

    def _team(self) -> dict[str, str]:
        return {"id": self.team_id, "domain": self.team_domain}

    def _user(self, user: str) -> dict[str, str]:
        return {"id": user, "username": user.lower(), "name": user.lower(), "team_id": self.team_id}

    # -- slash commands -----------------------------------------------------------------------

    def command_fields(self, line: str, *, user: str, channel: str) -> dict[str, str]:
        """The fields Slack sends for a slash command line such as `/ecom help`."""
        command, _, text = line.strip().partition(" ")
        return {
            "token": "legacy-verification-token",
            "team_id": self.team_id,
            "team_domain": self.team_domain,
            "channel_id": channel,
            "channel_name": channel.lower(),
            "user_id": user,
            "user_name": user.lower(),
            "command": command,
            "text": _slack_escape(text.strip()),
            "api_app_id": self.api_app_id,
            "is_enterprise_install": "false",
            "response_url": self.fake.new_response_url(),
            "trigger_id": self.fake.new_trigger_id(),
        }

    def command(self, line: str, *, user: str = "U_DEMO", channel: str = "C_DEMO") -> R:
        """Run a slash command line as `user` in `channel`."""
        return self._deliver_command(self.command_fields(line, user=user, channel=channel))

    # -- interactivity ------------------------------------------------------------------------

    def click(
        self,
        action: dict[str, Any],
        *,
        user: str = "U_DEMO",
        channel: str = "C_DEMO",
        message: dict[str, Any] | None = None,
        view: dict[str, Any] | None = None,
        block_id: str = "",
        ephemeral: bool = False,
    ) -> R:
        """Click a button (or pick from a menu) in a message, an ephemeral reply, a modal or App Home."""
        return self._interactive(
            self.click_payload(
                action,
                user=user,
                channel=channel,
                message=message,
                view=view,
                block_id=block_id,
                ephemeral=ephemeral,
            )
        )

    def click_payload(
        self,
        action: dict[str, Any],
        *,
        user: str = "U_DEMO",
        channel: str = "C_DEMO",
        message: dict[str, Any] | None = None,
        view: dict[str, Any] | None = None,
        block_id: str = "",
        ephemeral: bool = False,
    ) -> dict[str, Any]:
        """The `block_actions` payload of a click (see `click`)."""
        now = f"{time.time():.6f}"
        acted = {
            "type": action.get("type", "button"),
            "action_id": action["action_id"],
            "block_id": block_id or action.get("block_id") or self._next("b"),
            "action_ts": now,
        }
        for key in (
            "value",
            "text",
            "selected_option",
            "selected_user",
            "selected_date",
            "selected_conversation",
        ):
            if key in action:
                acted[key] = action[key]
        payload: dict[str, Any] = {
            "type": "block_actions",
            "team": self._team(),
            "user": self._user(user),
            "api_app_id": self.api_app_id,
            "token": "legacy-verification-token",
            "trigger_id": self.fake.new_trigger_id(),
            "actions": [acted],
            "is_enterprise_install": False,
        }
        if view is not None:
            payload["container"] = {"type": "view", "view_id": view.get("id", "")}
            payload["view"] = view
        else:
            ts = (message or {}).get("ts", now)
            payload["container"] = {
                "type": "message",
                "message_ts": ts,
                "channel_id": channel,
                "is_ephemeral": ephemeral,
            }
            payload["channel"] = {"id": channel, "name": channel.lower()}
            payload["response_url"] = self.fake.new_response_url()
            if message is not None and not ephemeral:
                payload["message"] = message
        return payload

    def submit(self, view: dict[str, Any], values: dict[str, dict[str, Any]], *, user: str = "U_DEMO") -> R:
        """Submit a modal with `values` as `{block_id: {action_id: {"type": ..., "value": ...}}}`."""
        return self._interactive(self.submit_payload(view, values, user=user))

    def submit_payload(
        self, view: dict[str, Any], values: dict[str, dict[str, Any]], *, user: str = "U_DEMO"
    ) -> dict[str, Any]:
        """The `view_submission` payload of a modal submitted with `values` (see `submit`)."""
        submitted = dict(view)
        submitted["state"] = {"values": values}
        return {
            "type": "view_submission",
            "team": self._team(),
            "user": self._user(user),
            "api_app_id": self.api_app_id,
            "token": "legacy-verification-token",
            "trigger_id": self.fake.new_trigger_id(),
            "view": submitted,
            "response_urls": [],
            "is_enterprise_install": False,
        }

    def shortcut(self, callback_id: str, *, user: str = "U_DEMO") -> R:
        """Use a global shortcut."""
        payload = {
            "type": "shortcut",
            "callback_id": callback_id,
            "team": self._team(),
            "user": self._user(user),
            "api_app_id": self.api_app_id,
            "token": "legacy-verification-token",
            "trigger_id": self.fake.new_trigger_id(),
            "action_ts": f"{time.time():.6f}",
            "is_enterprise_install": False,
        }
        return self._interactive(payload)

    def message_shortcut(
        self, callback_id: str, message: dict[str, Any], *, user: str = "U_DEMO", channel: str = "C_DEMO"
    ) -> R:
        """Use a message shortcut on `message` (which needs `ts`, `text`, `user`)."""
        payload = {
            "type": "message_action",
            "callback_id": callback_id,
            "team": self._team(),
            "user": self._user(user),
            "channel": {"id": channel, "name": channel.lower()},
            "message": message,
            "message_ts": message.get("ts", ""),
            "api_app_id": self.api_app_id,
            "token": "legacy-verification-token",
            "trigger_id": self.fake.new_trigger_id(),
            "response_url": self.fake.new_response_url(),
            "action_ts": f"{time.time():.6f}",
            "is_enterprise_install": False,
        }
        return self._interactive(payload)

    # -- events -------------------------------------------------------------------------------

    def event_envelope(self, event: dict[str, Any], *, event_id: str | None = None) -> dict[str, Any]:
        """The Events API `event_callback` envelope Slack wraps `event` in."""
        return {
            "token": "legacy-verification-token",
            "team_id": self.team_id,
            "api_app_id": self.api_app_id,
            "event": {"event_ts": f"{time.time():.6f}", **event},
            "type": "event_callback",
            # Unique across drivers (a restarted app meets a new driver): Slack's ids never repeat.
            "event_id": event_id or f"Ev{secrets.token_hex(5).upper()}",
            "event_time": int(time.time()),
            "authorizations": [
                {"team_id": self.team_id, "user_id": "U_BOT", "is_bot": True, "is_enterprise_install": False}
            ],
            "is_ext_shared_channel": False,
        }

    def event(self, event: dict[str, Any], *, event_id: str | None = None, retry: int | None = None) -> R:
        """Deliver an Events API event (e.g. `app_home_opened`, `user_change`); a `retry` number
        resends it as Slack does when it thinks the first delivery failed."""
        return self._deliver_event(self.event_envelope(event, event_id=event_id), retry)

    def dm(self, text: str, *, user: str = "U_DEMO") -> R:
        """`user` writes `text` in their DM with the bot: the message lands in the fake's DM, then
        Slack's `message.im` event arrives (the shape Slack sends, rich text blocks included)."""
        ts = f"{time.time():.6f}"
        escaped = _slack_escape(text)
        stored = self.fake.add_message(
            f"D_{user}", {"user": user, "text": escaped, "ts": ts, "client_msg_id": self._next("msg-")}
        )
        event = {
            "type": "message",
            "client_msg_id": stored["client_msg_id"],
            "text": escaped,
            "user": user,
            "ts": ts,
            "team": self.team_id,
            "blocks": [
                {
                    "type": "rich_text",
                    "block_id": self._next("rt"),
                    "elements": [{"type": "rich_text_section", "elements": [{"type": "text", "text": text}]}],
                }
            ],
            "channel": f"D_{user}",
            "event_ts": ts,
            "channel_type": "im",
        }
        return self.event(event)

    def share_file(self, name: str, content: bytes, *, user: str = "U_DEMO", text: str = "") -> R:
        """`user` drops a file into their DM with the bot: Slack stores it, then sends the `message`
        event of subtype `file_share` (files listed with their ids; the bot reads them with files.info)."""
        shared = self.fake.add_user_file(user, name, content)
        ts = f"{time.time():.6f}"
        self.fake.add_message(
            f"D_{user}", {"user": user, "text": text, "ts": ts, "files": [shared], "upload": True}
        )
        summary = {k: shared[k] for k in ("id", "name", "title", "mimetype", "filetype", "size", "mode")}
        event = {
            "type": "message",
            "subtype": "file_share",
            "text": text,
            "files": [{**summary, "url_private": shared["url_private"]}],
            "upload": True,
            "user": user,
            "display_as_bot": False,
            "ts": ts,
            "channel": f"D_{user}",
            "event_ts": ts,
            "channel_type": "im",
        }
        return self.event(event)


class SlackDriver(SlackRequests[HttpResult]):
    """Sends signed slash commands, button clicks, modal submissions and events to the app over HTTP."""

    def __init__(
        self,
        app_url: str,
        signing_secret: str,
        fake: FakeSlack,
        *,
        team_id: str = "T_DEMO",
        team_domain: str = "demo-shop",
        api_app_id: str = "A_ECOMBOT",
        settle: Callable[[], object] | None = None,
    ) -> None:
        super().__init__(fake, team_id=team_id, team_domain=team_domain, api_app_id=api_app_id, settle=settle)
        self.events_url = app_url.rstrip("/") + "/slack/events"
        self.signing_secret = signing_secret

    def send(
        self,
        body: str,
        content_type: str,
        *,
        timestamp: int | None = None,
        headers: dict[str, str] | None = None,
    ) -> HttpResult:
        """POST a body to /slack/events with a valid signature, then let the app settle."""
        signed = {
            "Content-Type": content_type,
            **sign(self.signing_secret, body, timestamp),
            **(headers or {}),
        }
        result = http_post(self.events_url, body, signed)
        if result.status == 200 and result.text.startswith("{"):
            # Slack renders an ack's message like any other: the fake checks it the same way.
            payload = result.json
            if isinstance(payload, dict) and ("text" in payload or "blocks" in payload):
                self.fake.check_ack(payload)
        if self.settle is not None:
            self.settle()
        return result

    def command_body(self, line: str, *, user: str, channel: str) -> str:
        """The form body Slack sends for a slash command line such as `/ecom help`."""
        return urlencode(self.command_fields(line, user=user, channel=channel))

    def _deliver_command(self, fields: dict[str, str]) -> HttpResult:
        return self.send(urlencode(fields), "application/x-www-form-urlencoded")

    def _interactive(self, payload: dict[str, Any]) -> HttpResult:
        body = urlencode({"payload": json.dumps(payload)})
        return self.send(body, "application/x-www-form-urlencoded")

    def _deliver_event(self, envelope: dict[str, Any], retry: int | None) -> HttpResult:
        headers = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"} if retry else None
        return self.send(json.dumps(envelope), "application/json", headers=headers)


def _slack_escape(text: str) -> str:
    # Slack escapes &, < and > in user-typed text but leaves its own <@U…> / <#C…> markup intact.
    out: list[str] = []
    i = 0
    while i < len(text):
        if text.startswith(("<@", "<#", "<!", "<http"), i) and ">" in text[i:]:
            end = text.index(">", i) + 1
            out.append(text[i:end])
            i = end
            continue
        out.append({"&": "&amp;", "<": "&lt;", ">": "&gt;"}.get(text[i], text[i]))
        i += 1
    return "".join(out)


def buttons_in(blocks: Iterable[dict[str, Any]]) -> list[tuple[str, dict[str, Any]]]:
    """Every interactive element in `blocks`, with its block_id, in reading order."""
    found: list[tuple[str, dict[str, Any]]] = []
    for block in blocks:
        block_id = str(block.get("block_id", ""))
        accessory = block.get("accessory")
        if isinstance(accessory, dict) and "action_id" in accessory:
            found.append((block_id, accessory))
        for element in block.get("elements", []) if block.get("type") == "actions" else []:
            if "action_id" in element:
                found.append((block_id, element))
    return found
