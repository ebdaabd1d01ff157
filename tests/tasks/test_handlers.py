"""/task end to end: signed requests to the real app, replies checked as the user would see them,
and the rows the app stored."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from ecombot.actor import Actor
from ecombot.clock import FixedClock
from ecombot.config import WorkspaceDefaults
from ecombot.db import session_scope
from ecombot.devtools.blockkit import validate_blocks
from ecombot.devtools.console import modal_values
from ecombot.devtools.driver import SlackDriver, buttons_in
from ecombot.devtools.fakeslack import FakeSlack
from ecombot.tasks import service
from ecombot.tasks.models import Task
from ecombot.workspaces.service import ensure_workspace

TEAM = "T_DEMO"
MONDAY = date(2026, 11, 23)  # the clock's day in Shanghai
FRIDAY = date(2026, 11, 27)
MESSAGE = {"ts": "1700000000.000100", "text": "Please fix the banner", "user": "U_LI"}


# -- helpers ---------------------------------------------------------------------------------------


def _texts(blocks: list[dict[str, Any]] | None) -> str:
    """Every piece of text a user reads in `blocks` (sections, headers, context; not the buttons)."""
    parts: list[str] = []
    for block in blocks or []:
        if isinstance(block.get("text"), dict):
            parts.append(block["text"]["text"])
        parts.extend(f["text"] for f in block.get("fields", []))
        parts.extend(e.get("text", "") for e in block.get("elements", []) if isinstance(e.get("text"), str))
    return "\n".join(parts)


def _button(blocks: list[dict[str, Any]] | None, action_id: str) -> tuple[str, dict[str, Any]]:
    found = [(b, e) for b, e in buttons_in(blocks or []) if e["action_id"] == action_id]
    assert found, f"no {action_id} in {[e['action_id'] for _, e in buttons_in(blocks or [])]}"
    return found[0]


def _labels(blocks: list[dict[str, Any]] | None) -> list[str]:
    return [
        e["text"]["text"] if isinstance(e.get("text"), dict) else e["action_id"]
        for _, e in buttons_in(blocks or [])
    ]


def _task(db: Engine, number: int, team: str = TEAM) -> Task | None:
    """The stored task #number (deleted ones included)."""
    with Session(db) as s:
        return s.exec(select(Task).where(Task.team_id == team, Task.number == number)).first()


def _all_tasks(db: Engine) -> list[tuple[Any, ...]]:
    with db.connect() as conn:
        return sorted(map(tuple, conn.execute(sa.select(Task.__table__)).all()), key=repr)  # type: ignore[attr-defined]


def _count(db: Engine) -> int:
    with db.connect() as conn:
        return int(conn.execute(sa.text("SELECT count(*) FROM tasks")).scalar_one())


def _reply(slack: SlackDriver, line: str, user: str = "U_DEMO") -> dict[str, Any]:
    """Run a /task line; the ephemeral reply (checked to be one Slack would show)."""
    result = slack.command(line, user=user)
    assert result.status == 200, result.text
    reply = result.json
    assert reply is not None, f"{line!r} got an empty ack"
    assert reply["response_type"] == "ephemeral"
    assert validate_blocks(reply["blocks"], surface="message") == []
    return reply


def _last_post(fake: FakeSlack) -> dict[str, Any]:
    posts = fake.response_url_posts
    assert posts, "nothing was posted to the response_url"
    payload: dict[str, Any] = posts[-1]["payload"]
    return payload


def _modal(fake: FakeSlack) -> dict[str, Any]:
    """The modal most recently opened."""
    modals = [v for v in fake.views.values() if v["type"] == "modal"]
    assert modals, "no modal was opened"
    return modals[-1]


# -- /task add -------------------------------------------------------------------------------------


def test_add_shows_the_card_stores_the_task_and_dms_the_owner_in_chinese(
    slack: SlackDriver, fake: FakeSlack, db: Engine
) -> None:
    reply = _reply(slack, '/task add "Banner for Double 11" <@U_LI> due:fri #双11 p:high')
    text = _texts(reply["blocks"])
    assert "Added task #1." in text
    assert "`#1` *Banner for Double 11*" in text
    assert "<@U_LI>" in text
    assert "due Nov 27, 2026" in text
    assert "#双11" in text and "high" in text
    assert "created by <@U_DEMO>" in text
    assert _labels(reply["blocks"]) == ["Done", "Snooze 1 day", "tasks.reassign"]

    task = _task(db, 1)
    assert task is not None
    assert (task.title, task.owner_id, task.creator_id) == ("Banner for Double 11", "U_LI", "U_DEMO")
    assert (task.due_date, task.campaign, task.priority, task.status) == (FRIDAY, "双11", "high", "open")

    [dm] = fake.messages("U_LI")
    dm_text = _texts(dm["blocks"])
    assert "<@U_DEMO> 给您分配了任务 #1。" in dm_text
    assert "*Banner for Double 11*" in dm_text and "截止 2026年11月27日" in dm_text
    assert [e["action_id"] for _, e in buttons_in(dm["blocks"])] == [
        "tasks.done",
        "tasks.snooze",
        "tasks.reassign",
    ]


