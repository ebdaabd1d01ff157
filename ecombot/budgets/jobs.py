"""Budget alerts, found by the scheduler's tick and claimed once:

- thresholds: when a line's spend reaches a threshold (≥) it fires once per line and period; a
  correction that brings spend back under re-arms it, so it fires again only if crossed again;
- pacing: once a day, after the day closes in the workspace's zone, an overspend or underspend
  alert per line at most.

Each goes to the line's channel (or the workspace's alert channel) and by DM to its owner."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlmodel import Session, col, select

from ecombot.budgets import service, views
from ecombot.budgets.models import BudgetAlert, BudgetCategory, BudgetLine, BudgetSettings, BudgetSpend
from ecombot.budgets.service import LineStatus
from ecombot.campaigns import spending
from ecombot.clock import zone as zone_of
from ecombot.scheduling.service import Firing, Outgoing, claimed
from ecombot.workspaces import service as workspaces

if TYPE_CHECKING:
    from ecombot.workspaces.models import Workspace

LATE_DAYS = 7  # results logged up to a week after a period ends still count against its line
# The day's pacing is checked from this hour of the next day (workspace time): yesterday's results are
# usually logged or imported in the morning; checking at midnight would see them as unspent.
PACING_HOUR = 10


def _targets(
    session: Session, line: BudgetLine, settings: BudgetSettings, language: str, now: datetime
) -> list[tuple[str, str]]:
    """(where, language): the line's alert channel in the workspace's language, its owner by DM in theirs."""
    targets: list[tuple[str, str]] = []
    channel = service.alert_channel(line, settings)
    if channel:
        targets.append((channel, language))
    if line.owner_id:
        owner = workspaces.caller_of(session, line.team_id, line.owner_id, now)
        targets.append((line.owner_id, owner.locale if owner is not None else language))
    return targets


def _active_lines(session: Session, now: datetime) -> dict[str, list[BudgetLine]]:
    """Lines that may still change, by workspace: running, or ended less than a week ago."""
    floor = (now - timedelta(days=LATE_DAYS + 1)).date()
    ceiling = (now + timedelta(days=1)).date()
    rows = session.exec(
        select(BudgetLine)
        .where(col(BudgetLine.end) >= floor, col(BudgetLine.start) <= ceiling)
        .order_by(col(BudgetLine.id))
    )
    out: dict[str, list[BudgetLine]] = {}
    for line in rows:
        out.setdefault(line.team_id, []).append(line)
    return out


@dataclass
class _Known:
    """What the alert ticks need of every workspace with lines, read in a few queries for all of them
    rather than a few for each (the threshold tick runs every pass)."""

    workspaces: dict[str, Workspace]
    settings: dict[str, BudgetSettings]
    categories: dict[str, list[BudgetCategory]]
    by_hand: dict[str, dict[tuple[date, date], dict[str, Decimal]]]

    @classmethod
    def read(cls, session: Session, lines: dict[str, list[BudgetLine]]) -> _Known:
        teams = sorted(lines)
        spans: dict[tuple[date, date], list[str]] = {}
        for team, own in lines.items():
            for span in {(line.start, line.end) for line in own}:
                spans.setdefault(span, []).append(team)
        by_hand: dict[str, dict[tuple[date, date], dict[str, Decimal]]] = {team: {} for team in teams}
        for (start, end), members in spans.items():
            for team, spent in service.manual_by_category_of(session, members, start, end).items():
                by_hand[team][(start, end)] = spent
        return cls(
            workspaces=workspaces.get_workspaces(session, teams),
            settings=service.settings_for(session, teams),
            categories=service.categories_of(session, teams),
            by_hand=by_hand,
        )

    def workspace(self, session: Session, team_id: str) -> Workspace:
        return self.workspaces.get(team_id) or workspaces.get_workspace(session, team_id)


def _alert_states(session: Session, line_ids: list[int]) -> dict[int, dict[int, BudgetAlert]]:
    """Each line's threshold states, for all of them in a query or a few."""
    states: dict[int, dict[int, BudgetAlert]] = {}
    for start in range(0, len(line_ids), 1000):
        query = select(BudgetAlert).where(col(BudgetAlert.line_id).in_(line_ids[start : start + 1000]))
        for alert in session.exec(query):
            states.setdefault(alert.line_id, {})[alert.threshold] = alert
    return states


