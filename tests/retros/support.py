"""What the retro tests share: the prompt as people see it, clicking its buttons and filling its forms."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ecombot.devtools.console import modal_values
from ecombot.devtools.driver import SlackDriver, buttons_in
from ecombot.devtools.fakeslack import FakeSlack
from tests.campaigns.support import CHANNEL, from_bot, texts


def shanghai(text: str) -> datetime:
    """An instant in Shanghai time (the demo workspace's zone)."""
    return datetime.fromisoformat(f"{text}+08:00")


def key_of(message: dict[str, Any]) -> str:
    """The outbox key a delivered message carries in its metadata."""
    return str(((message.get("metadata") or {}).get("event_payload") or {}).get("idempotency_key", ""))


def prompts(fake: FakeSlack, channel: str = CHANNEL) -> list[dict[str, Any]]:
    """The retro prompts in a channel (their current version: chat.update edits them in place)."""
    return [
        m
        for m in from_bot(fake, channel)
        if key_of(m).startswith("retros.prompt:") and key_of(m).count(":") == 1
    ]


def thread(fake: FakeSlack, parent: dict[str, Any], channel: str = CHANNEL) -> list[dict[str, Any]]:
    """The replies in a message's thread, oldest first."""
    return [
        m for m in fake.messages(channel) if m.get("thread_ts") == parent["ts"] and m["ts"] != parent["ts"]
    ]


def click(
    slack: SlackDriver,
    message: dict[str, Any],
    action_id: str,
    *,
    user: str,
    value: str = "",
    channel: str = CHANNEL,
) -> Any:
    """Click the button `action_id` (the one carrying `value`, when given) in a channel message."""
    found = [
        (b, e)
        for b, e in buttons_in(message["blocks"])
        if e["action_id"] == action_id and (not value or e.get("value") == value)
    ]
    assert found, f"no {action_id} button"
    block_id, element = found[0]
    result = slack.click(element, user=user, channel=channel, message=message, block_id=block_id)
    assert result.status == 200, result.text
    return result


def modal(fake: FakeSlack) -> dict[str, Any]:
    """The modal opened last."""
    modals = [v for v in fake.views.values() if v["type"] == "modal"]
    assert modals, "no modal was opened"
    return modals[-1]


def add(
    slack: SlackDriver,
    fake: FakeSlack,
    kind: str,
    text: str,
    *,
    user: str,
    extra: dict[str, str] | None = None,
    channel: str = CHANNEL,
) -> Any:
    """Click "Went well" / "To improve" / "Action item" on the latest prompt and send the form."""
    button = {"well": "retros.add_well", "improve": "retros.add_improve", "action": "retros.add_action"}[kind]
    click(slack, prompts(fake, channel)[-1], button, user=user, channel=channel)
    view = modal(fake)
    result = slack.submit(view, modal_values(view, {"text": text, **(extra or {})}), user=user)
    assert result.status == 200, result.text
    return result.json


def entry_ids(message: dict[str, Any]) -> dict[str, str]:
    """Vote buttons of a prompt: the entry's text -> its id."""
    out: dict[str, str] = {}
    for block in message["blocks"]:
        accessory = block.get("accessory") or {}
        if accessory.get("action_id") == "retros.vote":
            out[block["text"]["text"].lstrip("• ").split(" — ")[0]] = accessory["value"]
    return out


def last_ephemeral(fake: FakeSlack, user: str) -> str:
    """The text of the latest ephemeral message `user` saw (a form's answer)."""
    seen = [e for e in fake.ephemerals if e.get("user") == user]
    assert seen, f"nothing ephemeral for {user}"
    return texts(seen[-1])


def click_answer(fake: FakeSlack) -> str:
    """What the app answered the last click with (by its response_url)."""
    posts = fake.response_url_posts
    assert posts, "no answer to the click"
    return texts(posts[-1]["payload"])


__all__ = ["CHANNEL", "from_bot", "texts"]