def test_options_in_any_order_and_an_unquoted_title(slack: SlackDriver, db: Engine) -> None:
    reply = _reply(slack, "/task add p:low #双11 due:fri Check the coupon codes <@U_SAM>")
    assert "`#1` *Check the coupon codes*" in _texts(reply["blocks"])
    task = _task(db, 1)
    assert task is not None
    assert (task.title, task.owner_id, task.due_date, task.campaign, task.priority) == (
        "Check the coupon codes",
        "U_SAM",
        FRIDAY,
        "双11",
        "low",
    )


def test_due_dates_are_resolved_in_the_callers_timezone(slack: SlackDriver, db: Engine) -> None:
    _reply(slack, "/task add Order boxes due:明天")
    # 01:00 UTC Monday is still Sunday evening in New York: Sam's "tomorrow" is Monday.
    _reply(slack, "/task add Call the courier due:tomorrow", user="U_SAM")
    first, second = _task(db, 1), _task(db, 2)
    assert first is not None and second is not None
    assert first.due_date == MONDAY + timedelta(days=1)
    assert second.due_date == MONDAY


def test_a_task_for_yourself_sends_no_dm(slack: SlackDriver, fake: FakeSlack, db: Engine) -> None:
    reply = _reply(slack, "/task add Write the promo copy", user="U_LI")
    assert "已添加任务 #1。" in _texts(reply["blocks"])
    task = _task(db, 1)
    assert task is not None and task.owner_id == task.creator_id == "U_LI"
    assert task.due_date is None
    assert fake.messages("U_LI") == []
    assert fake.calls_to("chat.postMessage") == []


# -- bad input ---------------------------------------------------------------------------------------


def test_bad_input_names_the_bad_part_shows_usage_and_writes_nothing(slack: SlackDriver, db: Engine) -> None:
    _reply(slack, "/task add Existing task")
    before = _all_tasks(db)
    cases = {
        "/task frobnicate 1": "`frobnicate` is not a subcommand I know",
        "/task add Buy boxes due:someday": "`someday` is not a date",
        "/task add Buy boxes p:urgentish": "`p:urgentish` is not a priority",
        "/task add Buy boxes every:hourly": "`every:hourly` is not a repeat rule",
        "/task add <@U_LI> due:fri": "Something is missing: &lt;title&gt;",
        "/task done abc": "`abc` is not a task number",
    }
    for line, problem in cases.items():
        reply = _reply(slack, line)
        assert problem in reply["text"], (line, reply["text"])
        assert "Usage:" in reply["text"] and "/task " in _texts(reply["blocks"]), line
    for line in ("/task add Buy boxes parent:99", "/task done 99", "/task show 99", "/task delete 99"):
        reply = _reply(slack, line)
        assert "There is no task #99 in this workspace." in reply["text"], line
    assert _all_tasks(db) == before


def test_a_task_of_another_workspace_is_not_found(slack: SlackDriver, db: Engine, clock: FixedClock) -> None:
    with session_scope(db) as s:
        ensure_workspace(s, team_id="T_OTHER", defaults=WorkspaceDefaults(), now=clock.now())
        s.flush()
        service.add_task(
            s,
            Actor(team_id="T_OTHER", user_id="U_X", now=clock.now(), tz="Asia/Shanghai"),
            service.TaskDraft(title="Other shop's task", owner_id="U_X"),
        )
    for line in ("/task done 1", "/task show 1", "/task assign 1 <@U_SAM>", "/task delete 1"):
        reply = _reply(slack, line)
        assert "There is no task #1 in this workspace." in reply["text"], line
    other = _task(db, 1, team="T_OTHER")
    assert other is not None and other.status == "open" and other.owner_id == "U_X"
    assert other.deleted_at is None
    assert _task(db, 1) is None


# -- /task list ----------------------------------------------------------------------------------------


