"""The retros section of App Home: my open action items."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlmodel import Session

from ecombot.actor import Caller
from ecombot.retros import actions, views
from ecombot.slack import blocks as bk


def retros_home_section(viewer: Caller, session: Session, budget: int) -> list[bk.Block]:
    """My open retro action items, overdue first (a private channel's ones are left to that channel)."""
    items = actions.action_items(session, viewer, owner=viewer.user_id, limit=100, tz=viewer.workspace_tz)
    today = viewer.now.astimezone(ZoneInfo(viewer.workspace_tz)).date()
    return views.home_blocks(items, today, viewer.currency, viewer.locale, budget)
