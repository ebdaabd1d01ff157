"""Tasks as lists read them: one page at a time, each group counted, plain columns rather than ORM
objects, through statements built once. No Slack here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any, Protocol

import sqlalchemy as sa
from sqlmodel import Session, col, select

from ecombot.actor import Actor
from ecombot.tasks.models import Task

GROUPS = ("overdue", "today", "week", "later", "none")


@dataclass(frozen=True)
class TaskQuery:
    """Which tasks a list shows: `mode` mine | all | overdue | user, maybe one campaign."""

    mode: str = "mine"
    user: str = ""
    campaign: str = ""


class TaskFields(Protocol):
    """What a task's line shows: a stored Task, or a TaskLine read for a list."""

    @property
    def number(self) -> int: ...
    @property
    def title(self) -> str: ...
    @property
    def owner_id(self) -> str: ...
    @property
    def due_date(self) -> date | None: ...
    @property
    def status(self) -> str: ...
    @property
    def campaign(self) -> str: ...
    @property
    def priority(self) -> str: ...
    @property
    def recurrence(self) -> str: ...


@dataclass(frozen=True)
class TaskLine:
    """A task as a list shows it, read as plain columns (a list reads many; an ORM object costs more)."""

    number: int
    title: str
    owner_id: str
    due_date: date | None
    status: str
    campaign: str
    priority: str
    recurrence: str


_LINE_COLUMNS = tuple(getattr(Task, name) for name in TaskLine.__dataclass_fields__)


@dataclass
class TaskPage:
    """One page of a list: its tasks in order, and how many each due-date group has in all."""

    tasks: Sequence[TaskFields]
    counts: dict[str, int] = field(default_factory=dict)
    offset: int = 0

    @property
    def total(self) -> int:
        """Tasks in the whole list."""
        return sum(self.counts.values())


def _live(team_id: str) -> sa.ColumnElement[bool]:
    return sa.and_(col(Task.team_id) == team_id, col(Task.deleted_at).is_(None))


@lru_cache(maxsize=16)
def _list_statements(mode: str, by_campaign: bool) -> tuple[Any, Any]:
    """The group counts and the page of one kind of list, built once (bind parameters for the values)."""
    due = col(Task.due_date)
    where = [
        col(Task.team_id) == sa.bindparam("team_id"),
        col(Task.deleted_at).is_(None),
        col(Task.status) == "open",
    ]
    if mode in ("mine", "user"):
        where.append(col(Task.owner_id) == sa.bindparam("owner"))
    if by_campaign:
        where.append(sa.func.lower(col(Task.campaign)) == sa.bindparam("campaign"))
    if mode == "overdue":
        where.append(due < sa.bindparam("today"))
    group = sa.case(
        (due.is_(None), "none"),
        (due < sa.bindparam("today"), "overdue"),
        (due == sa.bindparam("today"), "today"),
        (due <= sa.bindparam("end_of_week"), "week"),
        else_="later",
    )
    counts = sa.select(group, sa.func.count()).where(*where).group_by(group)
    # Dated tasks by date, then the undated ones, each part read in index order (ix_tasks_open_by_owner)
    # and cut to the page's share of it, which the counts tell: sorting the whole list to return 20 of
    # its rows read every row of it (at 1,000,000 tasks, 1,270 rows for one person's list).
    dated = (
        sa.select(*_LINE_COLUMNS)
        .where(*where, due.is_not(None))
        .order_by(due, col(Task.number))
        .offset(sa.bindparam("dated_offset"))
        .limit(sa.bindparam("dated_limit"))
        .subquery()
    )
    undated = (
        sa.select(*_LINE_COLUMNS)
        .where(*where, due.is_(None))
        .order_by(col(Task.number))
        .offset(sa.bindparam("undated_offset"))
        .limit(sa.bindparam("undated_limit"))
        .subquery()
    )
    page = sa.union_all(sa.select(*dated.c), sa.select(*undated.c))
    return counts, page


def list_page(
    session: Session, actor: Actor, query: TaskQuery, *, offset: int = 0, limit: int = 20
) -> TaskPage:
    """Open tasks by due date (undated last), then number: one page, and the size of each group.

    Two statements whatever the list's size: the group counts, and the page itself.
    """
    counts_of, page_of = _list_statements(query.mode, bool(query.campaign))
    today = actor.today
    params: dict[str, Any] = {
        "team_id": actor.team_id,
        "owner": actor.user_id if query.mode == "mine" else query.user,
        "campaign": query.campaign.lower(),
        "today": today,
        "end_of_week": today + timedelta(days=6 - today.weekday()),
    }
    counts = {name: 0 for name in GROUPS}
    for name, count in session.execute(counts_of, params).all():
        counts[str(name)] = int(count)
    dated = sum(counts.values()) - counts["none"]
    params["dated_offset"] = min(offset, dated)
    params["dated_limit"] = max(0, min(limit, dated - offset))
    params["undated_offset"] = max(0, offset - dated)
    params["undated_limit"] = limit - params["dated_limit"]
    rows = [TaskLine(*row) for row in session.execute(page_of, params)]
    # A compound's order is not promised: dated first by date, then undated, each by number.
    rows.sort(key=lambda task: (task.due_date is None, task.due_date or today, task.number))
    return TaskPage(rows, counts, offset)


def group_of(task: TaskFields, today: date) -> str:
    """The due-date group a task shows under."""
    if task.due_date is None:
        return "none"
    end_of_week = today + timedelta(days=6 - today.weekday())
    if task.due_date < today:
        return "overdue"
    if task.due_date == today:
        return "today"
    return "week" if task.due_date <= end_of_week else "later"


def campaigns(session: Session, team_id: str) -> list[str]:
    """Campaign names in use, most recent first (for the form's menu)."""
    rows = session.execute(
        sa.select(col(Task.campaign), sa.func.max(col(Task.id)))
        .where(col(Task.team_id) == team_id, col(Task.campaign) != "", col(Task.deleted_at).is_(None))
        .group_by(col(Task.campaign))
        .order_by(sa.func.max(col(Task.id)).desc())
        .limit(100)
    ).all()
    return [str(name) for name, _ in rows]


def assigned_overdue(
    session: Session, actor: Actor, *, limit: int = 20, team: bool = False
) -> tuple[list[Task], int]:
    """Open tasks this person gave to others that are past their date (for their App Home), and how many;
    with `team`, every overdue task of the others in the workspace (an ops lead's view)."""
    where = (
        _live(actor.team_id),
        col(Task.status) == "open",
        *(() if team else (col(Task.creator_id) == actor.user_id,)),
        col(Task.owner_id) != actor.user_id,
        col(Task.due_date) < actor.today,
    )
    total = int(session.execute(sa.select(sa.func.count()).select_from(Task).where(*where)).scalar_one())
    if not total:
        return [], 0
    query = select(Task).where(*where).order_by(col(Task.due_date), col(Task.number)).limit(limit)
    return list(session.exec(query)), total
