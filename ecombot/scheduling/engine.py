"""Runs what is due: each schedule's slots and each per-person tick, claimed exactly once."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.engine import Engine

from ecombot.db import session_scope
from ecombot.scheduling import service
from ecombot.scheduling.models import Schedule
from ecombot.scheduling.rules import CronRule

log = logging.getLogger(__name__)


@dataclass
class RunReport:
    """What one pass found and did."""

    fired: int = 0  # slots this process won
    lost: int = 0  # slots another process had already claimed
    skipped: int = 0  # missed slots older than their grace period
    enqueued: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, other: RunReport) -> None:
        """Fold another report into this one."""
        self.fired += other.fired
        self.lost += other.lost
        self.skipped += other.skipped
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
            due = service.due_schedule_ids(session, now)
        for schedule_id in due:
            report.add(self.run_schedule(schedule_id, now))
        for name in self.registry.ticks:
            report.add(self.run_tick(name, now))
        return report

    def run_schedule(self, schedule_id: int, now: datetime) -> RunReport:
        """Run each slot of one schedule from its next firing up to `now`, within its grace."""
        report = RunReport()
        with session_scope(self.engine) as session:
            schedule = session.get(Schedule, schedule_id)
            if schedule is None or not schedule.enabled or schedule.next_fire_at is None:
                return report
            if schedule.next_fire_at > now:
                return report
            session.expunge(schedule)
        rule = CronRule.parse(schedule.rule)
        first = schedule.next_fire_at
        assert first is not None
        slots = [first, *rule.fires_between(first, now, schedule.timezone)]
        grace = service.grace_for(schedule, self.registry)
        for slot in slots:
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
                continue
            report.add(self._run_slot(schedule, slot, now))
        with session_scope(self.engine) as session:
            row = session.get(Schedule, schedule_id)
            if row is not None and row.next_fire_at == schedule.next_fire_at:
                row.last_fired_at = slots[-1]
                row.next_fire_at = rule.next_fire(now, row.timezone)
                session.add(row)
        return report

    def _run_slot(self, schedule: Schedule, slot: datetime, now: datetime) -> RunReport:
        report = RunReport()
        kind = self.registry.kinds.get(schedule.kind)
        if kind is None:
            report.errors.append(f"schedule {schedule.id}: no job registered for kind {schedule.kind!r}")
            log.error("schedule %s has unknown kind %r; nothing posted", schedule.id, schedule.kind)
            return report
        try:
            with session_scope(self.engine) as session:
                messages = kind.func(session, schedule, slot, now)
                firing = service.Firing(service.schedule_job_key(schedule), slot, schedule.team_id, messages)
                added = service.fire(session, firing, worker=self.worker, now=now)
        except Exception as exc:
            # The claim rolled back with the failed job: the next pass tries this slot again.
            log.exception("schedule %s (%s) slot %s failed", schedule.id, schedule.kind, slot.isoformat())
            report.errors.append(f"schedule {schedule.id} slot {slot.isoformat()}: {exc}")
            return report
        if added is None:
            report.lost += 1
        else:
            report.fired += 1
            report.enqueued += added
        return report

    def run_tick(self, name: str, now: datetime) -> RunReport:
        """Find per-person work due at `now` and fire each item once."""
        report = RunReport()
        tick = self.registry.ticks[name]
        try:
            with session_scope(self.engine) as session:
                firings = tick(session, now)
        except Exception as exc:
            log.exception("tick %s failed", name)
            report.errors.append(f"tick {name}: {exc}")
            return report
        for firing in firings:
            try:
                with session_scope(self.engine) as session:
                    added = service.fire(session, firing, worker=self.worker, now=now)
            except Exception as exc:
                log.exception("tick %s: firing %s failed", name, firing.job_key)
                report.errors.append(f"tick {name} {firing.job_key}: {exc}")
                continue
            if added is None:
                report.lost += 1
            else:
                report.fired += 1
                report.enqueued += added
        return report
