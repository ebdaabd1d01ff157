"""Pure Block Kit validation: the limits Slack enforces, reported as human-readable problems.

Every problem names the offending place with a JSON pointer, the way Slack's own
``response_metadata.messages`` do (``[json-pointer:/blocks/3/text/text]``), so a failing test
points straight at the block that would have been rejected.
"""

from __future__ import annotations

import re
from typing import Any, Literal

Surface = Literal["message", "modal", "home"]

MAX_BLOCKS: dict[str, int] = {"message": 50, "modal": 100, "home": 100}
KNOWN_BLOCK_TYPES = frozenset(
    {
        "section",
        "divider",
        "header",
        "context",
        "actions",
        "input",
        "image",
        "rich_text",
        "markdown",
        "file",
        "video",
    }
)
TEXT_TYPES = frozenset({"plain_text", "mrkdwn"})
SELECT_TYPES = frozenset({"static_select", "multi_static_select"})
OPTION_LIST_TYPES = frozenset(
    {"static_select", "multi_static_select", "overflow", "radio_buttons", "checkboxes"}
)

MAX_SECTION_TEXT = 3000
MAX_SECTION_FIELDS = 10
MAX_FIELD_TEXT = 2000
MAX_HEADER_TEXT = 150
MAX_BUTTON_TEXT = 75
MAX_ID = 255
MAX_ACTIONS_ELEMENTS = 25
MAX_CONTEXT_ELEMENTS = 10
MAX_SELECT_OPTIONS = 100
MAX_OPTION_TEXT = 75
MAX_OPTION_VALUE = 150
MAX_INPUT_LABEL = 2000
MAX_PLACEHOLDER = 150
MAX_BUTTON_VALUE = 2000
MAX_URL = 3000
MAX_ALT_TEXT = 2000
MAX_VIEW_TITLE = 24
MAX_PRIVATE_METADATA = 3000
MAX_MESSAGE_TEXT = 40000
MAX_CONFIRM_TITLE = 100
MAX_CONFIRM_TEXT = 300
MAX_CONFIRM_BUTTON = 30
MAX_SNIPPET = 40

# Slack markup between "<" and ">" (neither may occur inside); anything else there is a raw "<" that
# should have been sent as "&lt;". Real ids are [A-Z0-9]; the underscore admits the fake's readable ids.
_LABEL = r"(?:\|[^<>]*)?"
_MARKUP = re.compile(
    "|".join(
        (
            r"@[UW][A-Z0-9_]+" + _LABEL,  # user mention
            r"#[CG][A-Z0-9_]+" + _LABEL,  # channel mention
            r"!(?:here|channel|everyone)" + _LABEL,  # special mention
            r"!subteam\^S[A-Z0-9_]+" + _LABEL,  # user group
            r"!date\^\d+\^[^^|<>]+(?:\^[^^|<>]+)?\|[^<>]+",  # date: token string, link, fallback
            r"(?i:https?://|mailto:|tel:|slack://)[^\s|<>]+" + _LABEL,  # link
        )
    )
)


def _snippet(text: str) -> str:
    return repr(text if len(text) <= MAX_SNIPPET else text[: MAX_SNIPPET - 1] + "…")


def mrkdwn_problems(text: str) -> list[str]:
    """Return the raw ``<`` in mrkdwn ``text`` that start no Slack markup (empty when fine).

    Slack wants ``&``, ``<`` and ``>`` sent as ``&amp;``, ``&lt;`` and ``&gt;`` unless they are
    markup (``<@U123>``, ``<#C123|ops>``, ``<!here>``, ``<!subteam^S123>``, ``<!date^…|…>``,
    ``<https://…|label>``, ``mailto:``, ``tel:``, ``slack://``).  Only ``<`` is reported: a raw ``>``
    reads as a blockquote marker and a raw ``&`` is shown as typed.
    """
    problems: list[str] = []
    start = text.find("<")
    while start != -1:
        close = text.find(">", start + 1)
        reopen = text.find("<", start + 1)
        if close == -1 or (reopen != -1 and reopen < close):
            problems.append(
                f"raw < at character {start} is never closed by > ({_snippet(text[start:])}):"
                " send a literal < as &lt;"
            )
            start = reopen
            continue
        if not _MARKUP.fullmatch(text, start + 1, close):
            problems.append(
                f"{_snippet(text[start : close + 1])} at character {start} is not Slack markup:"
                " send a literal < as &lt; and > as &gt;"
            )
        start = text.find("<", close + 1)
    return problems