def test_lists_are_grouped_by_due_date_and_filtered(slack: SlackDriver, db: Engine) -> None:
    _reply(slack, "/task add Overdue thing due:yesterday")
    _reply(slack, "/task add Today thing due:today #双11")
    _reply(slack, "/task add Week thing due:fri")
    _reply(slack, "/task add Later thing due:2026-12-20 #双11")
    _reply(slack, "/task add Undated thing")
    _reply(slack, "/task add Li's thing <@U_LI> due:yesterday #双11")

    mine = _texts(_reply(slack, "/task list")["blocks"])
    assert "Tasks: yours" in mine
    order = ["*Overdue* (1)", "Overdue thing", "*Today* (1)", "Today thing", "*This week* (1)", "Week thing"]
    order += ["*Later* (1)", "Later thing", "*No date* (1)", "Undated thing"]
    positions = [mine.index(part) for part in order]
    assert positions == sorted(positions)
    assert "Li's thing" not in mine
    assert "1d overdue" in mine
    assert "Showing 1–5 of 5." in mine

    everyone = _texts(_reply(slack, "/task list all")["blocks"])
    assert "Tasks: everyone's" in everyone and "Li's thing" in everyone and "*Overdue* (2)" in everyone

    overdue = _texts(_reply(slack, "/task list overdue")["blocks"])
    assert "Overdue thing" in overdue and "Li's thing" in overdue
    assert "Today thing" not in overdue and "Undated thing" not in overdue

    lis = _texts(_reply(slack, "/task list <@U_LI>")["blocks"])
    assert "Tasks: @li.na's" in lis and "Li's thing" in lis and "Overdue thing" not in lis

    campaign = _texts(_reply(slack, "/task list #双11")["blocks"])
    assert "in #双11" in campaign
    assert "Today thing" in campaign and "Later thing" in campaign
    assert "Week thing" not in campaign and "Li's thing" not in campaign  # mine, in the campaign

    assert "Nothing open here." in _texts(_reply(slack, "/task list", user="U_MIA")["blocks"])


def test_a_long_list_pages_twenty_at_a_time_with_show_more(
    slack: SlackDriver, fake: FakeSlack, db: Engine, clock: FixedClock, workspace: str
) -> None:
    with session_scope(db) as s:
        for i in range(45):
            due = None if i % 5 == 4 else MONDAY + timedelta(days=i % 9 - 2)
            service.add_task(
                s,
                Actor(team_id=TEAM, user_id="U_DEMO", now=clock.now(), tz="Asia/Shanghai"),
                service.TaskDraft(
                    title=f"Task {i + 1:02d} " + "long title words " * 15,
                    owner_id="U_DEMO",
                    due_date=due,
                    campaign="双11",
                    priority="high",
                ),
            )
    first = _reply(slack, "/task list")
    first_text = _texts(first["blocks"])
    assert first_text.count("`#") == 20
    assert "Showing 1–20 of 45." in first_text
    block_id, more = _button(first["blocks"], "tasks.show_more")
    assert more["text"]["text"] == "Show more"
    assert json.loads(more["value"]) == {"mode": "mine", "user": "", "campaign": "", "offset": 20}

    assert slack.click(more, block_id=block_id, ephemeral=True).status == 200
    second = _last_post(fake)
    assert second["replace_original"] is True
    second_text = _texts(second["blocks"])
    assert second_text.count("`#") == 20
    assert "Showing 21–40 of 45." in second_text
    assert not set(_numbers_in(first_text)) & set(_numbers_in(second_text))

    block_id, more = _button(second["blocks"], "tasks.show_more")
    slack.click(more, block_id=block_id, ephemeral=True)
    third = _last_post(fake)
    third_text = _texts(third["blocks"])
    assert "Showing 41–45 of 45." in third_text
    assert "tasks.show_more" not in [e["action_id"] for _, e in buttons_in(third["blocks"])]
    seen = _numbers_in(first_text) + _numbers_in(second_text) + _numbers_in(third_text)
    assert sorted(seen) == list(range(1, 46))
    # A full Home of 45 long tasks is still one Slack accepts.
    slack.event({"type": "app_home_opened", "user": "U_DEMO", "channel": "D_U_DEMO", "tab": "home"})
    assert "U_DEMO" in fake.home_views
    assert fake.rejections == []


def _numbers_in(text: str) -> list[int]:
    return [int(part.split("`")[0]) for part in text.split("`#")[1:]]


# -- done / permissions --------------------------------------------------------------------------------


def test_owner_closes_with_done_and_a_plain_member_is_refused(slack: SlackDriver, db: Engine) -> None:
    _reply(slack, "/task add Banner <@U_LI> due:fri")
    _reply(slack, "/task add Copy <@U_LI> due:fri")
    refused = _reply(slack, "/task done 1", user="U_SAM")
    assert (
        "Only the owner (<@U_LI>), the creator (<@U_DEMO>) or an ops lead can close or reopen #1."
        in refused["text"]
    )
    task = _task(db, 1)
    assert task is not None and task.status == "open" and task.done_at is None

    done = _reply(slack, "/task done 1", user="U_LI")
    assert "#1 *Banner* 已完成。" in _texts(done["blocks"])
    task = _task(db, 1)
    assert task is not None and task.status == "done" and task.done_by == "U_LI"
    assert _labels(done["blocks"]) == ["重新打开"]
    other = _task(db, 2)
    assert other is not None and other.status == "open"


