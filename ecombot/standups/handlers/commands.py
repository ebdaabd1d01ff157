"""`/standup …`: set up, take part, answer, be away, holidays, history, statistics, export."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from sqlmodel import Session

from ecombot.actor import Caller
from ecombot.errors import InvalidInput
from ecombot.slack import blocks as bk
from ecombot.slack.i18n import fmt_date, t
from ecombot.slack.reply import Reply, say
from ecombot.standups import export, history, service, status_views, views
from ecombot.standups.handlers.common import answer_form_for, channel_of, today_of
from ecombot.standups.handlers.grammar import Away, HolidayArgs, ReportArgs
from ecombot.standups.handlers.setup import after_setup
from ecombot.standups.models import Standup
from ecombot.standups.service import StandupConfig

log = logging.getLogger(__name__)


def _channel_name(channel_id: str) -> str:
    return views.channel_ref(channel_id)


def on_setup_command(caller: Caller, args: None, session: Session) -> Reply:
    """`/standup setup`: the form, with this channel's settings or the defaults."""
    channel = channel_of(caller)
    service.require_manager(caller)
    standup = service.find_standup(session, caller.team_id, channel) or service.draft(
        session, caller, channel
    )
    members = service.participants(session, standup) if standup.id is not None else []
    return Reply(open_view=views.setup_form(standup, members, caller.locale, channel=channel))


def on_config_command(caller: Caller, config: StandupConfig, session: Session) -> Reply:
    """`/standup config …`: set up or change it in one line."""
    channel = channel_of(caller)
    return configured_reply(caller, service.configure(session, caller, channel, config), config, session)


def configured_reply(
    caller: Caller, configured: service.Configured, config: StandupConfig, session: Session
) -> Reply:
    """Setup done; a new standup without a list of people takes everyone in the channel."""
    from_channel = configured.created and config.participants is None
    message = views.configured_message(
        configured, caller.locale, caller.workspace_tz, from_channel=from_channel
    )
    # Each person's timezone decides when they are asked: learn it for everyone picked (after the ack).
    reply = Reply(message=message, meet=set(configured.participants), home=set(configured.participants))
    if configured.created:
        assert configured.standup.id is not None
        reply.then.append(
            after_setup(
                configured.standup.id, configured.standup.channel_id, caller.locale, fill=from_channel
            )
        )
    return reply


def on_join_command(caller: Caller, args: None, session: Session) -> Reply:
    """`/standup join`."""
    channel = channel_of(caller)
    key = "standups.joined" if service.join(session, caller, channel) else "standups.joined_already"
    return Reply(
        message=say(t(caller.locale, key, channel=_channel_name(channel))).message, home={caller.user_id}
    )


def on_leave_command(caller: Caller, args: None, session: Session) -> Reply:
    """`/standup leave`."""
    channel = channel_of(caller)
    key = "standups.left" if service.leave(session, caller, channel) else "standups.left_already"
    return Reply(
        message=say(t(caller.locale, key, channel=_channel_name(channel))).message, home={caller.user_id}
    )


def on_show_command(caller: Caller, args: None, session: Session) -> Reply:
    """`/standup show`: the setup, today's status, the calendar."""
    standup = service.get_standup(session, caller.team_id, channel_of(caller))
    members = service.participants(session, standup)
    message = status_views.show_message(
        standup,
        members,
        today_of(session, standup, caller, members),
        caller.locale,
        workspace_tz=caller.workspace_tz,
    )
    return Reply(message=message)


def on_answer_command(caller: Caller, args: None, session: Session) -> Reply:
    """`/standup answer`: the form now (early, on time, or late)."""
    here = service.find_standup(session, caller.team_id, caller.channel) if caller.channel else None
    mine = service.standups_of(session, caller.team_id, caller.user_id)
    candidates = [here] if here is not None and here in mine else mine
    if not candidates:
        return say(t(caller.locale, "standups.nothing_to_answer"))
    return answer_form_for(session, caller, candidates)


def on_pause_command(caller: Caller, args: None, session: Session) -> Reply:
    """`/standup pause`."""
    standup = service.set_paused(session, caller, channel_of(caller), True)
    return say(t(caller.locale, "standups.paused", channel=_channel_name(standup.channel_id)))


def on_resume_command(caller: Caller, args: None, session: Session) -> Reply:
    """`/standup resume`."""
    standup = service.set_paused(session, caller, channel_of(caller), False)
    return say(t(caller.locale, "standups.resumed", channel=_channel_name(standup.channel_id)))


def on_off_command(caller: Caller, args: None, session: Session) -> Reply:
    """`/standup off`."""
    standup = service.turn_off(session, caller, channel_of(caller))
    text = t(caller.locale, "standups.off", channel=_channel_name(standup.channel_id))
    undo = bk.actions(bk.button(t(caller.locale, "tasks.button.undo"), views.UNDO_OFF, str(standup.id)))
    return Reply(message=bk.ephemeral(text, [bk.section(text), undo]))


