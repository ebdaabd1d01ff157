"""Block Kit builders that keep within Slack's limits by construction.

Text given to `mrkdwn`/`section`/`context` is mrkdwn the caller has already made safe (user text
through `text.esc`); it is cut without splitting an entity or a mention. `plain` takes plain text.
A message or view with more blocks than Slack allows raises instead of silently losing blocks.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from ecombot.slack.text import truncate as _truncate_mrkdwn
from ecombot.slack.text import truncate_plain

Block = dict[str, Any]
Message = dict[str, Any]

SECTION_TEXT_LIMIT = 3000
FIELD_LIMIT = 2000
HEADER_LIMIT = 150
BUTTON_LIMIT = 75
MESSAGE_BLOCK_LIMIT = 50
VIEW_BLOCK_LIMIT = 100
MODAL_TITLE_LIMIT = 24


# Rows of a list (a reminder, App Home): a click there answers below instead of replacing the list.
ROW_PREFIX = "row:"
# Room left in a section for lines joined by split_lines (a little under the 3,000 limit).
SECTION_BUDGET = 2900


class TooManyBlocks(ValueError):
    """A message or view was built with more blocks than Slack accepts."""


def plain(text: str, limit: int = SECTION_TEXT_LIMIT) -> dict[str, Any]:
    """A plain_text object."""
    return {"type": "plain_text", "text": truncate_plain(text, limit) or " ", "emoji": True}


def mrkdwn(text: str, limit: int = SECTION_TEXT_LIMIT) -> dict[str, Any]:
    """A mrkdwn text object."""
    return {"type": "mrkdwn", "text": _truncate_mrkdwn(text, limit)}


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
    """A message payload; `text` (mrkdwn) is the notification and screen-reader fallback."""
    payload: Message = {"text": _truncate_mrkdwn(text, 3000)}
    if blocks:
        if len(blocks) > MESSAGE_BLOCK_LIMIT:
            raise TooManyBlocks(f"a message has at most {MESSAGE_BLOCK_LIMIT} blocks (got {len(blocks)})")
        payload["blocks"] = blocks
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
        "blocks": check_view_size(blocks),
    }
    if submit:
        view["submit"] = plain(submit, MODAL_TITLE_LIMIT)
    if close:
        view["close"] = plain(close, MODAL_TITLE_LIMIT)
    if private_metadata:
        if len(private_metadata) > 3000:
            raise ValueError("private_metadata is longer than Slack's 3,000 characters")
        view["private_metadata"] = private_metadata
    return view


def check_view_size(blocks: list[Block]) -> list[Block]:
    """`blocks`, or TooManyBlocks when a modal or Home would hold more than 100."""
    if len(blocks) > VIEW_BLOCK_LIMIT:
        raise TooManyBlocks(f"a view has at most {VIEW_BLOCK_LIMIT} blocks (got {len(blocks)})")
    return blocks


def split_lines(lines: Iterable[str], budget: int = SECTION_BUDGET) -> list[str]:
    """Join mrkdwn lines into as few texts as fit one section each (a line too long alone is cut)."""
    chunks: list[str] = []
    current: list[str] = []
    size = 0
    for line in lines:
        if current and size + 1 + len(line) > budget:
            chunks.append("\n".join(current))
            current, size = [], 0
        current.append(line)
        size += len(line) + (1 if size else 0)
    if current:
        chunks.append("\n".join(current))
    return chunks


def sections(lines: Iterable[str], budget: int = SECTION_BUDGET) -> list[Block]:
    """Lines as consecutive sections, each under Slack's 3,000 characters."""
    return [section(chunk) for chunk in split_lines(lines, budget)]


def paginate(blocks: Sequence[Block], per_message: int = MESSAGE_BLOCK_LIMIT) -> list[list[Block]]:
    """Blocks spread over as many messages as Slack's 50-block limit needs."""
    return [list(blocks[i : i + per_message]) for i in range(0, len(blocks), per_message)] or [[]]


def option(text: str, value: str) -> dict[str, Any]:
    """An option of a select, radio or checkbox group."""
    return {"text": plain(text, 75), "value": value[:150]}


def input_block(
    block_id: str,
    label: str,
    element: dict[str, Any],
    *,
    optional: bool = False,
    hint: str = "",
    dispatch: bool = False,
) -> Block:
    """An input block of a form; read it back with `forms.FormValues`."""
    element = {"action_id": "value", **element}
    block: Block = {"type": "input", "block_id": block_id, "label": plain(label, 2000), "element": element}
    if optional:
        block["optional"] = True
    if hint:
        block["hint"] = plain(hint, 2000)
    if dispatch:
        block["dispatch_action"] = True
    return block


def encode_id(prefix: str, *parts: object) -> str:
    """A block or action id that carries values (`tasks.row:12`); read back with `decode_id`."""
    return ":".join([prefix, *(str(p) for p in parts)])[:255]


def decode_id(value: str, prefix: str) -> list[str] | None:
    """The parts after `prefix` in an id made by `encode_id`, or None when it is not one of those."""
    head, _, rest = value.partition(":")
    return rest.split(":") if head == prefix and rest else None
