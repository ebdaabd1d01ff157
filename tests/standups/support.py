"""What the standup tests share: reading what people were sent, clicking and answering as they would."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ecombot.devtools.console import modal_values
from ecombot.devtools.driver import SlackDriver, buttons_in
from ecombot.devtools.fakeslack import FakeSlack

CHANNEL = "C_DEMO"


def shanghai(day: str, hhmm: str) -> datetime:
    """An instant given in Shanghai time."""
    return datetime.fromisoformat(f"{day}T{hhmm}:00+08:00")


def utc(day: str, hhmm: str) -> datetime:
    """An instant given in UTC."""
    return datetime.fromisoformat(f"{day}T{hhmm}:00+00:00")


def texts(message: dict[str, Any]) -> str:
    """Everything a message shows: its blocks' texts, or its fallback text."""
    parts: list[str] = []
    for block in message.get("blocks") or []:
        if isinstance(block.get("text"), dict):
            parts.append(block["text"]["text"])
        parts.extend(e.get("text", "") for e in block.get("elements", []) if isinstance(e.get("text"), str))
    return "\n".join(parts) if parts else str(message.get("text", ""))


def from_bot(fake: FakeSlack, user_or_channel: str) -> list[dict[str, Any]]:
    """What the bot posted in a DM (by user id) or a channel, oldest first, thread replies included."""
    return [m for m in fake.messages(user_or_channel) if m.get("bot_id")]


def prompts(fake: FakeSlack, user: str) -> list[dict[str, Any]]:
    """The standup prompts a user got (they carry the first question, `*1/n*`)."""
    return [m for m in from_bot(fake, user) if "*1/" in m["text"] and _has(m, "standups.skip")]


def reminders(fake: FakeSlack, user: str) -> list[dict[str, Any]]:
    """The standup reminders a user got."""
    return [m for m in from_bot(fake, user) if m["text"].startswith(":alarm_clock:")]


def key_of(message: dict[str, Any]) -> str:
    """The outbox key a delivered message carries in its metadata."""
    return str(((message.get("metadata") or {}).get("event_payload") or {}).get("idempotency_key", ""))


def reports(fake: FakeSlack, channel: str = CHANNEL) -> list[dict[str, Any]]:
    """The standup reports in a channel (their first messages: `standups.report:<id>:<day>`)."""
    return [
        m
        for m in from_bot(fake, channel)
        if key_of(m).startswith("standups.report:") and key_of(m).count(":") == 2
    ]


def thread(fake: FakeSlack, parent: dict[str, Any], channel: str = CHANNEL) -> list[dict[str, Any]]:
    """The replies in a message's thread, oldest first."""
    return [
        m for m in fake.messages(channel) if m.get("thread_ts") == parent["ts"] and m["ts"] != parent["ts"]
    ]


def _has(message: dict[str, Any], action_id: str) -> bool:
    return any(e["action_id"] == action_id for _, e in buttons_in(message.get("blocks") or []))


def click(
    slack: SlackDriver, message: dict[str, Any], action_id: str, *, user: str, channel: str = ""
) -> None:
    """Click the button `action_id` in a message the user sees."""
    [(block_id, element)] = [(b, e) for b, e in buttons_in(message["blocks"]) if e["action_id"] == action_id]
    result = slack.click(
        element, user=user, channel=channel or f"D_{user}", message=message, block_id=block_id
    )
    assert result.status == 200, result.text


def modal(fake: FakeSlack) -> dict[str, Any]:
    """The modal opened last."""
    modals = [v for v in fake.views.values() if v["type"] == "modal"]
    assert modals, "no modal was opened"
    return modals[-1]


def submit(slack: SlackDriver, fake: FakeSlack, pairs: dict[str, str], *, user: str) -> Any:
    """Fill in the modal opened last and submit it; the ack's body (errors, if any)."""
    view = modal(fake)
    result = slack.submit(view, modal_values(view, pairs), user=user)
    assert result.status == 200, result.text
    return result.json


def answer_by_form(slack: SlackDriver, fake: FakeSlack, user: str, answers: list[str]) -> Any:
    """Open the answer form from the user's latest prompt or reminder, and send these answers."""
    message = [m for m in from_bot(fake, user) if _has(m, "standups.answer")][-1]
    click(slack, message, "standups.answer", user=user)
    return submit(slack, fake, {f"q{i}": text for i, text in enumerate(answers)}, user=user)