def test_done_button_twice_closes_once(
    slack: SlackDriver, fake: FakeSlack, db: Engine, clock: FixedClock
) -> None:
    card = _reply(slack, "/task add Banner <@U_LI> due:fri")
    block_id, done = _button(card["blocks"], "tasks.done")
    assert block_id == "task:1"
    slack.click(done, user="U_LI", block_id=block_id, ephemeral=True)
    first = _last_post(fake)
    assert first["replace_original"] is True
    assert "#1 *Banner* 已完成。" in _texts(first["blocks"])
    task = _task(db, 1)
    assert task is not None and task.status == "done"
    done_at = task.done_at
    assert done_at == clock.now()

    clock.advance(timedelta(hours=1))
    slack.click(done, user="U_LI", block_id=block_id, ephemeral=True)
    second = _last_post(fake)
    assert "#1 *Banner* 早已完成。" in _texts(second["blocks"])
    again = _task(db, 1)
    assert again is not None and again.done_at == done_at and again.done_by == "U_LI"
    assert _count(db) == 1


# -- checkpoints ------------------------------------------------------------------------------------------


def test_checkpoints_are_counted_and_closing_the_parent_asks_first(
    slack: SlackDriver, fake: FakeSlack, db: Engine
) -> None:
    _reply(slack, "/task add Double 11 launch due:fri #双11")
    first = _reply(slack, "/task add Banner <@U_LI> parent:1")
    assert "checkpoint of #1 Double 11 launch" in _texts(first["blocks"])
    _reply(slack, "/task add Copy parent:#1")
    for number in (2, 3):
        checkpoint = _task(db, number)
        parent = _task(db, 1)
        assert checkpoint is not None and parent is not None
        assert checkpoint.parent_id == parent.id and checkpoint.campaign == "双11"

    shown = _texts(_reply(slack, "/task show 1")["blocks"])
    assert "0/2 checkpoints done" in shown

    asked = _reply(slack, "/task done 1")
    assert "#1 *Double 11 launch* still has 2 of 2 checkpoints open. Close it anyway?" in asked["text"]
    parent = _task(db, 1)
    assert parent is not None and parent.status == "open"
    block_id, close = _button(asked["blocks"], "tasks.close_anyway")
    assert close["text"]["text"] == "Close anyway"

    slack.click(close, block_id=block_id, ephemeral=True)
    assert "#1 *Double 11 launch* is done." in _texts(_last_post(fake)["blocks"])
    parent = _task(db, 1)
    assert parent is not None and parent.status == "done" and parent.done_by == "U_DEMO"
    assert [t.status for t in (_task(db, 2), _task(db, 3)) if t is not None] == ["open", "open"]


def test_closing_the_checkpoints_updates_the_parents_progress(slack: SlackDriver) -> None:
    _reply(slack, "/task add Launch due:fri")
    _reply(slack, "/task add Banner parent:1")
    _reply(slack, "/task add Copy parent:1")
    _reply(slack, "/task done 2")
    assert "1/2 checkpoints done" in _texts(_reply(slack, "/task show 1")["blocks"])
    _reply(slack, "/task done 3")
    done = _reply(slack, "/task done 1")
    assert "#1 *Launch* is done." in done["text"]


# -- recurrence ---------------------------------------------------------------------------------------------


def test_done_recurring_task_makes_the_next_occurrence(slack: SlackDriver, db: Engine) -> None:
    card = _reply(slack, "/task add Weekly stock check every:mon <@U_LI>")
    assert "every Monday" in _texts(card["blocks"])
    first = _task(db, 1)
    assert first is not None and first.due_date == MONDAY  # no date: starts today

    done = _reply(slack, "/task done 1")
    assert "#1 *Weekly stock check* is done." in done["text"]
    assert "Next occurrence: #2, due Nov 30, 2026." in done["text"]
    assert "Next occurrence: #2, due Nov 30, 2026." in _texts(done["blocks"])
    following = _task(db, 2)
    assert following is not None
    assert (following.title, following.owner_id, following.recurrence, following.status) == (
        "Weekly stock check",
        "U_LI",
        "mon",
        "open",
    )
    assert following.due_date == date(2026, 11, 30)
    # Closing it again does not make a third.
    _reply(slack, "/task reopen 1")
    _reply(slack, "/task done 1")
    assert _count(db) == 2


# -- reopen, assign, due, show, delete ------------------------------------------------------------------------


