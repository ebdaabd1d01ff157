"""Task cards, lists, the task modal, App Home and reminder DMs."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from ecombot.slack import blocks as bk
from ecombot.slack.commands import CommandSpec
from ecombot.slack.i18n import add_messages, fmt_date, t
from ecombot.tasks.models import PRIORITIES, RECURRENCES, Task
from ecombot.tasks.service import GROUPS, Change, Progress, Reminder

USAGE = (
    "/task add <title> [@owner] [due:<date>] [#campaign] [p:high|normal|low] [every:day|mon..sun|month] "
    "[parent:<id>] | list [mine|all|overdue|@user] [#campaign] | done|reopen|show|edit|delete <id> | "
    "assign <id> @user | due <id> <date>"
)
USAGE_ADD = "/task add <title> [@owner] [due:<date>] [#campaign] [p:high|normal|low] [every:day|mon..sun|month] [parent:<id>]"
USAGE_LIST = "/task list [mine|all|overdue|@user] [#campaign]"
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
MODAL = "tasks.modal"
NEW_SHORTCUT = "tasks.new"
FROM_MESSAGE = "tasks.from_message"
# Rows of a list (reminder digest, App Home): a click there answers below instead of replacing the list.
ROW_BLOCK_PREFIX = "row:"

COMMANDS = (
    CommandSpec(
        "/task add <title> [@owner] [due:<date>] [#campaign] [p:high] [every:fri] [parent:<id>]",
        "help.task_add",
    ),
    CommandSpec("/task", "help.task_modal"),
    CommandSpec("/task list [mine|all|overdue|@user] [#campaign]", "help.task_list"),
    CommandSpec("/task done|reopen|show <id>", "help.task_done"),
    CommandSpec("/task assign <id> @user · /task due <id> <date>", "help.task_assign"),
    CommandSpec("/task edit <id> · /task delete <id>", "help.task_edit"),
)

add_messages(
    {
        "help.task_add": (
            "Record a task or checkpoint; options in any order.",
            "记录任务或检查点；选项顺序不限。",
        ),
        "help.task_modal": (
            "Open the task form (also the “New task” shortcut, and “Create task from message” on any message).",
            "打开任务表单（也可用“新建任务”快捷方式，或在消息上用“从消息创建任务”）。",
        ),
        "help.task_list": ("List open tasks grouped by due date.", "按截止日期分组列出未完成任务。"),
        "help.task_done": ("Mark done, open again, or show one task.", "标记完成、重新打开或查看任务。"),
        "help.task_assign": ("Give a task to someone, or move its date.", "转交任务，或修改截止日期。"),
        "help.task_edit": (
            "Edit a task in a form, or delete it (asks first).",
            "在表单中编辑任务，或删除任务（会先确认）。",
        ),
        "tasks.group.overdue": ("Overdue", "已逾期"),
        "tasks.group.today": ("Today", "今天"),
        "tasks.group.week": ("This week", "本周"),
        "tasks.group.later": ("Later", "以后"),
        "tasks.group.none": ("No date", "无截止日期"),
        "tasks.due": ("due {date}", "截止 {date}"),
        "tasks.due_today": ("due today", "今天截止"),
        "tasks.due_tomorrow": ("due tomorrow", "明天截止"),
        "tasks.overdue_by": ("{days}d overdue", "逾期 {days} 天"),
        "tasks.priority.high": ("high", "高"),
        "tasks.priority.normal": ("normal", "普通"),
        "tasks.priority.low": ("low", "低"),
        "tasks.every": ("every {rule}", "每{rule}"),
        "tasks.every.day": ("day", "天"),
        "tasks.every.month": ("month", "月"),
        "tasks.every.mon": ("Monday", "周一"),
        "tasks.every.tue": ("Tuesday", "周二"),
        "tasks.every.wed": ("Wednesday", "周三"),
        "tasks.every.thu": ("Thursday", "周四"),
        "tasks.every.fri": ("Friday", "周五"),
        "tasks.every.sat": ("Saturday", "周六"),
        "tasks.every.sun": ("Sunday", "周日"),
        "tasks.checkpoints": ("{done}/{total} checkpoints done", "检查点 {done}/{total} 已完成"),
        "tasks.checkpoint_of": ("checkpoint of #{number} {title}", "属于 #{number} {title} 的检查点"),
        "tasks.status_done": ("done by <@{user}>", "由 <@{user}> 完成"),
        "tasks.created_by": ("created by <@{user}>", "由 <@{user}> 创建"),
        "tasks.source": ("<{url}|from this message>", "<{url}|来源消息>"),
        "tasks.button.done": ("Done", "完成"),
        "tasks.button.reopen": ("Reopen", "重新打开"),
        "tasks.button.snooze": ("Snooze 1 day", "推迟提醒 1 天"),
        "tasks.button.reassign": ("Reassign…", "转交给…"),
        "tasks.button.show_more": ("Show more", "显示更多"),
        "tasks.button.delete": ("Delete", "删除"),
        "tasks.button.cancel": ("Cancel", "取消"),
        "tasks.button.undo": ("Undo", "撤销"),
        "tasks.button.close_anyway": ("Close anyway", "仍然关闭"),
        "tasks.added": (
            ":white_check_mark: Added task #{number}.",
            ":white_check_mark: 已添加任务 #{number}。",
        ),
        "tasks.updated": (
            ":white_check_mark: Updated task #{number}.",
            ":white_check_mark: 已更新任务 #{number}。",
        ),
        "tasks.done_now": (
            ":white_check_mark: #{number} *{title}* is done.",
            ":white_check_mark: #{number} *{title}* 已完成。",
        ),
        "tasks.done_already": ("#{number} *{title}* was already done.", "#{number} *{title}* 早已完成。"),
        "tasks.next_occurrence": (
            ":repeat: Next occurrence: #{number}, {due}.",
            ":repeat: 下一次：#{number}，{due}。",
        ),
        "tasks.reopened": ("#{number} *{title}* is open again.", "#{number} *{title}* 已重新打开。"),
        "tasks.open_already": (
            "#{number} *{title}* is already open.",
            "#{number} *{title}* 本来就是未完成状态。",
        ),
        "tasks.assigned": (
            ":arrow_right: #{number} *{title}* now belongs to <@{owner}>.",
            ":arrow_right: #{number} *{title}* 已转交给 <@{owner}>。",
        ),
        "tasks.assigned_same": (
            "#{number} already belongs to <@{owner}>.",
            "#{number} 本来就属于 <@{owner}>。",
        ),
        "tasks.due_moved": (
            ":calendar: #{number} *{title}* is now {due}.",
            ":calendar: #{number} *{title}* 现在{due}。",
        ),
        "tasks.snoozed": (
            ":zzz: No reminder for #{number} until {when}; it is still {due}.",
            ":zzz: #{number} 在 {when} 之前不再提醒；截止日期不变（{due}）。",
        ),
        "tasks.no_date": ("no date", "无截止日期"),
        "tasks.delete_question": (
            "Delete #{number} *{title}*? Its checkpoints stay, without a parent.",
            "删除 #{number} *{title}*？其检查点会保留，但不再属于它。",
        ),
        "tasks.deleted": (
            ":wastebasket: Deleted #{number} *{title}*.",
            ":wastebasket: 已删除 #{number} *{title}*。",
        ),
        "tasks.delete_kept": ("Kept #{number}.", "已保留 #{number}。"),
        "tasks.restored": (
            ":leftwards_arrow_with_hook: Restored #{number} *{title}*.",
            ":leftwards_arrow_with_hook: 已恢复 #{number} *{title}*。",
        ),
        "tasks.checkpoints_open": (
            "#{number} *{title}* still has {open} of {total} checkpoints open. Close it anyway?",
            "#{number} *{title}* 还有 {open}/{total} 个检查点未完成。仍然关闭吗？",
        ),
        "tasks.list_title": ("Tasks: {what}", "任务：{what}"),
        "tasks.list_mine": ("yours", "我的"),
        "tasks.list_all": ("everyone's", "全部"),
        "tasks.list_overdue": ("overdue", "已逾期"),
        "tasks.list_user": ("<@{user}>'s", "<@{user}> 的"),
        "tasks.list_campaign": ("{what} in #{campaign}", "#{campaign} 中{what}"),
        "tasks.list_empty": ("Nothing open here. :tada:", "这里没有未完成的任务。:tada:"),
        "tasks.list_range": (
            "Showing {first}–{last} of {total}.",
            "显示第 {first}–{last} 条，共 {total} 条。",
        ),
        "tasks.assigned_dm": (
            ":inbox_tray: <@{assigner}> gave you task #{number}.",
            ":inbox_tray: <@{assigner}> 给您分配了任务 #{number}。",
        ),
        "tasks.modal.title_new": ("New task", "新建任务"),
        "tasks.modal.title_edit": ("Edit task #{number}", "编辑任务 #{number}"),
        "tasks.modal.submit": ("Save", "保存"),
        "tasks.modal.close": ("Cancel", "取消"),
        "tasks.modal.title": ("Title", "标题"),
        "tasks.modal.owner": ("Owner", "负责人"),
        "tasks.modal.due": ("Due date", "截止日期"),
        "tasks.modal.campaign": ("Campaign", "营销活动"),
        "tasks.modal.campaign_new": ("Or a new campaign", "或新建活动"),
        "tasks.modal.priority": ("Priority", "优先级"),
        "tasks.modal.recurrence": ("Repeats", "重复"),
        "tasks.modal.recurrence_none": ("Does not repeat", "不重复"),
        "tasks.modal.parent": ("Checkpoint of task #", "所属任务编号"),
        "tasks.modal.source": ("From <{url}|this message>.", "来自<{url}|这条消息>。"),
        "tasks.modal.bad_parent": (
            "Give the number of an existing task, e.g. 12.",
            "请填写已有任务的编号，例如 12。",
        ),
        "tasks.home.title": ("Your tasks", "我的任务"),
        "tasks.home.empty": (
            "You have no open tasks. Add one with `/task add`.",
            "您没有未完成的任务。可用 `/task add` 添加。",
        ),
        "tasks.home.assigned_overdue": ("Overdue tasks you gave to others", "您分配给他人且已逾期的任务"),
        "tasks.home.more": ("…and {count} more: `/task list`.", "……还有 {count} 条：`/task list`。"),
        "tasks.reminder.title": ("Your tasks for {date}", "{date} 的任务"),
        "tasks.reminder.overdue": ("*Overdue ({count})*", "*已逾期（{count}）*"),
        "tasks.reminder.today": ("*Due today ({count})*", "*今天截止（{count}）*"),
        "tasks.reminder.tomorrow": ("*Due tomorrow ({count})*", "*明天截止（{count}）*"),
        "tasks.reminder.text": (
            "{overdue} overdue, {today} due today, {tomorrow} due tomorrow",
            "逾期 {overdue} 项，今天截止 {today} 项，明天截止 {tomorrow} 项",
        ),
        "error.task_not_found": (
            "There is no task #{number} in this workspace.",
            "本工作区没有任务 #{number}。",
        ),
        "error.task_title_missing": ("The task needs a title.", "任务需要一个标题。"),
        "error.task_title_too_long": (
            "Keep the title under {limit} characters.",
            "标题请不要超过 {limit} 个字符。",
        ),
        "error.task_bad_priority": (
            "`{value}` is not a priority: use high, normal or low.",
            "`{value}` 不是有效优先级：请用 high、normal 或 low。",
        ),
        "error.task_bad_recurrence": (
            "`{value}` is not a repeat rule: use day, mon…sun or month.",
            "`{value}` 不是有效的重复规则：请用 day、mon…sun 或 month。",
        ),
        "error.task_bad_owner": (
            "`{value}` is not a person: mention them with @.",
            "`{value}` 不是成员：请用 @ 提及。",
        ),
        "error.task_nested_checkpoint": (
            "#{number} is itself a checkpoint; add checkpoints to the top task.",
            "#{number} 本身是检查点；请把检查点加到上级任务下。",
        ),
        "error.task_own_parent": ("A task cannot be its own checkpoint.", "任务不能是自己的检查点。"),
        "error.task_recurring_needs_date": (
            "#{number} repeats, so it needs a date.",
            "#{number} 是重复任务，需要截止日期。",
        ),
        "error.task_done_forbidden": (
            "Only the owner (<@{owner}>), the creator (<@{creator}>) or an ops lead can close or reopen #{number}.",
            "只有负责人（<@{owner}>）、创建人（<@{creator}>）或运营负责人可以关闭或重新打开 #{number}。",
        ),
        "error.task_edit_forbidden": (
            "Only the owner (<@{owner}>), the creator (<@{creator}>) or an ops lead can change #{number}.",
            "只有负责人（<@{owner}>）、创建人（<@{creator}>）或运营负责人可以修改 #{number}。",
        ),
        "error.task_assign_forbidden": (
            "Only the owner (<@{owner}>), the creator (<@{creator}>) or an ops lead can reassign #{number}.",
            "只有负责人（<@{owner}>）、创建人（<@{creator}>）或运营负责人可以转交 #{number}。",
        ),
        "error.task_delete_forbidden": (
            "Only the creator (<@{creator}>) or an ops lead can delete #{number}.",
            "只有创建人（<@{creator}>）或运营负责人可以删除 #{number}。",
        ),
        "error.task_open_checkpoints": (
            "#{number} still has {open} of {total} checkpoints open.",
            "#{number} 还有 {open}/{total} 个检查点未完成。",
        ),
        "parse.bad_task_id": (
            "`{part}` is not a task number (like 12 or #12).",
            "`{part}` 不是任务编号（如 12 或 #12）。",
        ),
        "parse.bad_priority": (
            "`{part}` is not a priority: use high, normal or low.",
            "`{part}` 不是有效优先级：请用 high、normal 或 low。",
        ),
        "parse.bad_recurrence": (
            "`{part}` is not a repeat rule: use day, mon…sun or month.",
            "`{part}` 不是有效的重复规则：请用 day、mon…sun 或 month。",
        ),
    }
)


def _when(task: Task, locale: str, today: date) -> str:
    if task.due_date is None:
        return ""
    if task.status == "open" and task.due_date < today:
        return t(locale, "tasks.overdue_by", days=(today - task.due_date).days)
    if task.due_date == today:
        return t(locale, "tasks.due_today")
    if task.due_date == today + timedelta(days=1):
        return t(locale, "tasks.due_tomorrow")
    return t(locale, "tasks.due", date=fmt_date(task.due_date, locale))


def due_phrase(task: Task, locale: str, today: date) -> str:
    """`due tomorrow`, `3d overdue`, `no date`."""
    return _when(task, locale, today) or t(locale, "tasks.no_date")


def task_line(
    task: Task, locale: str, today: date, *, progress: Progress | None = None, owner: bool = True
) -> str:
    """One line: number, title, owner, date, campaign, priority, repeat, checkpoints."""
    title = f"~{task.title}~" if task.status == "done" else f"*{task.title}*"
    parts = [f"`#{task.number}` {title}"]
    if owner:
        parts.append(f"<@{task.owner_id}>")
    when = _when(task, locale, today)
    if when:
        parts.append(
            f":warning: {when}" if task.status == "open" and task.due_date and task.due_date < today else when
        )
    if task.campaign:
        parts.append(f"#{task.campaign}")
    if task.priority != "normal":
        marker = ":red_circle: " if task.priority == "high" else ""
        parts.append(marker + t(locale, f"tasks.priority.{task.priority}"))
    if task.recurrence:
        parts.append(":repeat: " + t(locale, "tasks.every", rule=t(locale, f"tasks.every.{task.recurrence}")))
    if progress is not None:
        parts.append(t(locale, "tasks.checkpoints", done=progress.done, total=progress.total))
    return " · ".join(parts)


def _reassign_select(locale: str, task: Task) -> dict[str, Any]:
    return {
        "type": "users_select",
        "action_id": REASSIGN,
        "placeholder": bk.plain(t(locale, "tasks.button.reassign"), 150),
    }


def card_blocks(
    task: Task, locale: str, today: date, *, progress: Progress | None = None, parent: Task | None = None
) -> list[bk.Block]:
    """A task card: the line, its context, and Done / Snooze / Reassign (or Reopen when done)."""
    context = [t(locale, "tasks.created_by", user=task.creator_id)]
    if parent is not None:
        context.append(t(locale, "tasks.checkpoint_of", number=parent.number, title=parent.title))
    if task.status == "done" and task.done_by:
        context.append(t(locale, "tasks.status_done", user=task.done_by))
    if task.source_url:
        context.append(t(locale, "tasks.source", url=task.source_url))
    value = str(task.number)
    if task.status == "done":
        buttons = bk.actions(
            bk.button(t(locale, "tasks.button.reopen"), REOPEN, value), block_id=f"task:{value}"
        )
    else:
        buttons = bk.actions(
            bk.button(t(locale, "tasks.button.done"), DONE, value, style="primary"),
            bk.button(t(locale, "tasks.button.snooze"), SNOOZE, value),
            _reassign_select(locale, task),
            block_id=f"task:{value}",
        )
    return [
        bk.section(task_line(task, locale, today, progress=progress)),
        bk.context(" · ".join(context)),
        buttons,
    ]


def card_message(
    headline: str,
    task: Task,
    locale: str,
    today: date,
    *,
    progress: Progress | None = None,
    parent: Task | None = None,
) -> bk.Message:
    """A confirmation or notification followed by the task's card."""
    blocks = [bk.section(headline), *card_blocks(task, locale, today, progress=progress, parent=parent)]
    return bk.message(f"{headline} #{task.number} {task.title}", blocks)


