"""Budget alerts, found by the scheduler's tick and claimed once:

- thresholds: when a line's spend reaches a threshold (≥) it fires once per line and period; a
  correction that brings spend back under re-arms it, so it fires again only if crossed again;
- pacing: once a day, after the day closes in the workspace's zone, an overspend or underspend
  alert per line at most.

Each goes to the line's channel (or the workspace's alert channel) and by DM to its owner."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from ecombot.budgets import service, views
from ecombot.budgets.models import BudgetAlert, BudgetLine, BudgetSettings, BudgetSpend
from ecombot.budgets.service import LineStatus
from ecombot.campaigns import spending
from ecombot.scheduling.service import Firing, Outgoing, claimed
from ecombot.workspaces import service as workspaces

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
    for team_id, lines in _active_lines(session, now).items():
        workspace = workspaces.get_workspace(session, team_id)
        settings = service.settings_of(session, team_id)
        today = now.astimezone(ZoneInfo(workspace.timezone)).date()
        running = [line for line in lines if line.amount > 0]
        ids = [line.id for line in running if line.id is not None]
        states: dict[int, dict[int, BudgetAlert]] = {}
        for alert in session.exec(select(BudgetAlert).where(col(BudgetAlert.line_id).in_(ids))):
            states.setdefault(alert.line_id, {})[alert.threshold] = alert
        for status in service.statuses_of(session, team_id, running, today):
            assert status.line.id is not None
            firings += _line_thresholds(
                session,
                spend,
                status,
                states.get(status.line.id, {}),
                settings,
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
    for team_id, lines in _active_lines(session, now).items():
        workspace = workspaces.get_workspace(session, team_id)
        zone = ZoneInfo(workspace.timezone)
        local = now.astimezone(zone)
        if local.hour < PACING_HOUR:
            continue  # yesterday's results are logged and imported in the morning
        today = local.date()
        closed = today - timedelta(days=1)
        slot = datetime.combine(today, time(0), tzinfo=zone)
        running = [line for line in lines if line.start <= closed <= line.end and line.amount > 0]
        keys = {line.id: f"budgets.pacing:{line.id}:{closed.isoformat()}" for line in running}
        done = claimed(session, list(keys.values()), slot)
        todo = [line for line in running if keys[line.id] not in done]
        if not todo:
            continue
        settings = service.settings_of(session, team_id)
        for status in service.statuses_of(session, team_id, todo, today):
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
