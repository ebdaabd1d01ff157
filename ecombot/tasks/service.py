"""Tasks and checkpoints: add, list, close, reassign, snooze, recur. No Slack here.

Every function takes the session and the `Actor` (workspace, person, role, timezone, now) and returns
what the views need (a `Change` with the task, its checkpoint progress and its parent), so a handler
builds its reply without reading the task again.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, col, select

from ecombot.actor import Actor
from ecombot.db import next_number
from ecombot.errors import DomainError, InvalidInput, NotFound, PermissionDenied
from ecombot.slack.text import clean
from ecombot.tasks.models import PRIORITIES, RECURRENCES, Task
from ecombot.workspaces import service as workspaces

TITLE_LIMIT = 300
CAMPAIGN_LIMIT = 100
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
COUNTER = "tasks"


class OpenCheckpoints(DomainError):
    """A task with open checkpoints is being closed without confirmation (the handler asks first)."""

    def __init__(self, task: Task, open_count: int, total: int) -> None:
        super().__init__("task_open_checkpoints", number=task.number, open=open_count, total=total)
        self.task = task
        self.open_count = open_count
        self.total = total


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
    """A task after a change (or a read), with what its card shows."""

    task: Task
    changed: bool = True
    previous_owner: str = ""
    next_task: Task | None = None
    progress: Progress | None = None
    parent: Task | None = None


# -- reading -----------------------------------------------------------------------------------


_GET_TASK = select(Task).where(
    col(Task.team_id) == sa.bindparam("team_id"),
    col(Task.number) == sa.bindparam("number"),
    col(Task.deleted_at).is_(None),
)


def get_task(session: Session, team_id: str, number: int) -> Task:
    """The task #number of this workspace, or NotFound (another workspace's task is not found either)."""
    task = session.exec(_GET_TASK, params={"team_id": team_id, "number": number}).first()
    if task is None:
        raise NotFound("task_not_found", number=number)
    return task


def show_task(session: Session, actor: Actor, number: int) -> Change:
    """A task with its checkpoint progress and parent, for its card."""
    return _with_context(session, get_task(session, actor.team_id, number), changed=False)


def _with_context(session: Session, task: Task, *, changed: bool = True) -> Change:
    return Change(task, changed=changed, progress=progress(session, task), parent=parent_of(session, task))


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


# -- writing -----------------------------------------------------------------------------------


# Seeds the counter from tasks that existed before it (imported, or from before the counter).
_NUMBER_FLOOR = (
    sa.select(sa.func.max(col(Task.number)))
    .where(col(Task.team_id) == sa.bindparam("team_id"))
    .scalar_subquery()
)


def _number(session: Session, team_id: str) -> int:
    return next_number(session, team_id, COUNTER, floor=_NUMBER_FLOOR)


def _validate(session: Session, actor: Actor, draft: TaskDraft, *, owner_before: str = "") -> Task | None:
    title = clean(draft.title).strip()
    if not title:
        raise InvalidInput("task_title_missing")
    if len(title) > TITLE_LIMIT:
        raise InvalidInput("task_title_too_long", limit=TITLE_LIMIT)
    if draft.priority not in PRIORITIES:
        raise InvalidInput("task_bad_priority", value=draft.priority)
    if draft.recurrence and draft.recurrence not in RECURRENCES:
        raise InvalidInput("task_bad_recurrence", value=draft.recurrence)
    if not draft.owner_id.startswith(("U", "W")):
        raise InvalidInput("task_bad_owner", value=draft.owner_id)
    if draft.owner_id not in (actor.user_id, owner_before):
        workspaces.require_person(session, actor, draft.owner_id)
    if draft.parent_number is None:
        return None
    parent = get_task(session, actor.team_id, draft.parent_number)
    if parent.parent_id is not None and parent_of(session, parent) is not None:
        raise InvalidInput("task_nested_checkpoint", number=parent.number)
    return parent


def _campaign(text: str) -> str:
    return clean(text).strip().lstrip("#")[:CAMPAIGN_LIMIT]


