"""Three weeks of a distributed team's standup, driven the way `ecombot jobs run-due --at` runs the
scheduler (never sleeping): Shanghai and Shenzhen people and a freelancer in Berlin, China's National
Day holidays and a 调休 make-up Saturday, a workspace holiday, a skip and a vacation, and the end of
Berlin's summer time."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from ecombot.clock import FixedClock
from ecombot.config import Settings
from ecombot.devtools.blockkit import validate_blocks
from ecombot.devtools.driver import SlackDriver, buttons_in
from ecombot.devtools.fakeslack import FakeSlack
from ecombot.standups.models import StandupAnswer, StandupDay
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
    submit,
    texts,
    thread,
)
from tests.support import run_due

PEOPLE = ("U_DEMO", "U_LI", "U_MIA", "U_WEI")
# The instants each day is driven at (UTC): before anyone's 09:30, Shanghai's 09:30, the reminder
# (10:30 Shanghai) and a second pass before the report, the report (11:00 Shanghai), and Berlin's
# 09:30 in summer time and in winter time.
CHECKPOINTS = ("01:00", "01:30", "02:30", "02:45", "03:00", "07:30", "08:30")


class Team:
    """The scheduler passes and what each person was sent, in order."""

    def __init__(
        self, slack: SlackDriver, fake: FakeSlack, db: Engine, settings: Settings, clock: FixedClock
    ):
        self.slack, self.fake, self.db, self.settings, self.clock = slack, fake, db, settings, clock
        self.prompted: dict[str, list[datetime]] = defaultdict(list)
        self.reminded: dict[str, list[datetime]] = defaultdict(list)

    def at(self, when: datetime) -> None:
        """People act at `when` (commands and clicks read the app's clock)."""
        self.clock.set(when)

    def run(self, when: datetime) -> None:
        """One scheduler pass at `when`, then deliver; note who got a prompt or a reminder."""
        self.clock.set(when)
        before = {u: (len(prompts(self.fake, u)), len(reminders(self.fake, u))) for u in PEOPLE}
        run_due(self.db, self.settings, self.fake, when)
        for user in PEOPLE:
            asked, reminded = len(prompts(self.fake, user)), len(reminders(self.fake, user))
            self.prompted[user] += [when] * (asked - before[user][0])
            self.reminded[user] += [when] * (reminded - before[user][1])

    def day(self, day: date) -> None:
        for hhmm in CHECKPOINTS:
            self.run(datetime.fromisoformat(f"{day.isoformat()}T{hhmm}:00+00:00"))


def _days(first: str, last: str) -> list[date]:
    start, end = date.fromisoformat(first), date.fromisoformat(last)
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def _utc(day: str, hhmm: str) -> datetime:
    return datetime.fromisoformat(f"{day}T{hhmm}:00+00:00")


def test_three_weeks_of_standups_across_holidays_and_a_dst_change(
    slack: SlackDriver, fake: FakeSlack, db: Engine, settings: Settings, clock: FixedClock
) -> None:
    fake.add_user("U_WEI", name="wei", real_name="Wang Wei", tz="Asia/Shanghai", locale="zh-CN")
    fake.add_channel("C_DEMO", name="ops", members=("U_DEMO", "U_LI", "U_SAM", "U_MIA", "U_WEI"))
    team = Team(slack, fake, db, settings, clock)

    # Tuesday 6 October, a National Day holiday: the ops lead sets it up in one line.
    team.at(shanghai("2026-10-06", "10:00"))
    created = slack.command(
        "/standup config time:09:30 summary:11:00 days:mon-fri reminder:30m", user="U_DEMO", channel=CHANNEL
    ).json
    assert "is set up" in created["text"], created
    [who] = [e for e in fake.ephemerals if "Taking part" in e["text"]]
    assert "standup (5): <@U_DEMO>, <@U_LI>, <@U_SAM>, <@U_MIA>, <@U_WEI>" in who["text"]
    assert (
        "no longer take part" in slack.command("/standup leave", user="U_SAM", channel=CHANNEL).json["text"]
    )

    # The workspace's own holiday, a vacation, and Wei's skip are set up ahead of time.
    added = slack.command('/standup holiday 2026-10-12 "Team offsite"', user="U_DEMO", channel=CHANNEL).json
    assert "Team offsite" in added["text"]
    vacation = slack.command("/standup vacation 2026-10-13..2026-10-16", user="U_LI", channel=CHANNEL).json
    assert "请假" in vacation["text"], vacation
    skipped = slack.command("/standup skip 2026-10-09", user="U_WEI", channel=CHANNEL).json
    assert "请假" in skipped["text"], skipped

    for day in _days("2026-10-07", "2026-10-07"):
        team.day(day)  # an official holiday: nothing at all

    # Thursday 8 October.
    for hhmm in ("01:00", "01:30"):
        team.run(_utc("2026-10-08", hhmm))
    # Li answers by plain DM replies, one question at a time.
    team.at(shanghai("2026-10-08", "09:40"))
    slack.dm("整理了双十一的活动页", user="U_LI")
    asked = from_bot(fake, "U_LI")[-1]
    assert asked["text"].startswith("*2/3*"), asked["text"]
    slack.dm("上新 30 款冬季商品", user="U_LI")
    assert from_bot(fake, "U_LI")[-1]["text"].startswith("*3/3*")
    slack.dm("没有", user="U_LI")
    assert "谢谢" in from_bot(fake, "U_LI")[-1]["text"]
    # The ops lead answers in the form, with a blocker.
    assert answer_by_form(
        slack, fake, "U_DEMO", ["Budget review", "Brief the agency", "Waiting for <the> banner files & copy"]
    ) in (None, {})
    for hhmm in ("02:30", "02:45", "03:00"):
        team.run(_utc("2026-10-08", hhmm))

    [report] = reports(fake)
    shown = texts(report)
    assert validate_blocks(report["blocks"], surface="message") == []
    # The workspace writes Chinese. Blockers first, each with the member mentioned and a Track as task
    # button; Li's "没有" is no blocker. Mia's 09:30 comes after the report: she answers later.
    assert report["text"] == "站会 · 2026年10月8日 · 4 人中 2 人已回答 · 1 个阻碍"
    blocker = "<@U_DEMO> 提出：Waiting for &lt;the&gt; banner files &amp; copy"
    assert shown.index(":construction: *阻碍*") < shown.index(blocker) < shown.index("每个人的回答见话题回复")
    assert [e["action_id"] for _, e in buttons_in(report["blocks"])] == ["standups.track"]
    assert "未回答：<@U_WEI>" in shown
    assert "稍后回答（提醒时间在本汇总之后）：<@U_MIA>" in shown
    replies = thread(fake, report)
    assert [r["text"] for r in replies] == ["<@U_DEMO>", "<@U_LI>"]
    assert "上新 30 款冬季商品" in texts(replies[1])

    # Wei answers late, after the report: it reaches the posted report, marked late.
    team.at(shanghai("2026-10-08", "12:00"))
    result = slack.command("/standup answer", user="U_WEI", channel="D_U_WEI")
    assert result.status == 200
    submit(slack, fake, {"q0": "盘点仓库", "q1": "发货", "q2": "无"}, user="U_WEI")
    late = thread(fake, report)[-1]
    assert texts(late).startswith("*<@U_WEI>*（迟交）") and "盘点仓库" in texts(late)
    [report] = reports(fake)
    assert report["text"] == "站会 · 2026年10月8日 · 4 人中 3 人已回答 · 1 个阻碍"
    assert "未回答" not in texts(report)
    assert "标记为迟交" in from_bot(fake, "U_WEI")[-1]["text"]

    # Berlin's 09:30 (07:30 UTC in summer time): Mia answers by form, added without a late mark.
    team.run(_utc("2026-10-08", "07:30"))
    team.at(_utc("2026-10-08", "07:40"))
    answer_by_form(slack, fake, "U_MIA", ["Shot the lookbook", "Edit photos", "none"])
    added_reply = thread(fake, report)[-1]
    assert texts(added_reply).startswith("*<@U_MIA>*\n") and "Shot the lookbook" in texts(added_reply)
    assert reports(fake)[0]["text"] == "站会 · 2026年10月8日 · 4 人中 4 人已回答 · 1 个阻碍"
    assert "added to the <#C_DEMO> report" in from_bot(fake, "U_MIA")[-1]["text"]  # and not late
    team.run(_utc("2026-10-08", "08:30"))

    # Track as task: the blocker becomes the ops lead's task, linked back to the report.
    [report] = reports(fake)
    team.at(shanghai("2026-10-08", "16:00"))
    click(slack, report, "standups.track", user="U_LI", channel=CHANNEL)
    with Session(db) as s:
        [task] = s.exec(select(Task).where(Task.team_id == "T_DEMO")).all()
    assert task.owner_id == "U_DEMO" and task.creator_id == "U_LI"
    assert task.title == "Waiting for <the> banner files & copy"
    assert task.source_url == f"https://demo-shop.slack.com/archives/C_DEMO/p{report['ts'].replace('.', '')}"
    assert "已将 <@U_DEMO> 的阻碍转为任务 #1" in fake.response_url_posts[-1]["payload"]["text"]
    assert any("#1" in m["text"] for m in from_bot(fake, "U_DEMO"))  # the owner hears of it by DM
    click(slack, report, "standups.track", user="U_DEMO", channel=CHANNEL)  # a second click: no second task
    assert "#1" in fake.response_url_posts[-1]["payload"]["text"]
    with Session(db) as s:
        assert len(s.exec(select(Task)).all()) == 1

    for day in _days("2026-10-09", "2026-10-27"):
        team.day(day)

    # Who was asked, and when (UTC): everyone at their own 09:30 on standup days.
    def expected(user: str) -> list[datetime]:
        days = _days("2026-10-08", "2026-10-27")
        official_off = {date(2026, 10, 11), date(2026, 10, 17), date(2026, 10, 18)}
        official_off |= {date(2026, 10, 24), date(2026, 10, 25)}
        standup_days = [d for d in days if d not in official_off and d != date(2026, 10, 12)]
        assert date(2026, 10, 10) in standup_days  # the make-up Saturday
        out = []
        for d in standup_days:
            if user == "U_WEI" and d == date(2026, 10, 9):
                continue  # skipped
            if user == "U_LI" and date(2026, 10, 13) <= d <= date(2026, 10, 16):
                continue  # on vacation
            # Berlin's 09:30 is 07:30 UTC in summer time, which ends on 25 October, then 08:30 UTC.
            berlin = "07:30" if d < date(2026, 10, 25) else "08:30"
            out.append(_utc(d.isoformat(), berlin if user == "U_MIA" else "01:30"))
        return out

    for user in PEOPLE:
        assert team.prompted[user] == expected(user), user
    assert team.prompted["U_SAM"] == []

    # Exactly one reminder for each day someone was asked and had not answered by 10:30.
    for user in ("U_DEMO", "U_LI", "U_WEI"):
        asked_days = [p.date() for p in team.prompted[user]]
        answered = {date(2026, 10, 8)} if user != "U_WEI" else set()
        assert [r.date() for r in team.reminded[user]] == [d for d in asked_days if d not in answered], user
        assert all(r.strftime("%H:%M") == "02:30" for r in team.reminded[user])
    assert team.reminded["U_MIA"] == []

    # One report per standup day, in the channel; each day's away people are named.
    days = [r["text"] for r in reports(fake)]
    assert len(days) == len(expected("U_DEMO")) == 14
    with Session(db) as s:
        rows = {d.day: d for d in s.exec(select(StandupDay)).all()}
        assert rows[date(2026, 10, 9)].away == ["U_WEI"]
        assert rows[date(2026, 10, 14)].away == ["U_LI"]
        assert date(2026, 10, 12) not in rows and date(2026, 10, 7) not in rows
        late = s.exec(select(StandupAnswer).where(StandupAnswer.user_id == "U_WEI")).all()
        assert [a.late for a in late if a.state == "done"] == [True]
