"""Answering: early from 18:00 the day before (then no prompt), last time's plan offered as
"yesterday", changes before the report, and a participant who joined after the day opened."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from ecombot.clock import FixedClock
from ecombot.config import Settings
from ecombot.devtools.driver import SlackDriver
from ecombot.devtools.fakeslack import FakeSlack
from tests.standups.support import (
    CHANNEL,
    answer_by_form,
    from_bot,
    modal,
    prompts,
    reports,
    shanghai,
    submit,
    texts,
    thread,
    utc,
)
from tests.support import run_due


def _config(slack: SlackDriver, clock: FixedClock) -> None:
    clock.set(shanghai("2026-11-23", "08:00"))
    result = slack.command("/standup config reminder:off", user="U_DEMO", channel=CHANNEL)
    assert "set up" in result.json["text"]


def test_answering_early_from_six_the_evening_before_means_no_prompt_the_next_morning(
    slack: SlackDriver, fake: FakeSlack, db: Engine, settings: Settings, clock: FixedClock
) -> None:
    _config(slack, clock)
    # Monday 17:59: still Monday's standup (late, after Monday's report).
    run_due(db, settings, fake, utc("2026-11-23", "03:00"))
    clock.set(shanghai("2026-11-23", "17:59"))
    slack.command("/standup answer", user="U_LI", channel=CHANNEL)
    assert "2026年11月23日" in texts(modal(fake))
    # Monday 18:00: answers are for Tuesday.
    clock.set(shanghai("2026-11-23", "18:00"))
    slack.command("/standup answer", user="U_LI", channel=CHANNEL)
    form = texts(modal(fake))
    assert "提前回答 2026年11月24日 的站会" in form
    submit(slack, fake, {"q0": "写周报", "q1": "上架新品", "q2": "无"}, user="U_LI")
    assert "2026年11月24日" in from_bot(fake, "U_LI")[-1]["text"]

    run_due(db, settings, fake, utc("2026-11-24", "01:30"))
    tuesday = "2026年11月24日"
    assert [p for p in prompts(fake, "U_LI") if tuesday in p["text"]] == []  # answered already: not asked
    assert [p for p in prompts(fake, "U_DEMO") if "Nov 24, 2026" in p["text"]] != []
    run_due(db, settings, fake, utc("2026-11-24", "03:00"))
    [report] = [r for r in reports(fake) if "11月24日" in r["text"]]
    assert "上架新品" in "\n".join(texts(m) for m in thread(fake, report))


def test_last_times_plan_is_offered_as_yesterday_and_changes_before_the_report_replace_the_answer(
    slack: SlackDriver, fake: FakeSlack, db: Engine, settings: Settings, clock: FixedClock
) -> None:
    _config(slack, clock)
    run_due(db, settings, fake, utc("2026-11-23", "01:30"))
    clock.set(shanghai("2026-11-23", "09:40"))
    answer_by_form(slack, fake, "U_DEMO", ["Planned", "Call the 3PL about returns", "none"])
    run_due(db, settings, fake, utc("2026-11-23", "03:00"))

    run_due(db, settings, fake, utc("2026-11-24", "01:30"))
    [_, tuesday] = prompts(fake, "U_DEMO")
    assert "Last time you planned: Call the 3PL about returns" in texts(tuesday)
    clock.set(shanghai("2026-11-24", "09:40"))
    slack.command("/standup answer", user="U_DEMO", channel=CHANNEL)
    prefilled = {
        b["block_id"]: b["element"].get("initial_value")
        for b in modal(fake)["blocks"]
        if b["type"] == "input"
    }
    assert prefilled == {"q0": "Call the 3PL about returns", "q1": None, "q2": None}
    submit(slack, fake, {"q1": "Draft the promo calendar", "q2": "Waiting for the 3PL"}, user="U_DEMO")
    # Changed before the report: the report shows the new answers only, with no mark.
    clock.set(shanghai("2026-11-24", "10:30"))
    answer_by_form(slack, fake, "U_DEMO", ["Called the 3PL", "Draft the promo calendar", "none"])
    run_due(db, settings, fake, utc("2026-11-24", "03:00"))
    [report] = [r for r in reports(fake) if "11月24日" in r["text"]]
    shown = "\n".join(texts(m) for m in [report, *thread(fake, report)])
    assert "Called the 3PL" in shown and "Waiting for the 3PL" not in shown
    assert report["text"].endswith("4 人中 1 人已回答 · 0 个阻碍")
    assert "迟交" not in shown and "更新" not in shown


def test_someone_who_joins_after_the_day_opened_is_asked_from_the_next_day(
    slack: SlackDriver, fake: FakeSlack, db: Engine, settings: Settings, clock: FixedClock
) -> None:
    fake.add_channel("C_DEMO", name="ops", members=("U_DEMO", "U_LI"))
    _config(slack, clock)
    run_due(db, settings, fake, utc("2026-11-24", "01:30"))  # the day opens: Demo and Li
    clock.set(shanghai("2026-11-24", "09:45"))
    assert slack.command("/standup join", user="U_SAM", channel=CHANNEL).status == 200
    run_due(db, settings, fake, utc("2026-11-24", "14:30"))  # Sam's 09:30 in New York
    assert prompts(fake, "U_SAM") == []
    run_due(db, settings, fake, utc("2026-11-25", "14:30"))
    assert len(prompts(fake, "U_SAM")) == 1


def test_two_standups_in_two_channels_ask_one_after_the_other_by_dm(
    slack: SlackDriver, fake: FakeSlack, db: Engine, settings: Settings, clock: FixedClock
) -> None:
    fake.add_channel("C_DEMO", name="ops", members=("U_DEMO", "U_LI"))
    fake.add_channel("C_MKT", name="marketing", members=("U_DEMO", "U_LI"))
    _config(slack, clock)
    assert (
        slack.command('/standup config questions:"Done?|Next?"', user="U_DEMO", channel="C_MKT").status == 200
    )
    run_due(db, settings, fake, utc("2026-11-24", "01:30"))
    assert len(prompts(fake, "U_LI")) == 2
    clock.set(shanghai("2026-11-24", "09:40"))
    # Replies answer the most recently asked standup first, then the other; each step says which.
    for text in ("a1", "a2"):
        slack.dm(text, user="U_LI")
    first_thanks = from_bot(fake, "U_LI")[-1]["text"]
    assert "<#C_MKT>" in first_thanks
    slack.dm("b1", user="U_LI")
    assert "<#C_DEMO>" in texts(from_bot(fake, "U_LI")[-1])
    for text in ("b2", "b3"):
        slack.dm(text, user="U_LI")
    assert "<#C_DEMO>" in from_bot(fake, "U_LI")[-1]["text"] and "谢谢" in from_bot(fake, "U_LI")[-1]["text"]
    run_due(db, settings, fake, utc("2026-11-24", "03:00"))
    mkt, ops = reports(fake, "C_MKT"), reports(fake, CHANNEL)
    assert "a2" in "\n".join(texts(m) for m in thread(fake, mkt[0], "C_MKT"))
    assert "b3" in "\n".join(texts(m) for m in thread(fake, ops[0]))
