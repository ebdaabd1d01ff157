"""Two weekly retro cycles through the real app, the fake Slack and the scheduling engine (`jobs
run-due --at`): the second prompt opens with the first one's action items and what the KPI data says
about their checks; the evidence shows a missed target and an over-threshold budget."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from ecombot.clock import FixedClock
from ecombot.config import Settings
from ecombot.devtools.driver import SlackDriver
from ecombot.devtools.fakeslack import FakeSlack
from ecombot.retros.models import Retro, RetroEntry
from ecombot.tasks.models import Task
from tests.campaigns.support import say
from tests.retros.support import add, from_bot, last_ephemeral, prompts, shanghai, texts, thread
from tests.support import run_due


@pytest.fixture(autouse=True)
def english_channel_posts(slack: SlackDriver) -> None:
    """The demo workspace posts in Chinese; these tests read the English (one reads the Chinese)."""
    say(slack, "/ecom settings language en")


def _orders(slack: SlackDriver, days: dict[str, int]) -> None:
    """`count` orders of CN¥100 on each day, imported from a file dropped in a DM (as a lead does)."""
    rows = ["order_id,customer_id,created_at,total,status"]
    n = 0
    for day, count in days.items():
        for _ in range(count):
            rows.append(f"O{day}-{n},c{n},{day} 12:00,100.00,paid")
            n += 1
    slack.share_file("orders.csv", ("\n".join(rows) + "\n").encode())


def test_two_weekly_cycles_follow_up_the_action_items_against_the_numbers(
    slack: SlackDriver, fake: FakeSlack, db: Engine, settings: Settings, clock: FixedClock
) -> None:
    # Monday 2026-11-23: the lead schedules the retro and the week's evidence is seeded.
    scheduled = texts(say(slack, "/retro schedule fri 16:00"))
    assert "opens Fri 16:00, closes Mon 10:00 (Asia/Shanghai)" in scheduled and "3 votes each" in scheduled
    say(slack, "/kpi target gmv 100000 period:week")
    say(slack, "/budget set marketing 10000 period:2026-11")
    say(slack, "/budget spend marketing 9500 date:2026-11-20 note:KOL")
    _orders(slack, {"2026-11-24": 10, "2026-11-25": 12})
    say(slack, "/campaign new 黑五 budget:5000 start:2026-11-20 end:2026-11-25 target_roas:4")
    say(slack, "/campaign log 黑五 date:2026-11-21 spend:2000 revenue:5000 orders:20")
    # The standup: on Wednesday Demo is blocked, and still is on Thursday; Li was blocked only Tuesday.
    say(
        slack,
        '/standup config time:09:30 summary:11:00 days:mon-fri reminder:off questions:"Yesterday?|Today?|!Blockers?"',
    )
    answers = {
        "2026-11-24": {"U_LI": "等供应商报价"},
        "2026-11-25": {"U_DEMO": "Waiting for the <b>supplier</b> quote", "U_LI": "none"},
        "2026-11-26": {"U_DEMO": "Still waiting for the supplier quote", "U_LI": "none"},
    }
    for day, blockers in answers.items():
        run_due(db, settings, fake, shanghai(f"{day}T09:30:00"))
        for user, blocker in blockers.items():
            for text in ("Reports", "Listings", blocker):
                slack.dm(text, user=user)
    run_due(db, settings, fake, shanghai("2026-11-27T15:59:00"))
    assert prompts(fake) == []

    # Friday 16:00: the first prompt, with no earlier actions, and the week's evidence.
    run_due(db, settings, fake, shanghai("2026-11-27T16:00:00"))
    run_due(db, settings, fake, shanghai("2026-11-27T16:01:00"))  # a second pass opens nothing more
    [first] = prompts(fake)
    body = texts(first)
    assert "Weekly retro" in body and "No open action items from earlier retros." in body
    # GMV Mon–Thu: 22 orders × 100 = 2,200 against 4/7 of the week's 100,000 = 57,142.86.
    assert "Target missed: *GMV* CN¥2,200.00 vs CN¥57,142.86" in body
    assert "Budget *Marketing*: 95.0% used (CN¥9,500.00 of CN¥10,000.00, past the 80% threshold)" in body
    assert "Campaign *黑五* ended: revenue CN¥5,000.00, ROAS 2.50x" in body and "4.00x" in body
    assert "Blocker still open for <@U_DEMO> since Nov 25, 2026: Still waiting for the supplier quote" in body
    assert "等供应商报价" not in body  # Li's blocker was resolved the next day

    # Entries come in; each shows in the prompt, with its author (this retro is not anonymous).
    clock.set(shanghai("2026-11-27T16:30:00"))
    add(slack, fake, "well", "Double 11 <b>presale</b> & livestream went well", user="U_LI")
    assert "Added what went well" in last_ephemeral(fake, "U_LI") or "已添加" in last_ephemeral(fake, "U_LI")
    add(slack, fake, "improve", "Stock-outs on day 2", user="U_SAM")
    add(
        slack,
        fake,
        "action",
        "Fix the add-to-cart step on mobile",
        user="U_DEMO",
        extra={"owner": "U_LI", "check": "conversion_rate>=3%"},
    )
    add(
        slack,
        fake,
        "action",
        "Renegotiate the KOL rate card",
        user="U_DEMO",
        extra={"owner": "U_SAM", "due": "2026-12-02", "check": "aov>=500"},
    )
    body = texts(prompts(fake)[0])
    assert "Double 11 &lt;b&gt;presale&lt;/b&gt; &amp; livestream went well — <@U_LI>" in body
    assert "Stock-outs on day 2 — <@U_SAM>" in body
    assert (
        "Fix the add-to-cart step on mobile — <@U_LI> · due at the next retro · check: Conversion rate ≥ 3.0%"
        in body
    )
    assert len(fake.calls_to("chat.update")) == 4

    # Monday 10:00 it closes: summary in the thread, action items become tasks due at the next retro.
    run_due(db, settings, fake, shanghai("2026-11-30T10:00:00"))
    run_due(db, settings, fake, shanghai("2026-11-30T10:01:00"))
    [summary] = thread(fake, prompts(fake)[0])
    text = texts(summary)
    assert text.index("*Went well* (1)") < text.index("*To improve* (1)") < text.index("*Action items* (2)")
    assert "<@U_LI> (1):" in text and "<@U_SAM> (1):" in text
    with Session(db) as s:
        tasks = {t.title: t for t in s.exec(select(Task))}
        fix, kol = tasks["Fix the add-to-cart step on mobile"], tasks["Renegotiate the KOL rate card"]
        assert (fix.owner_id, fix.due_date) == ("U_LI", date(2026, 12, 4))  # the next Friday's retro
        assert (kol.owner_id, kol.due_date) == ("U_SAM", date(2026, 12, 2))
        entries = list(s.exec(select(RetroEntry).where(RetroEntry.kind == "action")))
        assert {e.task_id for e in entries} == {fix.id, kol.id}
    assert f"#{fix.number}" in text
    assert "you own this action item" in texts(from_bot(fake, "U_SAM")[-1])
    assert "Fix the add-to-cart step on mobile" in texts(from_bot(fake, "U_LI")[-1])
    assert "closed" in texts(prompts(fake)[0]).lower() and "retros.add_well" not in str(prompts(fake)[0])

    # The week after: traffic and orders. Conversion Dec 1–3: 99 orders / 3,000 sessions = 3.3 % (met);
    # AOV stays CN¥100 (the KOL check wants 500: not met). The KOL task is overdue by Friday.
    for day in ("2026-12-01", "2026-12-02", "2026-12-03"):
        say(slack, f"/kpi log sessions 1000 date:{day}")
    _orders(slack, {"2026-12-01": 33, "2026-12-02": 33, "2026-12-03": 33})
    run_due(db, settings, fake, shanghai("2026-12-04T16:00:00"))
    second = prompts(fake)[1]
    body = texts(second)
    follow = body.index("Action items from earlier retros")
    evidence = body.index("This week's evidence")
    assert follow < evidence
    kol_line, fix_line = body.index("Renegotiate the KOL rate card"), body.index("Fix the add-to-cart step")
    assert follow < kol_line < fix_line < evidence  # overdue first
    assert "*overdue*" in body[kol_line:fix_line]
    assert "the numbers say it worked: 3.3% (Conversion rate ≥ 3.0%)" in body[fix_line:evidence]
    assert "the numbers say not yet: CN¥100.00, wanted AOV ≥ CN¥500.00" in body[kol_line:fix_line]
    with Session(db) as s:
        assert len(list(s.exec(select(Retro)))) == 2


def test_the_prompt_in_chinese(slack: SlackDriver, fake: FakeSlack, db: Engine, settings: Settings) -> None:
    say(slack, "/ecom settings language zh-CN")
    say(slack, "/retro now")
    body = texts(prompts(fake)[-1])
    assert "复盘" in body and "本周数据与事件" in body and "以往复盘没有未完成的行动项" in body
    buttons = str(prompts(fake)[-1]["blocks"])
    assert "做得好的" in buttons and "待改进" in buttons and "行动项" in buttons
