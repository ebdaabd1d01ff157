"""Reports of any size within Slack's limits (100 people, long answers: nothing cut, the rest in the
thread), and answers given after the report reaching it in both report modes."""

from __future__ import annotations

import random
import string

import pytest
from sqlalchemy.engine import Engine

from ecombot.clock import FixedClock
from ecombot.config import Settings
from ecombot.devtools.blockkit import validate_blocks, validate_message_text
from ecombot.devtools.driver import SlackDriver, buttons_in
from ecombot.devtools.fakeslack import FakeSlack
from ecombot.slack.text import esc
from tests.standups.support import (
    CHANNEL,
    answer_by_form,
    from_bot,
    modal,
    reports,
    shanghai,
    submit,
    texts,
    thread,
    utc,
)
from tests.support import run_due

BIG = "C_BIG"


def _words(rng: random.Random, length: int) -> str:
    """Text of about `length` characters in words (with some of the characters mrkdwn must escape)."""
    out: list[str] = []
    size = 0
    while size < length:
        word = "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(2, 9)))
        word = rng.choice([word, word, word, f"<{word}>", f"{word}&co", f"*{word}*", "库存", "\n"])
        out.append(word)
        size += len(word) + 1
    return " ".join(out)[:length].strip()


def _flat(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize("mode", ["thread", "channel"])
def test_a_hundred_member_report_fits_slacks_limits_and_cuts_nothing(
    mode: str, slack: SlackDriver, fake: FakeSlack, db: Engine, settings: Settings, clock: FixedClock
) -> None:
    people = [f"U_P{i:03d}" for i in range(100)]
    for user in people:
        fake.add_user(user, name=user.lower(), tz="Asia/Shanghai")
    fake.add_channel(BIG, name="big-ops", members=("U_DEMO", *people))
    clock.set(shanghai("2026-11-23", "18:30"))
    slack.command("/standup setup", user="U_DEMO", channel=BIG)
    submit(slack, fake, {"participants": ",".join(people), "mode": mode, "reminder": "off"}, user="U_DEMO")

    rng = random.Random(7)
    given: dict[str, list[str]] = {}
    run_due(db, settings, fake, utc("2026-11-24", "01:30"))
    for index, user in enumerate(people):
        if index % 10 == 9:
            continue  # ten people do not answer
        long = index < 4  # a few write at length, up to what the form takes
        answers = [
            _words(rng, 2990 if long else 120),
            _words(rng, 2990 if long else 80),
            _words(rng, 2990 if long else 60) if index % 2 == 0 else "none",
        ]
        clock.set(shanghai("2026-11-24", "09:45"))
        answer_by_form(slack, fake, user, answers)
        given[user] = answers
    run_due(db, settings, fake, utc("2026-11-24", "03:00"))

    [report] = reports(fake, BIG)
    messages = [report, *thread(fake, report, BIG)]
    for message in messages:
        assert validate_blocks(message["blocks"], surface="message") == []
        assert validate_message_text(message["text"]) == []
        assert len(message["blocks"]) <= 50
    assert report["text"].endswith("100 人中 90 人已回答 · 50 个阻碍")
    everything = _flat("\n".join(texts(m) for m in messages))
    # Every word of every answer is in the report or its thread, escaped, in order: nothing cut.
    for user, answers in given.items():
        for text in answers:
            if text != "none":
                assert _flat(esc(text)) in everything, (user, text[:40])
    # 50 blockers, each with its Track as task button, in the channel message and its continuations.
    tracks = [e for m in messages for _, e in buttons_in(m["blocks"]) if e["action_id"] == "standups.track"]
    assert len(tracks) == 50
    # 50 blockers and the lists do not fit one message: the report goes on in its thread.
    continued = [m for m in messages[1:] if "（续）" in m["text"]]
    assert continued and len(report["blocks"]) > 40
    # Blockers come first: the first blocker precedes everyone's answers.
    first_blocker = _flat(esc(given["U_P000"][2]))[:50]
    first_answer = _flat(esc(given["U_P001"][0]))[:50]
    assert everything.index(first_blocker) < everything.index(first_answer)
    missing = "未回答：" + ", ".join(f"<@{u}>" for u in people if u not in given)
    assert _flat(missing) in everything
    if mode == "thread":
        member_replies = [m for m in messages[1:] if m["text"].startswith("<@")]
        assert len({m["text"] for m in member_replies}) == 90  # one reply (or more) per member
    else:
        assert all(not m["text"].startswith("<@U_P") for m in messages)


def _one_standup_day(
    slack: SlackDriver, fake: FakeSlack, db: Engine, settings: Settings, clock: FixedClock, mode: str
) -> dict:
    clock.set(shanghai("2026-11-23", "18:30"))
    config = f'/standup config mode:{mode} reminder:off questions:"Yesterday?|Today?|!Blockers?"'
    assert slack.command(config, user="U_DEMO", channel=CHANNEL).status == 200
    run_due(db, settings, fake, utc("2026-11-24", "01:30"))
    clock.set(shanghai("2026-11-24", "09:50"))
    answer_by_form(slack, fake, "U_DEMO", ["Planned the sale", "Brief <design>", "Waiting on legal"])
    run_due(db, settings, fake, utc("2026-11-24", "03:00"))
    [report] = reports(fake)
    return report


def test_a_late_answer_edits_a_channel_mode_report_in_place(
    slack: SlackDriver, fake: FakeSlack, db: Engine, settings: Settings, clock: FixedClock
) -> None:
    report = _one_standup_day(slack, fake, db, settings, clock, "channel")
    assert "Planned the sale" in texts(report) and "Brief &lt;design&gt;" in texts(report)
    assert "未回答：<@U_LI>" in texts(report)
    assert thread(fake, report) == []

    clock.set(shanghai("2026-11-24", "11:20"))
    slack.command("/standup answer", user="U_LI", channel="D_U_LI")
    assert "汇总已发布" in texts(modal(fake))  # the form says the answers will be late
    submit(slack, fake, {"q0": "回复客户咨询", "q1": "整理退货", "q2": "no"}, user="U_LI")
    [edited] = reports(fake)
    assert edited["ts"] == report["ts"] and "edited" in edited
    assert "*<@U_LI>*（迟交）" in texts(edited) and "回复客户咨询" in texts(edited)
    assert "未回答" not in texts(edited)
    assert thread(fake, edited) == []  # channel mode: one message, edited in place
    assert [c.args["ts"] for c in fake.calls_to("chat.update")] == [report["ts"]]
    assert "标记为迟交" in from_bot(fake, "U_LI")[-1]["text"]

    # A change after the report edits it again (a new version, never a second message).
    clock.set(shanghai("2026-11-24", "11:40"))
    slack.command("/standup answer", user="U_LI", channel="D_U_LI")
    submit(slack, fake, {"q1": "整理退货，盘点库存"}, user="U_LI")
    [again] = reports(fake)
    assert "整理退货，盘点库存" in texts(again)
    assert len(fake.calls_to("chat.update")) == 2


def test_an_answer_changed_after_the_report_is_shown_as_updated(
    slack: SlackDriver, fake: FakeSlack, db: Engine, settings: Settings, clock: FixedClock
) -> None:
    report = _one_standup_day(slack, fake, db, settings, clock, "thread")
    clock.set(shanghai("2026-11-24", "11:30"))
    answer_by_form(slack, fake, "U_DEMO", ["Planned the sale", "Brief <design>", "Legal said yes"])
    reply = thread(fake, report)[-1]
    assert texts(reply).startswith("*<@U_DEMO>*（汇总后更新）") and "Legal said yes" in texts(reply)
    [updated] = reports(fake)
    assert "Legal said yes" in texts(updated) and "Waiting on legal" not in texts(updated)
    assert "迟交" not in texts(updated)  # on time before the report, still on time


def test_the_report_is_in_the_workspace_language_and_escapes_answers(
    slack: SlackDriver, fake: FakeSlack, db: Engine, settings: Settings, clock: FixedClock
) -> None:
    clock.set(shanghai("2026-11-23", "18:30"))
    changed = slack.command("/ecom settings language en", user="U_DEMO").json
    assert "en" in changed["text"], changed
    report = _one_standup_day(slack, fake, db, settings, clock, "thread")
    assert report["text"].startswith("Standup · ")
    shown = "\n".join(texts(m) for m in [report, *thread(fake, report)])
    assert "Brief &lt;design&gt;" in shown and "<design>" not in shown