def test_reopen_assign_and_move_the_date(slack: SlackDriver, fake: FakeSlack, db: Engine) -> None:
    _reply(slack, "/task add Banner <@U_LI> due:fri")
    assert "#1 *Banner* is already open." in _reply(slack, "/task reopen 1")["text"]
    _reply(slack, "/task done 1")
    reopened = _reply(slack, "/task reopen 1")
    assert "#1 *Banner* is open again." in reopened["text"]
    task = _task(db, 1)
    assert task is not None and task.status == "open" and task.done_at is None and task.done_by == ""

    assigned = _reply(slack, "/task assign 1 <@U_SAM>")
    assert "#1 *Banner* now belongs to <@U_SAM>." in assigned["text"]
    task = _task(db, 1)
    assert task is not None and task.owner_id == "U_SAM"
    [dm] = fake.messages("U_SAM")
    assert "<@U_DEMO> gave you task #1." in _texts(dm["blocks"])
    assert "due Nov 27, 2026" in _texts(dm["blocks"])
    assert "#1 already belongs to <@U_SAM>." in _reply(slack, "/task assign 1 <@U_SAM>")["text"]
    assert len(fake.messages("U_SAM")) == 1

    moved = _reply(slack, "/task due 1 +3d")
    assert "#1 *Banner* is now due Nov 26, 2026." in moved["text"]
    task = _task(db, 1)
    assert task is not None and task.due_date == date(2026, 11, 26)

    shown = _texts(_reply(slack, "/task show 1")["blocks"])
    assert "`#1` *Banner*" in shown and "<@U_SAM>" in shown and "due Nov 26, 2026" in shown

    bad = _reply(slack, "/task assign 1 sam")
    assert "`sam` is not a user mention" in bad["text"]


def test_delete_asks_then_deletes_with_undo(slack: SlackDriver, fake: FakeSlack, db: Engine) -> None:
    _reply(slack, "/task add Banner <@U_LI> due:fri")
    asked = _reply(slack, "/task delete 1")
    assert "Delete #1 *Banner*?" in asked["text"]
    task = _task(db, 1)
    assert task is not None and task.deleted_at is None
    assert _labels(asked["blocks"]) == ["Delete", "Cancel"]

    block_id, cancel = _button(asked["blocks"], "tasks.delete_cancel")
    slack.click(cancel, block_id=block_id, ephemeral=True)
    assert "Kept #1." in _last_post(fake)["text"]
    task = _task(db, 1)
    assert task is not None and task.deleted_at is None

    block_id, delete = _button(asked["blocks"], "tasks.delete_confirm")
    slack.click(delete, block_id=block_id, ephemeral=True)
    deleted = _last_post(fake)
    assert deleted["replace_original"] is True
    assert "Deleted #1 *Banner*." in deleted["text"]
    task = _task(db, 1)
    assert task is not None and task.deleted_at is not None
    assert "There is no task #1" in _reply(slack, "/task show 1")["text"]
    assert "Banner" not in _texts(_reply(slack, "/task list all")["blocks"])

    block_id, undo = _button(deleted["blocks"], "tasks.delete_undo")
    assert undo["text"]["text"] == "Undo"
    slack.click(undo, block_id=block_id, ephemeral=True)
    restored = _last_post(fake)
    assert "Restored #1 *Banner*." in _texts(restored["blocks"])
    task = _task(db, 1)
    assert task is not None and task.deleted_at is None
    assert "Banner" in _texts(_reply(slack, "/task list all")["blocks"])


def test_delete_by_a_member_who_did_not_create_it_is_refused(slack: SlackDriver, db: Engine) -> None:
    _reply(slack, "/task add Banner <@U_SAM> due:fri")
    refused = _reply(slack, "/task delete 1", user="U_SAM")
    assert "Only the creator (<@U_DEMO>) or an ops lead can delete #1." in refused["text"]
    assert buttons_in(refused["blocks"]) == []
    task = _task(db, 1)
    assert task is not None and task.deleted_at is None


# -- the form ----------------------------------------------------------------------------------------------------


def test_task_with_no_text_opens_the_form_and_saving_posts_the_card(
    slack: SlackDriver, fake: FakeSlack, db: Engine
) -> None:
    result = slack.command("/task", user="U_DEMO")
    assert result.status == 200
    [opened] = fake.calls_to("views.open")
    assert opened.ok and opened.args["trigger_id"]
    view = _modal(fake)
    assert view["callback_id"] == "tasks.modal"
    assert view["title"]["text"] == "New task"

    values = modal_values(
        view,
        {
            "title": "Shoot product photos",
            "owner": "U_LI",
            "due": "2026-11-27",
            "campaign_new": "双11",
            "priority": "high",
            "recurrence": "fri",
        },
    )
    submitted = slack.submit(view, values, user="U_DEMO")
    assert submitted.status == 200
    assert not submitted.text or submitted.json.get("response_action") != "errors"
    task = _task(db, 1)
    assert task is not None
    assert (task.title, task.owner_id, task.due_date, task.campaign, task.priority, task.recurrence) == (
        "Shoot product photos",
        "U_LI",
        FRIDAY,
        "双11",
        "high",
        "fri",
    )
    [card] = fake.ephemerals
    assert card["channel"] == "C_DEMO" and card["user"] == "U_DEMO"
    assert "Added task #1." in _texts(card["blocks"]) and "*Shoot product photos*" in _texts(card["blocks"])
    [dm] = fake.messages("U_LI")
    assert "给您分配了任务 #1" in _texts(dm["blocks"])


