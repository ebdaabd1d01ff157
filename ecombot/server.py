"""HTTP mode: a WSGI app (`/slack/events`, `/healthz`, OAuth pages) served by gunicorn.

Every POST to `/slack/events` is verified here before Bolt sees it: a bad, stale or missing
signature, or a timestamp that is not an integer, gets 401 and nothing else (no reply, no Slack call,
no log of the body); so does a replay, a signature already received (`ecombot.slack.replays`). A verified body that is not a payload Slack would send (not UTF-8, not a JSON
object, interactivity without an action) gets a clear answer instead of a traceback or a 404.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
import time
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.request import BoltRequest
from sqlalchemy.engine import Engine

from ecombot import __version__, metrics
from ecombot.db import ping
from ecombot.domains import commands
from ecombot.slack.replays import ReplayGuard, Seen
from ecombot.slack.requests import RECEIVED
from ecombot.slack.text import esc

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIEnvironment

    from prometheus_client import CollectorRegistry

log = logging.getLogger(__name__)

WsgiApp = Callable[["WSGIEnvironment", "StartResponse"], Iterable[bytes]]
EVENTS_PATH = "/slack/events"
METRICS_PATH = "/metrics"
MAX_BODY = 1_000_000  # Slack's largest payloads (a 100-block view submission) are far smaller
HEALTH_TIMEOUT = 0.8  # seconds /healthz waits for the database before it answers 503
MAX_AGE = 300  # seconds, as Slack recommends
_SIGNATURE = re.compile(r"v0=[0-9a-f]{64}")
UNREADABLE = (
    "Slack sent a request I could not read, so nothing was done. Please try again. / "
    "无法读取 Slack 发来的请求，未做任何操作，请重试。"
)


def verify(secret: str, body: bytes, timestamp: str | None, signature: str | None, now: float) -> bool:
    """Slack's v0 signature check, refusing anything malformed instead of raising."""
    if not secret or not timestamp or not signature:
        return False
    if not timestamp.isascii() or not timestamp.isdigit() or len(timestamp) > 12:
        return False
    if abs(now - int(timestamp)) > MAX_AGE or not _SIGNATURE.fullmatch(signature):
        return False
    base = b"v0:" + timestamp.encode() + b":" + body
    expected = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature)


def _dict(value: Any) -> bool:
    return isinstance(value, dict)


def payload_problem(body: str, content_type: str) -> str:
    """Why a verified body is not something Slack sends ("" when it is fine)."""
    return inspect_payload(body, content_type)[0]


def inspect_payload(body: str, content_type: str) -> tuple[str, str, str]:
    """(problem, kind, command) of a verified body: why it is not something Slack sends ("" when
    it is fine), the payload's kind (`command`, `event`, `block_actions`, ...) and a slash
    command's name."""
    if content_type.startswith("application/json"):
        try:
            data = json.loads(body)
        except ValueError:
            return "not JSON", "", ""
        if not _dict(data) or not isinstance(data.get("type"), str):
            return "not an Events API envelope", "", ""
        if data["type"] == "event_callback":
            event = data.get("event")
            if not _dict(event) or not isinstance(event.get("type"), str):
                return "an event without a type", "event", ""
            if not isinstance(data.get("team_id", ""), str) or not isinstance(data.get("event_id", ""), str):
                return "an event with odd ids", "event", ""
            return "", "event", ""
        return "", "url_verification" if data["type"] == "url_verification" else "event", ""
    form = parse_qs(body, keep_blank_values=True)
    if "payload" not in form:
        fields = ("command", "team_id", "user_id")
        command = form.get("command", [""])[0]
        problem = "" if all(form.get(f, [""])[0] for f in fields) else "a command without its fields"
        return problem, "command", command
    try:
        data = json.loads(form["payload"][0])
    except ValueError:
        return "a payload that is not JSON", "", ""
    if not _dict(data) or not isinstance(data.get("type"), str):
        return "a payload that is not an object with a type", "", ""
    kind = data["type"] if data["type"] in _INTERACTIVE_KINDS else "other"
    return _interaction_problem(data), kind, ""


_INTERACTIVE_KINDS = frozenset(
    {"block_actions", "view_submission", "view_closed", "shortcut", "message_action", "block_suggestion"}
)


