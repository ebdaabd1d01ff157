"""What listeners read from Slack payloads, validated before any handler sees it.

Every value a payload carries (a button's value, a picked user, a date, a form's private metadata,
a permalink) is checked here: numbers in ASCII digits and in range, ids of the right shape, dates
that exist, JSON of the expected shape, https links to the workspace's own Slack, text without NUL.
A value that fails raises `BadValue`; the adapter answers with a clear message and writes nothing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any, TypeVar
from urllib.parse import urlsplit

from ecombot.errors import InvalidInput
from ecombot.slack.text import clean, from_slack

T = TypeVar("T")
MAX_NUMBER = 2_000_000_000  # below both databases' INTEGER limit
_DIGITS = re.compile(r"[0-9]{1,10}")
_USER_ID = re.compile(r"[UW][A-Z0-9_]{1,30}")
_CHANNEL_ID = re.compile(r"[CDG][A-Z0-9_]{1,30}")
_TEAM_ID = re.compile(r"T[A-Z0-9_]{1,30}")
_TS = re.compile(r"[0-9]{1,12}\.[0-9]{1,9}")
_HHMM = re.compile(r"(?:[01][0-9]|2[0-3]):[0-5][0-9]")


class BadValue(InvalidInput):
    """A payload value that cannot be used; refused like any other domain error, nothing written.

    `field` names the form input it came from, so a form shows the error next to it.
    """

    def __init__(self, part: object, *, field: str = "") -> None:
        shown = "" if part is None else str(part)[:80]
        super().__init__("bad_value" if shown.strip() else "missing_value", value=shown)
        self.field = field


def number(raw: object, *, low: int = 1, high: int = MAX_NUMBER) -> int:
    """A whole number written in ASCII digits within [low, high] (`²`, `①`, `1e3`, `-1` are not)."""
    text = raw if isinstance(raw, str) else ""
    if not _DIGITS.fullmatch(text) or not low <= int(text) <= high:
        raise BadValue(raw)
    return int(text)


def is_user_id(raw: object) -> bool:
    """True for a Slack user id (U…, W…)."""
    return isinstance(raw, str) and _USER_ID.fullmatch(raw) is not None


def user_id(raw: object, *, bot_user_id: str = "") -> str:
    """A Slack user id (not the bot's own)."""
    if not isinstance(raw, str) or not _USER_ID.fullmatch(raw) or raw == bot_user_id:
        raise BadValue(raw)
    return raw


def is_ts(raw: object) -> bool:
    """True for a Slack message timestamp (1700000000.000100)."""
    return isinstance(raw, str) and _TS.fullmatch(raw) is not None


def is_channel_id(raw: object) -> bool:
    """True for a Slack conversation id (C…, D…, G…)."""
    return isinstance(raw, str) and _CHANNEL_ID.fullmatch(raw) is not None


def channel_id(raw: object, *, empty: bool = False) -> str:
    """A Slack conversation id (`empty` admits "")."""
    if empty and raw in ("", None):
        return ""
    if not isinstance(raw, str) or not _CHANNEL_ID.fullmatch(raw):
        raise BadValue(raw)
    return raw


def iso_date(raw: object) -> date:
    """A date picked in a datepicker (YYYY-MM-DD, a real day between 2000 and 2100)."""
    if not isinstance(raw, str) or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", raw):
        raise BadValue(raw)
    try:
        value = date.fromisoformat(raw)
    except ValueError:
        raise BadValue(raw) from None
    if not date(2000, 1, 1) <= value <= date(2100, 12, 31):
        raise BadValue(raw)
    return value


def json_object(raw: object, *, limit: int = 3000) -> dict[str, Any]:
    """A JSON object (private metadata, a button's value); "" is an empty object."""
    if raw in ("", None):
        return {}
    if not isinstance(raw, str) or len(raw) > limit:
        raise BadValue(raw)
    try:
        value = json.loads(raw)
    except ValueError:
        raise BadValue(raw) from None
    if not isinstance(value, dict):
        raise BadValue(raw)
    return value


def text(raw: object, *, limit: int) -> str:
    """Free text typed in a form (plain text: Slack does not escape it), without control characters."""
    if raw is None:
        return ""
    if not isinstance(raw, str):
        raise BadValue(raw)
    return clean(raw).strip()[:limit]


def permalink(team_domain: str, channel: str, ts: str, thread_ts: str = "") -> str:
    """The https link to a message in the workspace's own Slack, built without asking Slack."""
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,60}", team_domain or ""):
        return ""
    if not _CHANNEL_ID.fullmatch(channel or "") or not _TS.fullmatch(ts or ""):
        return ""
    link = f"https://{team_domain}.slack.com/archives/{channel}/p{ts.replace('.', '')}"
    if thread_ts and thread_ts != ts and _TS.fullmatch(thread_ts):
        link += f"?thread_ts={thread_ts}&cid={channel}"
    return link


