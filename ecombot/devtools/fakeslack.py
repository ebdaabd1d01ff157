"""A fake Slack Web API server for the test suite and the offline ``console``/``demo`` modes.

It listens on 127.0.0.1 (random port) and speaks exactly what ``slack_sdk.WebClient`` sends:
``POST /api/<method>`` with form-encoded or JSON bodies (or ``GET`` with a query string) and the
token in an ``Authorization: Bearer`` header.  Arguments are checked against
``ecombot/data/slack_methods.json`` and Block Kit against :mod:`ecombot.devtools.blockkit`, so a
call Slack would reject is rejected here too, and recorded where a test can assert on it.
"""

from __future__ import annotations

import base64
import contextlib
import copy
import functools
import itertools
import json
import math
import mimetypes
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib.resources import files as resource_files
from typing import Any, Literal
from urllib.parse import parse_qsl, urlsplit
from zoneinfo import ZoneInfo

from ecombot.devtools.blockkit import mrkdwn_problems, validate_blocks, validate_message_text, validate_view

JSONDict = dict[str, Any]
Handler = Callable[[JSONDict], JSONDict]

# Arguments slack_sdk serialises with json.dumps when it sends a form body; decoded so tests and
# validation see the structure, whichever body type the client chose.
JSON_ARGS = frozenset(
    {"blocks", "view", "metadata", "attachments", "files", "unfurls", "outputs", "user_auth_blocks"}
)
MESSAGE_METHODS = frozenset(
    {
        "chat.postMessage",
        "chat.postEphemeral",
        "chat.update",
        "chat.scheduleMessage",
        "files.completeUploadExternal",
    }
)
VIEW_TYPES: dict[str, str | None] = {
    "views.open": "modal",
    "views.push": "modal",
    "views.update": None,
    "views.publish": "home",
}
DEFAULT_TOKEN_PREFIXES = ("xoxb-", "xoxp-", "xapp-")
MAX_MODAL_STACK = 3
MAX_RESPONSE_URL_USES = 5
RESPONSE_URL_METHOD = "response_url"  # the Call.method of a rejected response_url post

# zoneinfo only knows abbreviations; Slack shows long names, so map the common ones.
_TZ_LABELS = {
    "EST": "Eastern Standard Time",
    "EDT": "Eastern Daylight Time",
    "CDT": "Central Daylight Time",
    "MST": "Mountain Standard Time",
    "MDT": "Mountain Daylight Time",
    "PST": "Pacific Standard Time",
    "PDT": "Pacific Daylight Time",
    "CET": "Central European Time",
    "CEST": "Central European Summer Time",
    "GMT": "Greenwich Mean Time",
    "BST": "British Summer Time",
    "UTC": "Coordinated Universal Time",
    "JST": "Japan Standard Time",
    "HKT": "Hong Kong Time",
    "KST": "Korea Standard Time",
}


@functools.cache
def slack_methods() -> dict[str, JSONDict]:
    """Return the Slack method reference bundled as ``ecombot/data/slack_methods.json``."""
    text = (resource_files("ecombot") / "data" / "slack_methods.json").read_text(encoding="utf-8")
    methods: dict[str, JSONDict] = json.loads(text)["methods"]
    return methods


@dataclass(frozen=True)
class Call:
    """One Web API call as the fake received and answered it."""

    method: str
    args: JSONDict
    token: str | None
    time: float
    ok: bool
    error: str | None
    http_status: int
    messages: tuple[str, ...] = ()  # the problems the fake found, for a rejection


class _SlackError(Exception):
    """An ``ok: false`` answer with Slack's error code and human-readable detail."""

    def __init__(self, error: str, *messages: str) -> None:
        super().__init__(error)
        self.error = error
        self.messages = list(messages) or [f"[ERROR] {error}"]


class _RateLimited(Exception):
    """The per-channel rate limit refused a post."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after)
        self.retry_after = retry_after


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


@dataclass
class _Conversation:
    id: str
    name: str
    kind: Literal["public", "private", "im", "mpim"]
    members: list[str]
    created: int
    user: str | None = None  # the other party of a DM


@dataclass
class _Injection:
    status: int
    retry_after: int
    error: str | None
    remaining: int


@dataclass
class _PendingUpload:
    file_id: str
    filename: str
    length: int
    alt_txt: str | None
    data: bytes | None = None


@dataclass
class _ResponseUrl:
    url: str
    channel: str | None
    user: str | None
    message_ts: str | None
    uses: int = 0


def _flag(args: JSONDict, name: str) -> bool:
    """Read a boolean argument the way Slack does: form bodies send "1"/"true", JSON sends true."""
    value = args.get(name)
    return value is True or (isinstance(value, (str, int)) and str(value).lower() in ("1", "true"))


def _flag_off(args: JSONDict, name: str) -> bool:
    """Whether a boolean argument is explicitly false (``false``/``0``), not merely absent."""
    value = args.get(name)
    return value is False or (isinstance(value, (str, int)) and str(value).lower() in ("0", "false"))


def _check_message_content(args: JSONDict) -> None:
    """Raise what Slack would answer to a message's ``blocks`` and ``text`` (API call or response_url)."""
    if "blocks" in args:
        blocks = args["blocks"]
        if isinstance(blocks, str):
            raise _SlackError("invalid_blocks_format", "[ERROR] blocks must be a JSON array")
        problems = validate_blocks(blocks, surface="message")
        if problems:
            raise _SlackError("invalid_blocks", *[f"[ERROR] {p}" for p in problems])
    text = args.get("text")
    problems = validate_message_text(text)
    if problems:
        raise _SlackError("msg_too_long", *[f"[ERROR] {p}" for p in problems])
    # The top-level text is mrkdwn unless the caller says mrkdwn=false.
    if isinstance(text, str) and not _flag_off(args, "mrkdwn"):
        problems = mrkdwn_problems(text)
        if problems:
            raise _SlackError("invalid_arguments", *[f"[ERROR] {p} [json-pointer:/text]" for p in problems])


def _int_arg(args: JSONDict, name: str, default: int) -> int:
    value = args.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        raise _SlackError("invalid_arguments", f"[ERROR] {name} must be an integer (got {value!r})") from None


def _ts_micros(ts: Any) -> int | None:
    """Turn a Slack ts ("1700000000.000100") into an exact integer so comparisons never round."""
    if not isinstance(ts, (str, int, float)):
        return None
    secs, _, frac = str(ts).partition(".")
    if not secs.isdigit() or (frac and not frac.isdigit()):
        return None
    return int(secs) * 1_000_000 + int((frac + "000000")[:6])


