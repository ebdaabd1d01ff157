"""The entry form: read, checked, saved once; the retro's message shows it (chat.update)."""

from __future__ import annotations

from sqlmodel import Session

from ecombot.actor import Caller
from ecombot.errors import InvalidInput
from ecombot.retros import checks, posting, service, views
from ecombot.retros.models import KINDS
from ecombot.slack import inputs
from ecombot.slack.errors import refusal_text
from ecombot.slack.inputs import BadValue, FormInput
from ecombot.slack.reply import Reply


def on_entry_form_submission(caller: Caller, form: FormInput, session: Session) -> Reply:
    """An entry: saved (once per form), thanks only the writer sees, the retro's message updated. In
    an anonymous retro nothing about the writer is kept or refreshed."""
    meta = form.metadata
    kind = meta.get("kind")
    nonce = meta.get("nonce")
    if kind not in KINDS or not isinstance(nonce, str):
        raise BadValue(meta)
    retro_id = inputs.number(str(meta.get("retro", "")))
    values = form.values
    text = values.text("text", limit=service.TEXT_LIMIT)
    owner, due, check = "", None, None
    if kind == "action":
        owner = values.user("owner", bot_user_id=form.bot_user_id)
        due = values.date("due")
        try:
            check = checks.parse(values.text("check", limit=80))
        except InvalidInput as exc:
            return Reply(errors={"check": refusal_text(caller.locale, exc)})
        if due is not None and due < caller.today:
            return Reply(errors={"due": refusal_text(caller.locale, InvalidInput("retro_due_past"))})
    draft = service.EntryDraft(kind=kind, text=text, nonce=nonce, owner_id=owner, due_date=due, check=check)
    try:
        retro, added = service.add_entry(session, caller, retro_id, draft)
    except InvalidInput as exc:
        field = {
            "retro_text_missing": "text",
            "retro_text_too_long": "text",
            "retro_action_owner_missing": "owner",
        }
        if exc.code in field:
            return Reply(errors={field[exc.code]: refusal_text(caller.locale, exc)})
        raise
    reply = Reply(message=views.added_message(retro, kind, added, caller.locale), channel=retro.channel_id)
    if added:
        reply.outbox.append(posting.updated_prompt(session, retro, currency=caller.currency))
    return reply