def _interaction_problem(data: dict[str, Any]) -> str:
    if not _dict(data.get("user")) or not isinstance(data["user"].get("id"), str):
        return "a payload without a user"
    if data.get("team") is not None and not _dict(data.get("team")):
        return "a payload with an odd team"
    for key in ("container", "channel", "message", "view"):
        if key in data and data[key] is not None and not _dict(data[key]):
            return f"a payload whose {key} is not an object"
    kind = data["type"]
    if kind == "block_actions":
        actions = data.get("actions")
        if not isinstance(actions, list) or not actions:
            return "a click without an action"
        if not all(_dict(a) and isinstance(a.get("action_id"), str) for a in actions):
            return "a click whose action has no id"
    elif kind in ("view_submission", "view_closed"):
        if not _dict(data.get("view")) or not isinstance(data["view"].get("callback_id"), str):
            return "a submission without its view"
        if not isinstance(data["view"].get("type"), str):  # Bolt reads it before any listener
            return "a submission whose view has no type"
        state = data["view"].get("state")
        if state is not None and (not _dict(state) or not _dict(state.get("values", {}))):
            return "a submission with odd values"
    elif kind in ("shortcut", "message_action") and not isinstance(data.get("callback_id"), str):
        return "a shortcut without its id"
    return ""