def away_reply(caller: Caller, away: Away, reason: str, session: Session) -> Reply:
    """Away on these days (with Undo)."""
    period = service.go_away(session, caller, away.first, away.last, reason)
    if period.first_day == period.last_day:
        text = t(caller.locale, "standups.skipped", day=fmt_date(period.first_day, caller.locale))
    else:
        text = t(
            caller.locale,
            "standups.vacation",
            first=fmt_date(period.first_day, caller.locale),
            last=fmt_date(period.last_day, caller.locale),
        )
    undo = bk.actions(bk.button(t(caller.locale, "tasks.button.undo"), views.UNDO_AWAY, str(period.id)))
    return Reply(message=bk.message(text, [bk.section(text), undo]), home={caller.user_id})


def on_skip_command(caller: Caller, away: Away, session: Session) -> Reply:
    """`/standup skip [today|<date>]`."""
    return away_reply(caller, away, "skip", session)


def on_vacation_command(caller: Caller, away: Away, session: Session) -> Reply:
    """`/standup vacation <from>..<to>` or `until:<date>`."""
    return away_reply(caller, away, "vacation", session)


def on_holiday_command(caller: Caller, args: HolidayArgs, session: Session) -> Reply:
    """`/standup holiday <range> "name"`, `holiday list`, `holiday remove <date>`."""
    locale = caller.locale
    if args.action == "list":
        upcoming = {d: n for d, n in service.holidays(session, caller.team_id).items() if d >= caller.today}
        if not upcoming:
            return say(t(locale, "standups.holidays_none"))
        lines = [f"{fmt_date(d, locale)} {views.esc_name(n)}" for d, n in upcoming.items()]
        title = t(locale, "standups.holidays_title")
        return Reply(
            message=bk.message(title, [bk.header(title), *bk.sections(lines)][: bk.MESSAGE_BLOCK_LIMIT])
        )
    assert args.first is not None and args.last is not None
    if args.action == "remove":
        service.remove_holiday(session, caller, args.first)
        return say(t(locale, "standups.holiday_removed", day=fmt_date(args.first, locale)))
    service.add_holidays(session, caller, args.first, args.last, args.name)
    return say(
        t(
            locale,
            "standups.holidays_added",
            first=fmt_date(args.first, locale),
            last=fmt_date(args.last, locale),
            name=views.esc_name(args.name) or "–",
        )
    )


def on_report_command(caller: Caller, args: ReportArgs, session: Session) -> Reply:
    """`/standup report [@user] [<from>..<to>]`."""
    standup = service.get_standup(session, caller.team_id, channel_of(caller))
    assert standup.id is not None
    query = status_views.HistoryQuery(standup.id, args.user, args.first, args.last)
    return Reply(message=history_page(session, caller, standup, query))


def history_page(
    session: Session, caller: Caller, standup: Standup, query: status_views.HistoryQuery
) -> bk.Message:
    """One page of `/standup report` (the command's first, or the one a Next button asks for)."""
    found = history.history(
        session,
        standup,
        query.first,
        query.last,
        query.user,
        offset=query.offset,
        limit=status_views.HISTORY_PAGE,
    )
    total = history.history_count(session, standup, query.first, query.last, query.user)
    return status_views.history_message(found, total, query, standup, caller.locale)


def on_stats_command(caller: Caller, days: int, session: Session) -> Reply:
    """`/standup stats [30d]`."""
    standup = service.get_standup(session, caller.team_id, channel_of(caller))
    rows = history.stats(session, standup, caller.today - timedelta(days=days - 1), caller.today)
    return Reply(message=status_views.stats_message(rows, days, caller.locale))


def on_export_command(caller: Caller, span: tuple[Any, Any], session: Session) -> Reply:
    """`/standup export [<from>..<to>]`: the CSV, sent by DM through Slack's file upload."""
    standup = service.get_standup(session, caller.team_id, channel_of(caller))
    first, last = span
    if last < first:
        raise InvalidInput("standup_bad_range")
    if (last - first).days >= service.AWAY_SPAN:
        raise InvalidInput("standup_range_too_long", most=service.AWAY_SPAN)
    count = history.history_count(session, standup, first, last)
    text = t(
        caller.locale,
        "standups.export_sent",
        count=count,
        first=fmt_date(first, caller.locale),
        last=fmt_date(last, caller.locale),
    )
    title = t(
        caller.locale,
        "standups.export_file",
        channel=f"#{standup.channel_id}",
        first=first.isoformat(),
        last=last.isoformat(),
    )
    reply = say(text)
    filename = f"standup-{standup.channel_id}-{first.isoformat()}-{last.isoformat()}.csv"
    assert standup.id is not None
    # The file is made and uploaded after the ack: a long range must not hold Slack's 3 seconds.
    reply.then.append(export.send_by_dm(standup.id, first, last, filename, title, caller.locale))
    return reply
