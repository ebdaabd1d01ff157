"""Scheduled task work: the 09:00 reminder DM in each owner's timezone, and recurring roll-over."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from ecombot.scheduling.service import Firing
from ecombot.slack.i18n import normalize_locale
from ecombot.tasks import service, views
from ecombot.workspaces import service as workspaces


def remind_owners(session: Session, now: datetime) -> list[Firing]:
    """Tick: one DM per owner whose 09:00 has come, listing overdue, today's and tomorrow's tasks."""
    firings = []
    for reminder in service.due_reminders(session, now):
        member = workspaces.get_member(session, reminder.team_id, reminder.user_id)
        locale = (
            normalize_locale(member.locale if member else None)
            or workspaces.get_workspace(session, reminder.team_id).language
        )
        firings.append(service.reminder_firing(reminder, views.reminder_message(reminder, locale)))
    return firings


def roll_over_recurring(session: Session, now: datetime) -> list[Firing]:
    """Tick: a recurring task whose date passed gets its next occurrence (idempotent, posts nothing)."""
    service.roll_over(session, now)
    return []
