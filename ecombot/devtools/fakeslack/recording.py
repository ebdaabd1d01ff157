"""The test surface: the users and channels, injected failures and delays, what was recorded."""

from __future__ import annotations

import copy
import secrets
import time
from collections import deque
from collections.abc import Callable, Collection
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from ecombot.devtools.fakeslack.model import (
    Call,
    JSONDict,
    _Conversation,
    _Injection,
    _PendingUpload,
    _ResponseUrl,
)
from ecombot.devtools.fakeslack.state import FakeSlackState


class RecordingMixin(FakeSlackState):
    """Set up the workspace, inject failures and delays, and read back what the fake recorded."""

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

    # ------------------------------------------------------------------ recording

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

    def _take_injection(self, method: str) -> _Injection | None:
        queue = self._injections.get(method)
        if not queue:
            return None
        injection = queue[0]
        injection.remaining -= 1
        if injection.remaining <= 0:
            queue.popleft()
        return injection
