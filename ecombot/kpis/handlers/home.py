"""The KPIs section of App Home: this month's KPIs that have a target, against it."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from ecombot.actor import Caller
from ecombot.budgets.periods import month_of
from ecombot.domain import Upcoming
from ecombot.kpis import compute, digests, service, views
from ecombot.kpis.handlers.commands import goals_for
from ecombot.kpis.handlers.grammar import workspace_today
from ecombot.scheduling import service as scheduling
from ecombot.slack import blocks as bk
from ecombot.slack.i18n import t


def kpis_home_section(viewer: Caller, session: Session, budget: int) -> list[bk.Block]:
    """Headline KPIs of the month vs target (only those with a target)."""
    if not service.targets(session, viewer.team_id):
        return []
    period = month_of(workspace_today(viewer))
    goals = {m: g for m, g in goals_for(session, viewer.team_id, period).items() if g is not None}
    if not goals:
        return []
    figures = compute.compute(session, viewer.team_id, period)
    rows = [(metric, figures[metric], goal) for metric, goal in goals.items()][: max(0, budget - 2)]
    return views.home_blocks(rows, viewer.currency, viewer.locale)


def kpis_upcoming(viewer: Caller, session: Session, until: datetime) -> list[Upcoming]:
    """The workspace's KPI digests due before `until` (each in its channel)."""
    found: list[Upcoming] = []
    for kind in ("daily", "weekly", "monthly"):
        for schedule in scheduling.upcoming_schedules(
            session, viewer.team_id, digests.schedule_kind(kind), until
        ):
            if schedule.next_fire_at is not None:
                text = t(viewer.locale, f"kpis.upcoming.{kind}", channel=f"<#{schedule.target}>")
                found.append(Upcoming(schedule.next_fire_at, text))
    return found
