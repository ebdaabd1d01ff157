"""The state every ``FakeSlack`` mixin shares, declared, and the conversation, user and message helpers."""

from __future__ import annotations

import copy
import itertools
import math
import threading
import time
from collections import deque
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from ecombot.devtools.fakeslack.model import (
    Call,
    Handler,
    JSONDict,
    _Conversation,
    _Injection,
    _PendingUpload,
    _RateLimited,
    _ResponseUrl,
    _SlackError,
)

if TYPE_CHECKING:
    from ecombot.devtools.fakeslack.server import _Server

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


class FakeSlackState:
    """What every part of ``FakeSlack`` relies on: its state, and the helpers that read and change it."""

    # Set by FakeSlack.__init__ and RecordingMixin._reset_recordings; declared here so that each
    # mixin type-checks against the state it uses.
    team_id: str
    team_name: str
    team_domain: str
    bot_user_id: str
    bot_id: str
    bot_name: str
    app_id: str
    valid_tokens: frozenset[str] | None
    per_channel_rate: float | None
    _cond: threading.Condition
    _server: _Server | None
    _thread: threading.Thread | None
    _ids: itertools.count[int]
    _last_ts: int
    _users: dict[str, JSONDict]
    _conversations: dict[str, _Conversation]
    _handlers: dict[str, Handler]
    _calls: list[Call]
    _rejections: list[Call]
    _rate_limited: list[Call]
    _messages: dict[str, list[JSONDict]]
    _ephemerals: list[JSONDict]
    _views: dict[str, JSONDict]
    _home_views: dict[str, JSONDict]
    _modal_stack: list[str]
    _pending_uploads: dict[str, _PendingUpload]
    _files: dict[str, JSONDict]
    _response_urls: dict[str, _ResponseUrl]
    _response_url_posts: list[JSONDict]
    _injections: dict[str, deque[_Injection]]
    _delays: dict[str, float]
    _post_times: dict[str, deque[float]]
    _trigger_ids: set[str]

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
