"""`ecombot jobs list | run-due --at | failed | retry ID`: the operator's view of the engine."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from zoneinfo import ZoneInfo

from ecombot.app import build_runtime
from ecombot.clock import OffsetClock
from ecombot.config import ConfigError, Settings
from ecombot.db import session_scope
from ecombot.errors import DomainError
from ecombot.scheduling import service
from ecombot.scheduling.delivery import DeliveryWorker
from ecombot.scheduling.engine import SchedulingEngine
from ecombot.scheduling.models import Delivery
from ecombot.scheduling.runner import make_client_for, worker_id, worker_settings


def jobs_command(args: argparse.Namespace, settings: Settings) -> int:
    """Dispatch one `ecombot jobs` action."""
    if args.jobs_command == "list":
        return _list(settings)
    if args.jobs_command == "run-due":
        return _run_due(settings, args.at, args.timeout)
    if args.jobs_command == "failed":
        return _failed(settings)
    return _retry(settings, args.id)


def _local(value: datetime | None, tz: str) -> str:
    return value.astimezone(ZoneInfo(tz)).strftime("%Y-%m-%d %H:%M %Z") if value else "-"


def _list(settings: Settings) -> int:
    rt = build_runtime(settings)
    with session_scope(rt.engine) as session:
        schedules = service.list_schedules(session)
        uninstalled = service.uninstalled_teams(session)
    if not schedules:
        print("No schedules yet.")
        return 0
    print(
        f"{'id':>4}  {'team':<12} {'kind':<28} {'target':<12} {'rule':<18} {'next firing (local)':<26} last fired"
    )
    for s in schedules:
        state = " (uninstalled)" if s.team_id in uninstalled else "" if s.enabled else " (disabled)"
        print(
            f"{s.id:>4}  {s.team_id:<12} {s.kind:<28} {s.target or '-':<12} {s.rule:<18} "
            f"{_local(s.next_fire_at, s.timezone) + state:<26} {_local(s.last_fired_at, s.timezone)}"
        )
    return 0


def _run_due(settings: Settings, at_text: str, timeout: float) -> int:
    try:
        at = datetime.fromisoformat(at_text)
    except ValueError:
        raise ConfigError(
            "--at", f"not an ISO 8601 instant: {at_text!r} (e.g. 2026-11-27T09:00:00+08:00)"
        ) from None
    if at.tzinfo is None:
        raise ConfigError("--at", "needs a UTC offset, e.g. 2026-11-27T09:00:00+08:00")
    # Time runs on from --at, so retries and Retry-After waits behave as they would live.
    rt = build_runtime(settings, clock=OffsetClock(at))
    worker = worker_id()
    report = SchedulingEngine(rt.engine, rt.jobs, worker=worker).run_due(at)
    delivery = DeliveryWorker(
        rt.engine,
        rt.clock,
        make_client_for(settings, rt.engine),
        worker=worker,
        settings=worker_settings(settings),
    )
    try:
        drained = delivery.drain(timeout=timeout)
    finally:
        delivery.close()
    parked = f", {report.parked} of uninstalled workspaces not run" if report.parked else ""
    print(
        f"at {at.isoformat()}: fired {report.fired} slot(s), {report.lost} already claimed, "
        f"skipped {report.skipped} past their grace{parked}, enqueued {report.enqueued} message(s)"
    )
    print(
        f"deliveries: {drained.sent} sent, {drained.failed} failed, {drained.pending} pending "
        f"({drained.seconds:.1f}s)"
    )
    for error in report.errors:
        print(f"error: {error}", file=sys.stderr)
    return 1 if report.errors else 0


def _failed(settings: Settings) -> int:
    rt = build_runtime(settings)
    with session_scope(rt.engine) as session:
        failed = service.deliveries_by_status(session, "failed", limit=500)
        parked = service.deliveries_by_status(session, service.PARKED, limit=500)
    if not failed:
        print("No failed deliveries.")
    else:
        _print_deliveries(failed)
    if parked:
        teams = ", ".join(sorted({d.team_id for d in parked}))
        print(
            f"\nParked: {len(parked)} delivery(ies) of workspaces that uninstalled the app ({teams}), "
            "kept and not sent. A reinstall queues the last day's again; `jobs retry ID` queues one."
        )
        _print_deliveries(parked)
    return 0


def _print_deliveries(deliveries: list[Delivery]) -> None:
    print(f"{'id':>6}  {'team':<12} {'target':<12} {'attempts':>8}  {'key':<40} last error")
    for d in deliveries:
        print(
            f"{d.id:>6}  {d.team_id:<12} {d.target:<12} {d.attempts:>8}  {d.idempotency_key[:40]:<40} {d.last_error}"
        )


def _retry(settings: Settings, delivery_id: int) -> int:
    rt = build_runtime(settings)
    try:
        with session_scope(rt.engine) as session:
            delivery = service.retry_delivery(session, delivery_id, now=rt.clock.now())
            key = delivery.idempotency_key
    except DomainError as exc:
        print(f"ecombot: cannot retry delivery {delivery_id}: {exc.code} {exc.params}", file=sys.stderr)
        return 2
    print(f"delivery {delivery_id} ({key}) is queued again; a running scheduler sends it within seconds")
    return 0
