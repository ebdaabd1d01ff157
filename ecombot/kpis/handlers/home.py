"""The KPIs section of App Home: this month's KPIs that have a target, against it."""

from __future__ import annotations

from sqlmodel import Session

from ecombot.actor import Caller
from ecombot.budgets.periods import month_of
from ecombot.kpis import compute, service, views
from ecombot.kpis.handlers.commands import goals_for
from ecombot.kpis.handlers.grammar import workspace_today
from ecombot.slack import blocks as bk


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
