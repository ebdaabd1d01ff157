"""Runs what is due: each schedule's slots and each per-person tick, claimed exactly once."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from ecombot import metrics
from ecombot.db import session_scope
from ecombot.scheduling import service
from ecombot.scheduling.models import Schedule
from ecombot.scheduling.rules import CronRule
from ecombot.workspaces.models import Workspace

log = logging.getLogger(__name__)

# Schedules run per transaction: large enough to make 5,000 slots cheap, small enough to commit often.
BATCH = 200


@dataclass
class RunReport:
    """What one pass found and did."""

    fired: int = 0  # slots this process won
    lost: int = 0  # slots another process had already claimed
    skipped: int = 0  # missed slots older than their grace period
    parked: int = 0  # slots and tick firings not run: their workspace uninstalled the app
    enqueued: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, other: RunReport) -> None:
        """Fold another report into this one."""
        self.fired += other.fired
        self.lost += other.lost
        self.skipped += other.skipped
        self.parked += other.parked
        self.enqueued += other.enqueued
        self.errors.extend(other.errors)


class SchedulingEngine:
    """Claims due slots and writes their messages to the outbox; the delivery worker sends them."""

    def __init__(self, engine: Engine, registry: service.JobRegistry, *, worker: str) -> None:
        self.engine = engine
        self.registry = registry
        self.worker = worker

    def run_due(self, now: datetime) -> RunReport:
        """Every schedule due at `now`, then every tick: what the live scheduler does each pass."""
        report = RunReport()
        with session_scope(self.engine) as session:
            due = sorted(service.due_schedule_ids(session, now))
        # A batch shares one transaction and one multi-row claim; ascending ids so that racing
        # processes take the claim locks in the same order on PostgreSQL.
        for start in range(0, len(due), BATCH):
            with session_scope(self.engine) as session:
                report.add(self._run_schedules(session, due[start : start + BATCH], now))
        for name in self.registry.ticks:
            report.add(self.run_tick(name, now))
        metrics.count_report(report)
        return report

    def run_schedule(self, schedule_id: int, now: datetime) -> RunReport:
        """Run each slot of one schedule from its next firing up to `now`, within its grace."""
        with session_scope(self.engine) as session:
            return self._run_schedules(session, [schedule_id], now)

    def _run_schedules(self, session: Session, ids: list[int], now: datetime) -> RunReport:
        report = RunReport()
        # Whether its workspace uninstalled the app comes with each row, in the same statement.
        query = (
            select(Schedule, Workspace.uninstalled_at)
            .join(Workspace, col(Workspace.team_id) == col(Schedule.team_id))
            .where(col(Schedule.id).in_(ids))
            .order_by(col(Schedule.id))
        )
        schedules: list[Schedule] = []
        parked: set[int] = set()
        for s, uninstalled_at in session.exec(query):
            if s.enabled and s.next_fire_at is not None and s.next_fire_at <= now:
                schedules.append(s)
                if uninstalled_at is not None:
                    assert s.id is not None
                    parked.add(s.id)
        plan: list[tuple[Schedule, datetime]] = []
        for schedule in schedules:
            if schedule.id in parked:
                # Not run: it moves on to its next slot, and a reinstall resumes it there.
                report.parked += 1
                continue
            if schedule.kind not in self.registry.kinds:
                report.errors.append(f"schedule {schedule.id}: no job registered for kind {schedule.kind!r}")
                log.error("schedule %s has unknown kind %r; nothing posted", schedule.id, schedule.kind)
                continue
            plan.extend((schedule, slot) for slot in self._slots(schedule, now, report))
        won = service.claim_many(
            session,
            [(service.schedule_job_key(s), slot, s.team_id) for s, slot in plan],
            worker=self.worker,
            now=now,
        )
        outgoing: list[tuple[str, service.Outgoing]] = []
        owed: dict[int, datetime] = {}
        for schedule, slot in plan:
            key = service.schedule_job_key(schedule)
            if (key, slot) not in won:
                report.lost += 1
                continue
            kind = self.registry.kinds[schedule.kind]
            try:
                # Only the winner runs the job; a failure undoes its own writes and gives the claim back.
                if kind.pure:
                    messages = kind.func(session, schedule, slot, now)
                else:
                    with session.begin_nested():
                        messages = kind.func(session, schedule, slot, now)
            except Exception as exc:
                log.exception("schedule %s (%s) slot %s failed", schedule.id, schedule.kind, slot.isoformat())
                report.errors.append(f"schedule {schedule.id} slot {slot.isoformat()}: {exc}")
                service.release_claim(session, job_key=key, slot=slot)
                assert schedule.id is not None
                owed.setdefault(schedule.id, slot)
                continue
            report.fired += 1
            outgoing.extend((schedule.team_id, m) for m in messages)
        report.enqueued += service.enqueue_many(session, outgoing, now=now)
        for schedule in schedules:
            if schedule.kind not in self.registry.kinds:
                continue
            assert schedule.id is not None
            rule = CronRule.parse(schedule.rule)
            # A slot whose job failed stays owed: the next pass tries it again until its grace runs out.
            if schedule.id in owed:
                schedule.next_fire_at = owed[schedule.id]
            else:
                schedule.last_fired_at = max((slot for s, slot in plan if s is schedule), default=None) or (
                    schedule.last_fired_at
                )
                schedule.next_fire_at = rule.next_fire(now, schedule.timezone)
            session.add(schedule)
        return report

    def _slots(self, schedule: Schedule, now: datetime, report: RunReport) -> list[datetime]:
        """The slots of a due schedule up to `now` that are still within its grace (the rest logged)."""
        first = schedule.next_fire_at
        assert first is not None
        rule = CronRule.parse(schedule.rule)
        grace = service.grace_for(schedule, self.registry)
        slots = []
        for slot in [first, *rule.fires_between(first, now, schedule.timezone)]:
            if now - slot > grace:
                report.skipped += 1
                log.warning(
                    "skipped missed slot %s of schedule %s (%s): %s late, grace %s",
                    slot.isoformat(),
                    schedule.id,
                    schedule.kind,
                    now - slot,
                    grace,
                )
            else:
                slots.append(slot)
        return slots

    def run_tick(self, name: str, now: datetime) -> RunReport:
        """Find per-person work due at `now` and fire each item once (finders must not write)."""
        report = RunReport()
        tick = self.registry.ticks[name]
        try:
            with session_scope(self.engine) as session:
                firings = tick(session, now)
                if firings:
                    firings = self._leave_out_uninstalled(session, firings, now, report)
                won, lost, added = service.fire_many(session, firings, worker=self.worker, now=now)
        except Exception as exc:
            log.exception("tick %s failed", name)
            report.errors.append(f"tick {name}: {exc}")
            return report
        report.fired += won
        report.lost += lost
        report.enqueued += added
        return report

    def _leave_out_uninstalled(
        self, session: Session, firings: list[service.Firing], now: datetime, report: RunReport
    ) -> list[service.Firing]:
        """The firings of workspaces that have the app. One query for every workspace (the uninstalled
        ones are few, and a partial index holds them). The others are claimed without their messages:
        their slot has passed, as a schedule's does, so the next passes of the window do not find and
        build the same work again."""
        uninstalled = service.uninstalled_teams(session)
        if not uninstalled:
            return firings
        parked = [f for f in firings if f.team_id in uninstalled]
        if parked:
            service.claim_many(
                session, [(f.job_key, f.slot, f.team_id) for f in parked], worker=self.worker, now=now
            )
            report.parked += len(parked)
        return [f for f in firings if f.team_id not in uninstalled]
