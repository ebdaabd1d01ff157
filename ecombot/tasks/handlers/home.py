"""The tasks section of App Home."""

from __future__ import annotations

from sqlmodel import Session

from ecombot.actor import Caller
from ecombot.slack import blocks as bk
from ecombot.tasks import lists, views
from ecombot.tasks.lists import TaskQuery


def tasks_home_section(viewer: Caller, session: Session, budget: int) -> list[bk.Block]:
    """My open tasks by date, with Done buttons, and the overdue tasks I gave to others (for an ops
    lead or admin: every overdue task of the team)."""
    mine = lists.list_page(session, viewer, TaskQuery("mine"), limit=views.HOME_TASK_LIMIT)
    overdue, overdue_total = lists.assigned_overdue(session, viewer, team=viewer.is_manager)
    return views.home_blocks(
        mine, overdue, overdue_total, viewer.locale, viewer.today, budget, team=viewer.is_manager
    )
