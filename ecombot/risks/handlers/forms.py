"""The add and update forms: read, checked, saved; a refusal stays next to its field."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from ecombot.actor import Caller
from ecombot.errors import InvalidInput
from ecombot.risks import service, views
from ecombot.risks.models import CATEGORIES, REVIEWS, STATUSES
from ecombot.slack import inputs
from ecombot.slack.errors import refusal_text
from ecombot.slack.inputs import FormInput
from ecombot.slack.reply import Reply

_LEVELS = tuple(str(i) for i in range(1, 6))
_FIELD_OF = {"risk_title_missing": "title", "risk_title_too_long": "title", "risk_plan_too_long": "plan"}


def _values(form: FormInput) -> dict[str, Any]:
    values = form.values
    return {
        "title": values.text("title", limit=service.TITLE_LIMIT),
        "category": values.option("category", CATEGORIES, default="other"),
        "likelihood": int(values.option("likelihood", _LEVELS, default="3")),
        "impact": int(values.option("impact", _LEVELS, default="3")),
        "owner": values.user("owner", bot_user_id=form.bot_user_id),
        "review": values.option("review", REVIEWS, default="monthly"),
        "plan": values.text("plan", limit=service.PLAN_LIMIT),
    }


def _refused(caller: Caller, exc: InvalidInput) -> Reply:
    field = _FIELD_OF.get(exc.code)
    if field is None:
        raise exc
    return Reply(errors={field: refusal_text(caller.locale, exc)})


def on_add_form_submission(caller: Caller, form: FormInput, session: Session) -> Reply:
    """A risk from the form."""
    v = _values(form)
    draft = service.RiskDraft(
        title=v["title"],
        category=v["category"],
        likelihood=v["likelihood"],
        impact=v["impact"],
        owner_id=v["owner"],
        review=v["review"],
        plan=v["plan"],
    )
    try:
        risk = service.add_risk(session, caller, draft)
    except InvalidInput as exc:
        return _refused(caller, exc)
    channel = form.metadata.get("channel")
    return Reply(
        message=views.added_message(risk, caller.locale),
        channel=str(channel) if inputs.is_channel_id(channel) else "",
        home={risk.owner_id},
    )


def on_update_form_submission(caller: Caller, form: FormInput, session: Session) -> Reply:
    """The risk as the form has it (from its review DM): the change and the review in one."""
    number = inputs.number(str(form.metadata.get("risk", "")))
    v = _values(form)
    status = form.values.option("status", STATUSES, default="open")
    v["owner"] = v["owner"] or caller.user_id
    try:
        risk, changes = service.update_risk(session, caller, number, v)
    except InvalidInput as exc:
        return _refused(caller, exc)
    if status != risk.status:
        risk, _ = service.set_status(session, caller, number, status)
    service.mark_reviewed(session, risk, caller)
    return Reply(message=views.updated_message(risk, changes, caller.locale), home={risk.owner_id})
