"""Votes limited per person and hidden until the close; an anonymous retro keeps no author anywhere;
double clicks and repeated submissions change nothing; a 60-entry retro stays within Block Kit."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from ecombot.clock import FixedClock
from ecombot.devtools.console import modal_values
from ecombot.devtools.driver import SlackDriver, buttons_in
from ecombot.devtools.fakeslack import FakeSlack
from ecombot.retros.models import RetroEntry, RetroVote
from tests.campaigns.support import say
from tests.retros.support import add, click, click_answer, entry_ids, modal, prompts, texts, thread


@pytest.fixture(autouse=True)
def english_channel_posts(slack: SlackDriver) -> None:
    say(slack, "/ecom settings language en")


def test_votes_are_limited_taken_back_and_hidden_until_the_close(
    slack: SlackDriver, fake: FakeSlack, db: Engine, clock: FixedClock
) -> None:
    say(slack, "/retro now votes:2")
    for text in ("Slow refunds", "Late stock reports", "Too many meetings"):
        add(slack, fake, "improve", text, user="U_SAM")
    ids = entry_ids(prompts(fake)[-1])
    assert list(ids) == ["Slow refunds", "Late stock reports", "Too many meetings"]

    def vote(text: str, user: str) -> str:
        clock.set(clock.now() + timedelta(seconds=30))
        click(slack, prompts(fake)[-1], "retros.vote", user=user, value=ids[text])
        return click_answer(fake)

    assert "1 of 2 left" in vote("Slow refunds", "U_MIA")
    assert "0 of 2 left" in vote("Late stock reports", "U_MIA")
    assert "used your 2 votes" in vote("Too many meetings", "U_MIA")
    assert "taken back" in vote("Slow refunds", "U_MIA")  # a second click takes it back
    assert "0 of 2 left" in vote("Too many meetings", "U_MIA")
    assert "还剩 1/2 票" in vote("Late stock reports", "U_LI")  # each in their own language
    vote("Late stock reports", "U_DEMO")
    # A double click (two clicks within a moment) is one vote, not a vote taken back.
    click(slack, prompts(fake)[-1], "retros.vote", user="U_DEMO", value=ids["Late stock reports"])
    assert "Vote counted" in click_answer(fake)
    with Session(db) as s:
        assert len(list(s.exec(select(RetroVote)))) == 4
    # Nobody sees counts while it runs: early votes do not steer late ones.
    assert "votes*" not in texts(prompts(fake)[-1])
    say(slack, "/retro close")
    final = texts(prompts(fake)[-1])
    summary = texts(thread(fake, prompts(fake)[-1])[0])
    for shown in (final, summary):
        order = [shown.index(t) for t in ("Late stock reports", "Too many meetings", "Slow refunds")]
        assert order == sorted(order)
    assert "Late stock reports — <@U_SAM> — *3 votes*" in summary
    assert "Slow refunds — <@U_SAM> — *0 votes*" in summary
    # A closed retro takes no more votes: its buttons are gone.
    assert not any(e["action_id"] == "retros.vote" for _, e in buttons_in(prompts(fake)[-1]["blocks"]))


def _rows(db: Engine) -> dict[str, set[str]]:
    """Every row of every table, as text."""
    out: dict[str, set[str]] = {}
    with db.connect() as conn:
        for table in sa.inspect(conn).get_table_names():
            out[table] = {repr(tuple(row)) for row in conn.execute(sa.text(f'SELECT * FROM "{table}"'))}
    return out


def test_an_anonymous_retro_stores_no_author_anywhere(
    slack: SlackDriver, fake: FakeSlack, db: Engine
) -> None:
    say(slack, "/retro now anonymous:on")
    before = _rows(db)
    add(slack, fake, "well", "sauce-well: the new packaging", user="U_LI")
    add(slack, fake, "improve", "sauce-improve: the returns desk", user="U_LI")
    add(slack, fake, "action", "sauce-action: one returns owner", user="U_LI", extra={"owner": "U_SAM"})
    ids = entry_ids(prompts(fake)[-1])
    click(slack, prompts(fake)[-1], "retros.vote", user="U_LI", value=next(iter(ids.values())))
    assert "<@U_LI>" not in texts(prompts(fake)[-1])
    say(slack, "/retro close")
    after = _rows(db)
    new_rows = {table: rows - before.get(table, set()) for table, rows in after.items()}
    assert any("sauce-well" in row for row in new_rows["retro_entries"])
    leaks = [(table, row) for table, rows in new_rows.items() for row in rows if "U_LI" in row]
    assert leaks == [], leaks
    with Session(db) as s:
        entries = list(s.exec(select(RetroEntry)))
        assert {e.author_id for e in entries} == {""}
        assert all(e.created_at.time().isoformat() == "00:00:00" for e in entries)
    summary = texts(thread(fake, prompts(fake)[-1])[0])
    assert "sauce-well" in summary and "<@U_LI>" not in summary


def test_double_clicks_and_repeated_submissions_add_one_entry(
    slack: SlackDriver, fake: FakeSlack, db: Engine
) -> None:
    say(slack, "/retro now")
    click(slack, prompts(fake)[-1], "retros.add_well", user="U_LI")
    view = modal(fake)
    values = modal_values(view, {"text": "Fast replies"})
    for _ in range(3):  # the same form sent again (a double click on Add, Slack's retry)
        assert slack.submit(view, values, user="U_LI").status == 200
    with Session(db) as s:
        assert [e.text for e in s.exec(select(RetroEntry))] == ["Fast replies"]
    assert len(fake.calls_to("chat.update")) == 1


def _select_options(message: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        o
        for block in message["blocks"]
        if block["type"] == "actions"
        for e in block["elements"]
        if e.get("action_id") == "retros.vote_select"
        for o in e["options"]
    ]


def test_a_60_entry_retro_stays_within_block_kit_limits(
    slack: SlackDriver, fake: FakeSlack, db: Engine
) -> None:
    say(slack, "/retro now")
    long = "x" * 480
    for i in range(20):
        add(slack, fake, "well", f"well {i} {long}", user="U_LI")
    for i in range(25):
        add(slack, fake, "improve", f"improve {i} {long}", user="U_SAM")
    for i in range(15):
        add(slack, fake, "action", f"action {i} {long}", user="U_DEMO", extra={"owner": "U_MIA"})
    prompt = prompts(fake)[-1]
    assert len(prompt["blocks"]) <= 50
    assert all(len(b.get("text", {}).get("text", "")) <= 3000 for b in prompt["blocks"])
    # 25 "to improve" entries: one menu to vote from instead of 25 buttons.
    options = _select_options(prompt)
    assert len(options) == 25
    menu = next(
        e
        for b in prompt["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e.get("action_id") == "retros.vote_select"
    )
    picked = {**menu, "selected_option": options[3]}
    result = slack.click(picked, user="U_MIA", channel="C_DEMO", message=prompt)
    assert result.status == 200 and "Vote counted" in click_answer(fake)
    say(slack, "/retro close")
    summary = thread(fake, prompts(fake)[-1])
    # The summary holds every entry in full (the prompt shortened them to fit one message).
    shown = "\n".join(texts(m) for m in summary)
    assert all(
        f"{kind} {i} {long}" in shown
        for kind, n in (("well", 20), ("improve", 25), ("action", 15))
        for i in range(n)
    )
    assert all(len(m["blocks"]) <= 50 for m in summary)
    assert "improve 3 " + long + " — <@U_SAM> — *1 vote*" in shown
    assert len(prompts(fake)[-1]["blocks"]) <= 50
    with Session(db) as s:
        assert len(list(s.exec(select(RetroEntry)))) == 60
