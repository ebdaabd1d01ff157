"""What every task surface shares: the card reply, the new owner's DM, the Homes a change shows on."""

from __future__ import annotations

from sqlmodel import Session

from ecombot.actor import Caller
from ecombot.scheduling.service import Outgoing
from ecombot.slack.i18n import t
from ecombot.slack.reply import Reply
from ecombot.tasks import lists, modal, service, views
from ecombot.tasks.service import Change
from ecombot.workspaces import service as workspaces


def card(caller: Caller, headline_key: str, change: Change) -> Reply:
    """A headline (`tasks.added`, …) and the task's card, in the caller's language."""
    headline = t(caller.locale, headline_key, number=change.task.number, title=views.title_of(change.task))
    return Reply(message=views.card_message(headline, change, caller.locale, caller.today))


def after_change(caller: Caller, change: Change, reply: Reply) -> Reply:
    """The Homes this change shows on: the caller's, the owner's, and a previous owner's."""
    reply.home |= {caller.user_id, change.task.owner_id}
    if change.previous_owner:
        reply.home.add(change.previous_owner)
    return reply


def owner_of(session: Session, caller: Caller, owner_id: str) -> Caller | None:
    """The would-be owner as the bot knows them (None for the caller themselves). Looked up before a
    change, it also loads their member row, so the service's check that they are a person reads no more."""
    if owner_id == caller.user_id:
        return None
    return workspaces.caller_of(session, caller.team_id, owner_id, caller.now)


def hand_over(
    session: Session, caller: Caller, change: Change, reply: Reply, owner: Caller | None = None
) -> None:
    """When someone else now owns the task, DM them its card (through the outbox, in their language)."""
    task = change.task
    if task.owner_id == caller.user_id or task.owner_id == change.previous_owner:
        return
    if owner is None or owner.user_id != task.owner_id:
        owner = workspaces.caller_of(session, caller.team_id, task.owner_id, caller.now)
    locale = owner.locale if owner is not None else caller.workspace_language
    today = owner.today if owner is not None else caller.today
    headline = t(locale, "tasks.assigned_dm", assigner=caller.user_id, number=task.number)
    message = views.card_message(headline, change, locale, today)
    key = f"tasks.assigned:{task.team_id}:{task.id}:{task.owner_id}:{caller.now.isoformat()}"
    reply.outbox.append(Outgoing(task.owner_id, dict(message), key))
    if owner is None or not owner.known or not owner.fresh:
        reply.meet.add(task.owner_id)


def give(session: Session, caller: Caller, number: int, owner_id: str) -> Reply:
    """Give a task to someone else (a command or the card's picker): the answer, their DM, the Homes."""
    change = service.assign_task(session, caller, number, owner_id)
    key = "tasks.assigned" if change.changed else "tasks.assigned_same"
    reply = Reply(message=views.answer(caller.locale, key, change.task, owner=change.task.owner_id))
    if not change.changed:
        return reply
    hand_over(session, caller, change, reply)
    return after_change(caller, change, reply)


def open_form(session: Session, caller: Caller, prefill: modal.Prefill) -> Reply:
    """The task form, filled in with `prefill` (names for mentions in the title, known campaigns)."""
    names = workspaces.names_of(session, caller.team_id, prefill.title) if prefill.title else {}
    campaigns = lists.campaigns(session, caller.team_id)
    return Reply(open_view=modal.task_modal(caller.locale, prefill, campaigns=campaigns, names=names))


def checkpoints_question(caller: Caller, error: service.OpenCheckpoints) -> Reply:
    """Closing a task whose checkpoints are open: ask, with Close anyway / Cancel."""
    return Reply(message=views.checkpoints_confirm(error.task, caller.locale, error.open_count, error.total))
