"""The risks section of App Home: for ops leads and admins, open high risks and unanswered reviews."""

from __future__ import annotations

from sqlmodel import Session

from ecombot.actor import Caller
from ecombot.risks import service, views
from ecombot.slack import blocks as bk


def risks_home_section(viewer: Caller, session: Session, budget: int) -> list[bk.Block]:
    """High risks (score ≥ 15) and reviews left unanswered, for those who manage the workspace."""
    if not viewer.is_manager:
        return []
    high = service.high_risks(session, viewer.team_id)
    unreviewed = service.unreviewed(session, viewer.team_id)
    return views.home_blocks(high, unreviewed, viewer.locale, budget)
