"""The new-campaign form: opened by `/campaign new` with no text, or by "Create …" on an import's
reply (then the rows the import kept for that name are recorded as soon as it exists)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from sqlmodel import Session

from ecombot.actor import Caller
from ecombot.campaigns import importing, service, views
from ecombot.campaigns.handlers.common import budget_category, over_budget_outbox
from ecombot.errors import InvalidInput, PermissionDenied
from ecombot.slack import blocks as bk
from ecombot.slack import inputs
from ecombot.slack.errors import refusal_text
from ecombot.slack.i18n import t
from ecombot.slack.inputs import FormInput
from ecombot.slack.parsing import ParseError, parse_amount
from ecombot.slack.reply import Reply

_FIELD_OF = {
    "campaign_exists": "name",
    "campaign_name_missing": "name",
    "campaign_name_long": "name",
    "campaign_dates": "end",
    "campaign_category_long": "category",
    "campaign_create_for_other": "owner",
    "campaign_owner_bot": "owner",
    "budget_unknown_category": "category",
}


def new_form(
    caller: Caller,
    *,
    channel: str = "",
    name: str = "",
    start: date | None = None,
    end: date | None = None,
    import_id: int | None = None,
) -> dict[str, Any]:
    """The form, prefilled with what is known (the channel it was opened in, an import's name and dates)."""
    locale = caller.locale

    def text(block_id: str, label: str, initial: str = "", *, optional: bool = False) -> bk.Block:
        element: dict[str, Any] = {"type": "plain_text_input", "max_length": 80}
        if initial:
            element["initial_value"] = initial
        return bk.input_block(block_id, label, element, optional=optional)

    def picker(block_id: str, label: str, initial: date | None, *, optional: bool) -> bk.Block:
        element: dict[str, Any] = {"type": "datepicker"}
        if initial is not None:
            element["initial_date"] = initial.isoformat()
        return bk.input_block(block_id, label, element, optional=optional)

    channel_element: dict[str, Any] = {
        "type": "conversations_select",
        "filter": {"include": ["public", "private"]},
    }
    if channel.startswith(("C", "G")):
        channel_element["initial_conversation"] = channel
    blocks = [
        text("name", t(locale, "campaigns.form.name"), name[: service.NAME_LIMIT]),
        text("budget", t(locale, "campaigns.form.budget", currency=caller.currency)),
        picker("start", t(locale, "campaigns.form.start"), start or caller.today, optional=False),
        picker("end", t(locale, "campaigns.form.end"), end, optional=True),
        bk.input_block("channel", t(locale, "campaigns.form.channel"), channel_element, optional=True),
        bk.input_block(
            "owner",
            t(locale, "campaigns.form.owner"),
            {"type": "users_select", "initial_user": caller.user_id},
        ),
        text("category", t(locale, "campaigns.form.category"), optional=True),
        bk.header(t(locale, "campaigns.form.targets")),
        text("target_roas", t(locale, "campaigns.form.target_roas"), optional=True),
        text("target_revenue", t(locale, "campaigns.form.target_revenue"), optional=True),
        text("target_cpa", t(locale, "campaigns.form.target_cpa"), optional=True),
        text("target_orders", t(locale, "campaigns.form.target_orders"), optional=True),
    ]
    metadata = {"channel": channel, "import": import_id}
    return bk.modal(
        t(locale, "campaigns.form.title"),
        blocks,
        callback_id=views.NEW_FORM,
        submit=t(locale, "campaigns.form.submit"),
        private_metadata=json.dumps(metadata, separators=(",", ":")),
    )


class _FieldError(Exception):
    def __init__(self, block_id: str, message: str) -> None:
        super().__init__(block_id)
        self.block_id = block_id
        self.message = message


def _amount(form: FormInput, block_id: str, locale: str, *, required: bool = False) -> Decimal | None:
    raw = form.values.text(block_id, limit=40).strip()
    if not raw:
        if required:
            raise _FieldError(block_id, t(locale, "campaigns.form.bad_amount"))
        return None
    try:
        value = parse_amount(raw.rstrip("xX") if block_id == "target_roas" else raw)
    except ParseError:
        raise _FieldError(block_id, t(locale, "campaigns.form.bad_amount")) from None
    if value <= 0:
        raise _FieldError(block_id, t(locale, "campaigns.form.bad_amount"))
    return value


def _draft(caller: Caller, form: FormInput) -> service.Draft:
    locale = caller.locale
    values = form.values
    orders = _amount(form, "target_orders", locale)
    if orders is not None and orders != orders.to_integral_value():
        raise _FieldError("target_orders", t(locale, "campaigns.form.bad_count"))
    budget = _amount(form, "budget", locale, required=True)
    assert budget is not None
    return service.Draft(
        name=values.text("name", limit=service.NAME_LIMIT),
        budget=budget,
        currency=caller.currency,
        start=values.date("start"),
        end=values.date("end"),
        channel_id=values.conversation("channel"),
        owner_id=values.user("owner", bot_user_id=form.bot_user_id),
        category=values.text("category", limit=service.CATEGORY_LIMIT),
        target_roas=_amount(form, "target_roas", locale),
        target_revenue=_amount(form, "target_revenue", locale),
        target_cpa=_amount(form, "target_cpa", locale),
        target_orders=None if orders is None else int(orders),
    )


def on_new_form_submission(caller: Caller, form: FormInput, session: Session) -> Reply:
    """Create the campaign; a refusal stays in the form next to its field."""
    from ecombot.campaigns.handlers.commands import created_reply

    try:
        draft = _draft(caller, form)
        draft = replace(draft, category=budget_category(session, caller.team_id, draft.category))
        campaign = service.create(session, caller, draft)
    except _FieldError as bad:
        return Reply(errors={bad.block_id: bad.message})
    except (InvalidInput, PermissionDenied) as exc:
        field = _FIELD_OF.get(exc.code)
        if field is None:
            raise
        return Reply(errors={field: refusal_text(caller.locale, exc)})
    reply = created_reply(caller, campaign, session)
    meta_channel = form.metadata.get("channel")
    reply.channel = inputs.channel_id(meta_channel, empty=True) if meta_channel else ""
    import_id = form.metadata.get("import")
    if isinstance(import_id, int) and import_id > 0:
        applied = importing.apply_pending(session, caller, import_id, campaign)
        if applied.over_budget is not None:
            reply.outbox += over_budget_outbox(
                session, campaign, applied.over_budget, caller.workspace_language, caller.now
            )
        if applied.recorded and reply.message is not None:
            note = t(
                caller.locale,
                "campaigns.import_pending_applied",
                rows=applied.recorded,
                name=views.name_of(campaign),
            )
            reply.message = {
                **reply.message,
                "blocks": [bk.section(":inbox_tray: " + note), *reply.message["blocks"]],
            }
            reply.message["blocks"] = reply.message["blocks"][: bk.MESSAGE_BLOCK_LIMIT]
    return reply
