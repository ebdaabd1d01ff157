"""Finding what is due: each owner's 09:00 reminder, and recurring tasks whose date has passed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from ecombot.scheduling.service import Firing, Outgoing
from ecombot.tasks.models import Task
from ecombot.tasks.service import recur
from ecombot.workspaces import service as workspaces

REMINDER_TIME = time(9, 0)
REMINDER_GRACE = timedelta(hours=6)


@dataclass
class Reminder:
    """One person's 09:00 digest: overdue, due today, due tomorrow."""

    team_id: str
    user_id: str
    day: date
    slot: datetime
    overdue: list[Task] = field(default_factory=list)
    today: list[Task] = field(default_factory=list)
    tomorrow: list[Task] = field(default_factory=list)


class _Zones:
    """Each member's timezone (the workspace's when unknown), read once per pass."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.cache: dict[tuple[str, str], ZoneInfo] = {}

    def of(self, team_id: str, user_id: str) -> ZoneInfo:
        key = (team_id, user_id)
        if key not in self.cache:
            member = workspaces.get_member(self.session, team_id, user_id)
            name = (
                member.tz
                if member and member.tz
                else workspaces.get_workspace(self.session, team_id).timezone
            )
            try:
                self.cache[key] = ZoneInfo(name)
            except (KeyError, ValueError):
                self.cache[key] = ZoneInfo("UTC")
        return self.cache[key]


def roll_over(session: Session, now: datetime) -> list[Task]:
    """Recurring tasks whose date has passed for their owner get their next occurrence (the missed one stays open)."""
    created = []
    zones = _Zones(session)
    query = select(Task).where(
        col(Task.deleted_at).is_(None),
        col(Task.recurrence) != "",
        col(Task.next_id).is_(None),
        col(Task.due_date).is_not(None),
        col(Task.due_date) < now.date() + timedelta(days=1),
    )
    for task in session.exec(query):
        assert task.due_date is not None
        if task.due_date < now.astimezone(zones.of(task.team_id, task.owner_id)).date():
            made = recur(session, task, now)
            if made is not None:
                created.append(made)
    return created


def due_reminders(session: Session, now: datetime) -> list[Reminder]:
    """Each owner whose local 09:00 has come (within the grace) and who has something due or overdue."""
    horizon = now.date() + timedelta(days=3)  # tomorrow in the farthest zone east
    query = select(Task).where(
        col(Task.deleted_at).is_(None),
        col(Task.status) == "open",
        col(Task.due_date).is_not(None),
        col(Task.due_date) <= horizon,
    )
    zones = _Zones(session)
    reminders: dict[tuple[str, str], Reminder] = {}
    for task in session.exec(query.order_by(col(Task.due_date), col(Task.number))):
        zone = zones.of(task.team_id, task.owner_id)
        local = now.astimezone(zone)
        slot = datetime.combine(local.date(), REMINDER_TIME, tzinfo=zone)
        if not slot <= now < slot + REMINDER_GRACE:
            continue
        # Against the slot, not `now`: a snooze until 09:00 skips that 09:00 however late the pass runs.
        if task.remind_after is not None and task.remind_after >= slot:
            continue
        assert task.due_date is not None
        key = (task.team_id, task.owner_id)
        reminder = reminders.setdefault(key, Reminder(task.team_id, task.owner_id, local.date(), slot))
        if task.due_date < local.date():
            reminder.overdue.append(task)
        elif task.due_date == local.date():
            reminder.today.append(task)
        elif task.due_date == local.date() + timedelta(days=1):
            reminder.tomorrow.append(task)
    return [r for r in reminders.values() if r.overdue or r.today or r.tomorrow]


def reminder_firing(reminder: Reminder, message: dict[str, object]) -> Firing:
    """One DM per person per day, claimed once."""
    key = f"tasks.reminder:{reminder.team_id}:{reminder.user_id}"
    return Firing(
        job_key=key,
        slot=reminder.slot,
        team_id=reminder.team_id,
        messages=[Outgoing(reminder.user_id, dict(message), f"{key}:{reminder.day.isoformat()}")],
    )
