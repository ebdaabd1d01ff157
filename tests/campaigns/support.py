"""What the campaign tests share: running a command and reading what people see."""

from __future__ import annotations

from typing import Any

from ecombot.devtools.driver import SlackDriver
from ecombot.devtools.fakeslack import FakeSlack

CHANNEL = "C_DEMO"


def texts(message: dict[str, Any]) -> str:
    """Everything a message shows: its blocks' texts (sections, context, fields), or its fallback."""
    parts: list[str] = []
    for block in message.get("blocks") or []:
        if isinstance(block.get("text"), dict):
            parts.append(block["text"]["text"])
        parts.extend(e.get("text", "") for e in block.get("elements", []) if isinstance(e.get("text"), str))
        accessory = block.get("accessory") or {}
        if isinstance(accessory.get("text"), dict):
            parts.append(accessory["text"]["text"])
    return "\n".join(parts) if parts else str(message.get("text", ""))


def say(slack: SlackDriver, line: str, *, user: str = "U_DEMO", channel: str = CHANNEL) -> dict[str, Any]:
    """Run a slash command; the ephemeral answer riding on the ack."""
    result = slack.command(line, user=user, channel=channel)
    assert result.status == 200, result.text
    body = result.json
    assert isinstance(body, dict), result.text
    return body


def from_bot(fake: FakeSlack, user_or_channel: str) -> list[dict[str, Any]]:
    """What the bot posted in a DM (by user id) or a channel, oldest first, thread replies included."""
    return [m for m in fake.messages(user_or_channel) if m.get("bot_id")]