class _Checker:
    """Accumulates problems while walking one message or view."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.block_ids: set[str] = set()

    def add(self, pointer: str, problem: str) -> None:
        self.problems.append(f"{problem} [json-pointer:{pointer}]")

    def max_len(self, pointer: str, value: Any, limit: int) -> None:
        if isinstance(value, str) and len(value) > limit:
            self.add(pointer, f"must be at most {limit} characters (got {len(value)})")

    def string(self, pointer: str, value: Any, limit: int, *, required: bool = False) -> None:
        if value is None:
            if required:
                self.add(pointer, "is required")
            return
        if not isinstance(value, str):
            self.add(pointer, f"must be a string (got {type(value).__name__})")
            return
        self.max_len(pointer, value, limit)

    def text_object(
        self, pointer: str, obj: Any, limit: int, *, plain_only: bool = False, required: bool = True
    ) -> None:
        if obj is None:
            if required:
                self.add(pointer, "is required")
            return
        if not isinstance(obj, dict):
            self.add(pointer, "must be a text object")
            return
        kind = obj.get("type")
        if kind not in TEXT_TYPES:
            self.add(f"{pointer}/type", f"must be one of plain_text, mrkdwn (got {kind!r})")
        elif plain_only and kind != "plain_text":
            self.add(f"{pointer}/type", "must be plain_text")
        text = obj.get("text")
        if not isinstance(text, str):
            self.add(f"{pointer}/text", "must be a string")
        elif not text:
            # Slack refuses empty text objects ("must be more than 0 characters").
            self.add(f"{pointer}/text", "must not be empty")
        else:
            self.max_len(f"{pointer}/text", text, limit)
            if kind == "mrkdwn":
                for problem in mrkdwn_problems(text):
                    self.add(f"{pointer}/text", problem)

    def confirm(self, pointer: str, dialog: Any) -> None:
        if not isinstance(dialog, dict):
            self.add(pointer, "must be a confirmation dialog object")
            return
        self.text_object(f"{pointer}/title", dialog.get("title"), MAX_CONFIRM_TITLE, plain_only=True)
        self.text_object(f"{pointer}/text", dialog.get("text"), MAX_CONFIRM_TEXT)
        for key in ("confirm", "deny"):
            self.text_object(f"{pointer}/{key}", dialog.get(key), MAX_CONFIRM_BUTTON, plain_only=True)

    def element(self, pointer: str, element: Any) -> None:
        if not isinstance(element, dict):
            self.add(pointer, "must be an object")
            return
        kind = element.get("type")
        if not isinstance(kind, str):
            self.add(f"{pointer}/type", "is required")
            return
        self.string(f"{pointer}/action_id", element.get("action_id"), MAX_ID)
        if kind == "button":
            self.text_object(f"{pointer}/text", element.get("text"), MAX_BUTTON_TEXT, plain_only=True)
            self.string(f"{pointer}/value", element.get("value"), MAX_BUTTON_VALUE)
            self.string(f"{pointer}/url", element.get("url"), MAX_URL)
        if "placeholder" in element:
            self.text_object(
                f"{pointer}/placeholder", element["placeholder"], MAX_PLACEHOLDER, plain_only=True
            )
        if "confirm" in element:
            self.confirm(f"{pointer}/confirm", element["confirm"])
        if kind in OPTION_LIST_TYPES:
            self.options(pointer, element, kind)
        if kind == "image":
            self.string(f"{pointer}/alt_text", element.get("alt_text"), MAX_ALT_TEXT, required=True)

    def options(self, pointer: str, element: dict[str, Any], kind: str) -> None:
        options = element.get("options")
        groups = element.get("option_groups")
        if kind in SELECT_TYPES and options is None and groups is None:
            self.add(pointer, f"{kind} needs options or option_groups")
        all_options: list[tuple[str, Any]] = []
        if options is not None:
            if not isinstance(options, list):
                self.add(f"{pointer}/options", "must be a list")
            else:
                if len(options) > MAX_SELECT_OPTIONS:
                    self.add(
                        f"{pointer}/options",
                        f"must have at most {MAX_SELECT_OPTIONS} items (got {len(options)})",
                    )
                all_options += [(f"{pointer}/options/{i}", o) for i, o in enumerate(options)]
        if isinstance(groups, list):
            for g, group in enumerate(groups):
                group_options = group.get("options") if isinstance(group, dict) else None
                if isinstance(group_options, list):
                    all_options += [
                        (f"{pointer}/option_groups/{g}/options/{i}", o) for i, o in enumerate(group_options)
                    ]
        for opt_pointer, option in all_options:
            if not isinstance(option, dict):
                self.add(opt_pointer, "must be an option object")
                continue
            self.text_object(f"{opt_pointer}/text", option.get("text"), MAX_OPTION_TEXT)
            if "description" in option:
                self.text_object(f"{opt_pointer}/description", option["description"], MAX_OPTION_TEXT)
            self.string(f"{opt_pointer}/value", option.get("value"), MAX_OPTION_VALUE)

    def block(self, pointer: str, block: Any) -> None:
        if not isinstance(block, dict):
            self.add(pointer, "must be a block object")
            return
        kind = block.get("type")
        if kind not in KNOWN_BLOCK_TYPES:
            self.add(f"{pointer}/type", f"unknown block type {kind!r}")
            return
        block_id = block.get("block_id")
        self.string(f"{pointer}/block_id", block_id, MAX_ID)
        if isinstance(block_id, str):
            if block_id in self.block_ids:
                self.add(f"{pointer}/block_id", f"duplicate block_id {block_id!r}")
            self.block_ids.add(block_id)
        if kind == "section":
            self.section(pointer, block)
        elif kind == "header":
            self.text_object(f"{pointer}/text", block.get("text"), MAX_HEADER_TEXT, plain_only=True)
        elif kind == "context":
            self.context(pointer, block)
        elif kind == "actions":
            self.actions(pointer, block)
        elif kind == "input":
            self.text_object(f"{pointer}/label", block.get("label"), MAX_INPUT_LABEL, plain_only=True)
            if "hint" in block:
                self.text_object(f"{pointer}/hint", block["hint"], MAX_INPUT_LABEL, plain_only=True)
            if "element" not in block:
                self.add(f"{pointer}/element", "is required")
            else:
                self.element(f"{pointer}/element", block["element"])
        elif kind == "image":
            self.string(f"{pointer}/alt_text", block.get("alt_text"), MAX_ALT_TEXT, required=True)
            if "title" in block:
                self.text_object(f"{pointer}/title", block["title"], MAX_ALT_TEXT, plain_only=True)

    def section(self, pointer: str, block: dict[str, Any]) -> None:
        text = block.get("text")
        fields = block.get("fields")
        if text is None and fields is None:
            self.add(pointer, "section needs text or fields")
        self.text_object(f"{pointer}/text", text, MAX_SECTION_TEXT, required=False)
        if fields is not None:
            if not isinstance(fields, list):
                self.add(f"{pointer}/fields", "must be a list")
            else:
                if len(fields) > MAX_SECTION_FIELDS:
                    self.add(
                        f"{pointer}/fields",
                        f"must have at most {MAX_SECTION_FIELDS} items (got {len(fields)})",
                    )
                for i, field in enumerate(fields):
                    self.text_object(f"{pointer}/fields/{i}", field, MAX_FIELD_TEXT)
        if "accessory" in block:
            self.element(f"{pointer}/accessory", block["accessory"])

    def context(self, pointer: str, block: dict[str, Any]) -> None:
        elements = block.get("elements")
        if not isinstance(elements, list) or not elements:
            self.add(f"{pointer}/elements", "must be a non-empty list")
            return
        if len(elements) > MAX_CONTEXT_ELEMENTS:
            self.add(
                f"{pointer}/elements", f"must have at most {MAX_CONTEXT_ELEMENTS} items (got {len(elements)})"
            )
        for i, element in enumerate(elements):
            if isinstance(element, dict) and element.get("type") == "image":
                self.element(f"{pointer}/elements/{i}", element)
            else:
                self.text_object(f"{pointer}/elements/{i}", element, MAX_SECTION_TEXT)

    def actions(self, pointer: str, block: dict[str, Any]) -> None:
        elements = block.get("elements")
        if not isinstance(elements, list) or not elements:
            self.add(f"{pointer}/elements", "must be a non-empty list")
            return
        if len(elements) > MAX_ACTIONS_ELEMENTS:
            self.add(
                f"{pointer}/elements", f"must have at most {MAX_ACTIONS_ELEMENTS} items (got {len(elements)})"
            )
        for i, element in enumerate(elements):
            self.element(f"{pointer}/elements/{i}", element)

    def blocks(self, pointer: str, blocks: Any, surface: Surface) -> None:
        if not isinstance(blocks, list):
            self.add(pointer, "must be a list of blocks")
            return
        limit = MAX_BLOCKS[surface]
        if len(blocks) > limit:
            self.add(pointer, f"a {surface} may have at most {limit} blocks (got {len(blocks)})")
        for i, block in enumerate(blocks):
            self.block(f"{pointer}/{i}", block)


def validate_blocks(blocks: Any, *, surface: Literal["message", "modal", "home"]) -> list[str]:
    """Return the problems Slack would reject in a list of blocks (empty when fine)."""
    checker = _Checker()
    checker.blocks("/blocks", blocks, surface)
    return checker.problems


def validate_message_text(text: Any) -> list[str]:
    """Return the problems with a message's top-level ``text`` (empty when fine)."""
    checker = _Checker()
    checker.string("/text", text, MAX_MESSAGE_TEXT)
    return checker.problems


