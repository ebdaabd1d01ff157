"""`/retro` as people type it: bad input names the bad part and writes nothing, roles are checked,
action items are listed across retros, past retros with links, campaign reviews from an evaluation,
and action items that are tasks get their reminders."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from ecombot.clock import FixedClock
from ecombot.config import Settings
from ecombot.devtools.driver import SlackDriver, buttons_in
from ecombot.devtools.fakeslack import FakeSlack
from ecombot.retros.models import Retro, RetroEntry, RetroSchedule
from ecombot.tasks.models import Task
from tests.campaigns.support import say
from tests.retros.support import (
    CHANNEL,
    add,
    click,
    click_answer,
    from_bot,
    prompts,
    shanghai,
    texts,
    thread,
)
from tests.support import run_due


@pytest.fixture(autouse=True)
def english_channel_posts(slack: SlackDriver) -> None:
    say(slack, "/ecom settings language en")


def _count(db: Engine) -> tuple[int, int, int]:
    with Session(db) as s:
        return tuple(  # type: ignore[return-value]
            int(s.execute(sa.select(sa.func.count()).select_from(model)).scalar_one())
            for model in (RetroSchedule, Retro, RetroEntry)
        )


@pytest.mark.parametrize(
    ("line", "named"),
    [
        ("/retro schedule someday 16:00", "`someday` is not a day of the week"),
        ("/retro schedule fri 25:00", "`25:00` is not a time of day"),
        ("/retro schedule fri 16:00 votes:0", "`votes:0` is not a whole number in range"),
        ("/retro schedule fri 16:00 votes:99", "`votes:99` is not a whole number in range"),
        ("/retro schedule fri 16:00 anonymous:maybe", "`anonymous:maybe` should be `on` or `off`"),
        ("/retro schedule fri 16:00 close:someday", "`close:someday` is not a day of the week"),
        ("/retro schedule fri 16:00 channel:ops", "`channel:ops` is not a channel"),
        ("/retro schedule fri 16:00 close:fri 16:00", "cannot close at the moment it opens"),
        ("/retro schedule fri 16:00 extra", "I did not expect `extra` here"),
        ("/retro now tomorrow", "I did not expect `tomorrow` here"),
        ("/retro actions someone", "`someone` is not a user mention"),
        ("/retro history lots", "`lots` is not a whole number in range"),
        ("/retro close", "No retro is open in <#C_DEMO>"),
        ("/retro off", "There is no weekly retro here"),
        ("/retro dance", "`dance` is not a subcommand I know"),
    ],
)
def test_bad_input_names_the_bad_part_and_writes_nothing(
    slack: SlackDriver, db: Engine, line: str, named: str
) -> None:
    before = _count(db)
    reply = say(slack, line)
    assert reply["response_type"] == "ephemeral" and named in texts(reply), texts(reply)
    assert _count(db) == before


def test_members_take_part_and_leads_schedule_and_close(
    slack: SlackDriver, fake: FakeSlack, db: Engine
) -> None:
    for line in ("/retro schedule", "/retro now", "/retro close", "/retro off"):
        assert "Only workspace admins and ops leads" in texts(say(slack, line, user="U_SAM")), line
    assert _count(db) == (0, 0, 0)
    assert "Use this in the channel" in texts(say(slack, "/retro now", channel="D_U_DEMO"))
    # Defaults: Friday 16:00, closing Monday 10:00, 3 votes; a second schedule changes it.
    assert "opens Fri 16:00, closes Mon 10:00" in texts(say(slack, "/retro schedule"))
    changed = texts(say(slack, "/retro schedule 周四 17:30 close:fri 12:00 anonymous:on votes:5"))
    assert "changed: opens Thu 17:30, closes Fri 12:00" in changed and "anonymous" in changed
    assert "5 votes each" in changed and "Next one: Thu Nov 26, 2026 17:30" in changed
    off = say(slack, "/retro off")
    assert "is off" in texts(off)
    [(block_id, undo)] = [(b, e) for b, e in buttons_in(off["blocks"]) if e["action_id"] == "retros.undo_off"]
    slack.click(undo, block_id=block_id, message=off, ephemeral=True)
    with Session(db) as s:
        [schedule] = s.exec(select(RetroSchedule))
        assert schedule.off_at is None and schedule.weekday == 3 and schedule.votes == 5
    # Anyone in the channel adds entries and votes; one retro at a time is open from /retro now.
    say(slack, "/retro now")
    assert "A retro is open in <#C_DEMO> already" in texts(say(slack, "/retro now"))
    assert _count(db)[1] == 1
    add(slack, fake, "improve", "Faster refunds", user="U_SAM")
    assert "Vote counted" in (
        click(slack, prompts(fake)[-1], "retros.vote", user="U_SAM") and click_answer(fake)
    )


def test_forms_refuse_bad_values_next_to_the_field(slack: SlackDriver, fake: FakeSlack, db: Engine) -> None:
    say(slack, "/retro now")
    answer = add(slack, fake, "action", "Fix returns", user="U_DEMO", extra={"check": "happiness>=3"})
    assert answer["response_action"] == "errors" and "`happiness` is not a KPI" in answer["errors"]["check"]
    answer = add(slack, fake, "action", "Fix returns", user="U_DEMO", extra={"check": "gmv>=lots"})
    assert "`lots` is not a value" in answer["errors"]["check"]
    answer = add(slack, fake, "action", "Fix returns", user="U_DEMO", extra={"due": "2026-11-01"})
    assert "in the past" in answer["errors"]["due"]
    answer = add(slack, fake, "well", "   ", user="U_DEMO")
    assert answer["response_action"] == "errors"
    with Session(db) as s:
        assert list(s.exec(select(RetroEntry))) == []
    # A button of a closed retro answers clearly and writes nothing.
    say(slack, "/retro close")
    closed_prompt = prompts(fake)[-1]
    say(slack, "/retro now")
    old = prompts(fake)[-2]
    assert old["ts"] == closed_prompt["ts"]
    assert not [e for _, e in buttons_in(old["blocks"]) if e["action_id"].startswith("retros.add")]


def test_action_items_across_retros_and_history_with_links(
    slack: SlackDriver, fake: FakeSlack, db: Engine, clock: FixedClock
) -> None:
    say(slack, "/retro now")
    add(slack, fake, "action", "Write the returns FAQ", user="U_DEMO", extra={"owner": "U_MIA"})
    add(
        slack,
        fake,
        "action",
        "Check the courier SLA",
        user="U_DEMO",
        extra={"owner": "U_DEMO", "due": "2026-11-25"},
    )
    say(slack, "/retro close")
    mine = texts(say(slack, "/retro actions"))
    assert "Check the courier SLA" in mine and "Write the returns FAQ" not in mine
    everyone = texts(say(slack, "/retro actions all"))
    assert everyone.index("Check the courier SLA") < everyone.index("Write the returns FAQ")  # by date
    assert "Write the returns FAQ" in texts(say(slack, "/retro actions <@U_MIA|mia>"))
    with Session(db) as s:
        task = next(t for t in s.exec(select(Task)) if t.title == "Check the courier SLA")
    say(slack, f"/task done {task.number}")
    assert "Check the courier SLA" not in texts(say(slack, "/retro actions all"))
    history = texts(say(slack, "/retro history"))
    ts = prompts(fake)[-1]["ts"].replace(".", "")
    assert f"https://demo.slack.com/archives/C_DEMO/p{ts}" in history or "/archives/C_DEMO/p" in history
    assert "2 action items, 1 done on time, 1 done" in history


def test_action_items_become_tasks_with_reminders(
    slack: SlackDriver, fake: FakeSlack, db: Engine, settings: Settings
) -> None:
    say(slack, "/retro schedule fri 16:00")
    say(slack, "/retro now")
    add(slack, fake, "action", "Audit the SKU photos", user="U_DEMO", extra={"owner": "U_MIA"})
    say(slack, "/retro close")
    with Session(db) as s:
        [task] = s.exec(select(Task))
    assert (task.owner_id, str(task.due_date)) == ("U_MIA", "2026-11-27")  # the next retro, Friday
    # Mia is in Berlin: her 09:00 reminder on the due date lists it.
    run_due(db, settings, fake, shanghai("2026-11-27T16:00:00"))  # 09:00 in Berlin
    assert any("Audit the SKU photos" in texts(m) for m in from_bot(fake, "U_MIA")[1:])


def test_a_campaign_close_leads_to_a_campaign_review(
    slack: SlackDriver, fake: FakeSlack, db: Engine, settings: Settings
) -> None:
    say(
        slack,
        "/campaign new 双十一 budget:10000 start:2026-11-01 end:2026-11-30 target_roas:4 target_revenue:30000",
    )
    say(slack, "/campaign log 双十一 date:2026-11-18 source:douyin spend:4500 revenue:15500 orders:30")
    say(slack, "/campaign close 双十一")
    [evaluation] = [m for m in from_bot(fake, CHANNEL) if "campaigns.review" in str(m.get("blocks"))]
    click(slack, evaluation, "campaigns.review", user="U_SAM")  # a member, not the owner
    assert "owner, admins and ops leads start its review" in click_answer(fake)
    click(slack, evaluation, "campaigns.review", user="U_DEMO")
    [review] = prompts(fake)
    body = texts(review)
    assert "Campaign review: 双十一" in body and "This week's evidence" not in body
    assert "ROAS" in body and "3.44x" in body and "4.00x" in body and "CN¥14,500.00" in body  # missed by
    assert "closes Thu Nov 26, 2026 09:00" in body  # three days after the click
    assert any("Campaign review started" in texts(m) for m in thread(fake, evaluation))
    click(slack, evaluation, "campaigns.review", user="U_DEMO")  # a second click opens nothing new
    assert "has its campaign review already" in click_answer(fake) and len(prompts(fake)) == 1
    add(slack, fake, "action", "Pre-book livestream hosts for 双12", user="U_DEMO", extra={"owner": "U_LI"})
    run_due(db, settings, fake, shanghai("2026-11-26T09:00:00"))
    assert "Pre-book livestream hosts" in texts(thread(fake, prompts(fake)[0])[0])
    with Session(db) as s:
        [task] = s.exec(select(Task))
    assert task.campaign == "双十一" and task.owner_id == "U_LI"


def test_the_prompt_escapes_what_people_type(slack: SlackDriver, fake: FakeSlack) -> None:
    say(slack, "/retro now")
    add(slack, fake, "well", "<!channel> *ping* <https://evil.example|our dashboard> & more", user="U_SAM")
    shown = texts(prompts(fake)[-1])
    assert "<!channel>" not in shown and "<https://evil" not in shown
    assert "&lt;" in shown and "&amp; more" in shown


def test_app_home_lists_my_open_action_items(slack: SlackDriver, fake: FakeSlack) -> None:
    say(slack, "/retro now")
    add(
        slack,
        fake,
        "action",
        "Call the courier about damaged parcels",
        user="U_DEMO",
        extra={"owner": "U_MIA"},
    )
    say(slack, "/retro close")
    slack.event({"type": "app_home_opened", "user": "U_MIA", "tab": "home"})
    home = texts(fake.home_views["U_MIA"])
    assert "My retro action items" in home and "Call the courier about damaged parcels" in home