def is_workspace_link(url: str, team_domain: str) -> bool:
    """True for an https link into this workspace's Slack (what a stored permalink must be)."""
    parts = urlsplit(url)
    return (
        parts.scheme == "https"
        and parts.hostname == f"{team_domain}.slack.com"
        and parts.path.startswith("/archives/")
        and not parts.username
        and not parts.port
    )


def message_text(message: dict[str, Any]) -> str:
    """The readable text of a message: its `text`, else its blocks' text, else its files' names."""
    body = message.get("text")
    if isinstance(body, str) and body.strip():
        return " ".join(from_slack(body).split())
    found: list[str] = []
    for block in message.get("blocks") or []:
        if isinstance(block, dict):
            _collect_block_text(block, found)
    if not found:
        for item in message.get("files") or []:
            if isinstance(item, dict):
                name = item.get("title") or item.get("name")
                if isinstance(name, str) and name.strip():
                    found.append(clean(name))
    return " ".join(" ".join(found).split())


def _collect_block_text(node: Any, found: list[str]) -> None:
    # Section and context text, header text, and rich_text's nested "text" elements, in order.
    if isinstance(node, dict):
        kind = node.get("type")
        value = node.get("text")
        if isinstance(value, str) and kind in ("mrkdwn", "plain_text", "text"):
            found.append(from_slack(value) if kind == "mrkdwn" else clean(value))
        for key in ("text", "fields", "elements"):
            child = node.get(key)
            if isinstance(child, dict | list):
                _collect_block_text(child, found)
    elif isinstance(node, list):
        for item in node:
            _collect_block_text(item, found)


def _in_field(field: str, read: Callable[..., T], raw: object, **options: Any) -> T:
    """`read(raw)`, with a refusal tied to the form input it came from."""
    try:
        return read(raw, **options)
    except BadValue as exc:
        raise BadValue(raw, field=field) from exc


