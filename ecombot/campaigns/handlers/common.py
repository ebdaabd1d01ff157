"""What several campaign handlers share: work after the ack (the channel's privacy, the evaluation)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_sdk.errors import SlackApiError

from ecombot.campaigns import evaluation, service
from ecombot.scheduling.service import enqueue_many
from ecombot.slack.reply import AfterAck
from ecombot.workspaces import service as workspaces

log = logging.getLogger(__name__)


def learn_privacy(campaign_id: int, channel: str) -> Callable[[AfterAck], None]:
    """After the ack: ask Slack whether the campaign's channel is private (its figures stay there)."""

    def work(after: AfterAck) -> None:
        if not channel:
            return
        try:
            info = after.client.conversations_info(channel=channel)
        except SlackApiError as exc:
            log.info(
                "could not read channel %s of campaign %s: %s",
                channel,
                campaign_id,
                exc.response.get("error"),
            )
            return
        conversation = info.get("channel") or {}
        private = bool(conversation.get("is_private") or conversation.get("is_group"))
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
