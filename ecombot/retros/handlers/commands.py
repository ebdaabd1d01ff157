"""`/retro` subcommands: schedule, off, now, close, actions, history."""

from __future__ import annotations

from collections.abc import Callable
from zoneinfo import ZoneInfo

from sqlmodel import Session

from ecombot.actor import Caller
from ecombot.errors import InvalidInput, NotFound
from ecombot.retros import actions, posting, schedules, service, views
from ecombot.retros.handlers.grammar import ScheduleArgs, Whose
from ecombot.retros.service import NowOptions
from ecombot.scheduling.service import sent_messages
from ecombot.slack import blocks as bk
from ecombot.slack.channels import is_private
from ecombot.slack.i18n import t
from ecombot.slack.inputs import permalink
from ecombot.slack.reply import AfterAck, Reply


def channel_of(caller: Caller) -> str:
    """The channel a retro command is about (not a DM)."""
    if caller.channel[:1] not in ("C", "G"):
        raise InvalidInput("retro_use_in_channel")
    return caller.channel


def learn_privacy(channel: str, *, retro_id: int = 0, schedule_id: int = 0) -> Callable[[AfterAck], None]:
    """After the ack: whether the channel is private (its retros' entries and actions stay in it)."""

    def work(after: AfterAck) -> None:
        private = is_private(after.client, channel)
        if private is None:
            return
        with after.session() as session:
            service.set_private(session, after.team_id, private, retro_id=retro_id, schedule_id=schedule_id)

    return work


def on_schedule_command(caller: Caller, args: ScheduleArgs, session: Session) -> Reply:
    """Schedule the channel's weekly retro (or change it)."""
    channel = args.channel or channel_of(caller)
    schedule, created = schedules.set_schedule(session, caller, channel, args.draft)
    message = views.schedule_message(schedule, created, caller.workspace_tz, caller.locale)
    zone = ZoneInfo(caller.workspace_tz)
    upcoming = schedules.next_open(schedule, caller.now, zone)
    message["blocks"].insert(
        1,
        bk.context(
            t(
                caller.locale,
                "retros.next_opening",
                when=views.when(upcoming, caller.workspace_tz, caller.locale),
            )
        ),
    )
    assert schedule.id is not None
    return Reply(message=message, then=[learn_privacy(channel, schedule_id=schedule.id)])


def on_off_command(caller: Caller, _: None, session: Session) -> Reply:
    """Stop the channel's weekly retro, with Undo."""
    channel = channel_of(caller)
    schedule = schedules.turn_off(session, caller, channel)
    text = t(caller.locale, "retros.off", channel=f"<#{channel}>")
    undo = bk.button(t(caller.locale, "retros.button.undo"), views.UNDO_OFF, str(schedule.id))
    return Reply(message=bk.ephemeral(text, [bk.section(text, accessory=undo)]))


def on_now_command(caller: Caller, options: NowOptions, session: Session) -> Reply:
    """Start a retro in this channel at once."""
    channel = channel_of(caller)
    opening = service.opening_now(
        session, caller, channel, options, zone=caller.workspace_tz, language=caller.workspace_language
    )
    schedule = schedules.schedule_of(session, caller.team_id, channel)
    if schedule is not None and schedule.private:
        opening = _private(opening)
    retro, prompt = posting.open_with_prompt(
        session, opening, caller.now, zone=caller.workspace_tz, currency=caller.currency
    )
    text = t(
        caller.locale,
        "retros.started",
        channel=f"<#{channel}>",
        when=views.when(retro.closes_at, caller.workspace_tz, caller.locale),
    )
    assert retro.id is not None
    return Reply(
        message=bk.ephemeral(text), outbox=[prompt], then=[learn_privacy(channel, retro_id=retro.id)]
    )


def _private(opening: service.Opening) -> service.Opening:
    from dataclasses import replace

    return replace(opening, private=True)


def on_close_command(caller: Caller, _: None, session: Session) -> Reply:
    """Close the channel's open retro now: the summary in its thread, action items become tasks."""
    channel = channel_of(caller)
    schedules.require_manager(caller)
    retros = service.open_retros(session, caller.team_id, channel)
    if not retros:
        raise NotFound("retro_none_open", channel=channel)
    outbox = []
    made = 0
    home: set[str] = set()
    for retro in retros:
        done = posting.close_with_summary(
            session,
            retro,
            caller.now,
            zone=caller.workspace_tz,
            currency=caller.currency,
            closed_by=caller.user_id,
        )
        if done is None:
            continue
        closed, messages = done
        outbox += messages
        made += len(closed.tasks)
        home |= {task.owner_id for task in closed.tasks.values()}
    text = t(caller.locale, "retros.closed", count=len(retros), tasks=made)
    return Reply(message=bk.ephemeral(text), outbox=outbox, home=home)


def on_actions_command(caller: Caller, whose: Whose, session: Session) -> Reply:
    """Open action items across retros: mine, everyone's, or someone's."""
    owner = caller.user_id if whose.owner == "" else "" if whose.owner == "*" else whose.owner
    items = actions.action_items(session, caller, owner=owner, channel=caller.channel, tz=caller.workspace_tz)
    if whose.owner == "*":
        title = t(caller.locale, "retros.actions_all_title", count=len(items))
    else:
        title = t(caller.locale, "retros.actions_title", owner=f"<@{owner}>", count=len(items))
    today = caller.now.astimezone(ZoneInfo(caller.workspace_tz)).date()
    message = views.items_message(items, title, today, caller.currency, caller.locale)
    if not items and whose.owner == "":
        message = bk.ephemeral(t(caller.locale, "retros.actions_none_mine"))
    return Reply(message=message)


def on_history_command(caller: Caller, count: int, session: Session) -> Reply:
    """Past retros with links, and how many of their action items were done on time."""
    channel = caller.channel if caller.channel[:1] in ("C", "G") else ""
    pasts = actions.history(session, caller, channel, count, caller.workspace_tz)
    sent = sent_messages(session, caller.team_id, [p.retro.prompt_key for p in pasts])
    links = {}
    for past in pasts:
        where = sent.get(past.retro.prompt_key)
        if where is not None:
            links[past.retro.id or 0] = permalink(caller.team_domain, where[0], where[1])
    return Reply(message=views.history_message(pasts, links, caller.workspace_tz, caller.locale))