def add_task(session: Session, actor: Actor, draft: TaskDraft) -> Change:
    """Create a task (a checkpoint when it has a parent); a recurring task without a date starts today."""
    parent = _validate(session, actor, draft)
    task = Task(
        team_id=actor.team_id,
        number=_number(session, actor.team_id),
        title=clean(draft.title).strip(),
        owner_id=draft.owner_id,
        creator_id=actor.user_id,
        due_date=draft.due_date or (actor.today if draft.recurrence else None),
        campaign=_campaign(draft.campaign) or (parent.campaign if parent else ""),
        priority=draft.priority,
        recurrence=draft.recurrence,
        parent_id=parent.id if parent else None,
        source_url=draft.source_url[:500],
        created_at=actor.now,
        updated_at=actor.now,
    )
    session.add(task)
    session.flush()
    return Change(task, parent=parent)


def _require(task: Task, actor: Actor, code: str) -> None:
    if actor.user_id not in (task.owner_id, task.creator_id) and not actor.is_manager:
        raise PermissionDenied(code, number=task.number, owner=task.owner_id, creator=task.creator_id)


def edit_task(session: Session, actor: Actor, number: int, draft: TaskDraft) -> Change:
    """Replace a task's fields (from the edit form); owner, creator or a manager may."""
    task = get_task(session, actor.team_id, number)
    _require(task, actor, "task_edit_forbidden")
    parent = _validate(session, actor, draft, owner_before=task.owner_id)
    if parent is not None and parent.id == task.id:
        raise InvalidInput("task_own_parent", number=number)
    state = progress(session, task)
    if parent is not None and state is not None:
        # One level only: a task that has checkpoints cannot become one.
        raise InvalidInput("task_nested_checkpoint", number=number)
    if draft.recurrence and draft.due_date is None:
        raise InvalidInput("task_recurring_needs_date", number=number)
    previous_owner = task.owner_id
    task.title = clean(draft.title).strip()
    task.owner_id = draft.owner_id
    task.due_date = draft.due_date
    task.campaign = _campaign(draft.campaign)
    task.priority = draft.priority
    task.recurrence = draft.recurrence
    task.parent_id = parent.id if parent else None
    task.updated_at = actor.now
    session.add(task)
    return Change(task, previous_owner=previous_owner, progress=state, parent=parent)


def complete_task(session: Session, actor: Actor, number: int, *, force: bool = False) -> Change:
    """Mark done (twice is harmless); checkpoints must be done first unless `force`; recurs if set."""
    task = get_task(session, actor.team_id, number)
    _require(task, actor, "task_done_forbidden")
    if task.status == "done":
        return Change(task, changed=False)
    state = progress(session, task)
    if not force and state is not None and state.done < state.total:
        raise OpenCheckpoints(task, state.total - state.done, state.total)
    task.status = "done"
    task.done_at = actor.now
    task.done_by = actor.user_id
    task.updated_at = actor.now
    session.add(task)
    return Change(task, next_task=recur(session, task, actor.now), progress=state)


def reopen_task(session: Session, actor: Actor, number: int) -> Change:
    """Open a done task again."""
    task = get_task(session, actor.team_id, number)
    _require(task, actor, "task_done_forbidden")
    if task.status == "open":
        return _with_context(session, task, changed=False)
    task.status = "open"
    task.done_at = None
    task.done_by = ""
    task.updated_at = actor.now
    session.add(task)
    return _with_context(session, task)


def assign_task(session: Session, actor: Actor, number: int, owner_id: str) -> Change:
    """Give the task to someone else; owner, creator or a manager may."""
    task = get_task(session, actor.team_id, number)
    _require(task, actor, "task_assign_forbidden")
    previous = task.owner_id
    if previous == owner_id:
        return Change(task, changed=False, previous_owner=previous)
    if owner_id != actor.user_id:
        workspaces.require_person(session, actor, owner_id)
    task.owner_id = owner_id
    task.remind_after = None
    task.updated_at = actor.now
    session.add(task)
    return Change(task, previous_owner=previous)


def set_due(session: Session, actor: Actor, number: int, due: date | None) -> Change:
    """Move the due date (None clears it)."""
    task = get_task(session, actor.team_id, number)
    _require(task, actor, "task_edit_forbidden")
    if due is None and task.recurrence:
        raise InvalidInput("task_recurring_needs_date", number=number)
    task.due_date = due
    task.remind_after = None
    task.updated_at = actor.now
    session.add(task)
    return Change(task)


