"""The HTTP side of the fake: the server, request parsing, routing to the API and the non-API endpoints."""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Collection
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlsplit

from ecombot.devtools.fakeslack.auth import granted_scopes_header
from ecombot.devtools.fakeslack.checks import ChecksMixin, _check_message_content, slack_methods
from ecombot.devtools.fakeslack.model import (
    Call,
    JSONDict,
    _Injection,
    _RateLimited,
    _ResponseUrl,
    _SlackError,
)
from ecombot.devtools.fakeslack.recording import RecordingMixin

if TYPE_CHECKING:
    from ecombot.devtools.fakeslack.fake import FakeSlack

# Arguments slack_sdk serialises with json.dumps when it sends a form body; decoded so tests and
# validation see the structure, whichever body type the client chose.
JSON_ARGS = frozenset(
    {"blocks", "view", "metadata", "attachments", "files", "unfurls", "outputs", "user_auth_blocks"}
)
MAX_RESPONSE_URL_USES = 5
ACK_METHOD = "(ack body)"
RESPONSE_URL_METHOD = "response_url"  # the Call.method of a rejected response_url post


@dataclass
class _Reply:
    status: int
    body: bytes
    content_type: str = "application/json; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def json(cls, status: int, payload: JSONDict, headers: dict[str, str] | None = None) -> _Reply:
        return cls(status, json.dumps(payload).encode(), headers=headers or {})

    @classmethod
    def text(cls, status: int, text: str) -> _Reply:
        return cls(status, text.encode(), content_type="text/plain; charset=utf-8")


def _decode_json_args(args: JSONDict) -> JSONDict:
    for name in JSON_ARGS & args.keys():
        value = args[name]
        if isinstance(value, str):
            # Undecodable JSON stays a string: the content checks report it as badly formatted.
            with contextlib.suppress(json.JSONDecodeError):
                args[name] = json.loads(value)
    return args


def _parse_body(query: str, content_type: str, body: bytes) -> JSONDict:
    args: JSONDict = dict(parse_qsl(query, keep_blank_values=True))
    mime = content_type.split(";")[0].strip().lower()
    if not body:
        return _decode_json_args(args)
    if mime == "application/json":
        payload = json.loads(body.decode("utf-8"))
        if not isinstance(payload, dict):
            raise ValueError("a JSON body must be an object")
        args.update(payload)
    elif mime in ("application/x-www-form-urlencoded", ""):
        args.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
    else:
        raise ValueError(f"unsupported Content-Type {content_type!r}")
    return _decode_json_args(args)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, fake: FakeSlack) -> None:
        super().__init__(("127.0.0.1", 0), _RequestHandler)
        self.fake = fake


