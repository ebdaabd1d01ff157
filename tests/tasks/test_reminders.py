"""The 09:00 task reminders and the recurring roll-over, fired through the scheduling engine and the
delivery worker exactly as `ecombot jobs run-due --at` does, to tasks made through the app."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from ecombot.config import Settings
from ecombot.devtools.blockkit import validate_blocks
from ecombot.devtools.driver import SlackDriver, buttons_in
from ecombot.devtools.fakeslack import FakeSlack
from ecombot.tasks.models import Task
from tests.support import cli_env, run_due, run_ecombot

TEAM = "T_DEMO"
LI_NINE = datetime.fromisoformat("2026-11-24T09:00:00+08:00")  # Tuesday 09:00 in Shanghai
SAM_NINE = datetime.fromisoformat("2026-11-24T09:00:00-05:00")  # Tuesday 09:00 in New York
LI_DIGEST = "逾期"  # every Chinese reminder's text: "逾期 n 项，今天截止 n 项，明天截止 n 项"
SAM_DIGEST = "due tomorrow"  # every English one: "n overdue, n due today, n due tomorrow"


def _texts(blocks: list[dict[str, Any]] | None) -> str:
    parts: list[str] = []
    for block in blocks or []:
        if isinstance(block.get("text"), dict):
            parts.append(block["text"]["text"])
        parts.extend(e.get("text", "") for e in block.get("elements", []) if isinstance(e.get("text"), str))
    return "\n".join(parts)


def _reminders(fake: FakeSlack, user: str, marker: str) -> list[dict[str, Any]]:
    """The reminder DMs `user` got (not the "gave you task" cards)."""
    return [m for m in fake.messages(user) if marker in m["text"] and "#" not in m["text"]]


def _add(slack: SlackDriver, line: str, user: str = "U_DEMO") -> None:
    reply = slack.command(line, user=user).json
    assert reply is not None and ("Added task" in reply["text"] or "已添加任务" in reply["text"]), reply


def _task(db: Engine, number: int) -> Task:
    with Session(db) as s:
        task = s.exec(select(Task).where(Task.team_id == TEAM, Task.number == number)).first()
    assert task is not None
    return task


def _meet_everyone(slack: SlackDriver) -> None:
    """Each person runs a command once, so the app knows their timezone and language from users.info."""
    for user in ("U_DEMO", "U_LI", "U_SAM", "U_MIA"):
        assert slack.command("/ecom help", user=user).status == 200


def _two_zones(slack: SlackDriver) -> None:
    _meet_everyone(slack)
    _add(slack, "/task add Overdue banner <@U_LI> due:2026-11-22")  # 1
    _add(slack, "/task add Today copy <@U_LI> due:2026-11-24")  # 2
    _add(slack, "/task add Tomorrow photos <@U_LI> due:2026-11-25")  # 3
    _add(slack, "/task add Next week plan <@U_LI> due:2026-11-30")  # 4: not yet
    _add(slack, "/task add Someday idea <@U_LI>")  # 5: no date
    _add(slack, "/task add Sam overdue <@U_SAM> due:2026-11-23")  # 6
    _add(slack, "/task add Sam today <@U_SAM> due:2026-11-24")  # 7
    _add(slack, "/task add Mia later <@U_MIA> due:2026-12-20")  # 8: nothing due for Mia


def test_each_owner_gets_one_dm_at_nine_in_their_own_timezone(
    slack: SlackDriver, fake: FakeSlack, db: Engine, settings: Settings
) -> None:
    _two_zones(slack)
    before = {u: len(fake.messages(u)) for u in ("U_DEMO", "U_LI", "U_SAM", "U_MIA")}

    report = run_due(db, settings, fake, LI_NINE)
    assert report.fired == 1
    [li] = _reminders(fake, "U_LI", LI_DIGEST)
    assert li["text"] == "逾期 1 项，今天截止 1 项，明天截止 1 项"
    assert validate_blocks(li["blocks"], surface="message") == []
    text = _texts(li["blocks"])
    assert "2026年11月24日 的任务" in text
    assert text.index("*已逾期（1）*") < text.index("Overdue banner") < text.index("*今天截止（1）*")
    assert text.index("*今天截止（1）*") < text.index("Today copy") < text.index("*明天截止（1）*")
    assert text.index("*明天截止（1）*") < text.index("Tomorrow photos")
    assert "Next week plan" not in text and "Someday idea" not in text
    assert [e["value"] for _, e in buttons_in(li["blocks"]) if e["action_id"] == "tasks.done"] == [
        "1",
        "2",
        "3",
    ]
    assert len(fake.messages("U_SAM")) == before["U_SAM"]

    report = run_due(db, settings, fake, SAM_NINE)
    assert report.fired == 1
    [sam] = _reminders(fake, "U_SAM", SAM_DIGEST)
    assert sam["text"] == "1 overdue, 1 due today, 0 due tomorrow"
    sam_text = _texts(sam["blocks"])
    assert "Your tasks for Nov 24, 2026" in sam_text
    assert "Sam overdue" in sam_text and "Sam today" in sam_text and "Banner" not in sam_text

    # The same instants again (a restart, a second scheduler): nothing new for anyone.
    again = run_due(db, settings, fake, LI_NINE)
    again.add(run_due(db, settings, fake, SAM_NINE))
    assert (again.fired, again.enqueued) == (0, 0)
    assert len(_reminders(fake, "U_LI", LI_DIGEST)) == 1
    assert len(_reminders(fake, "U_SAM", SAM_DIGEST)) == 1
    assert len(fake.messages("U_LI")) == before["U_LI"] + 1
    assert len(fake.messages("U_SAM")) == before["U_SAM"] + 1
    # Mia has only a task for December and Demo none: no DM at all.
    assert len(fake.messages("U_MIA")) == before["U_MIA"]
    assert len(fake.messages("U_DEMO")) == before["U_DEMO"] == 0


def test_nothing_is_sent_outside_the_morning_window(
    slack: SlackDriver, fake: FakeSlack, db: Engine, settings: Settings
) -> None:
    _two_zones(slack)
    before = len(fake.calls_to("chat.postMessage"))
    for at in ("2026-11-24T08:59:00+08:00", "2026-11-24T15:01:00+08:00", "2026-11-24T08:30:00-05:00"):
        assert run_due(db, settings, fake, datetime.fromisoformat(at)).fired == 0
    assert len(fake.calls_to("chat.postMessage")) == before


def test_done_and_snoozed_tasks_are_left_out_but_the_due_date_stays(
    slack: SlackDriver, fake: FakeSlack, db: Engine, settings: Settings
) -> None:
    _meet_everyone(slack)
    _add(slack, "/task add Overdue banner <@U_LI> due:2026-11-22")  # 1
    _add(slack, "/task add Today copy <@U_LI> due:2026-11-24")  # 2
    _add(slack, "/task add Tomorrow photos <@U_LI> due:2026-11-25")  # 3
    # Li closes #1, and snoozes #2 from the card she was sent (Monday 09:00, the clock's time).
    assert "已完成" in slack.command("/task done 1", user="U_LI").json["text"]
    [card] = [m for m in fake.messages("U_LI") if "#2" in m["text"]]
    [(block_id, snooze)] = [(b, e) for b, e in buttons_in(card["blocks"]) if e["action_id"] == "tasks.snooze"]
    slack.click(snooze, user="U_LI", channel="D_U_LI", message=card, block_id=block_id)
    snoozed = fake.response_url_posts[-1]["payload"]["text"]
    assert "#2 在 2026年11月24日 09:00:00 之前不再提醒" in snoozed, snoozed
    assert _task(db, 2).remind_after == datetime.fromisoformat("2026-11-24T09:00:00+08:00")

    run_due(db, settings, fake, LI_NINE)
    [li] = _reminders(fake, "U_LI", LI_DIGEST)
    text = _texts(li["blocks"])
    assert "Tomorrow photos" in text
    assert "Overdue banner" not in text  # done
    assert "Today copy" not in text, text  # snoozed for a day at 09:00 Monday
    assert li["text"] == "逾期 0 项，今天截止 0 项，明天截止 1 项"
    assert _task(db, 2).due_date == date(2026, 11, 24)
    assert _task(db, 2).status == "open"


def test_nobody_gets_a_dm_when_everything_is_done(
    slack: SlackDriver, fake: FakeSlack, db: Engine, settings: Settings
) -> None:
    _meet_everyone(slack)
    _add(slack, "/task add Today copy <@U_LI> due:2026-11-24")
    slack.command("/task done 1", user="U_LI")
    before = len(fake.messages("U_LI"))
    report = run_due(db, settings, fake, LI_NINE)
    assert (report.fired, report.enqueued) == (0, 0)
    assert len(fake.messages("U_LI")) == before


def test_a_recurring_task_whose_date_passed_gets_its_next_occurrence(
    slack: SlackDriver, fake: FakeSlack, db: Engine, settings: Settings
) -> None:
    _meet_everyone(slack)
    _add(slack, "/task add Weekly stock check <@U_LI> every:mon")  # due today, Monday Nov 23
    assert _task(db, 1).due_date == date(2026, 11, 23)
    run_due(db, settings, fake, datetime.fromisoformat("2026-11-23T20:00:00+08:00"))
    with Session(db) as s:
        assert len(list(s.exec(select(Task)))) == 1  # still its day: nothing to roll over

    run_due(db, settings, fake, LI_NINE)
    missed, following = _task(db, 1), _task(db, 2)
    assert missed.status == "open" and missed.next_id == following.id  # the missed one stays open
    assert (following.title, following.owner_id, following.recurrence) == (
        "Weekly stock check",
        "U_LI",
        "mon",
    )
    assert following.due_date == date(2026, 11, 30)
    [li] = _reminders(fake, "U_LI", LI_DIGEST)
    assert "Weekly stock check" in _texts(li["blocks"]) and "*已逾期（1）*" in _texts(li["blocks"])

    run_due(db, settings, fake, LI_NINE + timedelta(hours=1))  # the next tick makes no second one
    with Session(db) as s:
        assert len(list(s.exec(select(Task)))) == 2


def test_done_in_the_reminder_keeps_the_other_tasks_in_view(
    slack: SlackDriver, fake: FakeSlack, db: Engine, settings: Settings
) -> None:
    _two_zones(slack)
    run_due(db, settings, fake, LI_NINE)
    [li] = _reminders(fake, "U_LI", LI_DIGEST)
    [(block_id, done)] = [(b, e) for b, e in buttons_in(li["blocks"]) if e.get("value") == "1"]
    slack.click(done, user="U_LI", channel="D_U_LI", message=li, block_id=block_id)
    assert _task(db, 1).status == "done"
    reply = fake.response_url_posts[-1]["payload"]
    assert "#1 *Overdue banner* 已完成。" in reply["text"]
    # The digest still lists #2 and #3 with their Done buttons (it is not replaced by one confirmation).
    assert not reply.get("replace_original") or "Today copy" in _texts(reply.get("blocks")), reply


def test_run_due_from_the_command_line_sends_the_dm_once(
    slack: SlackDriver, fake: FakeSlack, db: Engine, database_url: str, tmp_path: Path
) -> None:
    _two_zones(slack)
    env = cli_env(database_url, fake.api_url)
    command = ["jobs", "run-due", "--at", "2026-11-24T09:00:00+08:00"]
    first = run_ecombot(command, env, tmp_path)
    assert first.returncode == 0, first.stderr
    assert "fired 1 slot(s)" in first.stdout and "1 sent, 0 failed, 0 pending" in first.stdout
    [li] = _reminders(fake, "U_LI", LI_DIGEST)
    assert li["text"] == "逾期 1 项，今天截止 1 项，明天截止 1 项"
    assert _reminders(fake, "U_SAM", SAM_DIGEST) == []

    second = run_ecombot(command, env, tmp_path)
    assert second.returncode == 0, second.stderr
    assert "fired 0 slot(s)" in second.stdout
    assert len(_reminders(fake, "U_LI", LI_DIGEST)) == 1


def test_a_recurring_task_is_not_rolled_over_while_it_is_still_its_day_for_the_owner(
    slack: SlackDriver, fake: FakeSlack, db: Engine, settings: Settings
) -> None:
    _meet_everyone(slack)
    _add(slack, "/task add Weekly call notes <@U_SAM> every:mon due:2026-11-23")
    # 00:30 Tuesday in Shanghai (the workspace) is 11:30 Monday in New York: Sam's Monday is not over.
    run_due(db, settings, fake, datetime.fromisoformat("2026-11-23T11:30:00-05:00"))
    with Session(db) as s:
        assert [t.number for t in s.exec(select(Task))] == [1]
    run_due(db, settings, fake, datetime.fromisoformat("2026-11-24T00:30:00-05:00"))
    assert _task(db, 2).due_date == date(2026, 11, 30)
