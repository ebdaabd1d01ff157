"""Edges a real team meets: a DM days after a prompt, private channels, a reminder that would come
before the prompt, someone leaving mid-day, and a reminder read in another timezone."""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from ecombot.clock import FixedClock
from ecombot.config import Settings
from ecombot.devtools.driver import SlackDriver
from ecombot.devtools.fakeslack import FakeSlack
from ecombot.standups.models import Standup, StandupAnswer
from ecombot.tasks.models import Task
from tests.standups.support import (
    CHANNEL,
    answer_by_form,
    click,
    from_bot,
    prompts,
    reminders,
    reports,
    shanghai,
    texts,
    utc,
)
from tests.support import run_due


def _config(
    slack: SlackDriver, clock: FixedClock, line: str = "/standup config", channel: str = CHANNEL
) -> dict:
    clock.set(shanghai("2026-11-23", "08:00"))
    result = slack.command(line, user="U_DEMO", channel=channel)
    assert result.status == 200
    return result.json


def test_a_dm_days_after_the_prompt_is_not_taken_as_an_answer(
    slack: SlackDriver, fake: FakeSlack, db: Engine, settings: Settings, clock: FixedClock
) -> None:
    _config(slack, clock, "/standup config reminder:off")
    run_due(db, settings, fake, utc("2026-11-27", "01:30"))  # Friday's prompt, never answered
    clock.set(shanghai("2026-11-30", "08:00"))  # Monday, before Monday's prompt
    slack.dm("ok", user="U_LI")
    assert "`/standup answer`" in from_bot(fake, "U_LI")[-1]["text"]
    with Session(db) as s:
        [friday] = s.exec(select(StandupAnswer).where(StandupAnswer.user_id == "U_LI")).all()
    assert (friday.state, friday.answers) == ("asking", [])


def test_a_standup_in_a_private_channel_keeps_its_blockers_there(
    slack: SlackDriver, fake: FakeSlack, db: Engine, settings: Settings, clock: FixedClock
) -> None:
    fake.add_channel("C_SECRET", name="launch", is_private=True, members=("U_DEMO", "U_LI"))
    _config(slack, clock, "/standup config reminder:off", channel="C_SECRET")
    with Session(db) as s:
        [standup] = s.exec(select(Standup)).all()
    assert standup.private
    run_due(db, settings, fake, utc("2026-11-24", "01:30"))
    clock.set(shanghai("2026-11-24", "09:40"))
    answer_by_form(slack, fake, "U_LI", ["a", "b", "新品定价还没批下来"])
    run_due(db, settings, fake, utc("2026-11-24", "03:00"))
    [report] = reports(fake, "C_SECRET")
    click(slack, report, "standups.track", user="U_DEMO", channel="C_SECRET")
    with Session(db) as s:
        [task] = s.exec(select(Task)).all()
    assert "新品定价" not in task.title and "私有频道" in task.title and task.owner_id == "U_LI"
    assert task.source_url.startswith("https://demo-shop.slack.com/archives/C_SECRET/")
    # An ops lead's App Home does not show a private channel's standup they are not in.
    assert slack.command("/ecom settings lead add <@U_SAM|sam>", user="U_DEMO").status == 200
    slack.event({"type": "app_home_opened", "user": "U_SAM", "tab": "home"})
    assert "C_SECRET" not in str(fake.home_views.get("U_SAM", {}))


def test_setting_up_where_the_bot_cannot_see_says_how_to_fix_it(
    slack: SlackDriver, fake: FakeSlack, db: Engine, clock: FixedClock
) -> None:
    fake.add_channel("C_HIDDEN", name="hidden", is_private=True, members=("U_DEMO",), bot_is_member=False)
    _config(slack, clock, "/standup config", channel="C_HIDDEN")
    assert "`/invite @ecombot`" in from_bot(fake, "U_DEMO")[-1]["text"]
    # Slack's refusal of a channel the bot cannot see is what the app acted on: expected here.
    assert [(c.method, c.error) for c in fake.rejections] == [("conversations.info", "channel_not_found")]
    fake.clear()


def test_a_reminder_that_would_come_before_the_prompt_is_refused(
    slack: SlackDriver, db: Engine, clock: FixedClock
) -> None:
    reply = _config(slack, clock, "/standup config reminder:2h")
    assert "would come before the 09:30 prompt" in reply["text"]
    with Session(db) as s:
        assert s.exec(select(Standup)).all() == []


def test_someone_who_leaves_mid_day_gets_no_reminder_and_is_not_listed_as_missing(
    slack: SlackDriver, fake: FakeSlack, db: Engine, settings: Settings, clock: FixedClock
) -> None:
    fake.add_channel("C_DEMO", name="ops", members=("U_DEMO", "U_LI"))
    _config(slack, clock, "/standup config reminder:30m")
    run_due(db, settings, fake, utc("2026-11-24", "01:30"))
    clock.set(shanghai("2026-11-24", "09:50"))
    assert slack.command("/standup leave", user="U_LI", channel=CHANNEL).status == 200
    run_due(db, settings, fake, utc("2026-11-24", "02:30"))
    assert reminders(fake, "U_LI") == [] and len(reminders(fake, "U_DEMO")) == 1
    run_due(db, settings, fake, utc("2026-11-24", "03:00"))
    [report] = reports(fake)
    assert "<@U_LI>" not in texts(report) and "未回答：<@U_DEMO>" in texts(report)


def test_the_reminder_gives_the_report_time_in_the_readers_own_timezone(
    slack: SlackDriver, fake: FakeSlack, db: Engine, settings: Settings, clock: FixedClock
) -> None:
    fake.add_user("U_KEN", name="ken", tz="Asia/Tokyo")
    fake.add_channel("C_DEMO", name="ops", members=("U_DEMO", "U_KEN"))
    _config(slack, clock, "/standup config reminder:30m")
    run_due(db, settings, fake, utc("2026-11-24", "00:30"))  # 09:30 in Tokyo
    assert len(prompts(fake, "U_KEN")) == 1
    run_due(db, settings, fake, utc("2026-11-24", "02:30"))  # 10:30 Shanghai, 11:30 Tokyo
    [reminder] = reminders(fake, "U_KEN")
    assert "goes out at 12:00" in reminder["text"]
    [demo] = reminders(fake, "U_DEMO")
    assert "goes out at 11:00" in demo["text"]