class _RequestHandler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        """Serve a GET (Web API with a query string, or a file download)."""
        self._serve("GET")

    def do_POST(self) -> None:
        """Serve a POST (Web API, file upload or response_url)."""
        self._serve("POST")

    def _serve(self, verb: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        reply = self.server.fake._handle_http(
            verb,
            self.path,
            self.headers.get("Content-Type") or "",
            self.headers.get("Authorization"),
            body,
        )
        delay = self.server.fake._reply_delay(self.path)
        if delay:
            # The call has taken effect; only the answer is late, as when a client times out or dies.
            time.sleep(delay)
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(reply.body)

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet: tests and the console mode own stdout/stderr."""


class ServerMixin(ChecksMixin, RecordingMixin):
    """Route each HTTP request: Web API calls through the checks to a handler, and the non-API endpoints."""

    granted_scopes: Collection[str] | None  # AuthMixin's: reported in each answer's x-oauth-scopes header

    # ------------------------------------------------------------------ HTTP dispatch

    def _handle_http(
        self, verb: str, path: str, content_type: str, authorization: str | None, body: bytes
    ) -> _Reply:
        parts = urlsplit(path)
        route = parts.path
        try:
            if route.startswith("/api/"):
                return self._handle_api(
                    route.removeprefix("/api/"), parts.query, content_type, authorization, body
                )
            if route.startswith("/upload/") and verb == "POST":
                return self._handle_upload(route.removeprefix("/upload/"), body)
            if route.startswith("/response/") and verb == "POST":
                return self._handle_response_url(route, body)
            if route.startswith("/files/") and verb == "GET":
                return self._handle_download(route, authorization)
        except Exception as exc:  # a bug in the fake must surface in the test, not hang the client
            with self._cond:
                call = Call(route, {}, None, time.monotonic(), False, "fake_internal_error", 500)
                self._calls.append(call)
                self._rejections.append(call)
                self._cond.notify_all()
            return _Reply.json(500, {"ok": False, "error": "fake_internal_error", "detail": repr(exc)})
        return _Reply.text(404, "not_found")

    def _handle_api(
        self, method: str, query: str, content_type: str, authorization: str | None, body: bytes
    ) -> _Reply:
        parse_error: str | None = None
        try:
            args = _parse_body(query, content_type, body)
        except (ValueError, UnicodeDecodeError) as exc:
            args, parse_error = {}, str(exc)
        token: str | None = None
        if authorization and authorization.lower().startswith("bearer "):
            token = authorization[7:].strip() or None
        body_token = args.pop("token", None)
        token = token or (str(body_token) if body_token else None)
        with self._cond:
            injected = self._take_injection(method)
            if injected is not None:
                return self._injected_reply(method, args, token, injected)
            try:
                if parse_error is not None:
                    raise _SlackError("invalid_form_data", f"[ERROR] {parse_error}")
                spec = slack_methods().get(method)
                if spec is None:
                    raise _SlackError("unknown_method", f"[ERROR] unknown method {method!r}")
                self._check_auth(method, spec, token)
                self._check_args(method, spec, args)
                self._check_content(method, args)
                handler = self._handlers.get(method)
                result = handler(args) if handler is not None else {}
            except _RateLimited as limited:
                call = self._record(method, args, token, False, "ratelimited", 429)
                self._rate_limited.append(call)
                return _Reply.json(
                    429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(limited.retry_after)}
                )
            except _SlackError as exc:
                call = self._record(method, args, token, False, exc.error, 200, exc.messages)
                self._rejections.append(call)
                payload = {"ok": False, "error": exc.error, "response_metadata": {"messages": exc.messages}}
                return _Reply.json(200, payload)
            self._record(method, args, token, True, None, 200)
            return _Reply.json(200, {"ok": True, **result}, granted_scopes_header(self.granted_scopes, token))

    def _injected_reply(self, method: str, args: JSONDict, token: str | None, inj: _Injection) -> _Reply:
        if inj.status == 429:
            error = inj.error or "ratelimited"
            self._record(method, args, token, False, error, 429)
            return _Reply.json(429, {"ok": False, "error": error}, {"Retry-After": str(inj.retry_after)})
        error = inj.error or ("fatal_error" if inj.status >= 500 else "injected_failure")
        self._record(method, args, token, False, error, inj.status)
        return _Reply.json(inj.status, {"ok": False, "error": error})

    # ------------------------------------------------------------------ non-API endpoints

    def _handle_upload(self, file_id: str, body: bytes) -> _Reply:
        with self._cond:
            upload = self._pending_uploads.get(file_id)
            if upload is None:
                return _Reply.text(404, "upload_url_not_found")
            upload.data = body
            self._cond.notify_all()
        return _Reply.text(200, f"OK - {len(body)}")

    def _handle_download(self, route: str, authorization: str | None) -> _Reply:
        # Slack serves url_private only to a request carrying a token of the workspace.
        token = (
            authorization[7:].strip() if authorization and authorization.lower().startswith("bearer ") else ""
        )
        allowed = (
            token in self.valid_tokens
            if self.valid_tokens is not None
            else token.startswith(("xoxb-", "xoxp-"))
        )
        if not allowed:
            return _Reply.text(403, "not_authed")
        file_id = route.removeprefix("/files/").split("/", 1)[0]
        with self._cond:
            upload = self._pending_uploads.get(file_id)
            if upload is None or upload.data is None or file_id not in self._files:
                return _Reply.text(404, "file_not_found")
            mimetype = str(self._files[file_id]["mimetype"])
            return _Reply(200, upload.data, content_type=mimetype)

    def _handle_response_url(self, route: str, body: bytes) -> _Reply:
        with self._cond:
            target = self._response_urls.get(route)
            if target is None:
                return _Reply.text(404, "no_service")
            if target.uses >= MAX_RESPONSE_URL_USES:  # Slack honours a response_url five times
                return _Reply.text(404, "used_url")
            try:
                try:
                    payload = json.loads(body.decode("utf-8"))
                except (ValueError, UnicodeDecodeError):
                    payload = None
                if not isinstance(payload, dict):
                    raise _SlackError("invalid_payload", "[ERROR] a response_url post must be a JSON object")
                _check_message_content(payload)
            except _SlackError as exc:
                # Slack answers a bad post 400 with the bare error code; the detail is kept on the rejection.
                args = payload if isinstance(payload, dict) else {}
                call = self._record(RESPONSE_URL_METHOD, args, None, False, exc.error, 400, exc.messages)
                self._rejections.append(call)
                return _Reply.text(400, exc.error)
            target.uses += 1
            self._response_url_posts.append({"url": target.url, "payload": payload})
            self._apply_response(target, payload)
            self._cond.notify_all()
        return _Reply.text(200, "ok")

    def check_ack(self, payload: JSONDict) -> None:
        """What an app answered in its ack (a command's ephemeral reply), checked as Slack checks a
        message: a refusal is recorded like any rejected call, so the test that caused it fails."""
        with self._cond:
            try:
                _check_message_content(payload)
            except _SlackError as exc:
                call = self._record(ACK_METHOD, payload, None, False, exc.error, 200, exc.messages)
                self._rejections.append(call)
                self._cond.notify_all()

    def _apply_response(self, target: _ResponseUrl, payload: JSONDict) -> None:
        """Mirror what Slack does with a response_url post when the fake knows its message."""
        conv = self._conversations.get(target.channel or "")
        if conv is None:
            return
        original = next((m for m in self._messages.get(conv.id, []) if m["ts"] == target.message_ts), None)
        if payload.get("delete_original") and original is not None:
            self._messages[conv.id].remove(original)
        elif payload.get("replace_original") and original is not None:
            for key in ("text", "blocks", "attachments"):
                if key in payload:
                    original[key] = payload[key]
        elif payload.get("response_type") == "in_channel":
            message = self._new_message(payload, self._next_ts())
            self._store_message(conv, message, payload.get("thread_ts"), False)
        elif target.user is not None:
            self._ephemerals.append(
                {
                    "channel": conv.id,
                    "user": target.user,
                    "text": payload.get("text", ""),
                    "blocks": payload.get("blocks"),
                    "ts": self._next_ts(),
                    "thread_ts": payload.get("thread_ts"),
                }
            )
