"""Task views stay within Slack's Block Kit limits whatever the count and length of tasks."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from ecombot.devtools.blockkit import validate_blocks, validate_view
from ecombot.tasks import service, views
from ecombot.tasks.models import Task

TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)


def _tasks(count: int, title_length: int) -> list[Task]:
    return [
        Task(
            team_id="T",
            number=i,
            title=("任务" * title_length)[:title_length] or "x",
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


@settings(max_examples=30, deadline=None)
@given(count=st.integers(0, 400), title_length=st.integers(1, 300), locale=st.sampled_from(["en", "zh-CN"]))
def test_list_home_and_reminder_fit_block_kit(count: int, title_length: int, locale: str) -> None:
    tasks = _tasks(count, title_length)
    groups = service.group_by_due(tasks, TODAY)
    for offset in range(0, max(count, 1), views.LIST_PAGE):
        page = views.list_message(
            tasks, groups, locale, TODAY, title="Tasks", offset=offset, query={"mode": "all"}
        )
        assert validate_blocks(page["blocks"], surface="message") == []
    home = views.home_view(groups, tasks, locale, TODAY)
    assert validate_view(home) == []
    # A task sits in one bucket of a reminder, as in service.due_reminders.
    reminder = service.Reminder(
        "T", "U_LI", TODAY, NOW, overdue=tasks[::3], today=tasks[1::3], tomorrow=tasks[2::3]
    )
    assert validate_blocks(views.reminder_message(reminder, locale)["blocks"], surface="message") == []
    if tasks:
        card = views.card_message("Added", tasks[0], locale, TODAY, progress=service.Progress(3, 5))
        assert validate_blocks(card["blocks"], surface="message") == []


def test_list_pages_show_every_task_once() -> None:
    tasks = _tasks(45, 20)
    groups = service.group_by_due(tasks, TODAY)
    seen: list[str] = []
    for offset in (0, 20, 40):
        page = views.list_message(
            tasks, groups, "en", TODAY, title="Tasks", offset=offset, query={"mode": "all"}
        )
        text = "\n".join(b["text"]["text"] for b in page["blocks"] if b["type"] == "section")
        seen += [line.split("`")[1] for line in text.splitlines() if line.startswith("`#")]
        has_more = any(b["type"] == "actions" for b in page["blocks"])
        assert has_more == (offset + 20 < 45)
    assert sorted(seen, key=lambda n: int(n[1:])) == [f"#{i}" for i in range(1, 46)]


def test_modal_prefills_an_edit_and_fits_block_kit() -> None:
    view = views.task_modal(
        "zh-CN",
        campaigns=[f"活动{i}" for i in range(150)],
        title="x" * 400,
        owner="U_LI",
        due=TODAY,
        campaign="活动3",
        priority="high",
        recurrence="fri",
        parent=7,
        source_url="https://demo-shop.slack.com/archives/C1/p1",
        number=12,
    )
    assert validate_view(view) == []
    blocks = {b.get("block_id"): b for b in view["blocks"]}
    assert blocks["title"]["element"]["initial_value"] == "x" * 300
    assert blocks["campaign"]["element"]["initial_option"]["value"] == "活动3"
    assert blocks["recurrence"]["element"]["initial_option"]["value"] == "fri"
    assert blocks["parent"]["element"]["initial_value"] == "7"
    assert view["title"]["text"] == "编辑任务 #12"
