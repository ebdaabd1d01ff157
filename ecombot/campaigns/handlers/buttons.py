"""Buttons: delete (confirm, keep, undo), start a campaign review, create a campaign an import named."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from ecombot.actor import Caller
from ecombot.campaigns import evaluation, importing, service, views
from ecombot.campaigns.handlers.common import over_budget_outbox
from ecombot.campaigns.handlers.forms import new_form
from ecombot.campaigns.models import CampaignImport
from ecombot.errors import NotFound
from ecombot.scheduling.service import Outgoing
from ecombot.slack import blocks as bk
from ecombot.slack import inputs
from ecombot.slack.i18n import t
from ecombot.slack.inputs import ActionInput, BadValue
from ecombot.slack.reply import Reply


def read_id(action: ActionInput) -> int:
    """The campaign id a button carries."""
    return inputs.number(action.value)


def on_delete_confirm_action(caller: Caller, campaign_id: int, session: Session) -> Reply:
    """Delete, after the question; the answer offers Undo."""
    campaign = service.delete(session, caller, campaign_id)
    return Reply(
        message=views.deleted_message(campaign, caller.locale), replace=True, home={campaign.owner_id}
    )


def on_delete_keep_action(caller: Caller, campaign_id: int, session: Session) -> Reply:
    """Keep it."""
    campaign = service.get_by_id(session, caller.team_id, campaign_id)
    return Reply(
        message=bk.message(t(caller.locale, "campaigns.delete_kept", name=views.name_of(campaign))),
        replace=True,
    )


def on_delete_undo_action(caller: Caller, campaign_id: int, session: Session) -> Reply:
    """Undo a delete."""
    campaign = service.undelete(session, caller, campaign_id)
    text = t(caller.locale, "campaigns.undeleted", name=views.name_of(campaign))
    return Reply(message=bk.message(text), replace=True, home={campaign.owner_id})


@dataclass(frozen=True)
class Review:
    """Start campaign review: which campaign, and where the evaluation is."""

    campaign_id: int
    channel: str
    ts: str


def read_review(action: ActionInput) -> Review:
    """The campaign id, and the evaluation message clicked."""
    if not action.channel or not inputs.is_ts(action.message_ts):
        raise BadValue(action.message_ts)
    return Review(inputs.number(action.value), inputs.channel_id(action.channel), action.message_ts)


def on_review_action(caller: Caller, review: Review, session: Session) -> Reply:
    """Start the campaign review: a retro attached to the campaign, whose prompt shows its results
    against its targets (once, whoever clicks first; a second click points to it)."""
    from ecombot.retros import posting
    from ecombot.retros import service as retros
    from ecombot.retros import views as retro_views

    campaign = service.get_by_id(session, caller.team_id, review.campaign_id)
    opening = retros.campaign_review_opening(
        session,
        caller,
        review.campaign_id,
        review.channel,
        zone=caller.workspace_tz,
        language=caller.workspace_language,
    )
    if not isinstance(opening, retros.Opening):
        text = t(
            caller.locale,
            "retros.review_exists",
            name=views.name_of(campaign),
            channel=f"<#{opening.channel_id}>",
        )
        return Reply(message=bk.ephemeral(text))
    retro, prompt = posting.open_with_prompt(
        session, opening, caller.now, zone=caller.workspace_tz, currency=caller.currency
    )
    when = retro_views.when(retro.closes_at, caller.workspace_tz, caller.workspace_language)
    # Said in the evaluation's thread, in the workspace's language: the review itself is a new message.
    note = Outgoing(
        review.channel,
        dict(
            bk.message(
                t(caller.workspace_language, "retros.review_started", name=views.name_of(campaign), when=when)
            )
        ),
        f"campaigns.review:{campaign.id}",
        thread_of=evaluation.evaluation_key(review.campaign_id),
    )
    return Reply(outbox=[prompt, note])


@dataclass(frozen=True)
class CreateFromImport:
    """ "Create …" on an import's reply: the import and the campaign name it holds rows for."""

    import_id: int
    name: str


def read_create(action: ActionInput) -> CreateFromImport:
    """The import id and name the button carries."""
    data = inputs.json_object(action.value, limit=2000)
    name = data.get("name")
    if not isinstance(name, str) or not name.strip() or len(name) > service.NAME_LIMIT:
        raise BadValue(name)
    raw_id = data.get("import")
    return CreateFromImport(inputs.number(str(raw_id) if isinstance(raw_id, int) else raw_id), name)


def on_create_from_import_action(caller: Caller, create: CreateFromImport, session: Session) -> Reply:
    """The new-campaign form with the name and the dates of the rows waiting for it."""
    record = session.get(CampaignImport, create.import_id)
    if record is None or record.team_id != caller.team_id:
        raise NotFound("campaign_import_gone")
    rows = next(
        (r for n, r in record.pending.items() if service.name_key(n) == service.name_key(create.name)), []
    )
    days = sorted(service.entry_from(r).day for r in rows) + sorted(service.entry_from(r).until for r in rows)
    existing = service.find(session, caller.team_id, create.name)
    if existing is not None and existing.id is not None:
        # Created meanwhile (by someone else, or by a second click): record the rows now.
        service.require_log(caller, existing, caller.channel)
        applied = importing.apply_pending(session, caller, create.import_id, existing)
        text = t(
            caller.locale,
            "campaigns.import_pending_applied",
            rows=applied.recorded,
            name=views.name_of(existing),
        )
        reply = Reply(message=bk.ephemeral(text))
        if applied.over_budget is not None:
            reply.outbox += over_budget_outbox(
                session, existing, applied.over_budget, caller.workspace_language, caller.now
            )
        return reply
    return Reply(
        open_view=new_form(
            caller,
            name=create.name,
            start=min(days) if days else None,
            end=max(days) if days else None,
            import_id=create.import_id,
        )
    )
