"""Web API handlers for ``chat.*``: post, update, delete, ephemeral, permalink and schedule a message."""

from __future__ import annotations

import copy
import time

from ecombot.devtools.fakeslack.checks import _flag, _int_arg
from ecombot.devtools.fakeslack.model import JSONDict, _SlackError
from ecombot.devtools.fakeslack.state import FakeSlackState


class ChatMixin(FakeSlackState):
    """The ``chat.*`` methods."""

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
