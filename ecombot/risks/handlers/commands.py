"""`/risk` subcommands: add, list, show, update, status, drill."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlmodel import Session

from ecombot.actor import Caller
from ecombot.risks import service, views
from ecombot.risks.handlers.grammar import DrillArgs, StatusArgs, UpdateArgs
from ecombot.risks.service import Filter, RiskDraft
from ecombot.slack import blocks as bk
from ecombot.slack.i18n import fmt_date, t
from ecombot.slack.reply import Reply


def on_add_command(caller: Caller, draft: RiskDraft | None, session: Session) -> Reply:
    """Add a risk (the form when no text was given)."""
    if draft is None:
        return Reply(open_view=views.risk_form(caller.locale, owner=caller.user_id, channel=caller.channel))
    risk = service.add_risk(session, caller, draft)
    return Reply(message=views.added_message(risk, caller.locale), home={risk.owner_id})


def on_list_command(caller: Caller, which: Filter, session: Session) -> Reply:
    """Risks by score, the heat summary, and the plans to drill."""
    risks = service.list_risks(session, caller.team_id, which)
    today = caller.now.astimezone(ZoneInfo(caller.workspace_tz)).date()
    # The plans to drill, under the whole register (not under someone's or a category's part of it).
    whole = not (which.owner or which.category)
    stale = service.stale_drills(session, caller.team_id, today) if whole else []
    key = "risks.list_title_all" if which.status == "all" else "risks.list_title_open"
    title = t(caller.locale, key, count=len(risks))
    return Reply(message=views.list_message(risks, service.heat(risks), stale, title, caller.locale))


def on_show_command(caller: Caller, number: int, session: Session) -> Reply:
    """A risk's card with its history."""
    risk = service.get_risk(session, caller.team_id, number)
    today = caller.now.astimezone(ZoneInfo(caller.workspace_tz)).date()
    events = service.history(session, risk)
    return Reply(message=views.card_message(risk, events, caller.tz, caller.locale, today))


def on_update_command(caller: Caller, args: UpdateArgs, session: Session) -> Reply:
    """Change what the options name."""
    risk, changes = service.update_risk(session, caller, args.number, args.values)
    return Reply(message=views.updated_message(risk, changes, caller.locale), home={risk.owner_id})


def on_status_command(caller: Caller, args: StatusArgs, session: Session) -> Reply:
    """open | mitigated | occurred | closed, with a note."""
    risk, before = service.set_status(session, caller, args.number, args.status, args.note)
    status = t(caller.locale, f"risks.status.{risk.status}")
    if before == risk.status:
        text = t(caller.locale, "risks.status_noted", ref=views.ref(risk), status=status)
    else:
        text = t(
            caller.locale,
            "risks.status_changed",
            ref=views.ref(risk),
            status=status,
            before=t(caller.locale, f"risks.status.{before}"),
        )
    return Reply(message=bk.ephemeral(text), home={risk.owner_id})


def on_drill_command(caller: Caller, args: DrillArgs, session: Session) -> Reply:
    """Record a drill of the risk's plan."""
    risk = service.record_drill(session, caller, args.number, args.day, args.result)
    text = t(caller.locale, "risks.drilled", ref=views.ref(risk), day=fmt_date(args.day, caller.locale))
    return Reply(message=bk.ephemeral(text))
