"""Tasks and checkpoints: add, list, close, reassign, snooze, recur, remind. No Slack here."""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session, col, select

from ecombot.errors import DomainError, InvalidInput, NotFound, PermissionDenied
from ecombot.scheduling.service import Firing, Outgoing
from ecombot.tasks.models import PRIORITIES, RECURRENCES, Task
from ecombot.workspaces import service as workspaces

REMINDER_TIME = time(9, 0)
REMINDER_GRACE = timedelta(hours=6)
TITLE_LIMIT = 300
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
GROUPS = ("overdue", "today", "week", "later", "none")


class OpenCheckpoints(DomainError):
    """A task with open checkpoints is being closed without confirmation."""


@dataclass(frozen=True)
class TaskDraft:
    """What a user asked for, already parsed; the service validates and stores it."""

    title: str
    owner_id: str
    due_date: date | None = None
    campaign: str = ""
    priority: str = "normal"
    recurrence: str = ""
    parent_number: int | None = None
    source_url: str = ""


@dataclass(frozen=True)
class Progress:
    """Checkpoints done out of total."""

    done: int
    total: int


@dataclass
class Change:
    """The result of a change, with what views and notifications need."""

    task: Task
    changed: bool = True
    previous_owner: str = ""
    next_task: Task | None = None


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


# -- reading -----------------------------------------------------------------------------------


def _live(team_id: str) -> sa.ColumnElement[bool]:
    return sa.and_(col(Task.team_id) == team_id, col(Task.deleted_at).is_(None))


def get_task(session: Session, team_id: str, number: int) -> Task:
    """The task #number of this workspace, or NotFound (another workspace's task is not found either)."""
    task = session.exec(select(Task).where(_live(team_id), Task.number == number)).first()
    if task is None:
        raise NotFound("task_not_found", number=number)
    return task


def list_tasks(
    session: Session,
    team_id: str,
    *,
    owner_id: str | None = None,
    campaign: str | None = None,
    overdue_on: date | None = None,
    include_done: bool = False,
) -> list[Task]:
    """Tasks by due date (undated last), then number."""
    query = select(Task).where(_live(team_id))
    if not include_done:
        query = query.where(Task.status == "open")
    if owner_id:
        query = query.where(Task.owner_id == owner_id)
    if campaign:
        query = query.where(sa.func.lower(col(Task.campaign)) == campaign.lower())
    if overdue_on is not None:
        query = query.where(col(Task.due_date) < overdue_on)
    query = query.order_by(col(Task.due_date).is_(None), col(Task.due_date), col(Task.number))
    return list(session.exec(query))


def group_by_due(tasks: Sequence[Task], today: date) -> dict[str, list[Task]]:
    """Overdue / today / this week (to Sunday) / later / no date, in that order."""
    end_of_week = today + timedelta(days=6 - today.weekday())
    groups: dict[str, list[Task]] = {name: [] for name in GROUPS}
    for task in tasks:
        if task.due_date is None:
            groups["none"].append(task)
        elif task.due_date < today:
            groups["overdue"].append(task)
        elif task.due_date == today:
            groups["today"].append(task)
        elif task.due_date <= end_of_week:
            groups["week"].append(task)
        else:
            groups["later"].append(task)
    return groups


def progress(session: Session, task: Task) -> Progress | None:
    """How many checkpoints of `task` are done, or None when it has none."""
    rows = session.execute(
        sa.select(col(Task.status), sa.func.count())
        .where(col(Task.parent_id) == task.id, col(Task.deleted_at).is_(None))
        .group_by(col(Task.status))
    ).all()
    counts = {str(status): int(n) for status, n in rows}
    total = sum(counts.values())
    return Progress(counts.get("done", 0), total) if total else None


def parent_of(session: Session, task: Task) -> Task | None:
    """The task this checkpoint belongs to (none once that task is deleted; Undo brings the link back)."""
    parent = session.get(Task, task.parent_id) if task.parent_id else None
    return parent if parent is not None and parent.deleted_at is None else None


