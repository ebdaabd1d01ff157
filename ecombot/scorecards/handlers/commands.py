"""`/scorecard` subcommands: a card, the team, targets, the monthly DM."""

from __future__ import annotations

from sqlmodel import Session

from ecombot.actor import Caller
from ecombot.scorecards import service, views
from ecombot.scorecards.handlers.grammar import ShowArgs, Span, TargetArgs, workspace_today
from ecombot.slack import blocks as bk
from ecombot.slack.i18n import t
from ecombot.slack.reply import Reply


def on_show_command(caller: Caller, args: ShowArgs, session: Session) -> Reply:
    """Your card, or (for a lead) someone's."""
    service.require_may_see(caller, args.user)
    card = service.card(
        session,
        caller.team_id,
        args.user,
        args.span.period,
        workspace_today(caller),
        tz=caller.workspace_tz,
        kind=args.span.kind,
    )
    return Reply(message=views.card_message(card, caller.currency, caller.locale, channel=caller.channel))


def on_team_command(caller: Caller, span: Span, session: Session) -> Reply:
    """One line per member (leads)."""
    cards = service.team(
        session, caller, span.period, workspace_today(caller), kind=span.kind, tz=caller.workspace_tz
    )
    return Reply(message=views.team_message(cards, caller.locale))


def on_target_command(caller: Caller, args: TargetArgs, session: Session) -> Reply:
    """A personal target (leads)."""
    target, before = service.set_target(session, caller, args.user, args.metric, args.value, args.period)
    shown = views.target_value(target.metric, target.value, caller.currency, caller.locale)
    was = (
        t(
            caller.locale,
            "scorecards.target_before",
            value=views.target_value(target.metric, before, caller.currency, caller.locale),
        )
        if before is not None
        else ""
    )
    text = t(
        caller.locale,
        "scorecards.target_set",
        user=f"<@{target.user_id}>",
        metric=t(caller.locale, f"scorecards.metric.{target.metric}"),
        value=shown,
        period=t(caller.locale, f"scorecards.period.{target.period}"),
        before=was,
    )
    return Reply(message=bk.ephemeral(text))


def on_schedule_command(caller: Caller, on: bool, session: Session) -> Reply:
    """The monthly DM on or off (leads)."""
    service.set_monthly(session, caller, on)
    return Reply(
        message=bk.ephemeral(t(caller.locale, "scorecards.monthly_on" if on else "scorecards.monthly_off"))
    )
