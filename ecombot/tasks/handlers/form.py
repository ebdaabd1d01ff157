"""The task form: the shortcuts that open it and its submission."""

from __future__ import annotations

from sqlmodel import Session

from ecombot.actor import Caller
from ecombot.errors import DomainError
from ecombot.slack import inputs
from ecombot.slack.errors import refusal_text
from ecombot.slack.i18n import t
from ecombot.slack.inputs import BadValue, FormInput, ShortcutInput
from ecombot.slack.reply import Reply
from ecombot.tasks import modal, service
from ecombot.tasks.handlers.common import after_change, card, hand_over, open_form
from ecombot.tasks.models import PRIORITIES, RECURRENCES
from ecombot.tasks.service import TaskDraft

# Which field a refusal belongs next to.
_FIELD_OF = {
    "task_not_found": "parent",
    "task_nested_checkpoint": "parent",
    "task_own_parent": "parent",
    "task_bad_owner": "owner",
    "not_a_person": "owner",
    "task_recurring_needs_date": "due",
}


def on_new_task_shortcut(caller: Caller, payload: ShortcutInput, session: Session) -> Reply:
    """Global shortcut "New task": the empty form."""
    return open_form(session, caller, modal.Prefill(owner=caller.user_id))


def on_from_message_shortcut(caller: Caller, payload: ShortcutInput, session: Session) -> Reply:
    """Message shortcut "Create task from message": the form, prefilled, with a link back."""
    prefill = modal.Prefill(
        title=payload.text[: service.TITLE_LIMIT],
        owner=caller.user_id,
        source_url=payload.permalink,
        channel=payload.channel,
    )
    return open_form(session, caller, prefill)


def read_form(caller: Caller, form: FormInput, parent: int | None) -> tuple[int | None, str, TaskDraft]:
    """(number being edited, channel to answer in, the draft); BadValue for anything tampered with."""
    meta = form.metadata
    number = meta.get("number")
    edited = None if number in (None, "", 0) else inputs.number(str(number))
    channel = inputs.channel_id(meta.get("channel"), empty=True)
    source_url = meta.get("source_url") or ""
    if not isinstance(source_url, str) or (
        source_url and not inputs.is_workspace_link(source_url, form.team_domain)
    ):
        raise BadValue(source_url)
    values = form.values
    recurrence = values.option("recurrence", ("none", *RECURRENCES), default="none")
    draft = TaskDraft(
        title=values.text("title", limit=service.TITLE_LIMIT),
        owner_id=values.user("owner", bot_user_id=form.bot_user_id),
        due_date=values.date("due"),
        campaign=values.text("campaign_new", limit=service.CAMPAIGN_LIMIT)
        or values.option_text("campaign", limit=service.CAMPAIGN_LIMIT),
        priority=values.option("priority", PRIORITIES, default="normal"),
        recurrence="" if recurrence == "none" else recurrence,
        parent_number=parent,
        source_url=source_url,
    )
    return edited, channel, draft


def on_task_modal_submission(caller: Caller, form: FormInput, session: Session) -> Reply:
    """Create or edit from the form; a refusal is shown next to the field it is about."""
    parent_text = form.values.text("parent", limit=12).lstrip("#")
    try:
        parent = inputs.number(parent_text) if parent_text else None
    except BadValue:
        return Reply(errors={"parent": t(caller.locale, "tasks.modal.bad_parent")})
    edited, channel, draft = read_form(caller, form, parent)
    if not draft.owner_id:
        # The owner is a required input: only a forged submission leaves it empty.
        return Reply(errors={"owner": t(caller.locale, "error.required_field")})
    try:
        if edited is not None:
            change = service.edit_task(session, caller, edited, draft)
        else:
            change = service.add_task(session, caller, draft)
    except DomainError as exc:
        session.rollback()
        return Reply(errors={_FIELD_OF.get(exc.code, "title"): refusal_text(caller.locale, exc)})
    reply = card(caller, "tasks.updated" if edited is not None else "tasks.added", change)
    reply.channel = channel
    hand_over(session, caller, change, reply)
    return after_change(caller, change, reply)