def campaigns(session: Session, team_id: str) -> list[str]:
    """Campaign names in use, most recent first (for the modal's menu)."""
    rows = session.execute(
        sa.select(col(Task.campaign), sa.func.max(col(Task.id)))
        .where(col(Task.team_id) == team_id, col(Task.campaign) != "", col(Task.deleted_at).is_(None))
        .group_by(col(Task.campaign))
        .order_by(sa.func.max(col(Task.id)).desc())
        .limit(100)
    ).all()
    return [str(name) for name, _ in rows]


# -- writing -----------------------------------------------------------------------------------


def _next_number(session: Session, team_id: str) -> int:
    current = session.execute(
        sa.select(sa.func.max(col(Task.number))).where(col(Task.team_id) == team_id)
    ).scalar()
    return int(current or 0) + 1


def _validate(session: Session, team_id: str, draft: TaskDraft) -> Task | None:
    if not draft.title.strip():
        raise InvalidInput("task_title_missing")
    if len(draft.title.strip()) > TITLE_LIMIT:
        raise InvalidInput("task_title_too_long", limit=TITLE_LIMIT)
    if draft.priority not in PRIORITIES:
        raise InvalidInput("task_bad_priority", value=draft.priority)
    if draft.recurrence and draft.recurrence not in RECURRENCES:
        raise InvalidInput("task_bad_recurrence", value=draft.recurrence)
    if not draft.owner_id.startswith(("U", "W")):
        raise InvalidInput("task_bad_owner", value=draft.owner_id)
    if draft.parent_number is None:
        return None
    parent = get_task(session, team_id, draft.parent_number)
    if parent_of(session, parent) is not None:
        raise InvalidInput("task_nested_checkpoint", number=parent.number)
    return parent


def add_task(
    session: Session, *, team_id: str, creator_id: str, draft: TaskDraft, now: datetime, today: date
) -> Task:
    """Create a task (a checkpoint when it has a parent); a recurring task without a date starts today."""
    parent = _validate(session, team_id, draft)
    due = draft.due_date or (today if draft.recurrence else None)
    task = Task(
        team_id=team_id,
        number=_next_number(session, team_id),
        title=draft.title.strip(),
        owner_id=draft.owner_id,
        creator_id=creator_id,
        due_date=due,
        campaign=draft.campaign.strip().lstrip("#")[:100] or (parent.campaign if parent else ""),
        priority=draft.priority,
        recurrence=draft.recurrence,
        parent_id=parent.id if parent else None,
        source_url=draft.source_url[:500],
        created_at=now,
        updated_at=now,
    )
    session.add(task)
    session.flush()
    return task


def edit_task(
    session: Session,
    *,
    team_id: str,
    number: int,
    actor_id: str,
    is_manager: bool,
    draft: TaskDraft,
    now: datetime,
) -> Change:
    """Replace a task's fields (from the edit modal); owner, creator or a manager may."""
    task = get_task(session, team_id, number)
    _require(task, actor_id, is_manager, "task_edit_forbidden")
    parent = _validate(session, team_id, draft)
    if parent is not None and parent.id == task.id:
        raise InvalidInput("task_own_parent", number=number)
    if parent is not None and progress(session, task) is not None:
        # One level only: a task that has checkpoints cannot become one.
        raise InvalidInput("task_nested_checkpoint", number=number)
    if draft.recurrence and draft.due_date is None:
        raise InvalidInput("task_recurring_needs_date", number=number)
    previous_owner = task.owner_id
    task.title = draft.title.strip()
    task.owner_id = draft.owner_id
    task.due_date = draft.due_date
    task.campaign = draft.campaign.strip().lstrip("#")[:100]
    task.priority = draft.priority
    task.recurrence = draft.recurrence
    task.parent_id = parent.id if parent else None
    task.updated_at = now
    session.add(task)
    return Change(task, previous_owner=previous_owner)


def _require(task: Task, actor_id: str, is_manager: bool, code: str) -> None:
    if actor_id not in (task.owner_id, task.creator_id) and not is_manager:
        raise PermissionDenied(code, number=task.number, owner=task.owner_id, creator=task.creator_id)