def done_message(change: Change, locale: str, today: date) -> bk.Message:
    """Confirmation of Done (or that it already was), with the next occurrence of a recurring task."""
    task = change.task
    key = "tasks.done_now" if change.changed else "tasks.done_already"
    text = t(locale, key, number=task.number, title=task.title)
    blocks = [bk.section(text)]
    if change.next_task is not None:
        nxt = change.next_task
        blocks.append(
            bk.context(
                t(locale, "tasks.next_occurrence", number=nxt.number, due=due_phrase(nxt, locale, today))
            )
        )
        text += " " + t(
            locale, "tasks.next_occurrence", number=nxt.number, due=due_phrase(nxt, locale, today)
        )
    blocks.append(bk.actions(bk.button(t(locale, "tasks.button.reopen"), REOPEN, str(task.number))))
    return bk.message(text, blocks)


def checkpoints_confirm(task: Task, locale: str, open_count: int, total: int) -> bk.Message:
    """Ask before closing a task whose checkpoints are not all done."""
    text = t(
        locale, "tasks.checkpoints_open", number=task.number, title=task.title, open=open_count, total=total
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
    text = t(locale, "tasks.delete_question", number=task.number, title=task.title)
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
    text = t(locale, "tasks.deleted", number=task.number, title=task.title)
    return bk.message(
        text,
        [
            bk.section(text),
            bk.actions(bk.button(t(locale, "tasks.button.undo"), DELETE_UNDO, str(task.number))),
        ],
    )


def simple(text: str) -> bk.Message:
    """A one-section reply."""
    return bk.message(text, [bk.section(text)])


def list_message(
    tasks: Sequence[Task],
    groups: dict[str, list[Task]],
    locale: str,
    today: date,
    *,
    title: str,
    offset: int,
    query: dict[str, str],
) -> bk.Message:
    """Up to LIST_PAGE tasks from `offset`, grouped; a Show more button when there are more."""
    total = len(tasks)
    ordered = [(name, task) for name in GROUPS for task in groups[name]]
    page = ordered[offset : offset + LIST_PAGE]
    blocks: list[bk.Block] = [bk.header(title)]
    if not page:
        blocks.append(bk.section(t(locale, "tasks.list_empty")))
        return bk.message(title, blocks)
    current = ""
    lines: list[str] = []

    def flush() -> None:
        if lines:
            blocks.append(bk.section("\n".join(lines)))
            lines.clear()

    for name, task in page:
        line = task_line(task, locale, today)
        if name != current:
            flush()
            current = name
            lines.append(f"*{t(locale, f'tasks.group.{name}')}* ({len(groups[name])})")
        # Long titles: start a new section before one would pass Slack's 3,000 characters.
        if sum(len(x) + 1 for x in lines) + len(line) > 2900:
            flush()
        lines.append(line)
    flush()
    last = offset + len(page)
    blocks.append(bk.context(t(locale, "tasks.list_range", first=offset + 1, last=last, total=total)))
    if last < total:
        more = json.dumps({**query, "offset": last}, separators=(",", ":"))
        blocks.append(bk.actions(bk.button(t(locale, "tasks.button.show_more"), SHOW_MORE, more)))
    return bk.message(title + "\n" + "\n".join(task_line(task, locale, today) for _, task in page), blocks)


def task_modal(
    locale: str,
    *,
    campaigns: Sequence[str],
    title: str = "",
    owner: str = "",
    due: date | None = None,
    campaign: str = "",
    priority: str = "normal",
    recurrence: str = "",
    parent: int | None = None,
    source_url: str = "",
    number: int | None = None,
    private: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The create/edit form; `number` set means edit."""

    def option(text: str, value: str) -> dict[str, Any]:
        return {"text": bk.plain(text, 75), "value": value}

    title_el: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": "value",
        "max_length": 300,
        "multiline": False,
    }
    if title:
        title_el["initial_value"] = title[:300]
    owner_el: dict[str, Any] = {"type": "users_select", "action_id": "value"}
    if owner:
        owner_el["initial_user"] = owner
    due_el: dict[str, Any] = {"type": "datepicker", "action_id": "value"}
    if due:
        due_el["initial_date"] = due.isoformat()
    priority_options = [option(t(locale, f"tasks.priority.{p}"), p) for p in PRIORITIES]
    priority_el = {
        "type": "static_select",
        "action_id": "value",
        "options": priority_options,
        "initial_option": priority_options[
            PRIORITIES.index(priority if priority in PRIORITIES else "normal")
        ],
    }
    repeat_options = [option(t(locale, "tasks.modal.recurrence_none"), "none")] + [
        option(t(locale, "tasks.every", rule=t(locale, f"tasks.every.{r}")), r) for r in RECURRENCES
    ]
    repeat_el = {
        "type": "static_select",
        "action_id": "value",
        "options": repeat_options,
        "initial_option": repeat_options[
            RECURRENCES.index(recurrence) + 1 if recurrence in RECURRENCES else 0
        ],
    }
    blocks: list[bk.Block] = [
        {
            "type": "input",
            "block_id": "title",
            "label": bk.plain(t(locale, "tasks.modal.title")),
            "element": title_el,
        },
        {
            "type": "input",
            "block_id": "owner",
            "label": bk.plain(t(locale, "tasks.modal.owner")),
            "element": owner_el,
        },
        {
            "type": "input",
            "block_id": "due",
            "optional": True,
            "label": bk.plain(t(locale, "tasks.modal.due")),
            "element": due_el,
        },
    ]
    known = list(dict.fromkeys([c for c in [campaign, *campaigns] if c]))[:100]
    if known:
        campaign_options = [option(f"#{c}", c) for c in known]
        campaign_el: dict[str, Any] = {
            "type": "static_select",
            "action_id": "value",
            "options": campaign_options,
        }
        if campaign:
            campaign_el["initial_option"] = campaign_options[known.index(campaign)]
        blocks.append(
            {
                "type": "input",
                "block_id": "campaign",
                "optional": True,
                "label": bk.plain(t(locale, "tasks.modal.campaign")),
                "element": campaign_el,
            }
        )
    new_label = "tasks.modal.campaign_new" if known else "tasks.modal.campaign"
    blocks.append(
        {
            "type": "input",
            "block_id": "campaign_new",
            "optional": True,
            "label": bk.plain(t(locale, new_label)),
            "element": {"type": "plain_text_input", "action_id": "value", "max_length": 100},
        }
    )
    parent_el: dict[str, Any] = {"type": "plain_text_input", "action_id": "value", "max_length": 10}
    if parent:
        parent_el["initial_value"] = str(parent)
    blocks += [
        {
            "type": "input",
            "block_id": "priority",
            "label": bk.plain(t(locale, "tasks.modal.priority")),
            "element": priority_el,
        },
        {
            "type": "input",
            "block_id": "recurrence",
            "label": bk.plain(t(locale, "tasks.modal.recurrence")),
            "element": repeat_el,
        },
        {
            "type": "input",
            "block_id": "parent",
            "optional": True,
            "label": bk.plain(t(locale, "tasks.modal.parent")),
            "element": parent_el,
        },
    ]
    if source_url:
        blocks.append(bk.context(t(locale, "tasks.modal.source", url=source_url)))
    heading = (
        t(locale, "tasks.modal.title_edit", number=number) if number else t(locale, "tasks.modal.title_new")
    )
    metadata = {**(private or {}), "number": number, "source_url": source_url}
    return bk.modal(
        heading,
        blocks,
        callback_id=MODAL,
        submit=t(locale, "tasks.modal.submit"),
        close=t(locale, "tasks.modal.close"),
        private_metadata=json.dumps(metadata, separators=(",", ":")),
    )


def _task_rows(
    tasks: Sequence[Task], locale: str, today: date, *, owner: bool, done_button: bool
) -> list[bk.Block]:
    rows = []
    for task in tasks:
        accessory = bk.button(t(locale, "tasks.button.done"), DONE, str(task.number)) if done_button else None
        line = task_line(task, locale, today, owner=owner)
        block_id = f"{ROW_BLOCK_PREFIX}{task.number}" if done_button else None
        rows.append(bk.section(line, accessory=accessory, block_id=block_id))
    return rows


def home_view(
    groups: dict[str, list[Task]], assigned_overdue: Sequence[Task], locale: str, today: date
) -> dict[str, Any]:
    """App Home: my open tasks by due date with Done buttons, and overdue tasks I gave to others."""
    blocks: list[bk.Block] = [bk.header(t(locale, "tasks.home.title"))]
    shown = 0
    total = sum(len(v) for v in groups.values())
    if total == 0:
        blocks.append(bk.section(t(locale, "tasks.home.empty")))
    for name in GROUPS:
        tasks = groups[name]
        if not tasks or shown >= HOME_TASK_LIMIT:
            continue
        blocks.append(bk.section(f"*{t(locale, f'tasks.group.{name}')}* ({len(tasks)})"))
        room = HOME_TASK_LIMIT - shown
        blocks += _task_rows(tasks[:room], locale, today, owner=False, done_button=True)
        shown += min(len(tasks), room)
    if shown < total:
        blocks.append(bk.context(t(locale, "tasks.home.more", count=total - shown)))
    if assigned_overdue:
        blocks += [
            bk.divider(),
            bk.section(f"*{t(locale, 'tasks.home.assigned_overdue')}* ({len(assigned_overdue)})"),
        ]
        blocks += _task_rows(assigned_overdue[:20], locale, today, owner=True, done_button=False)
        if len(assigned_overdue) > 20:
            blocks.append(bk.context(t(locale, "tasks.home.more", count=len(assigned_overdue) - 20)))
    return {"type": "home", "blocks": blocks[: bk.VIEW_BLOCK_LIMIT]}


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
        blocks += _task_rows(tasks[:room], locale, today, owner=False, done_button=True)
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
