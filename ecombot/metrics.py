"""`/metrics`: Prometheus text format (prometheus-client), served by `ecombot serve`.

What is counted, and where:
- `ecombot_requests_total{kind, command, outcome}` and `ecombot_ack_seconds{kind, command}`: every
  POST to /slack/events, by the HTTP workers (ecombot.server). `kind` is the payload's (command,
  block_actions, view_submission, event, ...), `command` the slash command when it is one of
  ecombot's (else empty), `outcome` ok / refused (signature) / replay / unreadable / too_large / not_ours.
- `ecombot_deliveries_total{outcome}`: outbox messages sent, retried later and failed for good, by
  the delivery worker; `ecombot_outbox_messages{state}`: the outbox now (waiting, failed, parked), read
  from the database when scraped, so it is right whichever process delivers.
- `ecombot_job_runs_total{outcome}`: scheduled firings run, missed slots skipped, failures, firings
  another scheduler won and those parked for uninstalled workspaces, by the scheduler.
- `ecombot_import_rows_total{kind, outcome}`: rows of ad reports, orders and daily figures recorded
  or skipped.

`ecombot serve` runs gunicorn workers and a scheduler process. It points them all at one directory
(`PROMETHEUS_MULTIPROC_DIR`, a new temporary one unless set) before any of them counts anything
(the metrics are made at their first use, when prometheus-client is imported and reads it), so
the /metrics of any worker adds up every process's counts.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy.engine import Engine

if TYPE_CHECKING:
    from prometheus_client import CollectorRegistry, Counter, Histogram
    from prometheus_client.core import GaugeMetricFamily

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
# Seconds buckets of the ack histogram: Slack gives up at 3.
ACK_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0)


@dataclass(frozen=True)
class _Metrics:
    requests: Counter
    ack_seconds: Histogram
    deliveries: Counter
    job_runs: Counter
    import_rows: Counter


_made: list[_Metrics] = []
_making = threading.Lock()


def _metrics() -> _Metrics:
    """The metrics, made at their first use: prometheus-client picks its multiprocess storage when
    it is imported, so no module of ecombot imports it before `serve` has set MULTIPROC_ENV."""
    if _made:
        return _made[0]
    with _making:
        if not _made:
            from prometheus_client import Counter, Histogram

            _made.append(
                _Metrics(
                    requests=Counter(
                        "ecombot_requests",
                        "Requests from Slack to /slack/events, by payload kind, slash command and outcome.",
                        ["kind", "command", "outcome"],
                    ),
                    ack_seconds=Histogram(
                        "ecombot_ack_seconds",
                        "Seconds from a request's arrival to its HTTP answer (Slack gives up after 3).",
                        ["kind", "command"],
                        buckets=ACK_BUCKETS,
                    ),
                    deliveries=Counter(
                        "ecombot_deliveries",
                        "Outbox messages by what became of a try: sent, retried or failed.",
                        ["outcome"],
                    ),
                    job_runs=Counter(
                        "ecombot_job_runs",
                        "Scheduled work by outcome: fired, skipped (a missed slot), failed, lost (another "
                        "scheduler won it), parked (the workspace uninstalled the app).",
                        ["outcome"],
                    ),
                    import_rows=Counter(
                        "ecombot_import_rows",
                        "Rows of imported files, by kind of file and outcome.",
                        ["kind", "outcome"],
                    ),
                )
            )
    return _made[0]


def count_request(kind: str, command: str, outcome: str, seconds: float) -> None:
    """One request to /slack/events and the time to its answer."""
    m = _metrics()
    m.requests.labels(kind, command, outcome).inc()
    m.ack_seconds.labels(kind, command).observe(seconds)


def count_delivery(outcome: str) -> None:
    """One try of an outbox message: sent, retried or failed."""
    _metrics().deliveries.labels(outcome).inc()


def count_report(report: Any) -> None:
    """Add a scheduling RunReport's firings to `ecombot_job_runs_total`."""
    job_runs = _metrics().job_runs
    for outcome in ("fired", "skipped", "lost", "parked"):
        value = int(getattr(report, outcome, 0) or 0)
        if value:
            job_runs.labels(outcome).inc(value)
    if report.errors:
        job_runs.labels("failed").inc(len(report.errors))


def count_import(kind: str, recorded: int, skipped: int) -> None:
    """Add an import's rows to `ecombot_import_rows_total`."""
    import_rows = _metrics().import_rows
    if recorded:
        import_rows.labels(kind, "recorded").inc(recorded)
    if skipped:
        import_rows.labels(kind, "skipped").inc(skipped)


class OutboxCollector:
    """The outbox as it is now, from the database, at each scrape."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def collect(self) -> Iterator[GaugeMetricFamily]:
        """One sample per state: waiting (pending), failed (gave up) and parked (uninstalled)."""
        from prometheus_client.core import GaugeMetricFamily

        from ecombot.scheduling.service import outbox_states

        family = GaugeMetricFamily(
            "ecombot_outbox_messages",
            "Outbox messages now, by state (waiting to be sent, failed, parked).",
            labels=["state"],
        )
        try:
            states = outbox_states(self.engine)
        except Exception:  # a scrape never fails for the database: the counters still come
            return
        for state, count in sorted(states.items()):
            family.add_metric([state], count)
        yield family


def registry_for(engine: Engine) -> CollectorRegistry:
    """What /metrics shows: every process's counters (multiprocess mode) or this one's, and the outbox."""
    from prometheus_client import CollectorRegistry
    from prometheus_client.multiprocess import MultiProcessCollector

    registry = CollectorRegistry(auto_describe=False)
    if os.environ.get(MULTIPROC_ENV):
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        m = _metrics()
        for metric in (m.requests, m.ack_seconds, m.deliveries, m.job_runs, m.import_rows):
            registry.register(metric)
    registry.register(OutboxCollector(engine))
    return registry


def exposition(registry: CollectorRegistry) -> tuple[bytes, str]:
    """The registry in Prometheus text format, and its content type."""
    from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

    return generate_latest(registry), CONTENT_TYPE_LATEST
