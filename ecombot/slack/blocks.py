"""Block Kit builders that keep within Slack's limits by construction."""

from __future__ import annotations

from typing import Any

Block = dict[str, Any]
Message = dict[str, Any]

SECTION_TEXT_LIMIT = 3000
FIELD_LIMIT = 2000
HEADER_LIMIT = 150
BUTTON_LIMIT = 75
MESSAGE_BLOCK_LIMIT = 50
VIEW_BLOCK_LIMIT = 100
MODAL_TITLE_LIMIT = 24


def truncate(text: str, limit: int) -> str:
    """`text` cut to `limit` characters, with an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def plain(text: str, limit: int = SECTION_TEXT_LIMIT) -> dict[str, Any]:
    """A plain_text object."""
    return {"type": "plain_text", "text": truncate(text, limit), "emoji": True}


def mrkdwn(text: str, limit: int = SECTION_TEXT_LIMIT) -> dict[str, Any]:
    """A mrkdwn text object."""
    return {"type": "mrkdwn", "text": truncate(text, limit)}


def header(text: str) -> Block:
    """A header block."""
    return {"type": "header", "text": plain(text, HEADER_LIMIT)}


def section(text: str, *, accessory: dict[str, Any] | None = None, block_id: str | None = None) -> Block:
    """A mrkdwn section."""
    block: Block = {"type": "section", "text": mrkdwn(text)}
    if accessory is not None:
        block["accessory"] = accessory
    if block_id:
        block["block_id"] = block_id
    return block


def fields(pairs: list[str]) -> Block:
    """A section of up to 10 mrkdwn fields."""
    return {"type": "section", "fields": [mrkdwn(p, FIELD_LIMIT) for p in pairs[:10]]}


def context(*texts: str) -> Block:
    """A context block of small grey text."""
    return {"type": "context", "elements": [mrkdwn(t) for t in texts[:10]]}


def divider() -> Block:
    """A divider."""
    return {"type": "divider"}


def button(
    text: str,
    action_id: str,
    value: str = "",
    *,
    style: str | None = None,
    confirm: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A button element."""
    element: dict[str, Any] = {"type": "button", "text": plain(text, BUTTON_LIMIT), "action_id": action_id}
    if value:
        element["value"] = value[:2000]
    if style:
        element["style"] = style
    if confirm:
        element["confirm"] = confirm
    return element


def actions(*elements: dict[str, Any], block_id: str | None = None) -> Block:
    """An actions block of up to 25 elements."""
    block: Block = {"type": "actions", "elements": list(elements[:25])}
    if block_id:
        block["block_id"] = block_id
    return block


def message(text: str, blocks: list[Block] | None = None) -> Message:
    """A message payload; `text` is the notification and screen-reader fallback."""
    payload: Message = {"text": truncate(text, 3000)}
    if blocks:
        payload["blocks"] = blocks[:MESSAGE_BLOCK_LIMIT]
    return payload


def ephemeral(text: str, blocks: list[Block] | None = None) -> Message:
    """A reply only the caller sees."""
    payload = message(text, blocks)
    payload["response_type"] = "ephemeral"
    return payload


def modal(
    title: str,
    blocks: list[Block],
    *,
    callback_id: str,
    submit: str | None = None,
    close: str | None = None,
    private_metadata: str = "",
) -> dict[str, Any]:
    """A modal view."""
    view: dict[str, Any] = {
        "type": "modal",
        "callback_id": callback_id,
        "title": plain(title, MODAL_TITLE_LIMIT),
        "blocks": blocks[:VIEW_BLOCK_LIMIT],
    }
    if submit:
        view["submit"] = plain(submit, MODAL_TITLE_LIMIT)
    if close:
        view["close"] = plain(close, MODAL_TITLE_LIMIT)
    if private_metadata:
        view["private_metadata"] = private_metadata[:3000]
    return view