SpenderKey = tuple[str, date, date, datetime | None]


class _Spend:
    """What was spent over a period since an instant, read once per workspace, period and instant:
    lines of one period usually share both (a month's lines, none alerted yet)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.events: dict[SpenderKey, list[spending.SpendEvent]] = {}
        self.by_hand: dict[SpenderKey, list[BudgetSpend]] = {}

    def spenders(self, status: LineStatus, since: datetime | None) -> list[tuple[str, str, Decimal]]:
        """Who spent what on the line since `since`: (user, what, amount), largest first."""
        line, names = status.line, service.names_of(status.category)
        key: SpenderKey = (line.team_id, line.start, line.end, since)
        if key not in self.events:
            self.events[key] = spending.spend_events(
                self.session, line.team_id, line.start, line.end, since, limit=500
            )
            manual = select(BudgetSpend).where(
                BudgetSpend.team_id == line.team_id,
                col(BudgetSpend.day) >= line.start,
                col(BudgetSpend.day) <= line.end,
            )
            if since is not None:
                manual = manual.where(col(BudgetSpend.created_at) > since)
            self.by_hand[key] = list(self.session.exec(manual))
        found = [(e.user_id, e.campaign, e.spend) for e in self.events[key] if e.category in names]
        found += [(s.user_id, s.note, s.amount) for s in self.by_hand[key] if s.category == line.category]
        # One line per person and campaign (or note): a week of daily results reads as one figure.
        summed: dict[tuple[str, str], Decimal] = {}
        for user, what, amount in found:
            summed[(user, what)] = summed.get((user, what), Decimal(0)) + amount
        return sorted(((u, w, a) for (u, w), a in summed.items() if a), key=lambda f: -f[2])[:8]


def check_thresholds(session: Session, now: datetime) -> list[Firing]:
    """Fire each threshold a line's spend has reached; re-arm those it has fallen back under."""
    firings: list[Firing] = []
    spend = _Spend(session)
    active = _active_lines(session, now)
    known = _Known.read(session, active)
    states = _alert_states(
        session,
        [line.id for lines in active.values() for line in lines if line.id is not None and line.amount > 0],
    )
    for team_id, lines in active.items():
        workspace = known.workspace(session, team_id)
        today = now.astimezone(zone_of(workspace.timezone)).date()
        running = [line for line in lines if line.amount > 0]
        statuses = service.statuses_of(
            session, team_id, running, today, known.categories[team_id], known.by_hand[team_id]
        )
        for status in statuses:
            assert status.line.id is not None
            firings += _line_thresholds(
                session,
                spend,
                status,
                states.get(status.line.id, {}),
                known.settings[team_id],
                workspace.language,
                now,
            )
    return firings


