"""Task cards, lists, confirmations, App Home rows and reminder DMs (pure; user text escaped here)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from ecombot.slack import blocks as bk
from ecombot.slack.i18n import fmt_date, t
from ecombot.slack.text import esc, mention, plain
from ecombot.tasks import messages as _messages  # noqa: F401  (registers the strings)
from ecombot.tasks.lists import GROUPS, TaskFields, TaskPage, TaskQuery, group_of
from ecombot.tasks.models import Task
from ecombot.tasks.reminders import Reminder
from ecombot.tasks.service import Change, Progress

LIST_PAGE = 20
HOME_TASK_LIMIT = 60
REMINDER_TASK_LIMIT = 40

DONE = "tasks.done"
REOPEN = "tasks.reopen"
SNOOZE = "tasks.snooze"
REASSIGN = "tasks.reassign"
SHOW_MORE = "tasks.show_more"
DELETE_CONFIRM = "tasks.delete_confirm"
DELETE_CANCEL = "tasks.delete_cancel"
DELETE_UNDO = "tasks.delete_undo"
CLOSE_ANYWAY = "tasks.close_anyway"
CARD_BLOCK = "task"  # the card's actions block: task:<number>


def title_of(task: TaskFields) -> str:
    """The task's title, safe in mrkdwn."""
    return esc(task.title)


def _when(task: TaskFields, locale: str, today: date) -> str:
    if task.due_date is None:
        return ""
    if task.status == "open" and task.due_date < today:
        return t(locale, "tasks.overdue_by", days=(today - task.due_date).days)
    if task.due_date == today:
        return t(locale, "tasks.due_today")
    if task.due_date == today + timedelta(days=1):
        return t(locale, "tasks.due_tomorrow")
    return t(locale, "tasks.due", date=fmt_date(task.due_date, locale))


def due_phrase(task: TaskFields, locale: str, today: date) -> str:
    """`due tomorrow`, `3d overdue`, `no date`."""
    return _when(task, locale, today) or t(locale, "tasks.no_date")


def task_line(
    task: TaskFields, locale: str, today: date, *, progress: Progress | None = None, owner: bool = True
) -> str:
    """One line: number, title, owner, date, campaign, priority, repeat, checkpoints."""
    title = f"~{title_of(task)}~" if task.status == "done" else f"*{title_of(task)}*"
    parts = [f"`#{task.number}` {title}"]
    if owner:
        parts.append(mention(task.owner_id))
    when = _when(task, locale, today)
    if when:
        overdue = task.status == "open" and task.due_date is not None and task.due_date < today
        parts.append(f":warning: {when}" if overdue else when)
    if task.campaign:
        parts.append(f"#{esc(task.campaign)}")
    if task.priority != "normal":
        marker = ":red_circle: " if task.priority == "high" else ""
        parts.append(marker + t(locale, f"tasks.priority.{task.priority}"))
    if task.recurrence:
        parts.append(":repeat: " + t(locale, "tasks.every", rule=t(locale, f"tasks.every.{task.recurrence}")))
    if progress is not None:
        parts.append(t(locale, "tasks.checkpoints", done=progress.done, total=progress.total))
    return " · ".join(parts)


def card_blocks(
    task: Task, locale: str, today: date, *, progress: Progress | None = None, parent: Task | None = None
) -> list[bk.Block]:
    """A task card: the line, its context, and Done / Snooze / Reassign (or Reopen when done)."""
    context = [t(locale, "tasks.created_by", user=task.creator_id)]
    if parent is not None:
        context.append(t(locale, "tasks.checkpoint_of", number=parent.number, title=title_of(parent)))
    if task.status == "done" and task.done_by:
        context.append(t(locale, "tasks.status_done", user=task.done_by))
    if task.source_url:
        # Stored only when it is an https link into the workspace's own Slack.
        context.append(t(locale, "tasks.source", url=task.source_url))
    value = str(task.number)
    block_id = bk.encode_id(CARD_BLOCK, task.number)
    if task.status == "done":
        buttons = bk.actions(bk.button(t(locale, "tasks.button.reopen"), REOPEN, value), block_id=block_id)
    else:
        buttons = bk.actions(
            bk.button(t(locale, "tasks.button.done"), DONE, value, style="primary"),
            bk.button(t(locale, "tasks.button.snooze"), SNOOZE, value),
            {
                "type": "users_select",
                "action_id": REASSIGN,
                "placeholder": bk.plain(t(locale, "tasks.button.reassign"), 150),
            },
            block_id=block_id,
        )
    return [
        bk.section(task_line(task, locale, today, progress=progress)),
        bk.context(" · ".join(context)),
        buttons,
    ]


