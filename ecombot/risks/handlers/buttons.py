"""The review DM's buttons: Still valid, Update (opens the form), Mitigated."""

from __future__ import annotations

from sqlmodel import Session

from ecombot.actor import Caller
from ecombot.risks import service, views
from ecombot.slack import inputs
from ecombot.slack.inputs import ActionInput
from ecombot.slack.reply import Reply


def read_number(action: ActionInput) -> int:
    """The risk number the button carries."""
    return inputs.number(action.value)


def on_review_valid_action(caller: Caller, number: int, session: Session) -> Reply:
    """Reviewed: still as it is."""
    risk, new = service.review(session, caller, number, "valid")
    return Reply(message=views.reviewed_message(risk, "valid", new, caller.locale), replace=True)


def on_review_mitigated_action(caller: Caller, number: int, session: Session) -> Reply:
    """Reviewed: mitigated."""
    risk, new = service.review(session, caller, number, "mitigated")
    return Reply(
        message=views.reviewed_message(risk, "mitigated", new, caller.locale),
        replace=True,
        home={risk.owner_id},
    )


def on_review_update_action(caller: Caller, number: int, session: Session) -> Reply:
    """The form with the risk as it is; saving it counts as the review."""
    risk = service.get_risk(session, caller.team_id, number)
    if not (caller.is_manager or caller.user_id in (risk.owner_id, risk.created_by)):
        service.update_risk(session, caller, number, {})  # refuses, saying who may
    return Reply(open_view=views.risk_form(caller.locale, owner=risk.owner_id, risk=risk))