def complete_task(
    session: Session,
    *,
    team_id: str,
    number: int,
    actor_id: str,
    is_manager: bool,
    now: datetime,
    force: bool = False,
) -> Change:
    """Mark done (twice is harmless); checkpoints must be done first unless `force`; recurs if set."""
    task = get_task(session, team_id, number)
    _require(task, actor_id, is_manager, "task_done_forbidden")
    if task.status == "done":
        return Change(task, changed=False)
    if not force:
        state = progress(session, task)
        if state is not None and state.done < state.total:
            raise OpenCheckpoints(
                "task_open_checkpoints", number=number, open=state.total - state.done, total=state.total
            )
    task.status = "done"
    task.done_at = now
    task.done_by = actor_id
    task.updated_at = now
    session.add(task)
    return Change(task, next_task=_recur(session, task, now))


def reopen_task(
    session: Session, *, team_id: str, number: int, actor_id: str, is_manager: bool, now: datetime
) -> Change:
    """Open a done task again."""
    task = get_task(session, team_id, number)
    _require(task, actor_id, is_manager, "task_done_forbidden")
    if task.status == "open":
        return Change(task, changed=False)
    task.status = "open"
    task.done_at = None
    task.done_by = ""
    task.updated_at = now
    session.add(task)
    return Change(task)


def assign_task(
    session: Session,
    *,
    team_id: str,
    number: int,
    owner_id: str,
    actor_id: str,
    is_manager: bool,
    now: datetime,
) -> Change:
    """Give the task to someone else; owner, creator or a manager may."""
    task = get_task(session, team_id, number)
    _require(task, actor_id, is_manager, "task_assign_forbidden")
    previous = task.owner_id
    if previous == owner_id:
        return Change(task, changed=False, previous_owner=previous)
    task.owner_id = owner_id
    task.remind_after = None
    task.updated_at = now
    session.add(task)
    return Change(task, previous_owner=previous)


def set_due(
    session: Session,
    *,
    team_id: str,
    number: int,
    due: date | None,
    actor_id: str,
    is_manager: bool,
    now: datetime,
) -> Change:
    """Move the due date (None clears it)."""
    task = get_task(session, team_id, number)
    _require(task, actor_id, is_manager, "task_edit_forbidden")
    if due is None and task.recurrence:
        raise InvalidInput("task_recurring_needs_date", number=number)
    task.due_date = due
    task.remind_after = None
    task.updated_at = now
    session.add(task)
    return Change(task)


def snooze_task(
    session: Session,
    *,
    team_id: str,
    number: int,
    until: datetime,
    actor_id: str,
    is_manager: bool,
    now: datetime,
) -> Change:
    """No reminder for this task before `until`; the due date does not move."""
    task = get_task(session, team_id, number)
    _require(task, actor_id, is_manager, "task_edit_forbidden")
    task.remind_after = until
    task.updated_at = now
    session.add(task)
    return Change(task)


def delete_task(
    session: Session, *, team_id: str, number: int, actor_id: str, is_manager: bool, now: datetime
) -> Change:
    """Delete (recoverable with `restore_task`); only the creator or a manager may."""
    task = get_task(session, team_id, number)
    if actor_id != task.creator_id and not is_manager:
        raise PermissionDenied("task_delete_forbidden", number=number, creator=task.creator_id)
    task.deleted_at = now
    task.updated_at = now
    session.add(task)
    return Change(task)


def restore_task(
    session: Session, *, team_id: str, number: int, actor_id: str, is_manager: bool, now: datetime
) -> Change:
    """Undo a delete."""
    task = session.exec(select(Task).where(Task.team_id == team_id, Task.number == number)).first()
    if task is None:
        raise NotFound("task_not_found", number=number)
    if actor_id != task.creator_id and not is_manager:
        raise PermissionDenied("task_delete_forbidden", number=number, creator=task.creator_id)
    changed = task.deleted_at is not None
    task.deleted_at = None
    task.updated_at = now
    session.add(task)
    return Change(task, changed=changed)


