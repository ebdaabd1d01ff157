"""`/campaign …`: create, log, show, list, close, edit, delete, sources."""

from __future__ import annotations

from dataclasses import replace

from sqlmodel import Session

from ecombot.actor import Caller
from ecombot.campaigns import service, views
from ecombot.campaigns.handlers.common import (
    budget_category,
    learn_privacy,
    over_budget_outbox,
    post_evaluation,
)
from ecombot.campaigns.handlers.forms import new_form
from ecombot.campaigns.handlers.grammar import EditArgs, LogArgs
from ecombot.campaigns.models import Campaign
from ecombot.campaigns.service import Draft, Which
from ecombot.slack.i18n import t
from ecombot.slack.reply import Reply, say


def on_new_command(caller: Caller, draft: Draft | None, session: Session) -> Reply:
    """`/campaign new …` creates it; with no text, the form."""
    if draft is None:
        return Reply(open_view=new_form(caller, channel=caller.channel))
    draft = replace(draft, category=budget_category(session, caller.team_id, draft.category))
    campaign = service.create(session, caller, draft)
    return created_reply(caller, campaign, session)


def created_reply(caller: Caller, campaign: Campaign, session: Session) -> Reply:
    """The confirmation with the card; its channel's privacy is learnt after the ack."""
    assert campaign.id is not None
    summary = service.summary(session, campaign, caller.today, full_days=False)
    reply = Reply(
        message=views.created_message(summary, caller.locale), home={campaign.owner_id, caller.user_id}
    )
    reply.meet.add(campaign.owner_id)
    reply.then.append(learn_privacy(campaign.id, campaign.channel_id))
    return reply


def on_log_command(caller: Caller, args: LogArgs, session: Session) -> Reply:
    """`/campaign log …`: one row per (campaign, day, source); again replaces it and says what changed."""
    campaign = service.get(session, caller.team_id, args.name)
    before = service.spend_total(session, campaign)
    logged = service.log(session, caller, args.name, args.entry, channel=caller.channel)
    summary = service.summary(session, logged.campaign, caller.today, full_days=False)
    reply = Reply(
        message=views.logged_message(logged, summary, caller.locale), home={logged.campaign.owner_id}
    )
    if service.crossed_budget(campaign, before, summary.totals.spend):
        spent = summary.totals.spend
        reply.outbox += over_budget_outbox(session, campaign, spent, caller.workspace_language, caller.now)
    return reply


def on_show_command(caller: Caller, name: str, session: Session) -> Reply:
    """`/campaign show <name>`."""
    campaign = service.get(session, caller.team_id, name)
    service.require_visible(campaign, caller.channel)
    return Reply(
        message=views.show_message(
            service.summary(session, campaign, caller.today, full_days=False), caller.locale
        )
    )


def on_list_command(caller: Caller, which: Which, session: Session) -> Reply:
    """`/campaign list [active|ended|all]`."""
    campaigns, hidden = service.listing(session, caller.team_id, which, caller.today, caller.channel)
    totals = service.totals_of(campaigns)
    shown = [(c, totals[c.id]) for c in campaigns if c.id is not None]
    return Reply(message=views.list_message(which, shown, hidden, caller.today, caller.locale))


def on_close_command(caller: Caller, name: str, session: Session) -> Reply:
    """`/campaign close <name>`: closed now; the evaluation is drawn and posted after the ack."""
    campaign, closed = service.close(session, caller, name)
    assert campaign.id is not None
    if not closed:
        return say(t(caller.locale, "campaigns.closed_already", name=views.name_of(campaign)))
    key = "campaigns.closed" if campaign.channel_id else "campaigns.closed_nowhere"
    reply = say(
        t(
            caller.locale,
            key,
            name=views.name_of(campaign),
            channel=views.channel_ref(campaign.channel_id, caller.locale),
        )
    )
    reply.then.append(post_evaluation(campaign.id))
    reply.home = {campaign.owner_id}
    return reply


def on_edit_command(caller: Caller, args: EditArgs, session: Session) -> Reply:
    """`/campaign edit <name> key:value …`."""
    changes = dict(args.changes)
    if changes.get("category"):
        changes["category"] = budget_category(session, caller.team_id, str(changes["category"]))
    campaign, diffs = service.edit(session, caller, args.name, changes)
    reply = Reply(message=views.edited_message(campaign, diffs, caller.locale), home={campaign.owner_id})
    if any(d.name == "channel_id" for d in diffs) and campaign.id is not None:
        reply.then.append(learn_privacy(campaign.id, campaign.channel_id))
    return reply


def on_delete_command(caller: Caller, name: str, session: Session) -> Reply:
    """`/campaign delete <name>`: asks first."""
    campaign = service.get(session, caller.team_id, name)
    service.require_manage(caller, campaign)
    rows = len(service.results(session, campaign))
    return Reply(message=views.delete_confirm(campaign, rows, caller.locale))


def on_sources_command(caller: Caller, args: None, session: Session) -> Reply:
    """`/campaign sources`."""
    return Reply(message=views.sources_message(caller.locale))
