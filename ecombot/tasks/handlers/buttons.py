"""The buttons on task cards, lists, reminders and App Home; each value is read and checked first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import Session

from ecombot.actor import Caller
from ecombot.slack import blocks as bk
from ecombot.slack import inputs
from ecombot.slack.i18n import fmt_datetime, t
from ecombot.slack.inputs import ActionInput, BadValue
from ecombot.slack.reply import Reply
from ecombot.tasks import service, views
from ecombot.tasks.handlers.commands import list_page
from ecombot.tasks.handlers.common import after_change, card, checkpoints_question, give
from ecombot.tasks.lists import TaskQuery

SNOOZE_FOR = timedelta(days=1)
_LIST_MODES = ("mine", "all", "overdue", "user")


def read_number(action: ActionInput) -> int:
    """The task number a button carries."""
    return inputs.number(action.value)


@dataclass(frozen=True)
class Reassign:
    """The card's people picker: which task (from its block), and who."""

    number: int
    owner_id: str


def read_reassign(action: ActionInput) -> Reassign:
    """The task from the card's block id (`task:12`), the person picked (a person, not the bot)."""
    parts = bk.decode_id(action.block_id, views.CARD_BLOCK)
    if parts is None or len(parts) != 1:
        raise BadValue(action.block_id)
    return Reassign(
        number=inputs.number(parts[0]),
        owner_id=inputs.user_id(action.action.get("selected_user"), bot_user_id=action.bot_user_id),
    )


@dataclass(frozen=True)
class Page:
    """Show more: the list's query and where the next page starts."""

    query: TaskQuery
    offset: int


def read_page(action: ActionInput) -> Page:
    """Show more carries the list's query as JSON."""
    data = inputs.json_object(action.value, limit=2000)
    mode, user, campaign = data.get("mode", "mine"), data.get("user", ""), data.get("campaign", "")
    if mode not in _LIST_MODES or not isinstance(campaign, str) or len(campaign) > service.CAMPAIGN_LIMIT:
        raise BadValue(action.value)
    if mode == "user":
        inputs.user_id(user)
    elif user:
        raise BadValue(action.value)
    offset = inputs.number(str(data.get("offset", "")), low=0)
    return Page(TaskQuery(mode=str(mode), user=str(user), campaign=campaign), offset)


def on_done_action(caller: Caller, number: int, session: Session) -> Reply:
    """Done (a second click changes nothing)."""
    return _complete(caller, number, session, force=False)


def on_close_anyway_action(caller: Caller, number: int, session: Session) -> Reply:
    """Close a task although checkpoints are open (the question's button)."""
    return _complete(caller, number, session, force=True)


def _complete(caller: Caller, number: int, session: Session, *, force: bool) -> Reply:
    try:
        change = service.complete_task(session, caller, number, force=force)
    except service.OpenCheckpoints as exc:
        return checkpoints_question(caller, exc)
    reply = Reply(message=views.done_message(change, caller.locale, caller.today), replace=True)
    return after_change(caller, change, reply) if change.changed else reply


def on_reopen_action(caller: Caller, number: int, session: Session) -> Reply:
    """Reopen from a card or a Done confirmation."""
    change = service.reopen_task(session, caller, number)
    reply = card(caller, "tasks.reopened", change)
    reply.replace = True
    return after_change(caller, change, reply) if change.changed else reply


def on_snooze_action(caller: Caller, number: int, session: Session) -> Reply:
    """No reminder for a day; the due date stays."""
    until = caller.now + SNOOZE_FOR
    change = service.snooze_task(session, caller, number, until)
    task = change.task
    if not change.changed:
        return Reply(message=views.answer(caller.locale, "tasks.done_already", task))
    key = "tasks.snoozed" if task.due_date is not None else "tasks.snoozed_undated"
    text = t(
        caller.locale,
        key,
        number=task.number,
        when=fmt_datetime(until, caller.tz, caller.locale),
        due=views.due_phrase(task, caller.locale, caller.today),
    )
    return Reply(message=views.simple(text))


def on_reassign_action(caller: Caller, pick: Reassign, session: Session) -> Reply:
    """Reassign with the card's people picker."""
    return give(session, caller, pick.number, pick.owner_id)


def on_show_more_action(caller: Caller, page: Page, session: Session) -> Reply:
    """The next page of a list, in place of this one."""
    return Reply(message=list_page(caller, page.query, session, offset=page.offset), replace=True)


def on_delete_confirm_action(caller: Caller, number: int, session: Session) -> Reply:
    """Delete, after the question; the answer offers Undo."""
    change = service.delete_task(session, caller, number)
    reply = Reply(message=views.deleted_message(change.task, caller.locale), replace=True)
    return after_change(caller, change, reply)


def on_delete_undo_action(caller: Caller, number: int, session: Session) -> Reply:
    """Bring a deleted task back."""
    change = service.restore_task(session, caller, number)
    reply = card(caller, "tasks.restored", change)
    reply.replace = True
    return after_change(caller, change, reply)


def on_cancel_action(caller: Caller, number: int, session: Session) -> Reply:
    """Keep the task (the question's Cancel)."""
    text = t(caller.locale, "tasks.delete_kept", number=number)
    return Reply(message=views.simple(text), replace=True)
