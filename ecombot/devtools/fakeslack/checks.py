"""Argument and content checks: the bundled ``slack_methods.json``, Block Kit and mrkdwn, argument readers."""

from __future__ import annotations

import base64
import functools
import json
from importlib.resources import files as resource_files
from typing import Any

from ecombot.devtools.blockkit import mrkdwn_problems, validate_blocks, validate_message_text, validate_view
from ecombot.devtools.fakeslack.model import JSONDict, _SlackError
from ecombot.devtools.fakeslack.state import FakeSlackState

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


@functools.cache
def slack_methods() -> dict[str, JSONDict]:
    """Return the Slack method reference bundled as ``ecombot/data/slack_methods.json``."""
    text = (resource_files("ecombot") / "data" / "slack_methods.json").read_text(encoding="utf-8")
    methods: dict[str, JSONDict] = json.loads(text)["methods"]
    return methods


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


class ChecksMixin(FakeSlackState):
    """Check a request's token, arguments and content the way Slack would before any handler runs."""

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