def validate_view(view: Any) -> list[str]:
    """Return the problems Slack would reject in a modal or home tab view (empty when fine)."""
    checker = _Checker()
    if not isinstance(view, dict):
        checker.add("/view", "must be a view object")
        return checker.problems
    kind = view.get("type")
    if kind not in ("modal", "home"):
        checker.add("/view/type", f"must be modal or home (got {kind!r})")
        return checker.problems
    blocks = view.get("blocks")
    if blocks is None:
        checker.add("/view/blocks", "is required")
    else:
        checker.blocks("/view/blocks", blocks, kind)
    if kind == "modal":
        checker.text_object("/view/title", view.get("title"), MAX_VIEW_TITLE, plain_only=True)
        for key in ("submit", "close"):
            if view.get(key) is not None:
                checker.text_object(f"/view/{key}", view[key], MAX_VIEW_TITLE, plain_only=True)
        has_inputs = isinstance(blocks, list) and any(
            isinstance(b, dict) and b.get("type") == "input" for b in blocks
        )
        if has_inputs and view.get("submit") is None:
            checker.add("/view/submit", "is required when the modal contains input blocks")
    checker.string("/view/private_metadata", view.get("private_metadata"), MAX_PRIVATE_METADATA)
    checker.string("/view/callback_id", view.get("callback_id"), MAX_ID)
    checker.string("/view/external_id", view.get("external_id"), MAX_ID)
    return checker.problems