# -- recurrence --------------------------------------------------------------------------------


def next_due(due: date, recurrence: str) -> date:
    """The date of the next occurrence."""
    if recurrence == "day":
        return due + timedelta(days=1)
    if recurrence == "month":
        month = due.month % 12 + 1
        year = due.year + (1 if month == 1 else 0)
        return date(year, month, min(due.day, calendar.monthrange(year, month)[1]))
    weekday = WEEKDAYS.index(recurrence)
    return due + timedelta(days=(weekday - due.weekday() - 1) % 7 + 1)


def _recur(session: Session, task: Task, now: datetime) -> Task | None:
    """Create the next occurrence once (guarded by next_id, so racing callers make one)."""
    if not task.recurrence or task.next_id is not None or task.due_date is None:
        return None
    following = Task(
        team_id=task.team_id,
        number=_next_number(session, task.team_id),
        title=task.title,
        owner_id=task.owner_id,
        creator_id=task.creator_id,
        due_date=next_due(task.due_date, task.recurrence),
        campaign=task.campaign,
        priority=task.priority,
        recurrence=task.recurrence,
        parent_id=task.parent_id,
        created_at=now,
        updated_at=now,
    )
    session.add(following)
    session.flush()
    claimed = session.execute(
        sa.update(Task)
        .where(col(Task.id) == task.id, col(Task.next_id).is_(None))
        .values(next_id=following.id)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        session.delete(following)
        session.flush()
        return None
    task.next_id = following.id
    return following


def roll_over(session: Session, now: datetime) -> list[Task]:
    """Recurring tasks whose date has passed for their owner get their next occurrence (the missed one stays open)."""
    created = []
    zones: dict[tuple[str, str], ZoneInfo] = {}
    query = select(Task).where(
        col(Task.deleted_at).is_(None),
        col(Task.recurrence) != "",
        col(Task.next_id).is_(None),
        col(Task.due_date).is_not(None),
        col(Task.due_date) < now.date() + timedelta(days=1),
    )
    for task in session.exec(query):
        zone = _zone_for(session, task.team_id, task.owner_id, zones)
        assert task.due_date is not None
        if task.due_date < now.astimezone(zone).date():
            made = _recur(session, task, now)
            if made is not None:
                created.append(made)
    return created


# -- reminders ---------------------------------------------------------------------------------


def _zone_for(
    session: Session, team_id: str, user_id: str, cache: dict[tuple[str, str], ZoneInfo]
) -> ZoneInfo:
    key = (team_id, user_id)
    if key not in cache:
        member = workspaces.get_member(session, team_id, user_id)
        name = member.tz if member and member.tz else workspaces.get_workspace(session, team_id).timezone
        try:
            cache[key] = ZoneInfo(name)
        except (KeyError, ValueError):
            cache[key] = ZoneInfo("UTC")
    return cache[key]


def due_reminders(session: Session, now: datetime) -> list[Reminder]:
    """Each owner whose local 09:00 has come (within the grace) and who has something due or overdue."""
    horizon = now.date() + timedelta(days=3)  # tomorrow in the farthest zone east
    query = select(Task).where(
        col(Task.deleted_at).is_(None),
        col(Task.status) == "open",
        col(Task.due_date).is_not(None),
        col(Task.due_date) <= horizon,
    )
    zones: dict[tuple[str, str], ZoneInfo] = {}
    reminders: dict[tuple[str, str], Reminder] = {}
    for task in session.exec(query.order_by(col(Task.due_date), col(Task.number))):
        zone = _zone_for(session, task.team_id, task.owner_id, zones)
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


def assigned_overdue(session: Session, team_id: str, creator_id: str, today: date) -> list[Task]:
    """Open tasks this person gave to others that are past their date (for their App Home)."""
    query = select(Task).where(
        _live(team_id),
        Task.status == "open",
        Task.creator_id == creator_id,
        Task.owner_id != creator_id,
        col(Task.due_date) < today,
    )
    return list(session.exec(query.order_by(col(Task.due_date), col(Task.number))))
