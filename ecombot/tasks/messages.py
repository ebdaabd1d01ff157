"""The tasks domain's strings, in English and Simplified Chinese."""

from __future__ import annotations

from ecombot.slack.i18n import add_messages

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
        "help.task_done": (
            "Mark a task done (asks first while checkpoints are open).",
            "标记任务完成（仍有未完成检查点时会先确认）。",
        ),
        "help.task_reopen": ("Open a done task again.", "重新打开已完成的任务。"),
        "help.task_show": ("Show one task's card.", "查看单个任务。"),
        "help.task_assign": (
            "Give a task to someone else (they get a DM).",
            "把任务转交给他人（对方会收到私信）。",
        ),
        "help.task_due": (
            "Move a task's due date, or clear it with `none`.",
            "修改截止日期，或用 `none` 清除。",
        ),
        "help.task_edit": ("Edit a task in the form.", "在表单中编辑任务。"),
        "help.task_delete": (
            "Delete a task (asks first, and offers Undo).",
            "删除任务（会先确认，并可撤销）。",
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
        "tasks.snoozed_undated": (
            ":zzz: No reminder for #{number} until {when}.",
            ":zzz: #{number} 在 {when} 之前不再提醒。",
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
        "tasks.home.team_overdue": ("Overdue across the team", "团队逾期任务"),
        "tasks.home.more_overdue": (
            "…and {count} more: `/task list overdue`.",
            "……还有 {count} 条：`/task list overdue`。",
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
