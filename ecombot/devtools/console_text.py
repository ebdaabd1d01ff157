"""What the console draws with: the emoji the app uses, the console's own words in Chinese, and how a
modal's fields are described and filled in (`modal_values` is also what the tests submit with)."""

from __future__ import annotations

import re
from typing import Any

# The emoji codes the app uses, shown as the characters Slack would draw.
EMOJI_NAMES = {
    "white_check_mark": "✅",
    "warning": "⚠️",
    "no_entry": "⛔",
    "leftwards_arrow_with_hook": "↩️",
    "bell": "🔔",
    "calendar": "📅",
    "chart_with_upwards_trend": "📈",
    "chart_with_downwards_trend": "📉",
    "moneybag": "💰",
    "rotating_light": "🚨",
    "memo": "📝",
    "tada": "🎉",
    "inbox_tray": "📥",
    "red_circle": "🔴",
    "repeat": "🔁",
    "arrow_right": "➡️",
    "wastebasket": "🗑️",
    "zzz": "💤",
    "sunrise": "🌅",
    "alarm_clock": "⏰",
    "construction": "🚧",
    "palm_tree": "🌴",
    "busts_in_silhouette": "👥",
    "page_facing_up": "📄",
    "hourglass": "⌛",
    "hourglass_flowing_sand": "⏳",
    "white_circle": "⚪",
    "large_orange_circle": "🟠",
    "ballot_box_with_ballot": "🗳️",
    "dart": "🎯",
    "money_with_wings": "💸",
    "checkered_flag": "🏁",
    "grey_question": "❔",
    "see_no_evil": "🙈",
    "fire_extinguisher": "🧯",
    "mag": "🔍",
    "test_tube": "🧪",
    "double_vertical_bar": "⏸️",
    "arrow_forward": "▶️",
    "stop_button": "⏹️",
    "wave": "👋",
    "x": "❌",
}
EMOJI = re.compile(r":([a-z0-9_+-]+):")

# The console's own words, for `ecombot demo --lang zh-CN` (the app's messages follow each reader's locale).
CHROME_ZH = {
    "message": "消息",
    "updated message": "更新的消息",
    "reply": "回复",
    "replaced reply": "替换的回复",
    "ephemeral": "仅对方可见",
    "in channel": "频道内",
    "only you": "仅你可见",
    "DM to": "私信给",
    "only": "仅",
    "clicked": "点击了",
    "now acting as": "现在的身份是",
    "file shared in": "文件分享到",
    "saved as": "已保存为",
    "App Home of": "主页：",
    "refreshed": "已刷新",
    "fired": "项任务运行",
    "sent": "条消息已发送",
    "at": "时间",
    "changes": "改动",
}


def element_label(element: dict[str, Any]) -> str:
    text = element.get("text") or element.get("placeholder") or {}
    return str(text.get("text", element.get("action_id", "?")))


def describe_input(block: dict[str, Any]) -> str:
    element = block.get("element", {})
    label = block.get("label", {}).get("text", "")
    initial = (
        element.get("initial_value")
        or element.get("initial_date")
        or element.get("initial_user")
        or (element.get("initial_option") or {}).get("value")
        or ""
    )
    optional = " (optional)" if block.get("optional") else ""
    shown = f" = {initial}" if initial else ""
    return f"  {label}{optional} [{element.get('action_id', block.get('block_id', ''))}]{shown}"


def modal_values(view: dict[str, Any], pairs: dict[str, str]) -> dict[str, dict[str, Any]]:
    """The `state.values` Slack would send for `view` with fields set from `pairs` (id or label)."""
    values: dict[str, dict[str, Any]] = {}
    for index, block in enumerate(view.get("blocks", [])):
        if block.get("type") != "input":
            continue
        element = block.get("element", {})
        block_id = block.get("block_id") or f"input{index}"
        action_id = element.get("action_id") or block_id
        label = block.get("label", {}).get("text", "")
        given = next((pairs[k] for k in (action_id, block_id, label) if k in pairs), None)
        values[block_id] = {action_id: element_state(element, given)}
    return values


def element_state(element: dict[str, Any], given: str | None) -> dict[str, Any]:
    kind = element.get("type", "plain_text_input")
    state: dict[str, Any] = {"type": kind}
    if kind == "datepicker":
        state["selected_date"] = given if given is not None else element.get("initial_date")
    elif kind == "users_select":
        state["selected_user"] = given if given is not None else element.get("initial_user")
    elif kind == "multi_users_select":
        state["selected_users"] = given.split(",") if given is not None else element.get("initial_users", [])
    elif kind == "conversations_select" or kind == "channels_select":
        key = "selected_conversation" if kind == "conversations_select" else "selected_channel"
        state[key] = given if given is not None else element.get("initial_conversation")
    elif kind in ("static_select", "radio_buttons"):
        options = element.get("options", [])
        chosen = next(
            (o for o in options if given is not None and given in (o["value"], o["text"]["text"])), None
        )
        state["selected_option"] = chosen or element.get("initial_option")
    elif kind == "timepicker":
        state["selected_time"] = given if given is not None else element.get("initial_time")
    elif kind == "checkboxes":
        options = element.get("options", [])
        wanted = set(given.split(",")) if given is not None else None
        state["selected_options"] = (
            [o for o in options if o["value"] in wanted]
            if wanted is not None
            else element.get("initial_options", [])
        )
    else:
        state["value"] = given if given is not None else element.get("initial_value")
    return state
