"""Task views stay within Slack's Block Kit limits whatever the count and length of tasks, and show
user text escaped."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlmodel import Session

from ecombot.actor import Actor
from ecombot.clock import FixedClock
from ecombot.devtools.blockkit import validate_blocks, validate_view
from ecombot.slack import blocks as bk
from ecombot.slack.i18n import t
from ecombot.tasks import lists, modal, reminders, service, views
from ecombot.tasks.lists import TaskPage, TaskQuery
from ecombot.tasks.models import Task
from ecombot.tasks.service import Change, Progress, TaskDraft

TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)


def _tasks(count: int, title_length: int, alphabet: str = "任务") -> list[Task]:
    return [
        Task(
            team_id="T",
            number=i,
            title=(alphabet * title_length)[:title_length] or "x",
            owner_id="U_LI",
            creator_id="U_DEMO",
            due_date=(TODAY + timedelta(days=i % 15 - 5)) if i % 4 else None,
            campaign="双11" * 30,
            priority=("high", "normal", "low")[i % 3],
            recurrence=("", "fri", "month")[i % 3],
            created_at=NOW,
            updated_at=NOW,
        )
        for i in range(1, count + 1)
    ]


def _page(tasks: Sequence[Task], offset: int = 0, limit: int = views.LIST_PAGE) -> TaskPage:
    """What `lists.list_page` returns for these (open) tasks: one page in order, and all the counts."""
    ordered = sorted(tasks, key=lambda t: (t.due_date is None, t.due_date or date.min, t.number))
    counts = dict.fromkeys(lists.GROUPS, 0)
    for task in tasks:
        counts[lists.group_of(task, TODAY)] += 1
    return TaskPage(ordered[offset : offset + limit], counts, offset)


@settings(max_examples=40, deadline=None)
@given(
    count=st.integers(0, 400),
    title_length=st.integers(1, 300),
    locale=st.sampled_from(["en", "zh-CN"]),
    alphabet=st.sampled_from(["任务", "&<>*_"]),  # the second grows most when escaped
    budget=st.one_of(st.just(70), st.integers(1, bk.VIEW_BLOCK_LIMIT)),
)
def test_list_home_and_reminder_fit_block_kit(
    count: int, title_length: int, locale: str, alphabet: str, budget: int
) -> None:
    tasks = _tasks(count, title_length, alphabet)
    query = TaskQuery(mode="all")
    for offset in range(0, max(count, 1), views.LIST_PAGE):
        page = views.list_message(
            _page(tasks, offset), locale, TODAY, title=views.list_title(query, locale), query=query
        )
        assert validate_blocks(page["blocks"], surface="message") == []
    # App Home: my first tasks (as many as the Home asks for) and the overdue ones I gave others.
    overdue = [t for t in _page(tasks, limit=len(tasks)).tasks if lists.group_of(t, TODAY) == "overdue"]
    home = views.home_blocks(
        _page(tasks, limit=views.HOME_TASK_LIMIT), overdue[:20], len(overdue), locale, TODAY, budget
    )
    assert len(home) <= budget
    assert validate_view({"type": "home", "blocks": home}) == []
    # A task sits in one bucket of a reminder, as in reminders.due_reminders.
    reminder = reminders.Reminder(
        "T", "U_LI", TODAY, NOW, overdue=tasks[::3], today=tasks[1::3], tomorrow=tasks[2::3]
    )
    assert validate_blocks(views.reminder_message(reminder, locale)["blocks"], surface="message") == []
    if tasks:
        change = Change(tasks[0], progress=Progress(3, 5), parent=tasks[-1])
        card = views.card_message("Added", change, locale, TODAY)
        assert validate_blocks(card["blocks"], surface="message") == []


def test_list_pages_show_every_task_once(session: Session, clock: FixedClock, workspace: str) -> None:
    actor = Actor(team_id=workspace, user_id="U_DEMO", now=clock.now(), tz="Asia/Shanghai")
    assert actor.today == TODAY
    for task in _tasks(45, 20):
        draft = TaskDraft(title=task.title, owner_id=task.owner_id, due_date=task.due_date)
        service.add_task(session, actor, draft)
    session.commit()
    query = TaskQuery(mode="all")
    seen: list[str] = []
    headings: dict[str, str] = {}
    for offset in (0, 20, 40):
        page = lists.list_page(session, actor, query, offset=offset, limit=views.LIST_PAGE)
        message = views.list_message(
            page, "en", actor.today, title=views.list_title(query, "en"), query=query
        )
        assert validate_blocks(message["blocks"], surface="message") == []
        text = "\n".join(b["text"]["text"] for b in message["blocks"] if b["type"] == "section")
        seen += [line.split("`")[1] for line in text.splitlines() if line.startswith("`#")]
        for line in text.splitlines():
            if line.startswith("*"):  # a group's heading: "*This week* (3)"
                name, size = line.rsplit(" ", 1)
                headings[name] = size
        more = [b for b in message["blocks"] if b["type"] == "actions"]
        assert bool(more) == (offset + 20 < 45)
        if more:
            value = json.loads(more[0]["elements"][0]["value"])
            assert value == {"mode": "all", "user": "", "campaign": "", "offset": offset + 20}
    assert sorted(seen, key=lambda n: int(n[1:])) == [f"#{i}" for i in range(1, 46)]
    assert len(seen) == 45
    # Each group's heading gives the size of the whole group, whichever page it is on.
    whole = _page(_tasks(45, 20), limit=45).counts
    names = {f"*{t('en', f'tasks.group.{g}')}*": g for g in lists.GROUPS}
    assert {names[h]: int(n.strip("()")) for h, n in headings.items()} == {
        g: n for g, n in whole.items() if n
    }


def test_modal_prefills_an_edit_and_fits_block_kit() -> None:
    view = modal.task_modal(
        "zh-CN",
        modal.Prefill(
            title="x" * 400,
            owner="U_LI",
            due=TODAY,
            campaign="活动3",
            priority="high",
            recurrence="fri",
            parent=7,
            source_url="https://demo-shop.slack.com/archives/C1/p1",
            number=12,
        ),
        campaigns=[f"活动{i}" for i in range(150)],
        names={},
    )
    assert validate_view(view) == []
    blocks = {b.get("block_id"): b for b in view["blocks"]}
    assert blocks["title"]["element"]["initial_value"] == "x" * 300
    assert blocks["campaign"]["element"]["initial_option"]["value"] == "活动3"
    assert blocks["recurrence"]["element"]["initial_option"]["value"] == "fri"
    assert blocks["parent"]["element"]["initial_value"] == "7"
    assert view["title"]["text"] == "编辑任务 #12"


def test_modal_shows_mentions_in_the_title_as_names_and_nothing_escaped() -> None:
    view = modal.task_modal(
        "en",
        modal.Prefill(title="<@U_LI> & <@U_SAM>: *check* stock"),
        campaigns=[],
        names={"U_LI": "Li Na"},
    )
    blocks = {b.get("block_id"): b for b in view["blocks"]}
    assert blocks["title"]["element"]["initial_value"] == "@Li Na & @U_SAM: *check* stock"


# -- escaping --------------------------------------------------------------------------------------

EVIL = "<!channel> & <b> <https://evil.example|x> *bold*"
FORBIDDEN = ("<!channel>", "<!here>", "<b>", "<https://", "*bold*")


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _assert_safe(payload: Any) -> None:
    strings = _strings(payload)
    assert strings
    for needle in FORBIDDEN:
        assert not [s for s in strings if needle in s], needle


def _evil(number: int, *, due: date | None = TODAY, status: str = "open", owner: str = "U_LI") -> Task:
    return Task(
        team_id="T",
        number=number,
        title=EVIL,
        owner_id=owner,
        creator_id="U_DEMO",
        due_date=due,
        campaign="<!here> *bold*",
        status=status,
        done_by="U_LI" if status == "done" else "",
        created_at=NOW,
        updated_at=NOW,
    )


def test_user_text_is_escaped_in_every_view() -> None:
    overdue = _evil(1, due=TODAY - timedelta(days=2))
    today = _evil(2)
    tomorrow = _evil(3, due=TODAY + timedelta(days=1))
    undated = _evil(4, due=None)
    done = _evil(5, status="done")
    given_away = _evil(6, due=TODAY - timedelta(days=1), owner="U_SAM")

    card = views.card_message("Added", Change(today, progress=Progress(1, 2), parent=overdue), "en", TODAY)
    done_card = views.card_message("Done", Change(done), "en", TODAY)
    query = TaskQuery(mode="all")
    listed = views.list_message(
        _page([overdue, today, tomorrow, undated]),
        "en",
        TODAY,
        title=views.list_title(query, "en"),
        query=query,
    )
    home = views.home_blocks(_page([overdue, today, undated]), [given_away], 1, "en", TODAY, 70)
    reminder = views.reminder_message(
        reminders.Reminder("T", "U_LI", TODAY, NOW, overdue=[overdue], today=[today], tomorrow=[tomorrow]),
        "en",
    )
    others = [
        views.done_message(Change(done, next_task=tomorrow), "en", TODAY),
        views.checkpoints_confirm(today, "en", 1, 2),
        views.delete_confirm(today, "en"),
        views.deleted_message(today, "en"),
        views.answer("en", "tasks.deleted", today),
    ]
    for payload in (card, done_card, listed, home, reminder, *others):
        _assert_safe(payload)

    line = card["blocks"][1]["text"]["text"]
    assert "&lt;!channel&gt; &amp; &lt;b&gt; &lt;https://evil.example|x&gt; ∗bold∗" in line
    assert "#&lt;!here&gt; ∗bold∗" in line
    assert "<@U_LI>" in line  # the app's own mentions stay
    assert "∗bold∗" in done_card["blocks"][1]["text"]["text"]
    assert "∗bold∗" in " ".join(_strings(listed["blocks"]))
    assert "&lt;b&gt;" in " ".join(_strings(home))
    assert "&lt;b&gt;" in " ".join(_strings(reminder["blocks"]))


def test_formatting_inside_a_word_is_kept() -> None:
    task = _evil(1)
    task.title = "SKU_88_RED ~ 2*3"
    line = views.card_message("Added", Change(task), "en", TODAY)["blocks"][1]["text"]["text"]
    assert "SKU_88_RED ∼ 2*3" in line
