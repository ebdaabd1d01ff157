"""User text never becomes markup: a task title full of Slack syntax, followed through every surface it
reaches (the reply, the card, the new owner's DM, the list, App Home, the 09:00 reminder, error
replies), as Slack would receive each of them."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from ecombot.config import Settings
from ecombot.devtools.driver import SlackDriver
from ecombot.devtools.fakeslack import FakeSlack
from ecombot.slack.text import decode_entities
from ecombot.tasks.models import Task
from tests.support import run_due

# What the person typed (as the driver hands it to Slack: @channel and links become Slack's markup,
# a typed "<b>" is escaped), what is stored, and what readers see.
NASTY = {
    "channel": ("Ping <!channel> now", "Ping @channel now", "Ping @channel now"),
    "here": ("Ping <!here> and <!everyone>", "Ping @here and @everyone", "Ping @here and @everyone"),
    "amp": ("R&D & QA", "R&D & QA", "R&D & QA"),
    "tag": ("Fix the <b> tag", "Fix the <b> tag", "Fix the <b> tag"),
    "link": (
        "See <https://evil.example|the brief>",
        "See the brief (https://evil.example)",
        "See the brief (https://evil.example)",
    ),
    "bold": ("*urgent* banner", "*urgent* banner", "∗urgent∗ banner"),
    "italic": ("_draft_ copy", "_draft_ copy", "ˍdraftˍ copy"),
    "strike": ("~old~ price", "~old~ price", "∼old∼ price"),
    "entity": ("literally &lt;b&gt;", "literally &lt;b&gt;", "literally &lt;b&gt;"),
}
SPECIAL = re.compile(r"<!(channel|here|everyone|subteam)")
LINK = re.compile(r"<(https?|mailto):")


def _mrkdwn_strings(payload: Any) -> list[str]:
    """Every mrkdwn string of a message or view: its `text`, and each mrkdwn text object."""
    found: list[str] = []
    if isinstance(payload, dict):
        if isinstance(payload.get("text"), str) and payload.get("type") in (None, "mrkdwn"):
            found.append(payload["text"])
        for value in payload.values():
            if isinstance(value, dict | list):
                found += _mrkdwn_strings(value)
    elif isinstance(payload, list):
        for item in payload:
            found += _mrkdwn_strings(item)
    return found


def _visible(mrkdwn: str) -> str:
    """Roughly what Slack shows: mentions as @id, entities decoded, invisible joiners gone."""
    return decode_entities(re.sub(r"<@([A-Z0-9_]+)>", r"@\1", mrkdwn)).replace("\u2060", "")


def _assert_safe(strings: list[str], shown: str, where: str) -> None:
    assert strings, f"nothing reached {where}"
    for text in strings:
        assert not SPECIAL.search(text), (where, text)
        assert not LINK.search(text), (where, text)
    assert any(shown in _visible(text) for text in strings), (where, shown, strings)


@pytest.mark.parametrize("case", sorted(NASTY))
def test_a_title_full_of_slack_syntax_is_shown_as_typed_everywhere_and_never_pings_or_links(
    case: str, slack: SlackDriver, fake: FakeSlack, db: Engine, settings: Settings
) -> None:
    typed, stored, shown = NASTY[case]
    reply = slack.command(f'/task add "{typed}" <@U_LI> due:today', user="U_DEMO").json
    with Session(db) as s:
        task = s.exec(select(Task)).one()
    # Stored as the plain text the person meant (special mentions and links made readable).
    assert task.title == stored
    _assert_safe(_mrkdwn_strings(reply), shown, "the reply")
    # Our own bold around the title still pairs: the title inside carries no marker that could close it.
    line = next(t for t in _mrkdwn_strings(reply["blocks"]) if t.startswith("`#1`"))
    title_part = line.split("`#1` *", 1)[1].split("* · ", 1)[0]
    assert not re.search(r"[*~`]", title_part), title_part

    dm = [m for m in fake.messages("U_LI") if "#1" in m["text"]]
    _assert_safe(_mrkdwn_strings(dm), shown, "the owner's DM")

    listed = slack.command("/task list all", user="U_DEMO").json
    _assert_safe(_mrkdwn_strings(listed), shown, "the list")

    slack.event({"type": "app_home_opened", "user": "U_LI", "channel": "D_U_LI", "tab": "home"})
    _assert_safe(_mrkdwn_strings(fake.home_views["U_LI"]), shown, "App Home")

    before = len(fake.messages("U_LI"))
    run_due(db, settings, fake, datetime.fromisoformat("2026-11-24T09:00:00+08:00"))
    reminder = fake.messages("U_LI")[before:]
    _assert_safe(_mrkdwn_strings(reminder), shown, "the reminder")

    refused = slack.command("/task done 1", user="U_SAM").json  # not Sam's: a refusal
    assert "Only the owner" in refused["text"]
    assert not SPECIAL.search(refused["text"]) and not LINK.search(refused["text"])


@pytest.mark.parametrize(
    ("line", "echoed"),
    [
        ('/ecom settings timezone "<b>&x"', "`&lt;b&gt;&amp;x`"),
        ("/task done <!channel>", "`@channel`"),
        ('/task add x due:"<https://evil.example|soon>"', "`soon (https://evil.example)`"),
        ('/task add "unclosed <b> & <!here>', '`"unclosed &lt;b&gt; &amp; @here`'),
    ],
    ids=["timezone", "task-number", "date", "quote"],
)
def test_errors_quote_what_was_typed_without_turning_it_into_markup(
    line: str, echoed: str, slack: SlackDriver, db: Engine
) -> None:
    reply = slack.command(line, user="U_DEMO").json
    text = reply["text"]
    assert echoed in text, text
    assert not SPECIAL.search(text) and not LINK.search(text) and "<b>" not in text, text
    # The user's text sits inside a code span, escaped; the usage line after it is ours.
    quoted = re.findall(r"`([^`]*)`", text)
    assert quoted, text
    for part in quoted:
        assert "<" not in part.replace("&lt;", ""), part
    with Session(db) as s:
        assert s.exec(select(Task)).all() == []


def test_a_title_of_mentions_and_ampersands_fits_every_surface(
    slack: SlackDriver, fake: FakeSlack, db: Engine
) -> None:
    # 300 characters (the limit) that grow when escaped: mentions stay, every & becomes &amp;.
    title = ("<@U_LI> & <@U_SAM> & " * 20)[:295].rstrip()
    for i in range(20):
        result = slack.command(f'/task add "{i} {title}" due:fri', user="U_DEMO")
        assert "Added task" in result.text, result.text
    listed = slack.command("/task list", user="U_DEMO").json
    assert "Showing 1–20 of 20." in str(listed)
    slack.event({"type": "app_home_opened", "user": "U_DEMO", "channel": "D_U_DEMO", "tab": "home"})
    assert "U_DEMO" in fake.home_views
    # A title over the limit is refused, and the refusal is plain words.
    too_long = slack.command(f'/task add "{title * 10}"', user="U_DEMO").json
    assert "Keep the title under 300 characters." in too_long["text"]
    with Session(db) as s:
        assert len(s.exec(select(Task)).all()) == 20
    # fake.rejections (checked by the fixture) stayed empty: every text fitted Slack's limits.


def test_a_message_with_markup_prefills_the_form_as_plain_text(
    slack: SlackDriver, fake: FakeSlack, db: Engine
) -> None:
    message = {
        "ts": "1700000000.000200",
        "user": "U_LI",
        "text": "Ask <@U_SAM|sam> about &lt;b&gt; tags &amp; <https://x.example|the brief>",
    }
    fake.add_message("C_DEMO", message)
    slack.message_shortcut("tasks.from_message", message, user="U_DEMO", channel="C_DEMO")
    view = [v for v in fake.views.values() if v["type"] == "modal"][-1]
    title = next(b for b in view["blocks"] if b.get("block_id") == "title")
    assert title["element"]["initial_value"] == "Ask @sam about <b> tags & the brief (https://x.example)"


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        (
            {
                "ts": "1700000000.000300",
                "bot_id": "B_ALERTS",
                "blocks": [
                    {"type": "section", "text": {"type": "mrkdwn", "text": "*Stock alert:* SKU-88 below 10"}},
                    {"type": "context", "elements": [{"type": "mrkdwn", "text": "warehouse &amp; shop"}]},
                ],
            },
            "*Stock alert:* SKU-88 below 10 warehouse & shop",
        ),
        (
            {
                "ts": "1700000000.000400",
                "user": "U_LI",
                "text": "",
                "files": [{"id": "F1", "name": "q4-plan.xlsx", "title": "Q4 plan"}],
            },
            "Q4 plan",
        ),
        (
            {
                "ts": "1700000000.000500",
                "user": "U_LI",
                "blocks": [
                    {
                        "type": "rich_text",
                        "elements": [
                            {
                                "type": "rich_text_section",
                                "elements": [
                                    {"type": "text", "text": "Restock "},
                                    {"type": "text", "text": "socks"},
                                ],
                            }
                        ],
                    }
                ],
            },
            "Restock socks",
        ),
    ],
    ids=["bot-blocks", "file-share", "rich-text"],
)
def test_a_message_without_text_prefills_the_form_from_its_blocks_or_files(
    message: dict[str, Any], expected: str, slack: SlackDriver, fake: FakeSlack
) -> None:
    fake.add_message("C_DEMO", message)
    slack.message_shortcut("tasks.from_message", message, user="U_DEMO", channel="C_DEMO")
    view = [v for v in fake.views.values() if v["type"] == "modal"][-1]
    title = next(b for b in view["blocks"] if b.get("block_id") == "title")
    assert title["element"]["initial_value"] == expected
