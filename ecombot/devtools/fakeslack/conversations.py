"""Web API handlers for ``conversations.*`` and ``users.*``: channels, DMs, history and the members."""

from __future__ import annotations

import copy
import time

from ecombot.devtools.fakeslack.checks import _flag, _page, _ts_micros
from ecombot.devtools.fakeslack.model import JSONDict, _Conversation, _SlackError
from ecombot.devtools.fakeslack.state import FakeSlackState


class ConversationsMixin(FakeSlackState):
    """The ``conversations.*`` and ``users.*`` methods."""

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
