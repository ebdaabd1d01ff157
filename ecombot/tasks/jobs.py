"""Scheduled task work: the 09:00 reminder DM in each owner's timezone, and recurring roll-over."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from ecombot.scheduling.service import Firing
from ecombot.tasks import reminders, views
from ecombot.workspaces import service as workspaces


def remind_owners(session: Session, now: datetime) -> list[Firing]:
    """Tick: one DM per owner whose 09:00 has come, listing overdue, today's and tomorrow's tasks."""
    due = reminders.due_reminders(session, now)
    teams: dict[str, set[str]] = {}
    for reminder in due:
        teams.setdefault(reminder.team_id, set()).add(reminder.user_id)
    people = {team: workspaces.callers_of(session, team, users, now) for team, users in teams.items()}
    firings = []
    for reminder in due:
        person = people[reminder.team_id].get(reminder.user_id)
        locale = person.locale if person is not None else "en"
        firings.append(reminders.reminder_firing(reminder, views.reminder_message(reminder, locale)))
    return firings


def roll_over_recurring(session: Session, now: datetime) -> list[Firing]:
    """Tick: a recurring task whose date passed gets its next occurrence (idempotent, posts nothing)."""
    reminders.roll_over(session, now)
    return []
