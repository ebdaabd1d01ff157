"""Finding what is due: each owner's 09:00 reminder, and recurring tasks whose date has passed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select

from ecombot.clock import zone as zone_of
from ecombot.scheduling.service import Firing, Outgoing, is_claimed
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


REMINDER_KEY = "tasks.reminder"  # the claim key of one owner's reminders: f"{REMINDER_KEY}:{team}:{user}"

# Each owner's zone by name: theirs when known, else their workspace's (an unknown name counts as UTC).
_OWNER_ZONE = workspaces.zone_name_of(col(Task.team_id), col(Task.owner_id))


def _days_of(session: Session, now: datetime, start: time, grace: timedelta) -> dict[datetime, list[str]]:
    """The zones whose local `start` has come (within `grace`), grouped by that instant."""
    due: dict[datetime, list[str]] = {}
    for name in workspaces.zone_names(session):
        zone = zone_of(name)
        slot = datetime.combine(now.astimezone(zone).date(), start, tzinfo=zone)
        if slot <= now < slot + grace:
            due.setdefault(slot.astimezone(UTC), []).append(name)
    return due


def roll_over(session: Session, now: datetime) -> list[Task]:
    """Recurring tasks whose date has passed for their owner get their next occurrence (the missed one stays open)."""
    created = []
    query = select(Task, _OWNER_ZONE).where(
        col(Task.deleted_at).is_(None),
        col(Task.recurrence) != "",
        col(Task.next_id).is_(None),
        col(Task.due_date).is_not(None),
        col(Task.due_date) < now.date() + timedelta(days=1),
    )
    for task, zone in session.exec(query).all():
        assert task.due_date is not None
        if task.due_date < now.astimezone(zone_of(zone)).date():
            made = recur(session, task, now)
            if made is not None:
                created.append(made)
    return created


def due_reminders(session: Session, now: datetime) -> list[Reminder]:
    """Each owner whose local 09:00 has come (within the grace), who has something due or overdue,
    and whose reminder of that 09:00 is not claimed yet.

    Only the zones at their 09:00 are looked at, and owners already reminded are left out in the
    database: a pass outside every zone's window reads nothing but the zone names."""
    reminders: dict[tuple[str, str], Reminder] = {}
    for slot_utc, names in _days_of(session, now, REMINDER_TIME, REMINDER_GRACE).items():
        zone = zone_of(names[0])
        slot = slot_utc.astimezone(zone)
        day = slot.date()
        key = sa.literal(REMINDER_KEY + ":") + col(Task.team_id) + ":" + col(Task.owner_id)
        query = (
            select(Task)
            .where(
                col(Task.deleted_at).is_(None),
                col(Task.status) == "open",
                col(Task.due_date).is_not(None),
                col(Task.due_date) <= day + timedelta(days=1),
                _OWNER_ZONE.in_(names),
                # Against the slot, not `now`: a snooze until 09:00 skips that 09:00 however late the pass runs.
                sa.or_(col(Task.remind_after).is_(None), col(Task.remind_after) < slot_utc),
                ~is_claimed(key, slot_utc),
            )
            .order_by(col(Task.due_date), col(Task.number))
        )
        for task in session.exec(query):
            assert task.due_date is not None
            reminder = reminders.setdefault(
                (task.team_id, task.owner_id), Reminder(task.team_id, task.owner_id, day, slot)
            )
            if task.due_date < day:
                reminder.overdue.append(task)
            elif task.due_date == day:
                reminder.today.append(task)
            else:
                reminder.tomorrow.append(task)
    return list(reminders.values())


def reminder_firing(reminder: Reminder, message: dict[str, object]) -> Firing:
    """One DM per person per day, claimed once."""
    key = f"{REMINDER_KEY}:{reminder.team_id}:{reminder.user_id}"
    return Firing(
        job_key=key,
        slot=reminder.slot,
        team_id=reminder.team_id,
        messages=[Outgoing(reminder.user_id, dict(message), f"{key}:{reminder.day.isoformat()}")],
    )
