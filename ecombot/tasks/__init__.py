"""Tasks and checkpoints: /task, the task form and shortcuts, card buttons, reminders by DM, App Home."""

from __future__ import annotations

from ecombot.domain import Action, Domain, Form, HomeSection, Shortcut
from ecombot.scheduling.service import JobRegistry
from ecombot.slack.router import Command, Sub
from ecombot.tasks import views
from ecombot.tasks.handlers import buttons, commands, form, home
from ecombot.tasks.modal import MODAL


def register_jobs(registry: JobRegistry) -> None:
    """The 09:00 reminders and the recurring roll-over, found by the scheduler's tick."""
    from ecombot.tasks.jobs import remind_owners, roll_over_recurring

    registry.add_tick("tasks.reminders", remind_owners)
    registry.add_tick("tasks.rollover", roll_over_recurring)


TASK = Command(
    "/task",
    description="Record and follow up tasks and checkpoints",
    hint="add <title> @owner due:fri | list | done <id>",
    default=Sub("form", commands.on_form_command, usage="", summary="help.task_modal", write=False),
    subs=(
        Sub(
            "add",
            commands.on_add_command,
            usage="add <title> [@owner] [due:<date>] [#campaign] [p:high|normal|low] "
            "[every:day|mon..sun|month] [parent:<id>]",
            summary="help.task_add",
            aliases=("new", "添加", "新建"),
            options=commands.ADD_OPTIONS,
            parse=commands.parse_add,
        ),
        Sub(
            "list",
            commands.on_list_command,
            usage="list [mine|all|overdue|@user] [#campaign]",
            summary="help.task_list",
            aliases=("ls", "列表"),
            parse=commands.parse_list,
            write=False,
        ),
        Sub(
            "done",
            commands.on_done_command,
            usage="done <id>",
            summary="help.task_done",
            aliases=("close", "完成"),
            parse=commands.parse_number,
        ),
        Sub(
            "reopen",
            commands.on_reopen_command,
            usage="reopen <id>",
            summary="help.task_reopen",
            aliases=("重开",),
            parse=commands.parse_number,
        ),
        Sub(
            "show",
            commands.on_show_command,
            usage="show <id>",
            summary="help.task_show",
            aliases=("查看",),
            parse=commands.parse_number,
            write=False,
        ),
        Sub(
            "assign",
            commands.on_assign_command,
            usage="assign <id> @user",
            summary="help.task_assign",
            aliases=("转交",),
            parse=commands.parse_assign,
        ),
        Sub(
            "due",
            commands.on_due_command,
            usage="due <id> <date|none>",
            summary="help.task_due",
            aliases=("截止",),
            parse=commands.parse_due,
        ),
        Sub(
            "edit",
            commands.on_edit_command,
            usage="edit <id>",
            summary="help.task_edit",
            aliases=("编辑",),
            parse=commands.parse_number,
            write=False,
        ),
        Sub(
            "delete",
            commands.on_delete_command,
            usage="delete <id>",
            summary="help.task_delete",
            aliases=("del", "rm", "删除"),
            parse=commands.parse_number,
            write=False,
        ),
    ),
)

DOMAIN = Domain(
    name="tasks",
    commands=(TASK,),
    actions=(
        Action(views.DONE, buttons.on_done_action, read=buttons.read_number),
        Action(views.CLOSE_ANYWAY, buttons.on_close_anyway_action, read=buttons.read_number),
        Action(views.REOPEN, buttons.on_reopen_action, read=buttons.read_number),
        Action(views.SNOOZE, buttons.on_snooze_action, read=buttons.read_number),
        Action(views.REASSIGN, buttons.on_reassign_action, read=buttons.read_reassign),
        Action(views.SHOW_MORE, buttons.on_show_more_action, read=buttons.read_page, write=False),
        Action(views.DELETE_CONFIRM, buttons.on_delete_confirm_action, read=buttons.read_number),
        Action(views.DELETE_UNDO, buttons.on_delete_undo_action, read=buttons.read_number),
        Action(views.DELETE_CANCEL, buttons.on_cancel_action, read=buttons.read_number, write=False),
    ),
    shortcuts=(
        Shortcut(
            "tasks.new",
            "New task",
            "global",
            "Record a task with owner, date and campaign",
            form.on_new_task_shortcut,
        ),
        Shortcut(
            "tasks.from_message",
            "Create task from message",
            "message",
            "Turn this message into a task",
            form.on_from_message_shortcut,
        ),
    ),
    forms=(Form(MODAL, form.on_task_modal_submission),),
    home=(HomeSection("tasks", home.tasks_home_section, priority=10, budget=70),),
    jobs=register_jobs,
)
