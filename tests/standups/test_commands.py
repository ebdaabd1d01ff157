"""`/standup` as people use it: setting up (form and one line), bad input and permissions, joining,
the status, holidays, time away, pausing, turning off with Undo, history, statistics and export."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from ecombot.clock import FixedClock
from ecombot.config import Settings
from ecombot.devtools.blockkit import validate_view
from ecombot.devtools.driver import SlackDriver, buttons_in
from ecombot.devtools.fakeslack import FakeSlack
from ecombot.standups.models import Standup, StandupAway, StandupHoliday, StandupMember
from tests.standups.support import (
    CHANNEL,
    answer_by_form,
    click,
    from_bot,
    modal,
    prompts,
    reports,
    shanghai,
    submit,
    texts,
    utc,
)
from tests.support import cli_env, run_due


def _say(slack: SlackDriver, line: str, user: str = "U_DEMO", channel: str = CHANNEL) -> dict[str, Any]:
    result = slack.command(line, user=user, channel=channel)
    assert result.status == 200, result.text
    body = result.json
    assert isinstance(body, dict), result.text
    return body


def _rows(db: Engine) -> tuple[list[Standup], list[StandupMember], list[StandupAway], list[StandupHoliday]]:
    with Session(db) as s:
        return (
            list(s.exec(select(Standup))),
            list(s.exec(select(StandupMember))),
            list(s.exec(select(StandupAway))),
            list(s.exec(select(StandupHoliday))),
        )


# -- setting up ---------------------------------------------------------------------------------------


def test_the_setup_form_starts_from_the_defaults_and_sets_up_the_channel(
    slack: SlackDriver, fake: FakeSlack, db: Engine, clock: FixedClock
) -> None:
    assert slack.command("/standup setup", user="U_DEMO", channel=CHANNEL).status == 200
    view = modal(fake)
    assert validate_view(view) == []
    values = {b["block_id"]: b["element"] for b in view["blocks"] if b["type"] == "input"}
    # A zh-CN workspace in Asia/Shanghai: Chinese questions, Monday to Friday, 09:30 and 11:00,
    # a reminder 30 minutes before, answers in a thread, China's calendar.
    assert [values[f"q{i}"].get("initial_value") for i in range(3)] == [
        "昨天做了什么？",
        "今天计划做什么？",
        "有没有遇到阻碍？",
    ]
    assert values["blockers"]["initial_option"]["value"] == "2"
    assert [o["value"] for o in values["days"]["initial_options"]] == ["0", "1", "2", "3", "4"]
    assert (values["prompt_time"]["initial_time"], values["summary_time"]["initial_time"]) == (
        "09:30",
        "11:00",
    )
    assert values["reminder"]["initial_option"]["value"] == "30"
    assert values["mode"]["initial_option"]["value"] == "thread"
    assert values["calendar"]["initial_option"]["value"] == "cn"

    # Naming a blockers question that is empty is refused next to the field; nothing is written.
    errors = submit(slack, fake, {"q2": "", "blockers": "2"}, user="U_DEMO")
    assert errors["response_action"] == "errors" and "blockers" in errors["errors"]
    assert _rows(db)[0] == []

    submit(
        slack,
        fake,
        {
            "participants": "U_LI,U_MIA",
            "q3": "Any numbers to share?",
            "days": "0,2,4",
            "prompt_time": "10:00",
            "summary_time": "12:00",
            "reminder": "15",
            "mode": "channel",
        },
        user="U_DEMO",
    )
    standups, members, _, _ = _rows(db)
    [standup] = standups
    assert (standup.channel_id, standup.days, standup.prompt_time, standup.summary_time) == (
        "C_DEMO",
        [0, 2, 4],
        "10:00",
        "12:00",
    )
    assert (standup.reminder_minutes, standup.mode, standup.calendar) == (15, "channel", "cn")
    assert [q["kind"] for q in standup.questions] == ["yesterday", "today", "blockers", ""]
    assert sorted(m.user_id for m in members) == ["U_LI", "U_MIA"]
    [posted] = [e for e in fake.ephemerals if "已设置" in e["text"] or "set up" in e["text"]]
    assert posted["channel"] == "C_DEMO" and posted["user"] == "U_DEMO"


def test_config_takes_everyone_in_the_channel_except_bots(
    slack: SlackDriver, fake: FakeSlack, db: Engine, clock: FixedClock
) -> None:
    fake.add_user("U_HELPER", name="helper-bot", is_bot=True)
    fake.add_channel("C_DEMO", name="ops", members=("U_DEMO", "U_LI", "U_HELPER", "U_MIA"))
    reply = _say(slack, '/standup config questions:"Done?|Doing?|!Stuck?" days:mon,wed mode:channel')
    assert "set up" in reply["text"]
    _, members, _, _ = _rows(db)
    assert sorted(m.user_id for m in members) == ["U_DEMO", "U_LI", "U_MIA"]
    [standup] = _rows(db)[0]
    assert standup.questions == [
        {"text": "Done?", "kind": ""},
        {"text": "Doing?", "kind": ""},
        {"text": "Stuck?", "kind": "blockers"},
    ]
    # Changing one option keeps the rest.
    assert "updated" in _say(slack, "/standup config 时间:08:45")["text"]
    [standup] = _rows(db)[0]
    assert (standup.prompt_time, standup.days, standup.mode) == ("08:45", [0, 2], "channel")


def test_bad_config_names_the_bad_part_shows_the_usage_and_writes_nothing(
    slack: SlackDriver, db: Engine
) -> None:
    cases = {
        "/standup config time:25:00": "`25:00`",
        "/standup config days:funday": "`funday` is not a set of days",
        "/standup config mode:email": "`mode:email` is not a report mode",
        "/standup config calendar:mars": "`calendar:mars` is not a calendar",
        '/standup config questions:"a||b"': "is not a list of questions",
        "/standup config reminder:soon": "`soon` is not a reminder",
        "/standup config colour:red": "`colour:red`",
        '/standup config questions:"1|2|3|4|5|6|7"': "Ask between 1 and 6 questions",
        '/standup config questions:"!a|!b"': "Only one question can be the blockers question",
        "/standup config time:12:00": "asked at 12:00, after the 11:00 report",
    }
    for line, problem in cases.items():
        reply = _say(slack, line)
        assert problem in reply["text"], (line, reply["text"])
        if not problem.startswith(("Ask between", "Only one", "asked at")):
            assert "Usage:" in reply["text"] and "/standup config" in texts(reply), line
    assert _rows(db) == ([], [], [], [])


def test_only_admins_and_ops_leads_configure_and_commands_need_the_channel(
    slack: SlackDriver, fake: FakeSlack, db: Engine, clock: FixedClock
) -> None:
    for line in ("/standup setup", "/standup config", '/standup holiday 2026-12-24 "Eve"'):
        reply = _say(slack, line, user="U_SAM")
        assert "Only workspace admins and ops leads" in reply["text"], line
    assert fake.views == {}
    assert _rows(db) == ([], [], [], [])
    assert "not in a DM" in _say(slack, "/standup config", channel="D_U_DEMO")["text"]
    assert "no standup yet" in _say(slack, "/standup show")["text"]
    assert "no standup yet" in _say(slack, "/standup join", user="U_SAM")["text"]

    _say(slack, "/standup config")
    for line in ("/standup pause", "/standup off"):
        assert "Only workspace admins" in _say(slack, line, user="U_SAM")["text"], line
    [standup] = _rows(db)[0]
    assert (standup.paused, standup.off_at) == (False, None)


# -- taking part, status, calendar ------------------------------------------------------------------


def test_join_leave_and_show_todays_status_and_the_calendar(
    slack: SlackDriver, fake: FakeSlack, db: Engine, settings: Settings, clock: FixedClock
) -> None:
    fake.add_channel("C_DEMO", name="ops", members=("U_DEMO", "U_LI"))
    _say(slack, "/standup config reminder:off")
    assert "take part in the <#C_DEMO> standup now" in _say(slack, "/standup join", user="U_SAM")["text"]
    assert "already take part" in _say(slack, "/standup join", user="U_SAM")["text"]
    assert "take part in the <#C_DEMO> standup now" in _say(slack, "/standup 加入", user="U_MIA")["text"]
    _say(slack, "/standup skip tomorrow", user="U_MIA")

    run_due(db, settings, fake, utc("2026-11-24", "01:30"))
    clock.set(shanghai("2026-11-24", "09:40"))
    answer_by_form(slack, fake, "U_DEMO", ["Plan", "Do", "none"])
    shown = texts(_say(slack, "/standup show"))
    assert "Standup of <#C_DEMO>" in shown
    assert "1. What did you do yesterday?" not in shown and "1. 昨天做了什么？" in shown
    assert "Nov 24, 2026: 1 of 3 answered" in shown
    waiting = next(line for line in shown.splitlines() if line.startswith("Waiting for: "))
    assert sorted(waiting.removeprefix("Waiting for: ").split(", ")) == ["<@U_LI>", "<@U_SAM>"]
    assert "Away: <@U_MIA>" in shown and "reminder off" in shown
    assert "known for 2004–2026" in shown
    assert "The official calendar for 2027 is not known yet" in shown
    assert "no longer take part" in _say(slack, "/standup leave", user="U_SAM")["text"]
    assert "were not taking part" in _say(slack, "/standup leave", user="U_SAM")["text"]


# -- holidays, skips, vacations -----------------------------------------------------------------------


def test_workspace_holidays_are_listed_and_removed(slack: SlackDriver, db: Engine, clock: FixedClock) -> None:
    _say(slack, "/standup config")
    added = _say(slack, '/standup holiday 2026-12-24..2026-12-26 "Year-end <party>"')
    assert "No standup from Dec 24, 2026 to Dec 26, 2026 (Year-end &lt;party&gt;)" in added["text"]
    listed = texts(_say(slack, "/standup holiday list", user="U_SAM"))
    assert listed.count("Year-end &lt;party&gt;") == 3
    assert "is a standup day again" in _say(slack, "/standup holiday remove 2026-12-26")["text"]
    assert "is not a workspace holiday" in _say(slack, "/standup holiday remove 2026-12-26")["text"]
    assert "Keep a range to at most 60 days" in _say(slack, "/standup holiday 2026-12-01..2027-03-01")["text"]
    assert "`2026-13-01` is not a range" in _say(slack, "/standup holiday 2026-13-01")["text"]
    assert sorted(h.day.isoformat() for h in _rows(db)[3]) == ["2026-12-24", "2026-12-25"]


def test_skip_today_from_the_prompt_means_no_reminder_and_away_in_the_report_and_undo_brings_it_back(
    slack: SlackDriver, fake: FakeSlack, db: Engine, settings: Settings, clock: FixedClock
) -> None:
    _say(slack, "/standup config reminder:30m")
    run_due(db, settings, fake, utc("2026-11-24", "01:30"))
    [prompt] = prompts(fake, "U_LI")
    clock.set(shanghai("2026-11-24", "09:35"))
    click(slack, prompt, "standups.skip", user="U_LI")
    answer = fake.response_url_posts[-1]["payload"]
    assert "您 2026年11月24日 请假" in answer["text"]
    run_due(db, settings, fake, utc("2026-11-24", "02:30"))
    assert not [m for m in from_bot(fake, "U_LI") if m["text"].startswith(":alarm_clock:")]
    assert [m for m in from_bot(fake, "U_DEMO") if m["text"].startswith(":alarm_clock:")]

    # Undo (before the report): Li is expected again, and the report says she did not answer.
    click(slack, answer, "standups.undo_away", user="U_LI")
    assert "已取消请假" in fake.response_url_posts[-1]["payload"]["text"]
    assert _rows(db)[2] == []
    run_due(db, settings, fake, utc("2026-11-24", "03:00"))
    [report] = reports(fake)
    assert "未回答：<@U_DEMO>, <@U_LI>" in texts(report)


def test_a_vacation_is_refused_when_it_is_over_or_too_long(slack: SlackDriver, db: Engine) -> None:
    _say(slack, "/standup config")
    assert "already over" in _say(slack, "/standup vacation 2026-11-01..2026-11-10")["text"]
    assert "at most 366 days" in _say(slack, "/standup vacation 2026-12-01..2028-01-01")["text"]
    assert "Something is missing" in _say(slack, "/standup vacation")["text"]
    ok = _say(slack, "/standup vacation until:2026-12-04")
    assert "from Nov 23, 2026 to Dec 4, 2026" in ok["text"]
    [away] = _rows(db)[2]
    assert (away.first_day.isoformat(), away.last_day.isoformat(), away.reason) == (
        "2026-11-23",
        "2026-12-04",
        "vacation",
    )


# -- pause, resume, off -------------------------------------------------------------------------------


def test_a_paused_standup_asks_nobody_and_off_can_be_undone(
    slack: SlackDriver, fake: FakeSlack, db: Engine, settings: Settings, clock: FixedClock
) -> None:
    _say(slack, "/standup config")
    assert "is paused" in _say(slack, "/standup pause")["text"]
    run_due(db, settings, fake, utc("2026-11-24", "01:30"))
    run_due(db, settings, fake, utc("2026-11-24", "03:00"))
    assert prompts(fake, "U_DEMO") == [] and reports(fake) == []
    assert "runs again" in _say(slack, "/standup resume")["text"]
    run_due(db, settings, fake, utc("2026-11-25", "01:30"))
    assert len(prompts(fake, "U_DEMO")) == 1

    off = _say(slack, "/standup off")
    assert "is over; its history stays" in off["text"]
    assert "no standup yet" in _say(slack, "/standup show")["text"]
    [(block_id, undo)] = buttons_in(off["blocks"])
    slack.click(undo, user="U_DEMO", channel=CHANNEL, block_id=block_id, ephemeral=True)
    assert "runs again" in fake.response_url_posts[-1]["payload"]["text"]
    assert "Standup of <#C_DEMO>" in texts(_say(slack, "/standup show"))


# -- history, statistics, export ----------------------------------------------------------------------


def _two_days(slack: SlackDriver, fake: FakeSlack, db: Engine, settings: Settings, clock: FixedClock) -> None:
    _say(slack, "/standup config reminder:off")
    for day in ("2026-11-24", "2026-11-25"):
        run_due(db, settings, fake, utc(day, "01:30"))
        clock.set(shanghai(day, "09:40"))
        answer_by_form(slack, fake, "U_LI", [f"{day} done", "=SUM(A1:A9)", "等法务审核"])
        if day == "2026-11-25":
            answer_by_form(slack, fake, "U_DEMO", ["Budget", "Brief", "none"])
        run_due(db, settings, fake, utc(day, "03:00"))
    clock.set(shanghai("2026-11-25", "15:00"))


def test_history_and_statistics(
    slack: SlackDriver, fake: FakeSlack, db: Engine, settings: Settings, clock: FixedClock
) -> None:
    _two_days(slack, fake, db, settings, clock)
    history = texts(_say(slack, "/standup report <@U_LI|li.na> 2026-11-24..2026-11-25"))
    assert history.index("*Nov 25, 2026* · <@U_LI>") < history.index("*Nov 24, 2026* · <@U_LI>")
    assert "2026-11-24 done" in history and "Budget" not in history
    everyone = texts(_say(slack, "/standup report"))
    assert "Budget" in everyone
    stats = texts(_say(slack, "/standup stats 7d"))
    assert "<@U_LI>: answered 2/2 (100%), on time 2, blockers 2, tracked 0" in stats
    assert "<@U_DEMO>: answered 1/2 (50%), on time 1, blockers 0, tracked 0" in stats
    assert "`soon` is not a period" in _say(slack, "/standup stats soon")["text"]


def test_export_sends_a_csv_to_the_callers_dm_and_the_cli_writes_the_same(
    slack: SlackDriver,
    fake: FakeSlack,
    db: Engine,
    settings: Settings,
    clock: FixedClock,
    database_url: str,
    tmp_path: Any,
) -> None:
    _two_days(slack, fake, db, settings, clock)
    reply = _say(slack, "/standup export 2026-11-24..2026-11-25", user="U_MIA")
    assert "3 answers from Nov 24, 2026 to Nov 25, 2026" in reply["text"]
    [complete] = fake.calls_to("files.completeUploadExternal")
    assert complete.args["channel_id"] == "D_U_MIA"
    data = fake.uploads[complete.args["files"][0]["id"]].decode("utf-8")
    assert data.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(data.lstrip("\ufeff"))))
    assert len(rows) == 9  # three answers, three questions each
    li = [r for r in rows if r["user_id"] == "U_LI" and r["day"] == "2026-11-24"]
    assert [r["answer"] for r in li] == ["2026-11-24 done", "'=SUM(A1:A9)", "等法务审核"]
    assert li[0]["name"] == "li.na" and li[0]["question"] == "昨天做了什么？" and li[0]["late"] == "no"

    out = tmp_path / "standups.csv"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "ecombot",
            "export",
            "standups",
            "--team",
            "T_DEMO",
            "--from",
            "2026-11-24",
            "--to",
            "2026-11-25",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env=cli_env(database_url, fake.api_url),
    )
    assert result.returncode == 0, result.stderr
    assert "3 answers written" in result.stderr
    assert out.read_text(encoding="utf-8") == data
    bad = subprocess.run(
        [
            sys.executable,
            "-m",
            "ecombot",
            "export",
            "standups",
            "--team",
            "T_NOPE",
            "--from",
            "2026-11-24",
            "--to",
            "2026-11-25",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env=cli_env(database_url, fake.api_url),
    )
    assert bad.returncode == 2 and "no workspace 'T_NOPE'" in bad.stderr


# -- App Home and DMs ---------------------------------------------------------------------------------


def test_app_home_shows_my_standup_today_and_the_team_for_ops_leads(
    slack: SlackDriver, fake: FakeSlack, db: Engine, settings: Settings, clock: FixedClock
) -> None:
    _say(slack, "/standup config reminder:off")
    run_due(db, settings, fake, utc("2026-11-24", "01:30"))
    clock.set(shanghai("2026-11-24", "09:40"))
    answer_by_form(slack, fake, "U_LI", ["a", "b", "none"])
    for user in ("U_DEMO", "U_LI", "U_SAM"):
        slack.event({"type": "app_home_opened", "user": user, "tab": "home"})
    homes = fake.home_views
    demo, li = texts(homes["U_DEMO"]), texts(homes["U_LI"])
    assert "<#C_DEMO> · Nov 24, 2026: to answer" in demo and "Team: 1 of 4 answered" in demo
    assert "<#C_DEMO> · 2026年11月24日：已回答" in li and "团队" not in li
    assert any(e["action_id"] == "standups.answer" for _, e in buttons_in(homes["U_DEMO"]["blocks"]))


def test_a_dm_with_nothing_asked_gets_a_hint_and_a_too_long_answer_is_not_saved(
    slack: SlackDriver, fake: FakeSlack, db: Engine, settings: Settings, clock: FixedClock
) -> None:
    slack.dm("hello?", user="U_SAM")
    assert from_bot(fake, "U_SAM") == []  # no standup: the bot stays quiet
    _say(slack, "/standup config reminder:off")
    slack.dm("hello?", user="U_SAM")
    assert "`/standup answer`" in from_bot(fake, "U_SAM")[-1]["text"]

    run_due(db, settings, fake, utc("2026-11-24", "01:30"))
    clock.set(shanghai("2026-11-24", "09:40"))
    slack.dm("x" * 3001, user="U_DEMO")
    assert "3001 characters and was not saved" in from_bot(fake, "U_DEMO")[-1]["text"]
    slack.dm("Reviewed <b>&</b> stats", user="U_DEMO")
    assert from_bot(fake, "U_DEMO")[-1]["text"].startswith("*2/3*")
    # An edit of a message, or another app's message, is not an answer.
    slack.event(
        {"type": "message", "subtype": "message_changed", "channel": "D_U_DEMO", "channel_type": "im"}
    )
    slack.event(
        {"type": "message", "bot_id": "B_OTHER", "text": "hi", "channel": "D_U_DEMO", "channel_type": "im"}
    )
    assert from_bot(fake, "U_DEMO")[-1]["text"].startswith("*2/3*")


def test_report_pages_through_long_answers_with_next_and_keeps_every_word(
    slack: SlackDriver, fake: FakeSlack, db: Engine, settings: Settings, clock: FixedClock
) -> None:
    people = [f"U_W{i}" for i in range(6)]
    for user in people:
        fake.add_user(user, name=user.lower())
    fake.add_channel("C_DEMO", name="ops", members=("U_DEMO", *people))
    _say(slack, "/standup config reminder:off")
    written: list[str] = []
    for day in ("2026-11-24", "2026-11-25"):
        run_due(db, settings, fake, utc(day, "01:30"))
        clock.set(shanghai(day, "09:40"))
        for user in people:
            answers = [f"{user} {day} {q} " + "word " * 590 for q in ("did", "does", "waits")]
            answer_by_form(slack, fake, user, answers)
            written += answers
    clock.set(shanghai("2026-11-25", "15:00"))
    first = _say(slack, "/standup report 2026-11-24..2026-11-25")
    assert len(first["blocks"]) <= 50
    [(block_id, more)] = [
        (b, e) for b, e in buttons_in(first["blocks"]) if e["action_id"] == "standups.history_more"
    ]
    shown = texts(first)
    page = next(line for line in shown.splitlines() if line.startswith("Answers 1–"))
    assert page.endswith(" of 12")
    slack.click(more, user="U_DEMO", channel=CHANNEL, block_id=block_id, ephemeral=True)
    second = fake.response_url_posts[-1]["payload"]
    assert fake.response_url_posts[-1]["payload"].get("replace_original") in (True, "true")
    assert len(second["blocks"]) <= 50
    assert texts(second).splitlines()[-1].endswith("of 12")
    together = "".join((shown + texts(second)).split())
    for text in written:
        assert "".join(text.split()) in together
    # Next from another channel is refused (a private channel's answers stay in it).
    slack.click(more, user="U_DEMO", channel="C_PRIV", block_id=block_id, ephemeral=True)
    assert "Run this in the channel" in fake.response_url_posts[-1]["payload"]["text"]
