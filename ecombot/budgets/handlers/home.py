"""The budgets section of App Home: lines near or over their thresholds, for admins, ops leads and
the lines' owners."""

from __future__ import annotations

from sqlmodel import Session

from ecombot.actor import Caller
from ecombot.budgets import service, views
from ecombot.slack import blocks as bk

HOME_LINES = 8


def budgets_home_section(viewer: Caller, session: Session, budget: int) -> list[bk.Block]:
    """Running lines whose spend has reached the lowest alert threshold."""
    lowest = min(service.settings_of(session, viewer.team_id).thresholds or [80])
    statuses = [
        s
        for s in service.status(session, viewer.team_id, None, viewer.today)
        if (viewer.is_manager or s.line.owner_id == viewer.user_id)
        and s.pace.used is not None
        and s.pace.used * 100 >= lowest
    ]
    statuses.sort(key=lambda s: -(s.pace.used or 0))
    return views.home_blocks(statuses[: max(0, min(HOME_LINES, budget - 2))], viewer.locale)