def test_form_with_a_bad_parent_shows_the_error_by_the_field(
    slack: SlackDriver, fake: FakeSlack, db: Engine
) -> None:
    slack.command("/task", user="U_DEMO")
    view = _modal(fake)
    result = slack.submit(view, modal_values(view, {"title": "Banner", "parent": "abc"}), user="U_DEMO")
    assert result.json == {
        "response_action": "errors",
        "errors": {"parent": "Give the number of an existing task, e.g. 12."},
    }
    missing = slack.submit(view, modal_values(view, {"title": "Banner", "parent": "42"}), user="U_DEMO")
    assert missing.json["response_action"] == "errors"
    assert "There is no task #42" in missing.json["errors"]["parent"]
    assert _count(db) == 0
    assert fake.ephemerals == []


def test_edit_opens_a_prefilled_form_and_saves_the_change(
    slack: SlackDriver, fake: FakeSlack, db: Engine
) -> None:
    _reply(slack, "/task add Banner <@U_LI> due:fri #双11 p:high")
    result = slack.command("/task edit 1", user="U_DEMO")
    assert result.status == 200
    view = _modal(fake)
    assert view["title"]["text"] == "Edit task #1"
    blocks = {b.get("block_id"): b for b in view["blocks"]}
    assert blocks["title"]["element"]["initial_value"] == "Banner"
    assert blocks["owner"]["element"]["initial_user"] == "U_LI"
    assert blocks["due"]["element"]["initial_date"] == "2026-11-27"
    assert blocks["campaign"]["element"]["initial_option"]["value"] == "双11"
    assert blocks["priority"]["element"]["initial_option"]["value"] == "high"

    dms_before = len(fake.messages("U_LI"))
    slack.submit(view, modal_values(view, {"title": "Banner v2"}), user="U_DEMO")
    task = _task(db, 1)
    assert task is not None
    assert (task.title, task.owner_id, task.due_date, task.campaign, task.priority) == (
        "Banner v2",
        "U_LI",
        FRIDAY,
        "双11",
        "high",
    )
    assert "Updated task #1." in _texts(fake.ephemerals[-1]["blocks"])
    assert len(fake.messages("U_LI")) == dms_before  # same owner: no new "gave you" DM
    assert _count(db) == 1


def test_new_task_shortcut_opens_the_form_and_posts_the_card_by_dm(
    slack: SlackDriver, fake: FakeSlack, db: Engine
) -> None:
    assert slack.shortcut("tasks.new", user="U_SAM").status == 200
    view = _modal(fake)
    assert view["callback_id"] == "tasks.modal"
    slack.submit(view, modal_values(view, {"title": "Restock socks"}), user="U_SAM")
    task = _task(db, 1)
    assert task is not None and task.owner_id == "U_SAM" and task.creator_id == "U_SAM"
    [card] = fake.messages("U_SAM")
    assert "Added task #1." in _texts(card["blocks"])


def test_message_shortcut_makes_a_task_with_a_link_back_in_two_clicks(
    slack: SlackDriver, fake: FakeSlack, db: Engine
) -> None:
    fake.add_message("C_DEMO", MESSAGE)
    assert (
        slack.message_shortcut("tasks.from_message", MESSAGE, user="U_DEMO", channel="C_DEMO").status == 200
    )
    # The link back is built from the payload, without asking Slack before the form opens.
    assert fake.calls_to("chat.getPermalink") == []
    link = "https://demo-shop.slack.com/archives/C_DEMO/p1700000000000100"
    view = _modal(fake)
    blocks = {b.get("block_id"): b for b in view["blocks"]}
    assert blocks["title"]["element"]["initial_value"] == "Please fix the banner"
    assert link in _texts(view["blocks"])

    slack.submit(view, modal_values(view, {}), user="U_DEMO")  # click 2: Save as it is
    task = _task(db, 1)
    assert task is not None
    assert (task.title, task.owner_id, task.source_url) == ("Please fix the banner", "U_DEMO", link)
    [card] = fake.ephemerals
    assert card["channel"] == "C_DEMO"
    assert f"<{link}|from this message>" in _texts(card["blocks"])


# -- card buttons ------------------------------------------------------------------------------------------------


def test_snooze_sets_the_reminder_pause_and_keeps_the_date(
    slack: SlackDriver, fake: FakeSlack, db: Engine, clock: FixedClock
) -> None:
    card = _reply(slack, "/task add Banner due:fri")
    block_id, snooze = _button(card["blocks"], "tasks.snooze")
    slack.click(snooze, block_id=block_id, ephemeral=True)
    reply = _last_post(fake)
    assert reply["replace_original"] is False
    assert "No reminder for #1 until" in reply["text"] and "it is still due Nov 27, 2026." in reply["text"]
    assert "Nov 24, 2026" in reply["text"]
    task = _task(db, 1)
    assert task is not None
    assert task.remind_after == clock.now() + timedelta(days=1)
    assert task.due_date == FRIDAY and task.status == "open"