def _line_thresholds(
    session: Session,
    spend: _Spend,
    status: LineStatus,
    states: dict[int, BudgetAlert],
    settings: BudgetSettings,
    language: str,
    now: datetime,
) -> list[Firing]:
    line = status.line
    assert line.id is not None
    spent = status.pace.spent
    reached = [t for t in sorted(settings.thresholds) if spent >= line.amount * t / 100]
    for threshold, state in states.items():
        if state.fired and threshold not in reached:
            state.fired = False  # a correction brought spend back under: armed again
            session.add(state)
    to_fire = [t for t in reached if not (states.get(t) and states[t].fired)]
    if not to_fire:
        return []
    # One message for the highest threshold newly reached (crossing 50 and 80 at once says 80).
    highest = max(to_fire)
    since = max((s.fired_at for s in states.values() if s.fired_at is not None), default=None)
    spenders = spend.spenders(status, since)
    firings: list[Firing] = []
    for threshold in to_fire:
        state = states.get(threshold) or BudgetAlert(
            team_id=line.team_id, line_id=line.id, threshold=threshold
        )
        state.fired, state.generation = True, state.generation + 1
        state.spent_then, state.fired_at = spent, now
        session.add(state)
        if threshold != highest:
            continue
        key = f"budgets.threshold:{line.id}:{threshold}:{state.generation}"
        slot = datetime.combine(line.start, time(0), tzinfo=UTC)
        outgoing = [
            Outgoing(
                target, dict(views.threshold_alert(status, threshold, spenders, locale)), f"{key}:{target}"
            )
            for target, locale in _targets(session, line, settings, language, now)
        ]
        firings.append(Firing(key, slot, line.team_id, outgoing))
    return firings


def check_pacing(session: Session, now: datetime) -> list[Firing]:
    """Once a day per line, for the day that just closed in the workspace's zone: overspend or
    underspend coming, with the projection and the daily amount that lands on budget."""
    firings: list[Firing] = []
    active = _active_lines(session, now)
    teams = workspaces.get_workspaces(session, active)
    # (slot, the day checked, the lines to check, their claim keys) of each workspace past its 10:00
    due: dict[str, tuple[datetime, date, list[BudgetLine], dict[int | None, str]]] = {}
    for team_id, lines in active.items():
        workspace = teams.get(team_id) or workspaces.get_workspace(session, team_id)
        zone = zone_of(workspace.timezone)
        local = now.astimezone(zone)
        if local.hour < PACING_HOUR:
            continue  # yesterday's results are logged and imported in the morning
        closed = local.date() - timedelta(days=1)
        slot = datetime.combine(local.date(), time(0), tzinfo=zone)
        running = [line for line in lines if line.start <= closed <= line.end and line.amount > 0]
        keys = {line.id: f"budgets.pacing:{line.id}:{closed.isoformat()}" for line in running}
        due[team_id] = (slot, closed, running, keys)
    # The day's check is claimed once per line: for the rest of the day, one query per slot finds
    # every line checked already, across workspaces.
    by_slot: dict[datetime, list[str]] = {}
    for slot, _, _, keys in due.values():
        by_slot.setdefault(slot.astimezone(UTC), []).extend(keys.values())
    done: set[str] = set()
    for slot_utc, keys_of_slot in by_slot.items():
        for start in range(0, len(keys_of_slot), 1000):
            done |= claimed(session, keys_of_slot[start : start + 1000], slot_utc)
    todo = {
        team: [line for line in running if keys[line.id] not in done]
        for team, (_, _, running, keys) in due.items()
    }
    todo = {team: lines for team, lines in todo.items() if lines}
    if not todo:
        return firings
    known = _Known.read(session, todo)
    for team_id, lines in todo.items():
        workspace = known.workspace(session, team_id)
        slot, closed, _, keys = due[team_id]
        today = closed + timedelta(days=1)
        settings = known.settings[team_id]
        statuses = service.statuses_of(
            session, team_id, lines, today, known.categories[team_id], known.by_hand[team_id]
        )
        for status in statuses:
            pace, line = status.pace, status.line
            key = keys[line.id]
            outgoing: list[Outgoing] = []
            # A reserve pool is meant to stay unspent: only overspending it is news.
            if pace.overspending or (pace.underspending and not status.category.reserve):
                outgoing = [
                    Outgoing(target, dict(views.pacing_alert(status, closed, locale)), f"{key}:{target}")
                    for target, locale in _targets(session, line, settings, workspace.language, now)
                ]
            # Claimed even when all is well: the day is checked once, on the spend known after it closed.
            firings.append(Firing(key, slot, team_id, outgoing))
    return firings