def snooze_task(session: Session, actor: Actor, number: int, until: datetime) -> Change:
    """No reminder for this task before `until`; the due date does not move."""
    task = get_task(session, actor.team_id, number)
    _require(task, actor, "task_edit_forbidden")
    if task.status == "done":
        return Change(task, changed=False)
    task.remind_after = until
    task.updated_at = actor.now
    session.add(task)
    return Change(task)


def check_delete(session: Session, actor: Actor, number: int) -> Task:
    """The task, if the actor may delete it (the question is asked before the change)."""
    task = get_task(session, actor.team_id, number)
    if actor.user_id != task.creator_id and not actor.is_manager:
        raise PermissionDenied("task_delete_forbidden", number=number, creator=task.creator_id)
    return task


def delete_task(session: Session, actor: Actor, number: int) -> Change:
    """Delete (recoverable with `restore_task`); only the creator or a manager may."""
    task = check_delete(session, actor, number)
    task.deleted_at = actor.now
    task.updated_at = actor.now
    session.add(task)
    return Change(task)


def restore_task(session: Session, actor: Actor, number: int) -> Change:
    """Undo a delete."""
    task = session.exec(select(Task).where(Task.team_id == actor.team_id, Task.number == number)).first()
    if task is None:
        raise NotFound("task_not_found", number=number)
    if actor.user_id != task.creator_id and not actor.is_manager:
        raise PermissionDenied("task_delete_forbidden", number=number, creator=task.creator_id)
    changed = task.deleted_at is not None
    task.deleted_at = None
    task.updated_at = actor.now
    session.add(task)
    return _with_context(session, task, changed=changed)


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


def recur(session: Session, task: Task, now: datetime) -> Task | None:
    """Create the next occurrence once: the claim on next_id comes first, so racing callers make one
    (and burn no number)."""
    if not task.recurrence or task.next_id is not None or task.due_date is None:
        return None
    # No "evaluate" of these updates against the session's objects: the roll-over tick holds every
    # recurring task it read, and matching each update against all of them made a pass quadratic.
    claimed = session.execute(
        sa.update(Task)
        .where(col(Task.id) == task.id, col(Task.next_id).is_(None))
        .values(next_id=0)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return None
    following = Task(
        team_id=task.team_id,
        number=_number(session, task.team_id),
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
    session.execute(
        sa.update(Task)
        .where(col(Task.id) == task.id)
        .values(next_id=following.id)
        .execution_options(synchronize_session=False)
    )
    set_committed_value(task, "next_id", following.id)  # as stored: nothing left to flush
    return following


# -- what other domains read (retros, scorecards) ------------------------------------------------


def tasks_by_ids(session: Session, team_id: str, ids: Sequence[int]) -> dict[int, Task]:
    """The workspace's tasks with these ids (deleted ones left out), by id."""
    if not ids:
        return {}
    rows = session.exec(
        select(Task).where(
            col(Task.team_id) == team_id, col(Task.id).in_(list(ids)), col(Task.deleted_at).is_(None)
        )
    )
    return {task.id: task for task in rows if task.id is not None}


def overdue(session: Session, team_id: str, today: date, *, limit: int = 5) -> tuple[list[Task], int]:
    """Open tasks of the workspace past their date (the longest overdue first), and how many."""
    where = (
        col(Task.team_id) == team_id,
        col(Task.deleted_at).is_(None),
        col(Task.status) == "open",
        col(Task.due_date) < today,
    )
    total = int(session.execute(sa.select(sa.func.count()).select_from(Task).where(*where)).scalar_one())
    if not total:
        return [], 0
    query = select(Task).where(*where).order_by(col(Task.due_date), col(Task.number)).limit(limit)
    return list(session.exec(query)), total


def due_between(session: Session, team_id: str, owner_id: str, first: date, last: date) -> list[Task]:
    """Someone's tasks (checkpoints included) due between two days."""
    query = select(Task).where(
        col(Task.team_id) == team_id,
        col(Task.owner_id) == owner_id,
        col(Task.deleted_at).is_(None),
        col(Task.due_date) >= first,
        col(Task.due_date) <= last,
    )
    return list(session.exec(query.order_by(col(Task.due_date), col(Task.number))))