@dataclass(frozen=True)
class FormValues:
    """The submitted `state.values` of a form built with `blocks.input_block` (action id `value`)."""

    values: dict[str, Any] = field(default_factory=dict)

    def _element(self, block_id: str) -> dict[str, Any]:
        block = self.values.get(block_id)
        element = block.get("value") if isinstance(block, dict) else None
        return element if isinstance(element, dict) else {}

    def text(self, block_id: str, *, limit: int) -> str:
        """A plain_text_input's value."""
        return _in_field(block_id, text, self._element(block_id).get("value"), limit=limit)

    def option(self, block_id: str, allowed: tuple[str, ...], default: str = "") -> str:
        """A static_select's value, which must be one of `allowed`."""
        chosen = self._element(block_id).get("selected_option")
        if chosen is None:
            return default
        value = chosen.get("value") if isinstance(chosen, dict) else None
        if value not in allowed:
            raise BadValue(value, field=block_id)
        return str(value)

    def option_text(self, block_id: str, *, limit: int) -> str:
        """A static_select's value taken as free text (options made from earlier user input)."""
        chosen = self._element(block_id).get("selected_option")
        if chosen is None:
            return ""
        return _in_field(
            block_id, text, chosen.get("value") if isinstance(chosen, dict) else None, limit=limit
        )

    def user(self, block_id: str, *, bot_user_id: str = "") -> str:
        """A users_select's pick ("" when none)."""
        picked = self._element(block_id).get("selected_user")
        if picked in (None, ""):
            return ""
        return _in_field(block_id, user_id, picked, bot_user_id=bot_user_id)

    def conversation(self, block_id: str) -> str:
        """A conversations_select's pick, a channel id ("" when none)."""
        picked = self._element(block_id).get("selected_conversation")
        if picked in (None, ""):
            return ""
        return _in_field(block_id, channel_id, picked)

    def date(self, block_id: str) -> date | None:
        """A datepicker's date (None when none)."""
        picked = self._element(block_id).get("selected_date")
        return None if picked in (None, "") else _in_field(block_id, iso_date, picked)

    def users(self, block_id: str, *, bot_user_id: str = "", most: int = 500) -> list[str]:
        """A multi_users_select's picks, in order, without repeats (the bot left out)."""
        picked = self._element(block_id).get("selected_users")
        if picked is None:
            return []
        if not isinstance(picked, list) or len(picked) > most:
            raise BadValue(picked, field=block_id)
        chosen = [_in_field(block_id, user_id, raw) for raw in picked]
        return [u for u in dict.fromkeys(chosen) if u != bot_user_id]

    def options(self, block_id: str, allowed: tuple[str, ...]) -> list[str]:
        """Checkboxes' (or a multi_static_select's) values, each one of `allowed`."""
        chosen = self._element(block_id).get("selected_options")
        if chosen is None:
            return []
        if not isinstance(chosen, list):
            raise BadValue(chosen, field=block_id)
        values = [item.get("value") if isinstance(item, dict) else None for item in chosen]
        if any(value not in allowed for value in values):
            raise BadValue(values, field=block_id)
        return [str(value) for value in dict.fromkeys(values)]

    def time(self, block_id: str) -> time | None:
        """A timepicker's time (None when none)."""
        picked = self._element(block_id).get("selected_time")
        if picked in (None, ""):
            return None
        if not isinstance(picked, str) or not _HHMM.fullmatch(picked):
            raise BadValue(picked, field=block_id)
        hours, minutes = picked.split(":")
        return time(int(hours), int(minutes))


@dataclass(frozen=True)
class ActionInput:
    """One click: the element's value, the block it sits in, the message or view it came from."""

    action: dict[str, Any]
    block_id: str
    container: str  # message | view | home | ephemeral
    bot_user_id: str = ""
    channel: str = ""  # where the clicked message is (a channel or DM id)
    message_ts: str = ""
    team_domain: str = ""

    @property
    def value(self) -> str:
        """The clicked element's `value` ("" when it has none)."""
        raw = self.action.get("value")
        return raw if isinstance(raw, str) else ""


@dataclass(frozen=True)
class FormInput:
    """A submitted form: its values, its validated private metadata, its view."""

    values: FormValues
    metadata: dict[str, Any]
    view: dict[str, Any]
    bot_user_id: str = ""
    team_domain: str = ""


@dataclass(frozen=True)
class ShortcutInput:
    """A shortcut: for a message shortcut, the message's readable text, channel and permalink."""

    text: str = ""
    channel: str = ""
    permalink: str = ""


@dataclass(frozen=True)
class EventInput:
    """An Events API event, with the workspace it came from."""

    team_id: str
    event: dict[str, Any]
    now: datetime
    event_id: str = ""  # unique per event: a key for what handling it posts


def team_id_of(raw: object) -> str:
    """A workspace id (`T…`), or "" when the payload has none (an org-wide request)."""
    return raw if isinstance(raw, str) and _TEAM_ID.fullmatch(raw) else ""
