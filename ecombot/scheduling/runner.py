"""The live scheduler: APScheduler jobs derived from schedule rows, a tick, and the delivery worker."""

from __future__ import annotations

import logging
import os
import secrets
import socket
import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.interval import IntervalTrigger
from slack_sdk import WebClient
from sqlmodel import col, select

from ecombot.config import Settings
from ecombot.db import session_scope
from ecombot.runtime import Runtime
from ecombot.scheduling.delivery import ClientFor, DeliveryWorker, WorkerSettings
from ecombot.scheduling.engine import RunReport, SchedulingEngine
from ecombot.scheduling.models import Schedule
from ecombot.scheduling.rules import CronRule
from ecombot.slack.oauth import BOTS_TABLE, INSTALLATIONS_TABLE, InstallationStore
from ecombot.slack.tokens import required_cipher
from ecombot.workspaces.models import Workspace

log = logging.getLogger(__name__)


def worker_id() -> str:
    """Names this process in claims and leases (host, pid, and a nonce against pid reuse)."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


def worker_settings(settings: Settings) -> WorkerSettings:
    """The delivery worker's tuning from `[scheduler]`."""
    s = settings.scheduler
    return WorkerSettings(
        threads=s.delivery_threads,
        max_attempts=s.delivery_max_attempts,
        lease=timedelta(seconds=s.delivery_lease_seconds),
        channel_interval=s.channel_interval_seconds,
    )


CLIENT_TTL = 60.0  # seconds a workspace's installed bot token is used before it is read again


def make_client_for(settings: Settings, engine: Any) -> ClientFor:
    """The bot's WebClient for a workspace: the configured token, or the installed one under OAuth."""
    api_url = settings.slack.api_url
    if not settings.slack.oauth_enabled:
        # Retries are the worker's job: it must not sleep on a 429 while holding a pool thread.
        shared = WebClient(token=settings.slack.bot_token, base_url=api_url, timeout=15)
        return lambda team_id: shared
    store = InstallationStore(
        cipher=required_cipher(settings.slack.secret_key),
        client_id=settings.slack.client_id,
        engine=engine,
        installations_table_name=INSTALLATIONS_TABLE,
        bots_table_name=BOTS_TABLE,
    )
    clients: dict[str, tuple[WebClient, float]] = {}
    lock = threading.Lock()

    def client_for(team_id: str) -> WebClient:
        with lock:
            cached = clients.get(team_id)
            # Read again after a while: a reinstall (after an uninstall) stores a new token.
            if cached is None or time.monotonic() - cached[1] > CLIENT_TTL:
                bot = store.find_bot(enterprise_id=None, team_id=team_id)
                if bot is None:
                    clients.pop(team_id, None)
                    raise LookupError(f"no installation for workspace {team_id}")
                cached = clients[team_id] = (
                    WebClient(token=bot.bot_token, base_url=api_url, timeout=15),
                    time.monotonic(),
                )
            return cached[0]

    return client_for


class RuleTrigger(BaseTrigger):  # type: ignore[misc]
    """An APScheduler trigger from our cron rule (APScheduler 3.11's CronTrigger loops at DST fall-back)."""

    def __init__(self, rule: CronRule, timezone: str) -> None:
        self.rule = rule
        self.timezone = timezone

    def get_next_fire_time(self, previous_fire_time: datetime | None, now: datetime) -> datetime | None:
        """The first slot after the previous firing (or at/after now, the first time)."""
        after = previous_fire_time if previous_fire_time is not None else now - timedelta(microseconds=1)
        return self.rule.next_fire(after, self.timezone)

    def __str__(self) -> str:
        return f"rule[{self.rule.expr} {self.timezone}]"


class SchedulerRunner:
    """Owns the APScheduler instance and the delivery thread of one process."""

    def __init__(self, rt: Runtime, client_for: ClientFor, *, worker: str | None = None) -> None:
        self.rt = rt
        self.worker = worker or worker_id()
        self.engine = SchedulingEngine(rt.engine, rt.jobs, worker=self.worker)
        self.delivery = DeliveryWorker(
            rt.engine, rt.clock, client_for, worker=self.worker, settings=worker_settings(rt.settings)
        )
        self.scheduler = BackgroundScheduler(
            timezone=UTC, job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None}
        )
        self._synced: dict[int, tuple[str, str, datetime]] = {}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._sync_lock = threading.Lock()

    def start(self) -> RunReport:
        """Run missed slots within their grace, derive the jobs, start ticking and delivering."""
        report = self.engine.run_due(self.rt.clock.now())
        log.info(
            "scheduler %s started: caught up %s slot(s), skipped %s too old",
            self.worker,
            report.fired,
            report.skipped,
        )
        self.sync()
        self.scheduler.add_job(
            self.tick,
            IntervalTrigger(seconds=self.rt.settings.scheduler.tick_seconds),
            id="scheduling.tick",
            replace_existing=True,
        )
        self.scheduler.start()
        self._thread = threading.Thread(
            target=self.delivery.run_forever, args=(self._stop,), name="delivery", daemon=True
        )
        self._thread.start()
        return report

    def stop(self) -> None:
        """Stop scheduling, let in-flight sends finish."""
        if self.scheduler.running:
            self.scheduler.shutdown(wait=True)
        self._stop.set()
        self.delivery.wake.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
        self.delivery.close()

    def tick(self) -> None:
        """Per-person work, a safety net for schedules, and changes made by other processes."""
        self.engine.run_due(self.rt.clock.now())
        self.sync()
        self.delivery.wake.set()

    def sync(self) -> None:
        """Make the APScheduler jobs match the enabled schedule rows (added, changed, removed)."""
        with self._sync_lock, session_scope(self.rt.engine) as session:
            # Schedules of workspaces that uninstalled the app get no job (a reinstall brings it back).
            query = (
                select(Schedule)
                .join(Workspace, col(Workspace.team_id) == col(Schedule.team_id))
                .where(col(Schedule.enabled).is_(True), col(Workspace.uninstalled_at).is_(None))
            )
            rows = list(session.exec(query))
            wanted = {row.id: (row.rule, row.timezone, row.updated_at) for row in rows if row.id is not None}
        for schedule_id in set(self._synced) - set(wanted):
            job = self.scheduler.get_job(f"schedule:{schedule_id}")
            if job is not None:
                job.remove()
            del self._synced[schedule_id]
        for schedule_id, (rule, timezone, updated_at) in wanted.items():
            if self._synced.get(schedule_id) == (rule, timezone, updated_at):
                continue
            self.scheduler.add_job(
                self._fire,
                RuleTrigger(CronRule.parse(rule), timezone),
                args=[schedule_id],
                id=f"schedule:{schedule_id}",
                replace_existing=True,
            )
            self._synced[schedule_id] = (rule, timezone, updated_at)

    def _fire(self, schedule_id: int) -> None:
        self.engine.run_schedule(schedule_id, self.rt.clock.now())
        self.delivery.wake.set()
