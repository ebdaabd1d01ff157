"""Tasks and checkpoints: /task, the task form and shortcuts, reminders by DM, App Home."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ecombot.tasks.views import COMMANDS

if TYPE_CHECKING:
    from slack_bolt import App

    from ecombot.runtime import Runtime
    from ecombot.scheduling.service import JobRegistry

__all__ = ["COMMANDS", "EVENTS", "SHORTCUTS", "SLASH_COMMANDS", "register", "register_jobs"]

SLASH_COMMANDS = (
    ("/task", "Record and follow up tasks and checkpoints", "add <title> @owner due:fri | list | done <id>"),
)
# (callback_id, name, type, description) for the manifest.
SHORTCUTS = (
    ("tasks.new", "New task", "global", "Record a task with owner, date and campaign"),
    ("tasks.from_message", "Create task from message", "message", "Turn this message into a task"),
)
EVENTS = ("app_home_opened",)


def register(app: App, rt: Runtime) -> None:
    """Bind /task, the form, the shortcuts, the card buttons and App Home."""
    from ecombot.tasks import views
    from ecombot.tasks.handlers import TaskHandlers

    h = TaskHandlers(rt)
    app.command("/task")(h.on_task_command)
    app.shortcut(views.NEW_SHORTCUT)(h.on_new_task_shortcut)
    app.shortcut(views.FROM_MESSAGE)(h.on_from_message_shortcut)
    app.view(views.MODAL)(h.on_task_modal_submission)
    app.action(views.DONE)(h.on_done_action)
    app.action(views.CLOSE_ANYWAY)(h.on_close_anyway_action)
    app.action(views.REOPEN)(h.on_reopen_action)
    app.action(views.SNOOZE)(h.on_snooze_action)
    app.action(views.REASSIGN)(h.on_reassign_action)
    app.action(views.SHOW_MORE)(h.on_show_more_action)
    app.action(views.DELETE_CONFIRM)(h.on_delete_confirm_action)
    app.action(views.DELETE_UNDO)(h.on_delete_undo_action)
    app.action(views.DELETE_CANCEL)(h.on_cancel_action)
    app.event("app_home_opened")(h.on_app_home_opened_event)


def register_jobs(registry: JobRegistry) -> None:
    """The 09:00 reminders and the recurring roll-over, found by the scheduler's tick."""
    from ecombot.tasks.jobs import remind_owners, roll_over_recurring

    registry.add_tick("tasks.reminders", remind_owners)
    registry.add_tick("tasks.rollover", roll_over_recurring)
