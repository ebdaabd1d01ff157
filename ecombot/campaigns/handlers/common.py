"""What several campaign handlers share: work after the ack (the channel's privacy, the evaluation)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal

from sqlmodel import Session

from ecombot.campaigns import evaluation, service, views
from ecombot.campaigns.models import Campaign
from ecombot.scheduling.service import Outgoing, enqueue_many
from ecombot.slack.channels import is_private
from ecombot.slack.reply import AfterAck
from ecombot.workspaces import service as workspaces

log = logging.getLogger(__name__)


def learn_privacy(campaign_id: int, channel: str) -> Callable[[AfterAck], None]:
    """After the ack: ask Slack whether the campaign's channel is private (its figures stay there)."""

    def work(after: AfterAck) -> None:
        private = is_private(after.client, channel)
        if private is None:
            return
        with after.session() as session:
            service.set_private(session, after.team_id, campaign_id, private)

    return work


def post_evaluation(campaign_id: int) -> Callable[[AfterAck], None]:
    """After the ack: queue the evaluation of a closed campaign (drawing its chart takes a moment)."""

    def work(after: AfterAck) -> None:
        with after.session() as session:
            campaign = service.get_by_id(session, after.team_id, campaign_id)
            workspace = workspaces.get_workspace(session, after.team_id)
            messages = evaluation.evaluate(
                session, campaign, after.now(), locale=workspace.language, today_zone=workspace.timezone
            )
            enqueue_many(session, [(after.team_id, m) for m in messages], now=after.now())

    return work


def over_budget_outbox(
    session: Session, campaign: Campaign, spent: Decimal, language: str, now: datetime
) -> list[Outgoing]:
    """The alert, at once, to the campaign's channel (workspace language) and by DM to its owner
    (their language)."""
    key = f"campaigns.over_budget:{campaign.id}:{now.isoformat()}"
    owner = workspaces.caller_of(session, campaign.team_id, campaign.owner_id, now)
    targets = [(campaign.channel_id, language), (campaign.owner_id, owner.locale if owner else language)]
    return [
        Outgoing(target, dict(views.over_budget_alert(campaign, spent, locale)), f"{key}:{target}")
        for target, locale in targets
        if target
    ]


def budget_category(session: Session, team_id: str, text: str) -> str:
    """The budget category a campaign names, as its key (`市场营销` → `marketing`), so its spend keeps
    counting against that line whatever the category is later renamed to; a name no category has is
    refused with the list of those that exist."""
    if not text.strip():
        return ""
    from ecombot.budgets import service as budgets  # budgets read campaigns: imported when used

    return budgets.resolve(session, team_id, text).key
