"""Ad reports shared with the bot in a DM: "working on it" at once, then the file is downloaded,
imported and the result posted in the DM."""

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
from ecombot.errors import DomainError
from ecombot.scheduling.service import Outgoing, enqueue_many
from ecombot.slack import blocks as bk
from ecombot.slack.errors import refusal_text
from ecombot.slack.files import DownloadError, download, shared_files
from ecombot.slack.i18n import t
from ecombot.slack.inputs import EventInput
from ecombot.slack.reply import AfterAck, Reply
from ecombot.slack.text import esc
from ecombot.workspaces import service as workspaces

log = logging.getLogger(__name__)
IMPORTABLE = (".csv", ".tsv", ".txt", ".xlsx")
MAX_FILES = 5
MEMBERS_PAGES = 20


def on_file_shared_event(payload: EventInput, session: Session) -> Reply | None:
    """A CSV/TSV/XLSX shared in a DM with the bot: imported as an ad report after the ack."""
    event = payload.event
    if event.get("channel_type") != "im":
        return None
    files = [f for f in shared_files(event) if str(f.get("name", "")).lower().endswith(IMPORTABLE)][
        :MAX_FILES
    ]
    if not files:
        return None
    user = str(event.get("user"))
    caller = workspaces.caller_of(session, payload.team_id, user, payload.now)
    if caller is None:
        return None
    reply = Reply(meet=set() if caller.known else {user})
    for f in files:
        text = t(caller.locale, "campaigns.import_working", filename=esc(str(f.get("name", ""))))
        reply.outbox.append(Outgoing(user, dict(bk.message(text)), f"campaigns.import_working:{f['id']}"))
    reply.then.append(import_files(user, [str(f["id"]) for f in files]))
    return reply


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


def import_files(user: str, file_ids: list[str]) -> Callable[[AfterAck], None]:
    """After the ack: download each file, import it, and post what it did."""

    def work(after: AfterAck) -> None:
        for file_id in file_ids:
            key = f"campaigns.import:{file_id}"
            with after.session(write=False) as session:
                caller = workspaces.caller_of(session, after.team_id, user, after.now())
            if caller is None:
                return
            try:
                shared = download(after.client, file_id)
            except (DownloadError, SlackApiError) as exc:
                reason = exc.reason if isinstance(exc, DownloadError) else str(exc.response.get("error"))
                text = t(
                    caller.locale, "campaigns.import_download_failed", filename=file_id, error=esc(reason)
                )
                _post(after, user, key, bk.message(text))
                continue
            with after.session(write=False) as session:
                may_log = _may_log(after.client, session, caller, shared.content)
            with after.session() as session:
                try:
                    done = importing.run(
                        session,
                        caller,
                        shared.content,
                        shared.name,
                        currency=caller.currency,
                        may_log=may_log,
                    )
                    message = views.import_message(done, caller.locale, caller.tz)
                    alerts = [
                        m
                        for campaign, spent in done.over_budget
                        for m in over_budget_outbox(
                            session, campaign, spent, caller.workspace_language, after.now()
                        )
                    ]
                    enqueue_many(session, [(after.team_id, m) for m in alerts], now=after.now())
                except DomainError as exc:
                    code = "campaigns.import_not_a_report" if exc.code == "import_no_header" else ""
                    text = (
                        t(caller.locale, code, filename=esc(shared.name))
                        if code
                        else t(
                            caller.locale,
                            "campaigns.import_failed",
                            filename=esc(shared.name),
                            reason=esc(refusal_text(caller.locale, exc)),
                        )
                    )
                    message = bk.message(text)
                enqueue_many(session, [(after.team_id, Outgoing(user, dict(message), key))], now=after.now())

    return work


def _post(after: AfterAck, user: str, key: str, message: bk.Message) -> None:
    with after.session() as session:
        enqueue_many(session, [(after.team_id, Outgoing(user, dict(message), key))], now=after.now())