def test_reassign_from_the_card_changes_the_owner_and_dms_them(
    slack: SlackDriver, fake: FakeSlack, db: Engine
) -> None:
    _reply(slack, "/task add Banner <@U_LI> due:fri")
    pick = {"type": "users_select", "action_id": "tasks.reassign", "selected_user": "U_MIA"}
    assert slack.click(pick, block_id="task:1", ephemeral=True).status == 200
    assert "#1 *Banner* now belongs to <@U_MIA>." in _last_post(fake)["text"]
    task = _task(db, 1)
    assert task is not None and task.owner_id == "U_MIA"
    [dm] = fake.messages("U_MIA")
    assert "<@U_DEMO> gave you task #1." in _texts(dm["blocks"])


def test_a_plain_member_cannot_snooze_or_reassign_someone_elses_task(
    slack: SlackDriver, fake: FakeSlack, db: Engine
) -> None:
    card = _reply(slack, "/task add Banner <@U_LI> due:fri")
    block_id, snooze = _button(card["blocks"], "tasks.snooze")
    slack.click(snooze, user="U_SAM", block_id=block_id, ephemeral=True)
    assert "can change #1" in _last_post(fake)["text"]
    pick = {"type": "users_select", "action_id": "tasks.reassign", "selected_user": "U_SAM"}
    slack.click(pick, user="U_SAM", block_id="task:1", ephemeral=True)
    assert "can reassign #1" in _last_post(fake)["text"]
    task = _task(db, 1)
    assert task is not None and task.owner_id == "U_LI" and task.remind_after is None


# -- App Home ----------------------------------------------------------------------------------------------------


def _open_home(slack: SlackDriver, fake: FakeSlack, user: str) -> dict[str, Any]:
    assert (
        slack.event({"type": "app_home_opened", "user": user, "channel": f"D_{user}", "tab": "home"}).status
        == 200
    )
    view = fake.home_views.get(user)
    assert view is not None, f"no Home published for {user}"
    return view


def test_app_home_shows_my_tasks_and_overdue_ones_i_gave_away_or_the_teams_for_a_lead(
    slack: SlackDriver, fake: FakeSlack, db: Engine
) -> None:
    _reply(slack, "/task add Late banner <@U_LI> due:yesterday")
    _reply(slack, "/task add Copy for Li <@U_LI> due:fri")
    _reply(slack, "/task add My own review due:today")
    fake.clear()

    li = _open_home(slack, fake, "U_LI")
    assert [c.args["user_id"] for c in fake.calls_to("views.publish")] == ["U_LI"]
    text = _texts(li["blocks"])
    assert "我的任务" in text
    assert text.index("*已逾期* (1)") < text.index("Late banner") < text.index("*本周* (1)")
    assert text.index("*本周* (1)") < text.index("Copy for Li")
    assert "My own review" not in text
    assert [e["action_id"] for _, e in buttons_in(li["blocks"])] == ["tasks.done", "tasks.done"]

    # A plain member sees the overdue tasks they gave to others; an admin or ops lead, the whole team's.
    _reply(slack, "/task add Lookbook retouch <@U_MIA> due:yesterday", user="U_SAM")
    sam = _texts(_open_home(slack, fake, "U_SAM")["blocks"])
    assert "Overdue tasks you gave to others" in sam and "Lookbook retouch" in sam
    assert "Late banner" not in sam

    demo = _texts(_open_home(slack, fake, "U_DEMO")["blocks"])
    assert "My own review" in demo and "*Today* (1)" in demo
    assert "*Overdue across the team* (2)" in demo
    assert demo.index("Overdue across the team") < demo.index("Late banner")
    assert "Lookbook retouch" in demo and "<@U_MIA>" in demo
    assert "<@U_LI>" in demo and "Copy for Li" not in demo

    fake.clear()
    _reply(slack, "/task done 2", user="U_LI")
    republished = fake.home_views["U_LI"]
    assert "Copy for Li" not in _texts(republished["blocks"])
    assert "Late banner" in _texts(republished["blocks"])


def test_done_in_the_home_closes_the_task_and_refreshes_the_home(
    slack: SlackDriver, fake: FakeSlack, db: Engine
) -> None:
    _reply(slack, "/task add Banner <@U_LI> due:fri")
    home = _open_home(slack, fake, "U_LI")
    block_id, done = _button(home["blocks"], "tasks.done")
    assert done["value"] == "1"
    publishes = len(fake.calls_to("views.publish"))
    assert slack.click(done, user="U_LI", view=home, block_id=block_id).status == 200
    task = _task(db, 1)
    assert task is not None and task.status == "done" and task.done_by == "U_LI"
    assert len(fake.calls_to("views.publish")) > publishes
    after = _texts(fake.home_views["U_LI"]["blocks"])
    assert "Banner" not in after
    assert "您没有未完成的任务" in after
    assert fake.response_url_posts == []


