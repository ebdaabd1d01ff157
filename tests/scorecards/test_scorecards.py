"""Scorecards through the real app: each figure checked against a second computation from the raw
rows, your own card always and others' only for leads, the team view, personal targets, and the
monthly DM once per member at their own 10:00 on the 1st."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from ecombot.clock import FixedClock
from ecombot.config import Settings
from ecombot.devtools.driver import SlackDriver
from ecombot.devtools.fakeslack import FakeSlack
from ecombot.standups.models import StandupAnswer, StandupDay
from ecombot.tasks.models import Task
from ecombot.workspaces import service as workspaces
from ecombot.workspaces.models import Member
from tests.campaigns.support import from_bot, say, texts
from tests.support import run_due

SHANGHAI = ZoneInfo("Asia/Shanghai")
LI = "<@U_LI|li.na>"


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text)


@pytest.fixture(autouse=True)
def english_channel_posts(slack: SlackDriver) -> None:
    say(slack, "/ecom settings language en")


def _seed(slack: SlackDriver, db: Engine, settings: Settings, fake: FakeSlack, clock: FixedClock) -> None:
    """Li's November: four tasks due, two standup days (a blocker raised, then resolved), a campaign
    she owns, a retro action item she did on time."""
    for title, due in (
        ("Banner", "2026-11-25"),
        ("Coupon", "2026-11-20"),
        ("Copy", "2026-11-21"),
        ("Report", "2026-11-28"),
        ("Later", "2026-12-02"),
    ):
        say(slack, f"/task add {title} {LI} due:{due}")
    say(slack, "/task done 1", user="U_LI")  # on time (Nov 23 ≤ Nov 25)
    say(slack, "/task done 2", user="U_LI")  # late (due Nov 20)
    say(
        slack,
        f"/campaign new 冬季上新 budget:5000 start:2026-11-10 end:2026-11-30 owner:{LI} target_roas:3 target_revenue:10000",
    )
    say(slack, "/campaign log 冬季上新 date:2026-11-20 spend:1000 revenue:4000 orders:40", user="U_LI")
    say(
        slack,
        '/standup config time:09:30 summary:11:00 days:mon-fri reminder:off questions:"Yesterday?|Today?|!Blockers?"',
    )
    for day, blocker in (("2026-11-23", "Waiting for the supplier quote"), ("2026-11-24", "none")):
        run_due(db, settings, fake, _at(f"{day}T09:30:00+08:00"))
        clock.set(_at(f"{day}T09:40:00+08:00"))
        for text in ("Listings", "Banners", blocker):
            slack.dm(text, user="U_LI")
        run_due(db, settings, fake, _at(f"{day}T11:00:00+08:00"))
    clock.set(_at("2026-11-24T12:00:00+08:00"))
    say(slack, "/retro now")
    from tests.retros.support import add, prompts

    add(
        slack,
        fake,
        "action",
        "Fix the size chart",
        user="U_DEMO",
        extra={"owner": "U_LI", "due": "2026-11-27"},
    )
    say(slack, "/retro close")
    assert prompts(fake)
    action = next(t.number for t in _tasks(db) if t.title == "Fix the size chart")
    say(slack, f"/task done {action}", user="U_LI")


def _tasks(db: Engine) -> list[Task]:
    with Session(db) as s:
        return list(s.exec(select(Task)))


def test_a_card_matches_a_second_computation_from_the_raw_rows(
    slack: SlackDriver, fake: FakeSlack, db: Engine, settings: Settings, clock: FixedClock
) -> None:
    _seed(slack, db, settings, fake, clock)
    today = date(2026, 11, 24)
    mine = [
        t
        for t in _tasks(db)
        if t.owner_id == "U_LI" and t.due_date and date(2026, 11, 1) <= t.due_date <= date(2026, 11, 30)
    ]
    on_time = sum(1 for t in mine if t.done_at and t.done_at.astimezone(SHANGHAI).date() <= t.due_date)  # type: ignore[operator]
    late = sum(1 for t in mine if t.done_at and t.done_at.astimezone(SHANGHAI).date() > t.due_date)  # type: ignore[operator]
    overdue = sum(1 for t in mine if t.status == "open" and t.due_date < today)  # type: ignore[operator]
    still = sum(1 for t in mine if t.status == "open" and t.due_date >= today)  # type: ignore[operator]
    assert (len(mine), on_time, late, overdue, still) == (5, 2, 1, 1, 1)  # the retro's action item is one
    with Session(db) as s:
        days = [d for d in s.exec(select(StandupDay)) if "U_LI" in d.roster and d.reported_at is not None]
        answered = [a for a in s.exec(select(StandupAnswer)) if a.user_id == "U_LI" and a.state == "done"]
    card = texts(say(slack, f"/scorecard {LI} month"))
    assert (
        f"*Tasks* due in the period: {len(mine)} — {on_time} done on time, {late} done late, "
        f"{overdue} open and overdue, {still} still open (on time: 40.0%)"
    ) in card
    assert (
        f"*Standups*: answered {len(answered)} of {len(days)} days (100.0%); 2 on time (100.0% of answers)"
        in card
    )
    assert "*Blockers* raised: 1, resolved: 1" in card
    assert "*Retro action items* due: 1 — 1 done on time, 0 done late (100.0% on time)" in card
    assert "冬季上新: ROAS 4.00x / 3.00x ✅ · revenue CN¥4,000.00 / CN¥10,000.00 ❌" in card
    assert "No combined score" in card
    # A personal target, set by a lead, shows against the figure.
    assert "Target for <@U_LI>: *tasks on time* 80.0% per month." in texts(
        say(slack, f"/scorecard target {LI} tasks_on_time 80%")
    )
    assert "Target *tasks on time*: 40.0% of 80.0% ❌" in texts(say(slack, f"/scorecard {LI}"))
    assert "(was 80.0%)" in texts(say(slack, f"/scorecard target {LI} tasks_on_time 30%"))
    assert "40.0% of 30.0% ✅" in texts(say(slack, f"/scorecard {LI}"))
    # The team view: one line per member.
    team = texts(say(slack, "/scorecard team"))
    assert (
        "<@U_LI>: tasks on time 2/5 (overdue 1) · standups 100.0% · blockers resolved 1/1 · actions on time 1/1 · campaigns at ROAS target 1/1"
        in team
    )


def test_members_see_their_own_card_and_only_leads_see_others(slack: SlackDriver, db: Engine) -> None:
    before = texts(say(slack, "/scorecard team", user="U_SAM"))
    assert "Only ops leads and admins" in before
    assert "only ops leads and admins see others'" in texts(say(slack, f"/scorecard {LI}", user="U_SAM"))
    own = texts(say(slack, "/scorecard", user="U_SAM"))
    assert "Scorecard · Nov 1, 2026 – Nov 30, 2026" in own and "<@U_SAM>" in own
    assert "绩效卡" in texts(say(slack, "/scorecard week", user="U_LI"))  # Li reads Chinese
    assert "Only ops leads and admins" in texts(
        say(slack, f"/scorecard target {LI} tasks_done 5", user="U_SAM")
    )
    assert "Only ops leads and admins" in texts(say(slack, "/scorecard schedule monthly on", user="U_SAM"))


@pytest.mark.parametrize(
    ("line", "named"),
    [
        ("/scorecard someday", "`someday` is not a period"),
        ("/scorecard <@U_LI|li.na> month extra", "I did not expect `extra` here"),
        ("/scorecard target <@U_LI|li.na> happiness 5", "`happiness` is not a scorecard figure"),
        ("/scorecard target <@U_LI|li.na> tasks_on_time lots", "`lots` is not a target value"),
        ("/scorecard target <@U_LI|li.na> tasks_on_time 150%", "a rate at most 100 %"),
        ("/scorecard target li tasks_done 5", "`li` is not a user mention"),
        ("/scorecard target <@U_LI|li.na> tasks_done 5 year", "`year` is not a period"),
        ("/scorecard schedule weekly on", "Something is missing: monthly on|off"),
        ("/scorecard schedule monthly maybe", "`maybe` should be `on` or `off`"),
    ],
)
def test_bad_input_names_the_bad_part_and_writes_nothing(
    slack: SlackDriver, db: Engine, line: str, named: str
) -> None:
    from ecombot.scorecards.models import ScorecardSettings, ScorecardTarget

    reply = texts(say(slack, line))
    assert named in reply, reply
    with Session(db) as s:
        assert list(s.exec(select(ScorecardTarget))) == [] and list(s.exec(select(ScorecardSettings))) == []


def test_the_monthly_card_comes_by_dm_at_each_members_own_ten_on_the_first(
    slack: SlackDriver, fake: FakeSlack, db: Engine, settings: Settings
) -> None:
    say(slack, f"/task add Stocktake {LI} due:2026-11-26")
    assert "on the 1st at 10:00" in texts(say(slack, "/scorecard schedule monthly on"))

    def cards(user: str) -> list[str]:
        return [
            texts(m)
            for m in from_bot(fake, user)
            if "Nov 1, 2026 – Nov 30, 2026" in texts(m) or "2026年11月1日" in texts(m)
        ]

    run_due(db, settings, fake, _at("2026-12-01T09:59:00+08:00"))
    assert cards("U_LI") == []
    run_due(db, settings, fake, _at("2026-12-01T10:00:00+08:00"))
    run_due(db, settings, fake, _at("2026-12-01T10:05:00+08:00"))
    [li] = cards("U_LI")
    assert (
        "（本期到期）：1 个" in li and "逾期未完成 1" in li
    )  # in Li's language: the Stocktake task is overdue
    assert cards("U_MIA") == []  # 10:00 in Berlin is later
    run_due(db, settings, fake, _at("2026-12-01T10:00:00+01:00"))
    assert len(cards("U_MIA")) == 1 and len(cards("U_LI")) == 1
    say(slack, "/scorecard schedule monthly off")
    run_due(db, settings, fake, _at("2027-01-01T10:00:00+08:00"))
    assert not [m for m in from_bot(fake, "U_LI") if "绩效卡 · 2026年12月1日" in texts(m)]


def test_monthly_cards_past_a_passs_share_go_out_in_the_next_passes_once_each(
    slack: SlackDriver, fake: FakeSlack, db: Engine, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ecombot.scorecards import jobs

    say(slack, "/scorecard schedule monthly on")
    monkeypatch.setattr(jobs, "PER_PASS", 1)
    with Session(db) as s:
        people = set(workspaces.people(s, "T_DEMO"))
        in_shanghai = {
            m.user_id
            for m in s.exec(select(Member))
            if m.user_id in people and m.tz in (None, "", "Asia/Shanghai")
        }
    assert len(in_shanghai) > 1

    def carded() -> list[str]:
        return [
            c.args["channel"]
            for c in fake.calls_to("chat.postMessage")
            if "绩效卡" in str(c.args) or "Scorecard" in str(c.args)
        ]

    run_due(db, settings, fake, _at("2026-12-01T10:00:00+08:00"))
    assert len(carded()) == 1
    for minute in range(1, 6):
        run_due(db, settings, fake, _at(f"2026-12-01T10:0{minute}:00+08:00"))
    assert sorted(carded()) == sorted(in_shanghai)  # each once, none twice
    # The rest of the month a pass reads only the zone names.
    with Session(db) as s:
        assert jobs.due_members(s, _at("2026-12-02T10:00:00+08:00")) == []
