"""`/kpi …`: show, funnel, target, targets, log."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import cast
from zoneinfo import ZoneInfo

from sqlmodel import Session

from ecombot.actor import Caller
from ecombot.budgets.periods import Period, month_of
from ecombot.kpis import compute, digests, service, views
from ecombot.kpis.handlers.grammar import DigestArgs, LogArgs, workspace_today
from ecombot.kpis.service import TargetDraft
from ecombot.slack.reply import AfterAck, Reply, say


def goals_for(
    session: Session, team_id: str, period: Period, metrics: list[str] | None = None
) -> dict[str, Decimal | None]:
    """The target value of each KPI that has one for the period."""
    rows = service.targets(session, team_id)
    out: dict[str, Decimal | None] = {}
    for metric in metrics or list(compute.KPIS):
        target = service.target_for(rows, metric, period)
        if target is not None:
            out[metric] = service.target_value(session, team_id, target, period)
    return out


def on_show_command(caller: Caller, period: Period, session: Session) -> Reply:
    """`/kpi show [period]`."""
    today = workspace_today(caller)
    previous = compute.previous(period)
    paced_period: Period | None = None
    if period.start <= today <= period.end and period.days > 1:
        # A running period is compared with as many days of the one before, and paced on the days
        # already closed (today is still under way).
        elapsed = (today - period.start).days
        previous = Period(previous.start, min(previous.end, previous.start + timedelta(days=elapsed)))
        if elapsed > 0:
            paced_period = Period(period.start, today - timedelta(days=1))
    # The three periods lie side by side: read them together (the pace needs no buyers).
    figures, before, *rest = compute.compute_many(
        session, caller.team_id, [period, previous, *([paced_period] if paced_period else [])], buyers=2
    )
    paced = rest[0] if rest else None
    goals = goals_for(session, caller.team_id, period)
    message = views.show_message(figures, before, goals, today, caller.currency, caller.locale, paced=paced)
    return Reply(message=message)


def on_funnel_command(caller: Caller, period: Period, session: Session) -> Reply:
    """`/kpi funnel [period]`."""
    return Reply(
        message=views.funnel_message(compute.compute(session, caller.team_id, period), caller.locale)
    )


def on_target_command(caller: Caller, draft: TargetDraft, session: Session) -> Reply:
    """`/kpi target <kpi> <value> [period:] [vs:]`."""
    target, before = service.set_target(session, caller, draft)
    return Reply(
        message=views.target_set_message(target, before, caller.currency, caller.locale),
        home={caller.user_id},
    )


def on_targets_command(caller: Caller, args: None, session: Session) -> Reply:
    """`/kpi targets`: each with this period's value and attainment."""
    today = workspace_today(caller)
    rows = []
    cache: dict[Period, compute.Figures] = {}
    for target in service.targets(session, caller.team_id):
        period = _period_of(target.period, today)
        if period not in cache:
            cache[period] = compute.compute(session, caller.team_id, period)
        goal = service.target_value(session, caller.team_id, target, period)
        rows.append((target, period, cache[period][target.metric], goal))
    return Reply(message=views.targets_message(rows, caller.currency, caller.locale))


def _period_of(label: str, today: object) -> Period:
    from datetime import date

    assert isinstance(today, date)
    if label == "week":
        return compute.week_of(today)
    if label == "month":
        return month_of(today)
    return service.parse_period_text(label, today)


def on_log_command(caller: Caller, args: LogArgs, session: Session) -> Reply:
    """`/kpi log <metric> <value> [date:]`."""
    metric, before = service.log_metric(session, caller, args.metric, args.value, args.day)
    return Reply(message=views.logged_message(metric, args.day, args.value, before, caller.locale))


