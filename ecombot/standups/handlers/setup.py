"""After a new standup is saved (after the ack, when Slack may be asked): whether its channel is
private, and, without a list of people, everyone in it as participants."""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_sdk.errors import SlackApiError, SlackClientError

from ecombot.slack import blocks as bk
from ecombot.slack import members as slack_members
from ecombot.slack.i18n import t
from ecombot.slack.reply import AfterAck
from ecombot.slack.text import mention
from ecombot.standups import service
from ecombot.standups.models import Standup
from ecombot.standups.views import channel_ref
from ecombot.workspaces import service as workspaces

log = logging.getLogger(__name__)


def after_setup(standup_id: int, channel: str, locale: str, *, fill: bool) -> Callable[[AfterAck], None]:
    """Work after the ack of a new standup's setup."""

    def run(after: AfterAck) -> None:
        private = _private(after, channel, locale)
        if private is None:
            return
        with after.session() as session:
            standup = session.get(Standup, standup_id)
            if standup is not None and standup.private != private:
                standup.private = private
                session.add(standup)
        if fill:
            _fill_from_channel(after, standup_id, channel)

    return run


def _private(after: AfterAck, channel: str, locale: str) -> bool | None:
    """Whether the channel is private; None (and the person told how to fix it) when the bot cannot
    see it, e.g. a private channel it was not invited to."""
    try:
        response = after.client.conversations_info(channel=channel)
    except SlackApiError as exc:
        log.warning("cannot see %s for a new standup: %s", channel, exc.response.get("error"))
        _tell(after, t(locale, "standups.cant_see_channel", channel=channel_ref(channel)))
        return None
    except SlackClientError as exc:
        log.warning("cannot reach Slack to look at %s: %s", channel, exc)
        return None
    info = response.get("channel") or {}
    return bool(info.get("is_private") or info.get("is_group"))


def _tell(after: AfterAck, text: str) -> None:
    try:
        after.client.chat_postMessage(channel=after.user_id, text=text)
    except (SlackApiError, SlackClientError) as exc:
        log.info("could not tell %s: %s", after.user_id, exc)


def _fill_from_channel(after: AfterAck, standup_id: int, channel: str) -> None:
    """The channel's human members become the participants (bots and deactivated accounts left out)."""
    people: list[str] = []
    cursor = ""
    try:
        for _ in range(50):
            response = after.client.conversations_members(channel=channel, limit=200, cursor=cursor or None)
            found: list[object] = response.get("members") or []
            people += [str(u) for u in found]
            cursor = (response.get("response_metadata") or {}).get("next_cursor") or ""
            if not cursor:
                break
    except (SlackApiError, SlackClientError) as exc:
        log.warning("could not read the members of %s for a new standup: %s", channel, exc)
        return
    slack_members.refresh(after.engine, after.clock, after.client, after.team_id, people)
    with after.session() as session:
        caller = workspaces.caller_of(session, after.team_id, after.user_id, after.now())
        standup = session.get(Standup, standup_id)
        if caller is None or standup is None:
            return
        service.set_participants(session, caller, standup, people)
        chosen = service.participants(session, standup)
    text = t(
        caller.locale,
        "standups.participants_set",
        count=len(chosen),
        channel=channel_ref(channel),
        people=", ".join(mention(u) for u in chosen),
    )
    try:
        after.client.chat_postEphemeral(channel=channel, user=after.user_id, text=bk.message(text)["text"])
    except (SlackApiError, SlackClientError) as exc:
        log.info("could not tell %s who takes part: %s", after.user_id, exc)
