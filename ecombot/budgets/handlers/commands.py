"""`/budget …`: set, status, spend, refund, move, log, categories, alerts, curve."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from sqlmodel import Session

from ecombot.actor import Caller
from ecombot.budgets import service, views
from ecombot.budgets.handlers.grammar import (
    AlertsArgs,
    CurveArgs,
    LogArgs,
    MoveArgs,
    Rename,
    SpendArgs,
    workspace_today,
)
from ecombot.budgets.periods import Period
from ecombot.budgets.service import LineDraft
from ecombot.scheduling.service import Outgoing, bars_payload, enqueue_many, is_queued
from ecombot.slack import blocks as bk
from ecombot.slack.i18n import t
from ecombot.slack.reply import AfterAck, Reply


def in_workspace_zone(caller: Caller) -> Caller:
    """The caller with the workspace's zone: budgets' "today" is the workspace's."""
    return replace(caller, tz=caller.workspace_tz)


def _owners(*lines: object) -> set[str]:
    return {str(getattr(line, "owner_id", "")) for line in lines if getattr(line, "owner_id", "")}


def on_set_command(caller: Caller, draft: LineDraft, session: Session) -> Reply:
    """`/budget set <category> <amount> [period:] [owner:] [channel:]`."""
    line, before = service.set_line(session, caller, draft)
    category = service.resolve(session, caller.team_id, line.category)
    channel = service.alert_channel(line, service.settings_of(session, caller.team_id))
    return Reply(
        message=views.set_message(line, category, before, channel, caller.locale),
        home={line.owner_id, caller.user_id},
        meet={line.owner_id},
    )


def on_status_command(caller: Caller, period: Period | None, session: Session) -> Reply:
    """`/budget status [period]`: the lines, and their chart by DM after the ack."""
    statuses = service.status(session, caller.team_id, period, workspace_today(caller))
    reply = Reply(message=views.status_message(statuses, period, caller.locale, chart=bool(statuses)))
    if statuses:
        label = period.label if period is not None else workspace_today(caller).isoformat()
        reply.then.append(_send_chart(views.status_chart(statuses, label, caller.locale), label, caller))
    return reply


CHART_AGAIN_AFTER = 600  # seconds: the same chart is not sent to the same person twice within this


def _send_chart(chart: dict[str, Any], label: str, caller: Caller) -> Callable[[AfterAck], None]:
    """After the ack, queue the status chart (its figures, as the reply showed them) for a DM; the
    delivery worker draws it (drawing would hold up other people's acks in this process).

    A chart with the same figures sent to the same person in the last ten minutes is in their DMs
    already: asking again does not send (nor draw) another copy; a chart whose figures changed does."""
    figures = hashlib.sha256(json.dumps(chart, sort_keys=True, default=str).encode()).hexdigest()[:16]

    def work(after: AfterAck) -> None:
        window = int(after.now().timestamp()) // CHART_AGAIN_AFTER
        key = f"budgets.status_chart:{caller.team_id}:{caller.user_id}:{figures}:{window}"
        with after.session(write=False) as session:
            if is_queued(session, key):
                return
        with after.session() as session:
            title = t(caller.locale, "budgets.chart_title", period=label)
            payload = bars_payload(f"budgets-{label}.png", chart, title=title, alt_text=title)
            enqueue_many(session, [(after.team_id, Outgoing(caller.user_id, payload, key))], now=after.now())

    return work


def on_spend_command(caller: Caller, args: SpendArgs, session: Session) -> Reply:
    """`/budget spend <category> <amount> [date:] [note:]`."""
    return _spend(caller, args, session, refund=False)


def on_refund_command(caller: Caller, args: SpendArgs, session: Session) -> Reply:
    """`/budget refund <category> <amount> [date:] [note:]`."""
    return _spend(caller, args, session, refund=True)


def _spend(caller: Caller, args: SpendArgs, session: Session, *, refund: bool) -> Reply:
    line, _ = service.record_spend(
        session, caller, args.category, args.amount, args.day, args.note, refund=refund
    )
    category = service.resolve(session, caller.team_id, args.category)
    currency = line.currency if line is not None else caller.currency
    message = views.spend_message(
        line, category, args.amount, args.day, args.note, refund, currency, caller.locale
    )
    return Reply(message=message, home=_owners(line))


def on_move_command(caller: Caller, args: MoveArgs, session: Session) -> Reply:
    """`/budget move <amount> from:<category> to:<category> [reason]`."""
    moved = service.move(
        session, in_workspace_zone(caller), args.amount, args.source, args.target, args.reason, args.period
    )
    source = service.resolve(session, caller.team_id, moved.source.category)
    target = service.resolve(session, caller.team_id, moved.target.category)
    return Reply(
        message=views.moved_message(moved, source, target, args.reason, caller.locale),
        home=_owners(moved.source, moved.target),
    )


def on_log_command(caller: Caller, args: LogArgs, session: Session) -> Reply:
    """`/budget log [category] [period]`."""
    category = service.resolve(session, caller.team_id, args.category).key if args.category else None
    entries = service.log_entries(session, caller.team_id, category, args.period)
    names = {c.key: service.label(c, caller.locale) for c in service.categories(session, caller.team_id)}
    return Reply(message=views.log_message(entries, names, caller.currency, caller.tz, caller.locale))


def on_categories_command(caller: Caller, rename: Rename | None, session: Session) -> Reply:
    """`/budget categories [rename <category> <new name>]`."""
    if rename is None:
        return Reply(
            message=views.categories_message(service.categories(session, caller.team_id), caller.locale)
        )
    category, before = service.rename(session, caller, rename.category, rename.name)
    from ecombot.slack.text import esc

    text = t(caller.locale, "budgets.renamed", code=category.key, name=esc(category.name), before=esc(before))
    return Reply(message=bk.ephemeral(text, [bk.section(text)]))


def on_alerts_command(caller: Caller, args: AlertsArgs | None, session: Session) -> Reply:
    """`/budget alerts [50,80,100] [channel:#c]`."""
    if args is None:
        return Reply(
            message=views.alerts_message(
                service.settings_of(session, caller.team_id), caller.locale, changed=False
            )
        )
    settings = service.set_alerts(session, caller, args.thresholds, args.channel)
    return Reply(message=views.alerts_message(settings, caller.locale, changed=True))


def on_curve_command(caller: Caller, args: CurveArgs, session: Session) -> Reply:
    """`/budget curve <category> like:"<campaign>"` or `… off`."""
    line, days = service.set_curve(
        session, in_workspace_zone(caller), args.category, args.campaign, args.period
    )
    category = service.resolve(session, caller.team_id, line.category)
    return Reply(message=views.curve_message(line, category, days, caller.locale))