def _encode_cursor(offset: int) -> str:
    return base64.b64encode(f"next:{offset}".encode()).decode()


def _page(items: list[Any], args: JSONDict, default_limit: int = 100) -> tuple[list[Any], str]:
    """Cut one page out of ``items`` honouring ``limit``/``cursor``; returns it and the next cursor."""
    limit = _int_arg(args, "limit", default_limit) or default_limit
    offset = 0
    cursor = args.get("cursor")
    if cursor:
        try:
            prefix, _, number = base64.b64decode(str(cursor)).decode().partition(":")
            offset = int(number)
            if prefix != "next":
                raise ValueError(prefix)
        except ValueError:
            raise _SlackError(
                "invalid_cursor", f"[ERROR] cursor {cursor!r} was not issued by this server"
            ) from None
    end = offset + max(1, limit)
    return items[offset:end], _encode_cursor(end) if end < len(items) else ""


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


class FakeSlack:
    """An in-process fake of the Slack Web API, served over HTTP for ``slack_sdk.WebClient``."""

    def __init__(
        self,
        *,
        team_id: str = "T_DEMO",
        team_name: str = "Demo Shop",
        team_domain: str = "demo-shop",
        bot_user_id: str = "U_BOT",
        bot_id: str = "B_BOT",
        bot_name: str = "ecombot",
        app_id: str = "A_APP",
        valid_tokens: Collection[str] | None = None,
        per_channel_rate: float | None = None,
        demo_directory: bool = True,
    ) -> None:
        if per_channel_rate is not None and per_channel_rate <= 0:
            raise ValueError("per_channel_rate must be positive")
        self.team_id = team_id
        self.team_name = team_name
        self.team_domain = team_domain
        self.bot_user_id = bot_user_id
        self.bot_id = bot_id
        self.bot_name = bot_name
        self.app_id = app_id
        self.valid_tokens = frozenset(valid_tokens) if valid_tokens is not None else None
        self.per_channel_rate = per_channel_rate
        # One re-entrant lock guards all state; wait_for predicates may call the public accessors
        # while the Condition holds it.
        self._cond = threading.Condition(threading.RLock())
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._ids = itertools.count(1)
        self._last_ts = 0
        self._users: dict[str, JSONDict] = {}
        self._conversations: dict[str, _Conversation] = {}
        self._reset_recordings()
        self._handlers: dict[str, Handler] = {
            "auth.test": self._auth_test,
            "oauth.v2.access": self._oauth_v2_access,
            "team.info": self._team_info,
            "chat.postMessage": self._chat_post_message,
            "chat.update": self._chat_update,
            "chat.delete": self._chat_delete,
            "chat.postEphemeral": self._chat_post_ephemeral,
            "chat.getPermalink": self._chat_get_permalink,
            "chat.scheduleMessage": self._chat_schedule_message,
            "conversations.open": self._conversations_open,
            "conversations.join": self._conversations_join,
            "conversations.info": self._conversations_info,
            "conversations.members": self._conversations_members,
            "conversations.history": self._conversations_history,
            "conversations.replies": self._conversations_replies,
            "conversations.list": self._conversations_list,
            "users.info": self._users_info,
            "users.list": self._users_list,
            "views.open": self._views_open,
            "views.push": self._views_push,
            "views.update": self._views_update,
            "views.publish": self._views_publish,
            "files.getUploadURLExternal": self._files_get_upload_url,
            "files.completeUploadExternal": self._files_complete_upload,
            "files.info": self._files_info,
            "files.upload": self._files_upload_v1,
            "reactions.add": self._reactions_add,
            "reactions.remove": self._reactions_remove,
        }
        self.add_user(bot_user_id, name=bot_name, real_name=bot_name, tz="America/Los_Angeles", is_bot=True)
        if demo_directory:
            self._add_demo_directory()

    def _reset_recordings(self) -> None:
        self._calls: list[Call] = []
        self._rejections: list[Call] = []
        self._rate_limited: list[Call] = []
        self._messages: dict[str, list[JSONDict]] = {}
        self._ephemerals: list[JSONDict] = []
        self._views: dict[str, JSONDict] = {}
        self._home_views: dict[str, JSONDict] = {}
        self._modal_stack: list[str] = []
        self._pending_uploads: dict[str, _PendingUpload] = {}
        self._files: dict[str, JSONDict] = {}
        self._response_urls: dict[str, _ResponseUrl] = {}
        self._response_url_posts: list[JSONDict] = []
        self._injections: dict[str, deque[_Injection]] = {}
        self._delays: dict[str, float] = {}
        self._post_times: dict[str, deque[float]] = {}
        self._trigger_ids: set[str] = set()

    def _add_demo_directory(self) -> None:
        self.add_user("U_DEMO", name="demo", real_name="Demo Owner", is_admin=True, is_owner=True)
        self.add_user("U_LI", name="li.na", real_name="Li Na", locale="zh-CN")
        self.add_user("U_SAM", name="sam", real_name="Sam Carter", tz="America/New_York")
        self.add_user("U_MIA", name="mia", real_name="Mia Weber", tz="Europe/Berlin")
        self.add_channel("C_DEMO", name="ops", members=("U_DEMO", "U_LI", "U_SAM", "U_MIA"))
        self.add_channel("C_PRIV", name="leads", is_private=True, members=("U_DEMO",))

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> FakeSlack:
        """Bind a random port on 127.0.0.1 and serve in a background thread."""
        if self._server is None:
            self._server = _Server(self)
            # A short poll interval keeps stop() (hence every test fixture teardown) fast.
            self._thread = threading.Thread(
                target=self._server.serve_forever,
                kwargs={"poll_interval": 0.02},
                name="fakeslack",
                daemon=True,
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and release the port."""
        server, thread = self._server, self._thread
        self._server, self._thread = None, None
        if server is not None:
            server.shutdown()
            server.server_close()
        if thread is not None:
            thread.join(timeout=5)

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        """Root URL of the running server, e.g. ``http://127.0.0.1:54321``."""
        if self._server is None:
            raise RuntimeError("FakeSlack is not running; call start() first")
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def api_url(self) -> str:
        """The ``base_url`` to give ``slack_sdk.WebClient`` (ends with ``/api/``)."""
        return self.base_url + "/api/"

    # ------------------------------------------------------------------ directory

    def add_user(
        self,
        user_id: str,
        *,
        name: str,
        real_name: str | None = None,
        tz: str = "Asia/Shanghai",
        locale: str = "en-US",
        is_admin: bool = False,
        is_owner: bool = False,
        is_bot: bool = False,
        deleted: bool = False,
    ) -> JSONDict:
        """Add (or replace) a workspace member and return its stored record."""
        ZoneInfo(tz)  # fail at setup time, not inside a request, on a misspelt zone
        real = real_name if real_name is not None else name
        user: JSONDict = {
            "id": user_id,
            "team_id": self.team_id,
            "name": name,
            "deleted": deleted,
            "color": "9f69e7",
            "real_name": real,
            "tz": tz,
            "is_admin": is_admin,
            "is_owner": is_owner,
            "is_primary_owner": is_owner,
            "is_restricted": False,
            "is_ultra_restricted": False,
            "is_bot": is_bot,
            "is_app_user": False,
            "updated": int(time.time()),
            "locale": locale,
            "profile": {
                "real_name": real,
                "real_name_normalized": real,
                "display_name": name,
                "display_name_normalized": name,
                "team": self.team_id,
                **({"bot_id": self.bot_id} if is_bot else {}),
            },
        }
        with self._cond:
            self._users[user_id] = user
            return copy.deepcopy(user)

    def add_channel(
        self,
        channel_id: str,
        *,
        name: str,
        is_private: bool = False,
        members: Collection[str] = (),
        bot_is_member: bool = True,
    ) -> JSONDict:
        """Add (or replace) a channel and return it as ``conversations.info`` would."""
        member_list = list(dict.fromkeys(members))
        if bot_is_member and self.bot_user_id not in member_list:
            member_list.append(self.bot_user_id)
        conv = _Conversation(
            id=channel_id,
            name=name,
            kind="private" if is_private else "public",
            members=member_list,
            created=int(time.time()),
        )
        with self._cond:
            self._conversations[channel_id] = conv
            return self._conversation_json(conv)

    def user_info(self, user_id: str) -> JSONDict | None:
        """Return a user as ``users.info`` would (locale included), or None when unknown."""
        with self._cond:
            user = self._users.get(user_id)
            return self._user_json(user, include_locale=True) if user is not None else None

    def channel_info(self, channel_id: str) -> JSONDict | None:
        """Return a conversation as ``conversations.info`` would, or None when unknown."""
        with self._cond:
            conv = self._conversations.get(channel_id) or self._conversation_by_name(channel_id)
            if conv is None and channel_id.startswith("D_") and channel_id[2:] in self._users:
                conv = self._im_for(channel_id[2:])
            return self._conversation_json(conv, num_members=True) if conv is not None else None

    # ------------------------------------------------------------------ helpers for tests

    def new_trigger_id(self) -> str:
        """Return a fresh trigger_id shaped like Slack's."""
        trigger = f"{next(self._ids)}.{secrets.randbelow(10**12)}.{secrets.token_hex(16)}"
        with self._cond:
            self._trigger_ids.add(trigger)
        return trigger

    def new_response_url(
        self, *, channel: str | None = None, user: str | None = None, message_ts: str | None = None
    ) -> str:
        """Return a fresh response_url on this server; posts to it are recorded.

        With ``channel``/``message_ts`` (and ``user``) the post also acts like Slack's:
        ``replace_original``/``delete_original`` edit that message, ``in_channel`` posts a message,
        anything else becomes an ephemeral for ``user``.
        """
        url = f"{self.base_url}/response/{self.team_id}/{next(self._ids)}/{secrets.token_urlsafe(12)}"
        with self._cond:
            self._response_urls[urlsplit(url).path] = _ResponseUrl(url, channel, user, message_ts)
        return url

    def fail_next(
        self,
        method: str,
        *,
        status: int | None = None,
        retry_after: int = 1,
        error: str | None = None,
        times: int = 1,
    ) -> None:
        """Make the next ``times`` calls of ``method`` fail.

        ``status`` defaults to 429 (``ratelimited`` with ``Retry-After``), or to 200 when ``error``
        is given (``{"ok": false, "error": error}``); a 5xx status answers that HTTP status.
        """
        resolved = status if status is not None else (200 if error is not None else 429)
        with self._cond:
            queue = self._injections.setdefault(method, deque())
            queue.append(_Injection(resolved, retry_after, error, times))

    def add_message(self, channel_id: str, message: JSONDict) -> JSONDict:
        """Put a message a person wrote into a channel (e.g. to use a message shortcut on it)."""
        with self._cond:
            stored = {"type": "message", "team": self.team_id, **message}
            self._messages.setdefault(channel_id, []).append(stored)
            return dict(stored)

    def delay_replies(self, method: str, seconds: float) -> None:
        """Answer every later call of ``method`` only after ``seconds`` (0 to stop), its effect already made."""
        with self._cond:
            if seconds > 0:
                self._delays[method] = seconds
            else:
                self._delays.pop(method, None)

    def _reply_delay(self, path: str) -> float:
        method = path.split("?", 1)[0].removeprefix("/api/")
        with self._cond:
            return self._delays.get(method, 0.0)

    def wait_for(self, predicate: Callable[[], bool], timeout: float = 5.0) -> bool:
        """Block until ``predicate()`` is true (re-checked on every recorded event) or time runs out."""
        with self._cond:
            return bool(self._cond.wait_for(predicate, timeout))

    def clear(self) -> None:
        """Forget recorded calls, messages, views, uploads and injections; keep users and channels."""
        with self._cond:
            self._reset_recordings()
            self._cond.notify_all()

    # ------------------------------------------------------------------ recordings

    @property
    def calls(self) -> list[Call]:
        """Every API call received, in order."""
        with self._cond:
            return copy.deepcopy(self._calls)

    def calls_to(self, method: str) -> list[Call]:
        """The calls of one API method, in order."""
        with self._cond:
            return copy.deepcopy([c for c in self._calls if c.method == method])

    @property
    def rejections(self) -> list[Call]:
        """Calls answered ``ok: false`` by the fake's own checks (not injected failures or rate limits).

        A response_url post the checks refuse is recorded here (and in ``calls``) with ``method``
        ``"response_url"``, its payload as ``args`` and HTTP status 400.
        """
        with self._cond:
            return copy.deepcopy(self._rejections)

    @property
    def rate_limited(self) -> list[Call]:
        """Calls refused with HTTP 429 by ``per_channel_rate``."""
        with self._cond:
            return copy.deepcopy(self._rate_limited)

    def messages(self, channel_or_user_id: str) -> list[JSONDict]:
        """Messages stored in a channel (or a user's DM for a ``U…`` id), oldest first, replies included."""
        with self._cond:
            cid = channel_or_user_id
            if cid in self._users:
                cid = f"D_{cid}"
            else:
                named = self._conversation_by_name(cid)
                cid = named.id if named else cid
            return copy.deepcopy(self._messages.get(cid, []))

    @property
    def ephemerals(self) -> list[JSONDict]:
        """Ephemeral messages sent (dicts with channel, user, text, blocks, ts, thread_ts)."""
        with self._cond:
            return copy.deepcopy(self._ephemerals)

    @property
    def home_views(self) -> dict[str, JSONDict]:
        """The published home tab per user id."""
        with self._cond:
            return copy.deepcopy(self._home_views)

    @property
    def views(self) -> dict[str, JSONDict]:
        """Every modal and home view by view id, in its latest state."""
        with self._cond:
            return copy.deepcopy(self._views)

    @property
    def uploads(self) -> dict[str, bytes]:
        """Bytes uploaded to the fake upload URLs, by file id."""
        with self._cond:
            return {k: u.data for k, u in self._pending_uploads.items() if u.data is not None}

    @property
    def response_url_posts(self) -> list[JSONDict]:
        """Accepted posts to response_urls as dicts with ``url`` and ``payload`` (see ``rejections``)."""
        with self._cond:
            return copy.deepcopy(self._response_url_posts)

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
                return self._handle_download(route)
        except Exception as exc:  # a bug in the fake must surface in the test, not hang the client
            with self._cond:
                call = Call(route, {}, None, time.monotonic(), False, "fake_internal_error", 500)
                self._calls.append(call)
                self._rejections.append(call)
                self._cond.notify_all()
            return _Reply.json(500, {"ok": False, "error": "fake_internal_error", "detail": repr(exc)})
        return _Reply.text(404, "not_found")

    def _record(
        self,
        method: str,
        args: JSONDict,
        token: str | None,
        ok: bool,
        error: str | None,
        status: int,
        messages: Collection[str] = (),
    ) -> Call:
        call = Call(method, args, token, time.monotonic(), ok, error, status, tuple(messages))
        self._calls.append(call)
        self._cond.notify_all()
        return call

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
            return _Reply.json(200, {"ok": True, **result})

    def _take_injection(self, method: str) -> _Injection | None:
        queue = self._injections.get(method)
        if not queue:
            return None
        injection = queue[0]
        injection.remaining -= 1
        if injection.remaining <= 0:
            queue.popleft()
        return injection

    def _injected_reply(self, method: str, args: JSONDict, token: str | None, inj: _Injection) -> _Reply:
        if inj.status == 429:
            error = inj.error or "ratelimited"
            self._record(method, args, token, False, error, 429)
            return _Reply.json(429, {"ok": False, "error": error}, {"Retry-After": str(inj.retry_after)})
        error = inj.error or ("fatal_error" if inj.status >= 500 else "injected_failure")
        self._record(method, args, token, False, error, inj.status)
        return _Reply.json(inj.status, {"ok": False, "error": error})

    # ------------------------------------------------------------------ request checks

    def _check_auth(self, method: str, spec: JSONDict, token: str | None) -> None:
        if "token" not in spec["args"]:
            return  # e.g. oauth.v2.access authenticates with client credentials instead
        if not token:
            raise _SlackError("not_authed", "[ERROR] no token: send Authorization: Bearer xoxb-…")
        if self.valid_tokens is not None:
            if token not in self.valid_tokens:
                raise _SlackError("invalid_auth", "[ERROR] token is not one of this workspace's tokens")
        elif not token.startswith(DEFAULT_TOKEN_PREFIXES):
            raise _SlackError("invalid_auth", "[ERROR] token must start with xoxb-, xoxp- or xapp-")
        # App-level tokens only open Socket Mode connections, and those need an app-level token.
        if token.startswith("xapp-") != method.startswith("apps.connections."):
            raise _SlackError("not_allowed_token_type", f"[ERROR] {method} does not accept this token type")

    def _check_args(self, method: str, spec: JSONDict, args: JSONDict) -> None:
        accepted: JSONDict = spec["args"]
        problems = [
            f"[ERROR] unknown argument {name!r}: {method} does not take it"
            for name in args
            # slack_sdk adds team_id to every call of a client made for one workspace (Bolt does so for each
            # request); Slack accepts it everywhere because org-wide installs need it.
            if name not in accepted and name != "team_id"
        ]
        problems += [
            f"[ERROR] missing required field: {name}"
            for name in spec["required"]
            if name != "token" and args.get(name) in (None, "")
        ]
        if problems:
            raise _SlackError("invalid_arguments", *problems)

    def _check_content(self, method: str, args: JSONDict) -> None:
        if method in MESSAGE_METHODS:
            _check_message_content(args)
            metadata = args.get("metadata")
            if metadata is not None and not (
                isinstance(metadata, dict)
                and isinstance(metadata.get("event_type"), str)
                and isinstance(metadata.get("event_payload"), dict)
            ):
                raise _SlackError(
                    "invalid_metadata_format",
                    "[ERROR] metadata needs an event_type string and an event_payload object",
                )
        if method in VIEW_TYPES and "view" in args:
            view = args["view"]
            if isinstance(view, str):
                raise _SlackError("invalid_arguments", "[ERROR] view must be a JSON object")
            problems = validate_view(view)
            if problems:
                raise _SlackError("invalid_blocks", *[f"[ERROR] {p}" for p in problems])
            expected = VIEW_TYPES[method]
            if expected is not None and view.get("type") != expected:
                raise _SlackError(
                    "invalid_arguments", f"[ERROR] {method} needs a {expected} view [json-pointer:/view/type]"
                )

    # ------------------------------------------------------------------ shared state helpers

    def _next_ts(self) -> str:
        # Wall-clock based like Slack's, but strictly increasing even within one microsecond.
        self._last_ts = max(time.time_ns() // 1000, self._last_ts + 1)
        return f"{self._last_ts // 1_000_000}.{self._last_ts % 1_000_000:06d}"

    def _new_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids):08X}"

    def _conversation_by_name(self, name: str) -> _Conversation | None:
        bare = name.removeprefix("#")
        return next((c for c in self._conversations.values() if c.name == bare and c.kind != "im"), None)

    def _im_for(self, user_id: str) -> _Conversation:
        cid = f"D_{user_id}"
        conv = self._conversations.get(cid)
        if conv is None:
            conv = _Conversation(cid, cid, "im", [user_id, self.bot_user_id], int(time.time()), user=user_id)
            self._conversations[cid] = conv
        return conv

    def _conversation(self, channel: Any, *, posting: bool = False) -> _Conversation:
        """Resolve a channel argument the way Slack does, enforcing what the bot may see."""
        cid = str(channel or "")
        conv = self._conversations.get(cid)
        if conv is None and posting and cid in self._users:
            conv = self._im_for(cid)
        if conv is None and cid.startswith("D_") and cid[2:] in self._users:
            conv = self._im_for(cid[2:])
        if conv is None and posting:
            conv = self._conversation_by_name(cid)
        if conv is None:
            raise _SlackError("channel_not_found", f"[ERROR] no conversation {cid!r}")
        is_member = self.bot_user_id in conv.members
        if conv.kind in ("private", "mpim") and not is_member:
            # Slack hides private conversations the bot is not in.
            raise _SlackError("channel_not_found", f"[ERROR] no conversation {cid!r} visible to the bot")
        if posting and conv.kind == "public" and not is_member:
            raise _SlackError(
                "not_in_channel", f"[ERROR] the bot is not a member of #{conv.name} ({conv.id})"
            )
        return conv

    def _conversation_json(self, conv: _Conversation, *, num_members: bool = False) -> JSONDict:
        if conv.kind == "im":
            return {
                "id": conv.id,
                "created": conv.created,
                "is_im": True,
                "is_org_shared": False,
                "context_team_id": self.team_id,
                "user": conv.user,
                "is_user_deleted": bool(self._users.get(conv.user or "", {}).get("deleted")),
                "priority": 0,
            }
        data: JSONDict = {
            "id": conv.id,
            "name": conv.name,
            "is_channel": conv.kind != "mpim",
            "is_group": False,
            "is_im": False,
            "is_mpim": conv.kind == "mpim",
            "is_private": conv.kind != "public",
            "created": conv.created,
            "is_archived": False,
            "is_general": False,
            "unlinked": 0,
            "name_normalized": conv.name,
            "is_shared": False,
            "is_org_shared": False,
            "is_ext_shared": False,
            "is_pending_ext_shared": False,
            "context_team_id": self.team_id,
            "creator": conv.members[0] if conv.members else "",
            "is_member": self.bot_user_id in conv.members,
            "topic": {"value": "", "creator": "", "last_set": 0},
            "purpose": {"value": "", "creator": "", "last_set": 0},
            "previous_names": [],
        }
        if num_members:
            data["num_members"] = len(conv.members)
        return data

    def _user_json(self, user: JSONDict, *, include_locale: bool) -> JSONDict:
        data = copy.deepcopy(user)
        now = datetime.now(ZoneInfo(user["tz"]))
        abbreviation = now.tzname() or ""
        if abbreviation == "CST":  # ambiguous: China vs. US Central
            label = "China Standard Time" if user["tz"].startswith("Asia/") else "Central Standard Time"
        else:
            label = _TZ_LABELS.get(abbreviation, abbreviation)
        offset = now.utcoffset()
        data["tz_label"] = label
        data["tz_offset"] = int(offset.total_seconds()) if offset is not None else 0
        if not include_locale:
            del data["locale"]
        return data

    def _known_user(self, user_id: Any) -> JSONDict:
        user = self._users.get(str(user_id or ""))
        if user is None:
            raise _SlackError("user_not_found", f"[ERROR] no user {user_id!r}")
        return user

    def _find_message(self, channel: str, ts: Any) -> JSONDict:
        for message in self._messages.get(channel, []):
            if message["ts"] == ts:
                return message
        raise _SlackError("message_not_found", f"[ERROR] no message {ts!r} in {channel}")

    def _new_message(self, args: JSONDict, ts: str) -> JSONDict:
        message: JSONDict = {
            "type": "message",
            "user": self.bot_user_id,
            "bot_id": self.bot_id,
            "app_id": self.app_id,
            "text": args.get("text") or args.get("markdown_text") or "",
            "ts": ts,
            "team": self.team_id,
            "bot_profile": {
                "id": self.bot_id,
                "app_id": self.app_id,
                "name": self.bot_name,
                "deleted": False,
                "team_id": self.team_id,
            },
        }
        for key in ("blocks", "attachments", "metadata"):
            if args.get(key) is not None:
                message[key] = args[key]
        return message

    def _store_message(self, conv: _Conversation, message: JSONDict, thread_ts: Any, broadcast: bool) -> None:
        if thread_ts:
            message["thread_ts"] = str(thread_ts)
            message["parent_user_id"] = self.bot_user_id
            if broadcast:
                message["subtype"] = "thread_broadcast"
            for parent in self._messages.get(conv.id, []):
                if parent["ts"] == str(thread_ts):
                    parent["thread_ts"] = parent["ts"]
                    parent["reply_count"] = parent.get("reply_count", 0) + 1
                    parent["reply_users"] = sorted({*parent.get("reply_users", []), self.bot_user_id})
                    parent["reply_users_count"] = len(parent["reply_users"])
                    parent["latest_reply"] = message["ts"]
        self._messages.setdefault(conv.id, []).append(message)

    def _check_channel_rate(self, channel_id: str) -> None:
        rate = self.per_channel_rate
        if rate is None:
            return
        # A sliding window: at most `rate` posts per second (one post per 1/rate s below 1/s).
        window = max(1.0, 1.0 / rate)
        capacity = max(1, math.floor(rate * window + 1e-9))
        now = time.monotonic()
        recent = self._post_times.setdefault(channel_id, deque())
        while recent and recent[0] <= now - window:
            recent.popleft()
        if len(recent) >= capacity:
            raise _RateLimited(max(1, math.ceil(recent[0] + window - now)))
        recent.append(now)

    # ------------------------------------------------------------------ method handlers

    def _auth_test(self, args: JSONDict) -> JSONDict:
        return {
            "url": f"https://{self.team_domain}.slack.com/",
            "team": self.team_name,
            "user": self.bot_name,
            "team_id": self.team_id,
            "user_id": self.bot_user_id,
            "bot_id": self.bot_id,
            "is_enterprise_install": False,
        }

    def _oauth_v2_access(self, args: JSONDict) -> JSONDict:
        # The install flow: any non-empty code is exchanged for a fresh bot token of this team.
        if not args.get("code"):
            raise _SlackError("invalid_code", "[ERROR] code is missing")
        return {
            "app_id": self.app_id,
            "authed_user": {"id": "U_DEMO"},
            "scope": "commands,chat:write,users:read",
            "token_type": "bot",
            "access_token": f"xoxb-installed-{next(self._ids)}",
            "bot_user_id": self.bot_user_id,
            "team": {"id": self.team_id, "name": self.team_name},
            "enterprise": None,
            "is_enterprise_install": False,
        }

    def _team_info(self, args: JSONDict) -> JSONDict:
        return {
            "team": {
                "id": self.team_id,
                "name": self.team_name,
                "url": f"https://{self.team_domain}.slack.com/",
                "domain": self.team_domain,
                "email_domain": "",
                "icon": {"image_default": True},
                "is_verified": False,
            }
        }

    def _chat_post_message(self, args: JSONDict) -> JSONDict:
        if not any(args.get(k) for k in ("text", "blocks", "attachments", "markdown_text")):
            raise _SlackError("no_text", "[ERROR] a message needs text, blocks, attachments or markdown_text")
        conv = self._conversation(args["channel"], posting=True)
        self._check_channel_rate(conv.id)
        message = self._new_message(args, self._next_ts())
        self._store_message(conv, message, args.get("thread_ts"), _flag(args, "reply_broadcast"))
        return {"channel": conv.id, "ts": message["ts"], "message": copy.deepcopy(message)}

    def _chat_update(self, args: JSONDict) -> JSONDict:
        conv = self._conversation(args["channel"], posting=True)
        message = self._find_message(conv.id, args["ts"])
        if message.get("user") != self.bot_user_id:
            raise _SlackError("cant_update_message", "[ERROR] the bot can only edit its own messages")
        for key in ("text", "blocks", "attachments", "metadata"):
            if key in args:
                message[key] = args[key]
        if "markdown_text" in args:
            message["text"] = args["markdown_text"]
        message["edited"] = {"user": self.bot_user_id, "ts": self._next_ts()}
        return {
            "channel": conv.id,
            "ts": message["ts"],
            "text": message["text"],
            "message": copy.deepcopy(message),
        }

    def _chat_delete(self, args: JSONDict) -> JSONDict:
        conv = self._conversation(args["channel"], posting=True)
        message = self._find_message(conv.id, args["ts"])
        if message.get("user") != self.bot_user_id:
            raise _SlackError("cant_delete_message", "[ERROR] the bot can only delete its own messages")
        self._messages[conv.id].remove(message)
        return {"channel": conv.id, "ts": message["ts"]}

    def _chat_post_ephemeral(self, args: JSONDict) -> JSONDict:
        conv = self._conversation(args["channel"], posting=True)
        user = self._known_user(args["user"])
        if user["id"] not in conv.members:
            raise _SlackError("user_not_in_channel", f"[ERROR] {user['id']} is not in {conv.id}")
        ts = self._next_ts()
        self._ephemerals.append(
            {
                "channel": conv.id,
                "user": user["id"],
                "text": args.get("text") or args.get("markdown_text") or "",
                "blocks": args.get("blocks"),
                "ts": ts,
                "thread_ts": args.get("thread_ts"),
            }
        )
        return {"message_ts": ts}

    def _chat_get_permalink(self, args: JSONDict) -> JSONDict:
        conv = self._conversation(args["channel"])
        message = self._find_message(conv.id, args["message_ts"])
        link = f"https://{self.team_domain}.slack.com/archives/{conv.id}/p{message['ts'].replace('.', '')}"
        thread_ts = message.get("thread_ts")
        if thread_ts and thread_ts != message["ts"]:
            link += f"?thread_ts={thread_ts}&cid={conv.id}"
        return {"channel": conv.id, "permalink": link}

    def _chat_schedule_message(self, args: JSONDict) -> JSONDict:
        post_at = _int_arg(args, "post_at", 0)
        if post_at <= time.time():
            raise _SlackError("time_in_past", f"[ERROR] post_at {post_at} is in the past")
        conv = self._conversation(args["channel"], posting=True)
        message = self._new_message(args, self._next_ts())
        return {
            "channel": conv.id,
            "scheduled_message_id": self._new_id("Q"),
            "post_at": post_at,
            "message": message,
        }

    def _conversations_open(self, args: JSONDict) -> JSONDict:
        if args.get("channel"):
            conv = self._conversation(args["channel"])
            return {"no_op": True, "already_open": True, "channel": self._conversation_json(conv)}
        users = [u.strip() for u in str(args.get("users") or "").split(",") if u.strip()]
        if not users:
            raise _SlackError("users_list_not_supplied", "[ERROR] give users or channel")
        for user_id in users:
            self._known_user(user_id)
        if len(users) == 1:
            existed = f"D_{users[0]}" in self._conversations
            conv = self._im_for(users[0])
        else:
            cid = "G_" + "_".join(sorted(users))
            existed = cid in self._conversations
            if not existed:
                name = "mpdm-" + "--".join(self._users[u]["name"] for u in sorted(users)) + "-1"
                members = [*sorted(users), self.bot_user_id]
                self._conversations[cid] = _Conversation(cid, name, "mpim", members, int(time.time()))
            conv = self._conversations[cid]
        channel = self._conversation_json(conv) if _flag(args, "return_im") else {"id": conv.id}
        result: JSONDict = {"channel": channel}
        if existed:
            result.update(no_op=True, already_open=True)
        return result

    def _conversations_join(self, args: JSONDict) -> JSONDict:
        conv = self._conversations.get(str(args["channel"]))
        if conv is None:
            raise _SlackError("channel_not_found", f"[ERROR] no conversation {args['channel']!r}")
        if conv.kind != "public":
            raise _SlackError(
                "method_not_supported_for_channel_type", "[ERROR] bots can only join public channels"
            )
        result: JSONDict = {}
        if self.bot_user_id in conv.members:
            result = {
                "warning": "already_in_channel",
                "response_metadata": {"warnings": ["already_in_channel"]},
            }
        else:
            conv.members.append(self.bot_user_id)
        result["channel"] = self._conversation_json(conv)
        return result

    def _conversations_info(self, args: JSONDict) -> JSONDict:
        conv = self._conversation(args["channel"])
        return {"channel": self._conversation_json(conv, num_members=_flag(args, "include_num_members"))}

    def _conversations_members(self, args: JSONDict) -> JSONDict:
        conv = self._conversation(args["channel"])
        page, cursor = _page(conv.members, args)
        return {"members": page, "response_metadata": {"next_cursor": cursor}}

    def _history_view(self, message: JSONDict, include_metadata: bool) -> JSONDict:
        shown = copy.deepcopy(message)
        if not include_metadata:
            shown.pop("metadata", None)
        return shown

    def _conversations_history(self, args: JSONDict) -> JSONDict:
        conv = self._conversation(args["channel"])
        if conv.kind == "public" and self.bot_user_id not in conv.members:
            raise _SlackError("not_in_channel", f"[ERROR] the bot is not a member of #{conv.name}")
        oldest = _ts_micros(args.get("oldest") or "0")
        latest = _ts_micros(args["latest"]) if args.get("latest") else 1 << 62
        if oldest is None:
            raise _SlackError("invalid_ts_oldest", f"[ERROR] bad oldest {args.get('oldest')!r}")
        if latest is None:
            raise _SlackError("invalid_ts_latest", f"[ERROR] bad latest {args.get('latest')!r}")
        inclusive = _flag(args, "inclusive")
        selected = []
        for message in reversed(self._messages.get(conv.id, [])):
            thread_ts = message.get("thread_ts")
            if thread_ts and thread_ts != message["ts"] and message.get("subtype") != "thread_broadcast":
                continue  # replies live in conversations.replies
            ts = _ts_micros(message["ts"]) or 0
            if (oldest < ts < latest) or (inclusive and ts in (oldest, latest)):
                selected.append(message)
        page, cursor = _page(selected, args)
        include_metadata = _flag(args, "include_all_metadata")
        return {
            "messages": [self._history_view(m, include_metadata) for m in page],
            "has_more": bool(cursor),
            "pin_count": 0,
            "response_metadata": {"next_cursor": cursor},
        }

    def _conversations_replies(self, args: JSONDict) -> JSONDict:
        conv = self._conversation(args["channel"])
        ts = str(args["ts"])
        thread = [m for m in self._messages.get(conv.id, []) if m["ts"] == ts or m.get("thread_ts") == ts]
        if not thread:
            raise _SlackError("thread_not_found", f"[ERROR] no thread {ts!r} in {conv.id}")
        page, cursor = _page(thread, args, default_limit=1000)
        include_metadata = _flag(args, "include_all_metadata")
        return {
            "messages": [self._history_view(m, include_metadata) for m in page],
            "has_more": bool(cursor),
            "response_metadata": {"next_cursor": cursor},
        }

    def _conversations_list(self, args: JSONDict) -> JSONDict:
        types = {t.strip() for t in str(args.get("types") or "public_channel").split(",")}
        kinds = {"public_channel": "public", "private_channel": "private", "mpim": "mpim", "im": "im"}
        wanted = {kinds[t] for t in types if t in kinds}
        visible = [
            c
            for c in self._conversations.values()
            if c.kind in wanted and (c.kind == "public" or self.bot_user_id in c.members)
        ]
        page, cursor = _page(visible, args)
        return {
            "channels": [self._conversation_json(c) for c in page],
            "response_metadata": {"next_cursor": cursor},
        }

    def _users_info(self, args: JSONDict) -> JSONDict:
        user = self._known_user(args["user"])
        return {"user": self._user_json(user, include_locale=_flag(args, "include_locale"))}

    def _users_list(self, args: JSONDict) -> JSONDict:
        page, cursor = _page(list(self._users.values()), args, default_limit=200)
        include_locale = _flag(args, "include_locale")
        return {
            "members": [self._user_json(u, include_locale=include_locale) for u in page],
            "cache_ts": int(time.time()),
            "response_metadata": {"next_cursor": cursor},
        }

    def _build_view(
        self, spec: JSONDict, view_id: str, root_view_id: str | None, previous_view_id: str | None
    ) -> JSONDict:
        view: JSONDict = {
            "id": view_id,
            "team_id": self.team_id,
            "type": spec["type"],
            "blocks": spec.get("blocks", []),
            "private_metadata": spec.get("private_metadata", ""),
            "callback_id": spec.get("callback_id", ""),
            "state": {"values": {}},
            "hash": f"{int(time.time())}.{secrets.token_hex(4)}",
            "title": spec.get("title"),
            "clear_on_close": bool(spec.get("clear_on_close", False)),
            "notify_on_close": bool(spec.get("notify_on_close", False)),
            "close": spec.get("close"),
            "submit": spec.get("submit"),
            "previous_view_id": previous_view_id,
            "root_view_id": root_view_id or view_id,
            "app_id": self.app_id,
            "external_id": spec.get("external_id", ""),
            "app_installed_team_id": self.team_id,
            "bot_id": self.bot_id,
        }
        # Re-inserted so iteration order is "most recently shown last", like the user's screen.
        self._views.pop(view_id, None)
        self._views[view_id] = view
        return copy.deepcopy(view)

    def _check_trigger(self, args: JSONDict) -> None:
        if not (args.get("trigger_id") or args.get("interactivity_pointer")):
            raise _SlackError("invalid_arguments", "[ERROR] missing required field: trigger_id")

    def _check_external_id(self, spec: JSONDict, own_view_id: str | None = None) -> None:
        external_id = spec.get("external_id")
        if external_id and any(
            v["external_id"] == external_id and v["id"] != own_view_id for v in self._views.values()
        ):
            raise _SlackError(
                "duplicate_external_id", f"[ERROR] external_id {external_id!r} is already in use"
            )

    def _views_open(self, args: JSONDict) -> JSONDict:
        self._check_trigger(args)
        self._check_external_id(args["view"])
        view_id = self._new_id("V")
        self._modal_stack = [view_id]
        return {"view": self._build_view(args["view"], view_id, None, None)}

    def _views_push(self, args: JSONDict) -> JSONDict:
        self._check_trigger(args)
        if len(self._modal_stack) >= MAX_MODAL_STACK:
            raise _SlackError("push_limit_reached", f"[ERROR] at most {MAX_MODAL_STACK} views can be stacked")
        self._check_external_id(args["view"])
        view_id = self._new_id("V")
        root = self._modal_stack[0] if self._modal_stack else None
        previous = self._modal_stack[-1] if self._modal_stack else None
        self._modal_stack.append(view_id)
        return {"view": self._build_view(args["view"], view_id, root, previous)}

    def _views_update(self, args: JSONDict) -> JSONDict:
        if args.get("view_id"):
            current = self._views.get(str(args["view_id"]))
        elif args.get("external_id"):
            current = next((v for v in self._views.values() if v["external_id"] == args["external_id"]), None)
        else:
            raise _SlackError("invalid_arguments", "[ERROR] give view_id or external_id")
        if current is None:
            raise _SlackError("not_found", "[ERROR] no such view")
        if args.get("hash") and args["hash"] != current["hash"]:
            raise _SlackError("hash_conflict", "[ERROR] the view changed since this hash was issued")
        spec = args["view"]
        if spec["type"] != current["type"]:
            raise _SlackError("invalid_arguments", "[ERROR] a view cannot change its type")
        if "external_id" not in spec and current["external_id"]:
            spec = {**spec, "external_id": current["external_id"]}
        self._check_external_id(spec, current["id"])
        view = self._build_view(spec, current["id"], current["root_view_id"], current["previous_view_id"])
        if view["type"] == "home":
            owner = next((u for u, v in self._home_views.items() if v["id"] == view["id"]), None)
            if owner is not None:
                self._home_views[owner] = self._views[view["id"]]
        return {"view": view}

    def _views_publish(self, args: JSONDict) -> JSONDict:
        user = self._known_user(args["user_id"])
        current = self._home_views.get(user["id"])
        if args.get("hash") and current is not None and args["hash"] != current["hash"]:
            raise _SlackError("hash_conflict", "[ERROR] the home tab changed since this hash was issued")
        view_id = current["id"] if current is not None else self._new_id("V")
        view = self._build_view(args["view"], view_id, None, None)
        self._home_views[user["id"]] = self._views[view_id]
        return {"view": view}

    def _files_get_upload_url(self, args: JSONDict) -> JSONDict:
        length = _int_arg(args, "length", -1)
        if length < 0:
            raise _SlackError("invalid_arguments", "[ERROR] length must be a non-negative integer")
        file_id = self._new_id("F")
        self._pending_uploads[file_id] = _PendingUpload(
            file_id, str(args["filename"]), length, args.get("alt_txt")
        )
        return {"upload_url": f"{self.base_url}/upload/{file_id}", "file_id": file_id}

    def _files_complete_upload(self, args: JSONDict) -> JSONDict:
        entries = args["files"]
        if not isinstance(entries, list) or not all(isinstance(e, dict) and e.get("id") for e in entries):
            raise _SlackError(
                "invalid_arguments", '[ERROR] files must be a JSON list of {"id": …, "title": …}'
            )
        targets = [args["channel_id"]] if args.get("channel_id") else []
        targets += [c.strip() for c in str(args.get("channels") or "").split(",") if c.strip()]
        conversations = [self._conversation(t, posting=True) for t in targets]
        uploads = []
        for entry in entries:
            upload = self._pending_uploads.get(str(entry["id"]))
            if upload is None or upload.data is None:
                raise _SlackError("file_not_found", f"[ERROR] file {entry['id']!r} was never uploaded")
            uploads.append((entry, upload))
        created = int(time.time())
        file_objects = []
        for entry, upload in uploads:
            name = upload.filename
            mimetype = mimetypes.guess_type(name)[0] or "application/octet-stream"
            file_obj: JSONDict = {
                "id": upload.file_id,
                "created": created,
                "timestamp": created,
                "name": name,
                "title": entry.get("title") or name,
                "mimetype": mimetype,
                "filetype": name.rsplit(".", 1)[-1].lower() if "." in name else "binary",
                "user": self.bot_user_id,
                "user_team": self.team_id,
                "editable": False,
                "size": len(upload.data or b""),
                "mode": "hosted",
                "is_external": False,
                "is_public": any(c.kind == "public" for c in conversations),
                "url_private": f"{self.base_url}/files/{upload.file_id}/{name}",
                "url_private_download": f"{self.base_url}/files/{upload.file_id}/{name}",
                "permalink": f"https://{self.team_domain}.slack.com/files/{self.bot_user_id}/{upload.file_id}/{name}",
                "channels": [c.id for c in conversations if c.kind == "public"],
                "groups": [c.id for c in conversations if c.kind in ("private", "mpim")],
                "ims": [c.id for c in conversations if c.kind == "im"],
                "alt_txt": upload.alt_txt,
            }
            self._files[upload.file_id] = file_obj
            file_objects.append(file_obj)
        for conv in conversations:
            self._check_channel_rate(conv.id)
            message = self._new_message(
                {"text": args.get("initial_comment"), "blocks": args.get("blocks")}, self._next_ts()
            )
            message.update(files=copy.deepcopy(file_objects), upload=True, display_as_bot=False)
            self._store_message(conv, message, args.get("thread_ts"), False)
        return {"files": copy.deepcopy(file_objects)}

    def _files_info(self, args: JSONDict) -> JSONDict:
        file_obj = self._files.get(str(args["file"]))
        if file_obj is None:
            raise _SlackError("file_not_found", f"[ERROR] no file {args['file']!r}")
        return {"file": copy.deepcopy(file_obj), "comments": [], "response_metadata": {"next_cursor": ""}}

    def _files_upload_v1(self, args: JSONDict) -> JSONDict:
        raise _SlackError("method_deprecated", "[ERROR] files.upload is retired: use files_upload_v2")

    def _reaction_target(self, args: JSONDict) -> tuple[JSONDict, str]:
        conv = self._conversation(args["channel"])
        return self._find_message(conv.id, args["timestamp"]), str(args["name"])

    def _reactions_add(self, args: JSONDict) -> JSONDict:
        message, name = self._reaction_target(args)
        reactions: list[JSONDict] = message.setdefault("reactions", [])
        reaction = next((r for r in reactions if r["name"] == name), None)
        if reaction is None:
            reactions.append({"name": name, "users": [self.bot_user_id], "count": 1})
        elif self.bot_user_id in reaction["users"]:
            raise _SlackError("already_reacted", f"[ERROR] the bot already reacted with :{name}:")
        else:
            reaction["users"].append(self.bot_user_id)
            reaction["count"] += 1
        return {}

    def _reactions_remove(self, args: JSONDict) -> JSONDict:
        message, name = self._reaction_target(args)
        reactions: list[JSONDict] = message.get("reactions", [])
        reaction = next((r for r in reactions if r["name"] == name and self.bot_user_id in r["users"]), None)
        if reaction is None:
            raise _SlackError("no_reaction", f"[ERROR] the bot has no :{name}: reaction here")
        reaction["users"].remove(self.bot_user_id)
        reaction["count"] -= 1
        if not reaction["users"]:
            reactions.remove(reaction)
        return {}

    # ------------------------------------------------------------------ non-API endpoints

    def _handle_upload(self, file_id: str, body: bytes) -> _Reply:
        with self._cond:
            upload = self._pending_uploads.get(file_id)
            if upload is None:
                return _Reply.text(404, "upload_url_not_found")
            upload.data = body
            self._cond.notify_all()
        return _Reply.text(200, f"OK - {len(body)}")

    def _handle_download(self, route: str) -> _Reply:
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