def card_message(headline: str, change: Change, locale: str, today: date) -> bk.Message:
    """A confirmation or notification followed by the task's card."""
    task = change.task
    blocks = [
        bk.section(headline),
        *card_blocks(task, locale, today, progress=change.progress, parent=change.parent),
    ]
    return bk.message(f"{headline} #{task.number} {title_of(task)}", blocks)


def simple(text: str) -> bk.Message:
    """A one-section reply."""
    return bk.message(text, [bk.section(text)])


def done_message(change: Change, locale: str, today: date) -> bk.Message:
    """Confirmation of Done (or that it already was), with the next occurrence of a recurring task."""
    task = change.task
    key = "tasks.done_now" if change.changed else "tasks.done_already"
    text = t(locale, key, number=task.number, title=title_of(task))
    blocks = [bk.section(text)]
    if change.next_task is not None:
        nxt = change.next_task
        following = t(locale, "tasks.next_occurrence", number=nxt.number, due=due_phrase(nxt, locale, today))
        blocks.append(bk.context(following))
        text += " " + following
    blocks.append(bk.actions(bk.button(t(locale, "tasks.button.reopen"), REOPEN, str(task.number))))
    return bk.message(text, blocks)


def checkpoints_confirm(task: Task, locale: str, open_count: int, total: int) -> bk.Message:
    """Ask before closing a task whose checkpoints are not all done."""
    text = t(
        locale,
        "tasks.checkpoints_open",
        number=task.number,
        title=title_of(task),
        open=open_count,
        total=total,
    )
    return bk.message(
        text,
        [
            bk.section(f":warning: {text}"),
            bk.actions(
                bk.button(
                    t(locale, "tasks.button.close_anyway"), CLOSE_ANYWAY, str(task.number), style="danger"
                ),
                bk.button(t(locale, "tasks.button.cancel"), DELETE_CANCEL, str(task.number)),
            ),
        ],
    )


def delete_confirm(task: Task, locale: str) -> bk.Message:
    """Ask before deleting."""
    text = t(locale, "tasks.delete_question", number=task.number, title=title_of(task))
    return bk.message(
        text,
        [
            bk.section(text),
            bk.actions(
                bk.button(t(locale, "tasks.button.delete"), DELETE_CONFIRM, str(task.number), style="danger"),
                bk.button(t(locale, "tasks.button.cancel"), DELETE_CANCEL, str(task.number)),
            ),
        ],
    )


def deleted_message(task: Task, locale: str) -> bk.Message:
    """Deleted, with Undo."""
    text = t(locale, "tasks.deleted", number=task.number, title=title_of(task))
    return bk.message(
        text,
        [
            bk.section(text),
            bk.actions(bk.button(t(locale, "tasks.button.undo"), DELETE_UNDO, str(task.number))),
        ],
    )


def list_title(query: TaskQuery, locale: str, owner_name: str = "") -> str:
    """The list's heading, as plain text (a header block): people by name, not by mention."""
    what = {
        "mine": t(locale, "tasks.list_mine"),
        "all": t(locale, "tasks.list_all"),
        "overdue": t(locale, "tasks.list_overdue"),
        "user": t(locale, "tasks.list_user", user=query.user),
    }[query.mode]
    if query.campaign:
        what = t(locale, "tasks.list_campaign", what=what, campaign=query.campaign)
    return plain(t(locale, "tasks.list_title", what=what), {query.user: owner_name} if owner_name else None)


def list_message(page: TaskPage, locale: str, today: date, *, title: str, query: TaskQuery) -> bk.Message:
    """One page of a list, grouped by due date; a Show more button when there are more."""
    blocks: list[bk.Block] = [bk.header(title)]
    fallback = esc(title)
    if not page.tasks:
        blocks.append(bk.section(t(locale, "tasks.list_empty")))
        return bk.message(fallback, blocks)
    lines = [task_line(task, locale, today) for task in page.tasks]
    group_lines: list[str] = []
    current = ""
    for task, line in zip(page.tasks, lines, strict=True):
        group = group_of(task, today)
        if group != current:
            if group_lines:
                blocks += bk.sections(group_lines)
                group_lines = []
            current = group
            group_lines.append(f"*{t(locale, f'tasks.group.{group}')}* ({page.counts.get(group, 0)})")
        group_lines.append(line)
    blocks += bk.sections(group_lines)
    last = page.offset + len(page.tasks)
    blocks.append(
        bk.context(t(locale, "tasks.list_range", first=page.offset + 1, last=last, total=page.total))
    )
    if last < page.total:
        more = {"mode": query.mode, "user": query.user, "campaign": query.campaign, "offset": last}
        value = json.dumps(more, separators=(",", ":"), ensure_ascii=False)
        blocks.append(bk.actions(bk.button(t(locale, "tasks.button.show_more"), SHOW_MORE, value)))
    return bk.message(fallback + "\n" + "\n".join(lines), blocks)


