"""The retros section of App Home: my open action items."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from ecombot.actor import Caller
from ecombot.domain import Upcoming
from ecombot.retros import actions, schedules, views
from ecombot.slack import blocks as bk
from ecombot.slack.i18n import t


def retros_home_section(viewer: Caller, session: Session, budget: int) -> list[bk.Block]:
    """My open retro action items, overdue first (a private channel's ones are left to that channel)."""
    items = actions.action_items(session, viewer, owner=viewer.user_id, limit=100, tz=viewer.workspace_tz)
    today = viewer.now.astimezone(ZoneInfo(viewer.workspace_tz)).date()
    return views.home_blocks(items, today, viewer.currency, viewer.locale, budget)


def retros_upcoming(viewer: Caller, session: Session, until: datetime) -> list[Upcoming]:
    """The workspace's weekly retros opening before `until` (a private channel's left to it)."""
    zone = ZoneInfo(viewer.workspace_tz)
    found: list[Upcoming] = []
    for schedule in schedules.workspace_schedules(session, viewer.team_id):
        if schedule.private:
            continue
        opens = schedules.next_open(schedule, viewer.now, zone)
        if opens <= until:
            found.append(
                Upcoming(opens, t(viewer.locale, "retros.upcoming.open", channel=f"<#{schedule.channel_id}>"))
            )
    return found