class EcombotWsgi:
    """Routes `/healthz` itself, verifies `/slack/events`, and hands the rest (OAuth pages) to Bolt."""

    def __init__(
        self, app: App, engine: Engine, *, signing_secret: str, clock: Callable[[], float] = time.time
    ) -> None:
        self.app = app
        self.engine = engine
        self.signing_secret = signing_secret
        self.clock = clock
        self.bolt = SlackRequestHandler(app, path=EVENTS_PATH)
        self.replays = ReplayGuard(engine)
        self.commands = frozenset(command.name for command in commands())
        self._registry: CollectorRegistry | None = None

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        """Serve one request."""
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD")
        if path == "/healthz" and method in ("GET", "HEAD"):
            healthy = ping(self.engine, timeout=HEALTH_TIMEOUT)
            body = json.dumps({"status": "ok" if healthy else "database unavailable", "version": __version__})
            return _answer(start_response, 200 if healthy else 503, body, "application/json")
        if path == EVENTS_PATH and method == "POST":
            return self._events(environ, start_response)
        if path == METRICS_PATH and method in ("GET", "HEAD"):
            return self._metrics(start_response)
        return self.bolt(environ, start_response)

    def _events(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        received = time.monotonic()
        status, out_headers, payload, (kind, command, outcome) = self._answer_event(environ, received)
        command = command if command in self.commands else ("other" if command else "")
        metrics.count_request(kind, command, outcome, time.monotonic() - received)
        start_response(f"{status} {_reason(status)}".strip(), out_headers)
        return [payload]

    def _answer_event(self, environ: WSGIEnvironment, received: float) -> _Answer:
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        if not 0 <= length <= MAX_BODY:
            if length > MAX_BODY:
                return _plain(413, "bad request", ("", "", "too_large"))
            return _plain(400, "bad request", ("", "", "unreadable"))
        raw = environ["wsgi.input"].read(length) if length else b""
        timestamp = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP")
        signature = environ.get("HTTP_X_SLACK_SIGNATURE")
        if not verify(self.signing_secret, raw, timestamp, signature, self.clock()):
            # Nothing from an unverified body is read, logged, or acted on.
            log.warning("refused a request with a missing, stale or wrong signature")
            return _plain(401, "invalid request", ("", "", "refused"))
        assert timestamp is not None and signature is not None  # verified
        content_type = str(environ.get("CONTENT_TYPE") or "")
        try:
            body = raw.decode("utf-8")
        except UnicodeDecodeError:
            body, (problem, kind, command) = "", ("a body that is not UTF-8", "", "")
        else:
            problem, kind, command = inspect_payload(body, content_type)
        if self.replays.check(signature[3:], int(timestamp)) is Seen.AGAIN:
            if environ.get("HTTP_X_SLACK_RETRY_NUM"):
                # Slack's own retry of a request received before: acknowledged, not handled twice.
                log.info("acknowledged Slack's retry of a request already received")
                return _plain(200, "", (kind, command, "retry"))
            log.warning("refused a replayed request (its signature was received before)")
            return _plain(401, "invalid request", (kind, command, "replay"))
        if problem:
            log.warning("refused a signed request that Slack would not send: %s", problem)
            reply = json.dumps({"response_type": "ephemeral", "text": UNREADABLE}, ensure_ascii=False)
            return _plain(200, reply, (kind, command, "unreadable"), "application/json")
        if kind == "command" and command not in self.commands:
            # A slash command whose Request URL points here but is not ecombot's (a copied app
            # config): one line in the log, and an answer that says which commands are.
            log.warning("answered a slash command ecombot does not have: %.40r", command)
            reply = json.dumps(
                {"response_type": "ephemeral", "text": _not_ours(command, sorted(self.commands))},
                ensure_ascii=False,
            )
            return _plain(200, reply, (kind, command, "not_ours"), "application/json")
        headers: dict[str, str | Sequence[str]] = {
            key[5:].replace("_", "-").lower(): [value]
            for key, value in environ.items()
            if key.startswith("HTTP_") and isinstance(value, str)
        }
        headers["content-type"] = [content_type]
        try:
            response = self.app.dispatch(
                BoltRequest(
                    body=body,
                    query=str(environ.get("QUERY_STRING") or ""),
                    headers=headers,
                    context={RECEIVED: received},
                )
            )
        except Exception as exc:  # Bolt's own error handling failed: answer, never a bare 500 page
            log.error(
                "Bolt could not handle a signed %s request: %s: %s",
                kind or "unknown",
                type(exc).__name__,
                exc,
            )
            reply = json.dumps({"response_type": "ephemeral", "text": UNREADABLE}, ensure_ascii=False)
            return _plain(200, reply, (kind, command, "failed"), "application/json")
        out_headers: list[tuple[str, str]] = []
        for name, values in response.headers.items():
            out_headers += [(name, value) for value in values]
        outcome = "ok" if response.status < 400 else f"http_{response.status}"
        return response.status, out_headers, (response.body or "").encode(), (kind, command, outcome)

    def _metrics(self, start_response: StartResponse) -> Iterable[bytes]:
        if self._registry is None:
            self._registry = metrics.registry_for(self.engine)
        data, content_type = metrics.exposition(self._registry)
        start_response("200 OK", [("Content-Type", content_type), ("Content-Length", str(len(data)))])
        return [data]


def _not_ours(command: str, ours: list[str]) -> str:
    """The answer to a slash command that is not ecombot's, in both languages (the person's own is
    not looked up for it)."""
    name, listed = f"`{esc(command[:40])}`", ", ".join(f"`{c}`" for c in ours)
    return (
        f"{name} is not an ecombot command, so nothing was done. Its commands are {listed}. / "
        f"{name} 不是 ecombot 的命令，未做任何操作。可用命令：{listed}。"
    )


# An answer to /slack/events: status, headers, body, and its (kind, command, outcome) for /metrics.
_Answer = tuple[int, list[tuple[str, str]], bytes, tuple[str, str, str]]


def _plain(status: int, body: str, label: tuple[str, str, str], content_type: str = "text/plain") -> _Answer:
    data = body.encode()
    headers = [("Content-Type", f"{content_type}; charset=utf-8"), ("Content-Length", str(len(data)))]
    return status, headers, data, label


def _reason(status: int) -> str:
    return {413: "Payload Too Large", 503: "Service Unavailable"}.get(status) or _REASONS.get(status, "")


_REASONS = {200: "OK", 302: "Found", 400: "Bad Request", 401: "Unauthorized", 404: "Not Found", 500: "Error"}


def _answer(start_response: StartResponse, status: int, body: str, content_type: str) -> list[bytes]:
    answer = _plain(status, body, ("", "", ""), content_type)
    start_response(f"{status} {_reason(status)}".strip(), answer[1])
    return [answer[2]]


def run_gunicorn(wsgi_factory: Callable[[], WsgiApp], *, host: str, port: int, workers: int) -> None:
    """Serve with gunicorn; each worker builds its own app (and database pool) after the fork."""
    from gunicorn.app.base import BaseApplication

    class _Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            # Bolt runs listeners in threads after the ack; gthread keeps the worker responsive meanwhile.
            self.cfg.set("worker_class", "gthread")
            self.cfg.set("threads", 4)
            self.cfg.set("timeout", 60)
            self.cfg.set("accesslog", None)
            self.cfg.set("proc_name", "ecombot")

        def load(self) -> Any:
            return wsgi_factory()

    _Server().run()