def task_rows(
    tasks: Sequence[TaskFields], locale: str, today: date, *, owner: bool, done_button: bool
) -> list[bk.Block]:
    """One section per task, with a Done button when the reader can close it."""
    rows = []
    for task in tasks:
        accessory = bk.button(t(locale, "tasks.button.done"), DONE, str(task.number)) if done_button else None
        block_id = f"{bk.ROW_PREFIX}{task.number}" if done_button else None
        rows.append(
            bk.section(task_line(task, locale, today, owner=owner), accessory=accessory, block_id=block_id)
        )
    return rows


def home_blocks(
    mine: TaskPage,
    overdue: Sequence[Task],
    overdue_total: int,
    locale: str,
    today: date,
    budget: int,
    *,
    team: bool = False,
) -> list[bk.Block]:
    """The tasks section of App Home: my open tasks by date with Done buttons, and overdue tasks I gave
    to others; within `budget` blocks, with "more" lines for what does not fit."""
    blocks: list[bk.Block] = [bk.header(t(locale, "tasks.home.title"))]
    if not mine.tasks:
        blocks.append(bk.section(t(locale, "tasks.home.empty")))
    # Room for the tasks: the budget less the header, the group headings, "more" lines and the second part.
    reserve = 1 + len(GROUPS) + 1 + (4 if overdue else 0)
    room = max(0, min(HOME_TASK_LIMIT, budget - reserve))
    shown = mine.tasks[:room]
    current = ""
    for task in shown:
        group = group_of(task, today)
        if group != current:
            current = group
            blocks.append(bk.section(f"*{t(locale, f'tasks.group.{group}')}* ({mine.counts.get(group, 0)})"))
        blocks += task_rows([task], locale, today, owner=False, done_button=True)
    if len(shown) < mine.total:
        blocks.append(bk.context(t(locale, "tasks.home.more", count=mine.total - len(shown))))
    if overdue and len(blocks) + 3 <= budget:
        blocks += [
            bk.divider(),
            bk.section(
                f"*{t(locale, 'tasks.home.team_overdue' if team else 'tasks.home.assigned_overdue')}* ({overdue_total})"
            ),
        ]
        fit = overdue[: max(0, budget - len(blocks) - 1)]
        blocks += task_rows(fit, locale, today, owner=True, done_button=False)
        if len(fit) < overdue_total:
            more = "tasks.home.more_overdue" if team else "tasks.home.more"
            blocks.append(bk.context(t(locale, more, count=overdue_total - len(fit))))
    return blocks[:budget]


def reminder_message(reminder: Reminder, locale: str) -> bk.Message:
    """The 09:00 DM: overdue, today, tomorrow, each task with a Done button (one DM per person per day)."""
    today = reminder.day
    blocks: list[bk.Block] = [bk.header(t(locale, "tasks.reminder.title", date=fmt_date(today, locale)))]
    shown = 0
    for key, tasks in (
        ("overdue", reminder.overdue),
        ("today", reminder.today),
        ("tomorrow", reminder.tomorrow),
    ):
        if not tasks:
            continue
        blocks.append(bk.section(t(locale, f"tasks.reminder.{key}", count=len(tasks))))
        room = max(0, REMINDER_TASK_LIMIT - shown)
        blocks += task_rows(tasks[:room], locale, today, owner=False, done_button=True)
        shown += min(len(tasks), room)
    hidden = len(reminder.overdue) + len(reminder.today) + len(reminder.tomorrow) - shown
    if hidden > 0:
        blocks.append(bk.context(t(locale, "tasks.home.more", count=hidden)))
    text = t(
        locale,
        "tasks.reminder.text",
        overdue=len(reminder.overdue),
        today=len(reminder.today),
        tomorrow=len(reminder.tomorrow),
    )
    return bk.message(text, blocks)


def answer(locale: str, key: str, task: Task, **params: Any) -> bk.Message:
    """A one-line answer about a task (its title escaped)."""
    return simple(t(locale, key, number=task.number, title=title_of(task), **params))
