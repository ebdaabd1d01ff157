"""Action items across retros: the open ones (someone's or everyone's), what a prompt follows up, and
how past retros' action items went. No Slack here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from ecombot.actor import Actor
from ecombot.clock import zone
from ecombot.retros.models import Retro, RetroEntry
from ecombot.tasks import service as tasks
from ecombot.tasks.models import Task


@dataclass(frozen=True)
class ActionItem:
    """An action item, the retro it came from, and its task (None until the retro closes)."""

    entry: RetroEntry
    retro: Retro
    task: Task | None
    tz: str = "UTC"  # the workspace's: a task is on time when done by its due date there

    def status(self, today: date) -> str:
        """open | overdue | done | late (done after its date) | pending (retro still open)."""
        task = self.task
        if task is None:
            return "pending"
        if task.status == "done":
            done_day = task.done_at.astimezone(zone(self.tz)).date() if task.done_at is not None else today
            return "late" if task.due_date is not None and done_day > task.due_date else "done"
        return "overdue" if task.due_date is not None and task.due_date < today else "open"


def _items(
    session: Session, team_id: str, rows: Sequence[tuple[RetroEntry, Retro]], tz: str
) -> list[ActionItem]:
    found = tasks.tasks_by_ids(session, team_id, [e.task_id for e, _ in rows if e.task_id is not None])
    return [
        ActionItem(entry, retro, found.get(entry.task_id) if entry.task_id is not None else None, tz)
        for entry, retro in rows
        # A task deleted since is no longer an action to follow up.
        if entry.task_id is None or entry.task_id in found
    ]


def _visible(retro: Retro, channel: str) -> bool:
    return not retro.private or retro.channel_id == channel


def action_items(
    session: Session, actor: Actor, *, owner: str = "", channel: str = "", limit: int = 500, tz: str = "UTC"
) -> list[ActionItem]:
    """Open action items of closed retros (someone's, or everyone's), overdue first, then by date; a
    private channel's only in that channel."""
    query = (
        select(RetroEntry, Retro)
        .join(Retro, col(Retro.id) == col(RetroEntry.retro_id))
        .where(RetroEntry.team_id == actor.team_id, RetroEntry.kind == "action")
        .where(col(RetroEntry.task_id).is_not(None))
    )
    if owner:
        query = query.where(RetroEntry.owner_id == owner)
    # Someone's own action items are theirs to see anywhere (they are their tasks too).
    mine = owner == actor.user_id
    rows = [
        (e, r)
        for e, r in session.exec(query.order_by(col(RetroEntry.id).desc()).limit(limit))
        if mine or _visible(r, channel)
    ]
    items = [
        i for i in _items(session, actor.team_id, rows, tz) if i.task is not None and i.task.status == "open"
    ]
    return sorted(items, key=lambda i: (i.task.due_date or date.max, i.entry.id or 0))  # type: ignore[union-attr]


def follow_up(session: Session, retro: Retro, today: date, tz: str = "UTC") -> list[ActionItem]:
    """What the prompt opens with: the channel's earlier action items still open (overdue first), then
    those done since the previous retro opened."""
    earlier = list(
        session.exec(
            select(Retro)
            .where(Retro.team_id == retro.team_id, Retro.channel_id == retro.channel_id)
            .where(col(Retro.id) != retro.id, col(Retro.closed_at).is_not(None))
            .where(col(Retro.opened_at) < retro.opened_at)
            .order_by(col(Retro.opened_at).desc())
            .limit(26)
        )
    )
    if not earlier:
        return []
    by_id = {r.id: r for r in earlier}
    rows = [
        (entry, by_id[entry.retro_id])
        for entry in session.exec(
            select(RetroEntry).where(
                col(RetroEntry.retro_id).in_(list(by_id)),
                RetroEntry.kind == "action",
                col(RetroEntry.task_id).is_not(None),
            )
        )
    ]
    since = earlier[0].opened_at
    items = []
    for item in _items(session, retro.team_id, rows, tz):
        task = item.task
        assert task is not None
        if task.status == "open" or (task.done_at is not None and task.done_at >= since):
            items.append(item)
    rank = {"overdue": 0, "open": 1, "late": 2, "done": 3}
    return sorted(
        items,
        key=lambda i: (rank.get(i.status(today), 4), i.task.due_date or date.max, i.entry.id or 0),  # type: ignore[union-attr]
    )


@dataclass(frozen=True)
class Past:
    """A closed retro with how its action items went: how many, and how many done on time."""

    retro: Retro
    actions: int
    on_time: int
    done: int


def history(session: Session, actor: Actor, channel: str, count: int, tz: str = "UTC") -> list[Past]:
    """The channel's last `count` closed retros (the workspace's, outside a channel), newest first."""
    query = select(Retro).where(Retro.team_id == actor.team_id, col(Retro.closed_at).is_not(None))
    if channel:
        query = query.where(Retro.channel_id == channel)
    retros = [
        r
        for r in session.exec(query.order_by(col(Retro.closed_at).desc()).limit(count))
        if _visible(r, channel)
    ]
    if not retros:
        return []
    rows = [
        (entry, next(r for r in retros if r.id == entry.retro_id))
        for entry in session.exec(
            select(RetroEntry).where(
                col(RetroEntry.retro_id).in_([r.id for r in retros]), RetroEntry.kind == "action"
            )
        )
    ]
    items = _items(session, actor.team_id, rows, tz)
    out = []
    for retro in retros:
        mine = [i for i in items if i.retro.id == retro.id]
        states = [i.status(actor.today) for i in mine]
        out.append(Past(retro, len(mine), states.count("done"), states.count("done") + states.count("late")))
    return out


def owned_due_between(
    session: Session, team_id: str, owner: str, first: date, last: date, tz: str = "UTC"
) -> list[ActionItem]:
    """Someone's action items whose task was due between two days (for scorecards)."""
    rows = [
        (entry, retro)
        for entry, retro in session.exec(
            select(RetroEntry, Retro)
            .join(Retro, col(Retro.id) == col(RetroEntry.retro_id))
            .where(RetroEntry.team_id == team_id, RetroEntry.kind == "action", RetroEntry.owner_id == owner)
            .where(col(RetroEntry.task_id).is_not(None))
        )
    ]
    items = _items(session, team_id, rows, tz)
    return [
        i
        for i in items
        if i.task is not None and i.task.due_date is not None and first <= i.task.due_date <= last
    ]
