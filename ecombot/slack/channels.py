"""What the app learns about a channel from Slack, after the ack: whether it is private."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

log = logging.getLogger(__name__)


def is_private(client: WebClient, channel: str) -> bool | None:
    """Whether a channel is private (its data then stays in it); None when Slack cannot tell us (the
    bot is not in that private channel, or Slack is unreachable)."""
    if not channel:
        return None
    try:
        info = client.conversations_info(channel=channel)
    except SlackApiError as exc:
        log.info("could not read channel %s: %s", channel, exc.response.get("error"))
        return None
    except SlackClientError as exc:
        log.info("could not reach Slack to read channel %s: %s", channel, exc)
        return None
    conversation = info.get("channel") or {}
    return bool(conversation.get("is_private") or conversation.get("is_group"))
