"""Ad reports dropped in a DM with the bot (the platform's file importer calls this after the ack):
imported, campaigns taken past their budget alerted, the result returned for the DM."""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlmodel import Session

from ecombot.actor import Caller
from ecombot.campaigns import importing, reports, service, views
from ecombot.campaigns.handlers.common import over_budget_outbox
from ecombot.campaigns.models import Campaign
from ecombot.domain import FileImporter
from ecombot.errors import DomainError
from ecombot.scheduling.service import enqueue_many
from ecombot.slack import blocks as bk
from ecombot.slack.errors import refusal_text
from ecombot.slack.files import SharedFile
from ecombot.slack.i18n import t
from ecombot.slack.reply import AfterAck
from ecombot.slack.text import esc

log = logging.getLogger(__name__)
MEMBERS_PAGES = 20


def _channel_members(client: WebClient, channel: str) -> set[str]:
    members: set[str] = set()
    cursor: str | None = None
    for _ in range(MEMBERS_PAGES):
        response = client.conversations_members(
            channel=channel, limit=1000, **({"cursor": cursor} if cursor else {})
        )
        members.update(str(m) for m in response.get("members") or [])
        cursor = (response.get("response_metadata") or {}).get("next_cursor") or None
        if not cursor:
            break
    return members


def _may_log(client: WebClient, session: Session, caller: Caller, data: bytes) -> Callable[[Campaign], bool]:
    """Who may log for each campaign the file names: channel members are looked up in Slack once."""
    try:
        names = {row.campaign for row in reports.parse(data).rows}
    except DomainError:
        names = set()
    allowed: set[int] = set()
    for name in names:
        campaign = service.find(session, caller.team_id, name)
        if campaign is None or campaign.id is None:
            continue
        if service.may_log(caller, campaign, ""):
            allowed.add(campaign.id)
        elif campaign.channel_id:
            try:
                if caller.user_id in _channel_members(client, campaign.channel_id):
                    allowed.add(campaign.id)
            except SlackApiError as exc:
                log.info("could not list members of %s: %s", campaign.channel_id, exc.response.get("error"))
    return lambda campaign: campaign.id in allowed


def import_ad_report(after: AfterAck, caller: Caller, shared: SharedFile) -> bk.Message:
    """Import the report; the message says what it did (or why nothing was imported)."""
    with after.session(write=False) as session:
        may_log = _may_log(after.client, session, caller, shared.content)
    with after.session() as session:
        try:
            done = importing.run(
                session, caller, shared.content, shared.name, currency=caller.currency, may_log=may_log
            )
        except DomainError as exc:
            reason = esc(refusal_text(caller.locale, exc))
            return bk.message(
                t(caller.locale, "campaigns.import_failed", filename=esc(shared.name), reason=reason)
            )
        alerts = [
            m
            for campaign, spent in done.over_budget
            for m in over_budget_outbox(session, campaign, spent, caller.workspace_language, after.now())
        ]
        enqueue_many(session, [(after.team_id, m) for m in alerts], now=after.now())
        return views.import_message(done, caller.locale, caller.tz)


AD_REPORTS = FileImporter("campaigns.importer", reports.recognises, import_ad_report)