def on_digest_command(caller: Caller, args: DigestArgs, session: Session) -> Reply:
    """`/kpi digest <kind> …`: set (or change) where and when it goes; `off`; `now`."""
    from ecombot.errors import InvalidInput, PermissionDenied
    from ecombot.scheduling import service as scheduling
    from ecombot.slack.i18n import t

    if not caller.is_manager:
        raise PermissionDenied("kpis_managers_only")
    kind_name = t(caller.locale, f"kpis.kind.{args.kind}")
    digest_kind = cast(digests.Kind, args.kind)
    kind = digests.schedule_kind(digest_kind)
    existing = next(
        (s for s in scheduling.list_schedules(session, team_id=caller.team_id) if s.kind == kind), None
    )
    if args.action == "off":
        if existing is None or not existing.enabled:
            return say(t(caller.locale, "kpis.digest_off_already", kind=kind_name))
        scheduling.update_schedule(
            session, existing.id or 0, team_id=caller.team_id, now=caller.now, enabled=False
        )
        return say(t(caller.locale, "kpis.digest_off", kind=kind_name))
    channel = args.channel or (existing.target if existing is not None else "")
    if not channel:
        raise InvalidInput("kpis_digest_channel")
    if args.action == "now":
        reply = say(t(caller.locale, "kpis.digest_now", kind=kind_name, channel=f"<#{channel}>"))
        reply.then.append(_post_now(digest_kind, channel))
        return reply
    day_field = {"daily": "*", "weekly": "*", "monthly": "1"}[args.kind]
    weekday = str(args.weekday) if args.kind == "weekly" else "*"
    rule = f"{args.minute} {args.hour} {day_field} * {weekday}"
    if existing is None:
        scheduling.create_schedule(
            session,
            team_id=caller.team_id,
            kind=kind,
            rule=rule,
            timezone=caller.workspace_tz,
            now=caller.now,
            target=channel,
            created_by=caller.user_id,
        )
    else:
        scheduling.update_schedule(
            session,
            existing.id or 0,
            team_id=caller.team_id,
            now=caller.now,
            rule=rule,
            target=channel,
            enabled=True,
            timezone=caller.workspace_tz,
        )
    day = ""
    if args.kind == "weekly":
        day = t(
            caller.locale,
            "kpis.digest_day",
            day=("Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat")[args.weekday],
        )
    elif args.kind == "monthly":
        day = t(caller.locale, "kpis.digest_monthly_day")
    text = t(
        caller.locale,
        "kpis.digest_set",
        kind=kind_name,
        channel=f"<#{channel}>",
        time=f"{args.hour:02d}:{args.minute:02d}",
        day=day,
        zone=caller.workspace_tz,
    )
    return say(text)


def _post_now(kind: digests.Kind, channel: str) -> Callable[[AfterAck], None]:
    """Build the digest after the ack (it draws a chart) and queue it."""

    def work(after: AfterAck) -> None:
        from ecombot.scheduling.service import enqueue_many
        from ecombot.workspaces import service as workspaces

        with after.session() as session:
            workspace = workspaces.get_workspace(session, after.team_id)
            today = after.now().astimezone(ZoneInfo(workspace.timezone)).date()
            digest = digests.build(
                session, after.team_id, kind, today, locale=workspace.language, currency=workspace.currency
            )
            key = f"{digests.schedule_kind(kind)}:now:{after.team_id}:{channel}:{after.now().isoformat()}"
            enqueue_many(
                session,
                [(after.team_id, m) for m in digests.messages_of(digest, channel, key)],
                now=after.now(),
            )

    return work


def on_export_command(caller: Caller, period: Period, session: Session) -> Reply:
    """`/kpi export [period]`: the CSV (a line per day) to the caller's DM, made after the ack."""
    from ecombot.slack.i18n import t

    reply = say(t(caller.locale, "kpis.export_sent", period=period.label))
    reply.then.append(_export_by_dm(period, caller.user_id))
    return reply


def _export_by_dm(period: Period, user: str) -> Callable[[AfterAck], None]:
    def work(after: AfterAck) -> None:
        from ecombot.kpis import export
        from ecombot.scheduling.service import Outgoing, enqueue_many, upload_payload

        with after.session() as session:
            text, _ = export.to_csv(session, after.team_id, period.start, period.end, "day")
            name = f"kpis-{period.start.isoformat()}-{period.end.isoformat()}.csv"
            payload = upload_payload(name, text.encode("utf-8"), title=name)
            key = f"kpis.export:{after.team_id}:{user}:{name}:{after.now().isoformat()}"
            enqueue_many(session, [(after.team_id, Outgoing(user, payload, key))], now=after.now())

    return work