# -- languages -----------------------------------------------------------------------------------------------------


def test_the_same_command_answers_in_each_users_language(slack: SlackDriver) -> None:
    english = _reply(slack, "/task add Banner due:fri p:high", user="U_DEMO")
    chinese = _reply(slack, "/task add Banner due:fri p:high", user="U_LI")
    assert "Added task #1." in english["text"]
    assert "due Nov 27, 2026" in _texts(english["blocks"]) and "high" in _texts(english["blocks"])
    assert "已添加任务 #2。" in chinese["text"]
    text = _texts(chinese["blocks"])
    assert "截止 2026年11月27日" in text and "高" in text and "由 <@U_LI> 创建" in text
    assert _labels(chinese["blocks"]) == ["完成", "推迟提醒 1 天", "tasks.reassign"]
    bad = _reply(slack, "/task add Banner due:someday", user="U_LI")
    assert "`someday` 不是有效日期" in bad["text"] and "用法：" in bad["text"]
    listed = _texts(_reply(slack, "/task list", user="U_LI")["blocks"])
    assert "任务：我的" in listed and "*本周* (1)" in listed


def test_help_lists_the_task_commands(slack: SlackDriver) -> None:
    text = _texts(_reply(slack, "/task help")["blocks"])
    assert "`/task list [mine|all|overdue|@user] [#campaign]`" in text


# -- edges found while testing ---------------------------------------------------------------------------------------


def test_a_campaign_typed_as_a_channel_mention_can_be_listed_too(slack: SlackDriver, db: Engine) -> None:
    # Slack turns `#ops` into <#C_DEMO|ops> when a channel of that name exists; add accepts it.
    _reply(slack, "/task add Banner <#C_DEMO|ops> due:fri")
    task = _task(db, 1)
    assert task is not None and task.campaign == "ops"
    listed = _reply(slack, "/task list <#C_DEMO|ops>")
    assert "Banner" in _texts(listed["blocks"]), listed["text"]


def test_done_in_the_home_on_a_task_with_open_checkpoints_asks_the_user(
    slack: SlackDriver, fake: FakeSlack, db: Engine
) -> None:
    _reply(slack, "/task add Launch due:fri", user="U_LI")
    _reply(slack, "/task add Banner parent:1", user="U_LI")
    home = _open_home(slack, fake, "U_LI")
    [(block_id, done)] = [(b, e) for b, e in buttons_in(home["blocks"]) if e.get("value") == "1"]
    result = slack.click(done, user="U_LI", view=home, block_id=block_id)
    assert result.status == 200
    task = _task(db, 1)
    assert task is not None and task.status == "open"
    seen = [_texts(fake.home_views["U_LI"]["blocks"])]
    seen += [_texts(v["blocks"]) for v in fake.views.values() if v["type"] == "modal"]
    seen += [_texts(m.get("blocks")) + m["text"] for m in fake.messages("U_LI")]
    assert any("还有 1/1 个检查点未完成" in text for text in seen), seen


def test_deleting_a_parent_leaves_its_checkpoints_without_a_parent(
    slack: SlackDriver, fake: FakeSlack
) -> None:
    _reply(slack, "/task add Launch due:fri")
    _reply(slack, "/task add Banner parent:1")
    asked = _reply(slack, "/task delete 1")
    assert "Its checkpoints stay, without a parent." in asked["text"]
    block_id, delete = _button(asked["blocks"], "tasks.delete_confirm")
    slack.click(delete, block_id=block_id, ephemeral=True)
    shown = _texts(_reply(slack, "/task show 2")["blocks"])
    assert "checkpoint of #1" not in shown


def test_a_chinese_subcommand_with_bad_input_shows_its_own_usage(slack: SlackDriver, db: Engine) -> None:
    reply = _reply(slack, "/task 添加 横幅 截止:某天", user="U_LI")
    assert "`某天` 不是有效日期" in reply["text"]
    assert "`/task add &lt;title&gt; [@owner] [due:&lt;date&gt;]" in reply["text"]
    assert "list [mine" not in reply["text"]  # the add usage, not the whole command's
    assert _count(db) == 0
    whole = _reply(slack, "/task 乱写 1", user="U_LI")
    assert "/task list [mine|all|overdue|@user]" in whole["text"]


def test_snoozing_an_undated_task_does_not_talk_about_a_date(
    slack: SlackDriver, fake: FakeSlack, db: Engine
) -> None:
    card = _reply(slack, "/task add Someday idea")
    block_id, snooze = _button(card["blocks"], "tasks.snooze")
    slack.click(snooze, block_id=block_id, ephemeral=True)
    text = _last_post(fake)["text"]
    assert "No reminder for #1 until" in text
    assert "still" not in text and "no date" not in text
