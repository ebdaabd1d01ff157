"""Schedules fire once per slot, in their own timezone, with missed slots run within their grace."""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session

from ecombot.app import build_runtime
from ecombot.config import Settings
from ecombot.db import session_scope
from ecombot.scheduling import service
from ecombot.scheduling.engine import SchedulingEngine
from ecombot.scheduling.models import Delivery, JobRun, Schedule

SHANGHAI = ZoneInfo("Asia/Shanghai")
NEW_YORK = ZoneInfo("America/New_York")


def _engine(db: Engine, registry: service.JobRegistry | None = None, worker: str = "w1") -> SchedulingEngine:
    return SchedulingEngine(db, registry or build_runtime(Settings(), engine=db).jobs, worker=worker)


def _schedule(
    db: Engine, *, rule: str, tz: str, created: datetime, kind: str = "scheduling.message", **kw: Any
) -> int:
    with session_scope(db) as s:
        schedule = service.create_schedule(
            s,
            team_id="T_DEMO",
            kind=kind,
            rule=rule,
            timezone=tz,
            now=created,
            target=kw.pop("target", "C_DEMO"),
            params=kw.pop("params", {"text": "Daily digest"}),
            **kw,
        )
        assert schedule.id is not None
        return schedule.id


def _deliveries(db: Engine) -> list[Delivery]:
    with Session(db) as s:
        return list(s.exec(sa.select(Delivery).order_by(Delivery.id)).scalars())  # type: ignore[call-overload]


def test_claim_has_exactly_one_winner(db: Engine, workspace: str) -> None:
    slot = datetime(2026, 11, 27, 1, 0, tzinfo=UTC)
    now = slot
    with session_scope(db) as s:
        assert service.claim(s, job_key="k", slot=slot, team_id="T_DEMO", worker="a", now=now) is True
    with session_scope(db) as s:
        assert service.claim(s, job_key="k", slot=slot, team_id="T_DEMO", worker="b", now=now) is False
        assert service.claim(
            s, job_key="k", slot=slot + timedelta(days=1), team_id="T_DEMO", worker="b", now=now
        )
    with Session(db) as s:
        runs = s.exec(sa.select(JobRun.claimed_by).order_by(JobRun.slot)).scalars().all()  # type: ignore[call-overload]
    assert runs == ["a", "b"]


def test_an_idempotency_key_is_enqueued_once(db: Engine, workspace: str, clock: Any) -> None:
    message = service.Outgoing(target="C_DEMO", payload={"text": "hi"}, key="k1")
    with session_scope(db) as s:
        assert service.enqueue(s, team_id="T_DEMO", message=message, now=clock.now())
        assert not service.enqueue(s, team_id="T_DEMO", message=message, now=clock.now())
    assert len(_deliveries(db)) == 1


def test_daily_schedule_fires_at_local_time_once(db: Engine, workspace: str, clock: Any) -> None:
    schedule_id = _schedule(db, rule="0 9 * * *", tz="Asia/Shanghai", created=clock.now())
    engine = _engine(db)
    before = engine.run_due(datetime(2026, 11, 24, 8, 59, tzinfo=SHANGHAI))
    assert before.fired == 0
    at = datetime(2026, 11, 24, 9, 0, tzinfo=SHANGHAI)
    report = engine.run_due(at)
    assert (report.fired, report.enqueued) == (1, 1)
    again = engine.run_due(at + timedelta(seconds=30))
    assert again.fired == 0
    [delivery] = _deliveries(db)
    assert delivery.target == "C_DEMO"
    assert delivery.payload == {"text": "Daily digest"}
    assert delivery.idempotency_key == f"scheduling.message:{schedule_id}:2026-11-24T01:00:00+00:00"
    with Session(db) as s:
        row = s.get(Schedule, schedule_id)
        assert row is not None
        assert row.last_fired_at == at
        assert row.next_fire_at == datetime(2026, 11, 25, 9, 0, tzinfo=SHANGHAI)


def test_missed_slots_run_once_within_grace_and_older_ones_are_logged(
    db: Engine, workspace: str, clock: Any, caplog: pytest.LogCaptureFixture
) -> None:
    _schedule(db, rule="0 9 * * *", tz="Asia/Shanghai", created=clock.now())
    # Down from Monday until Thursday 10:00: Tue, Wed 09:00 are past the 6 h grace, Thu 09:00 is not.
    with caplog.at_level(logging.WARNING, logger="ecombot.scheduling.engine"):
        report = _engine(db).run_due(datetime(2026, 11, 26, 10, 0, tzinfo=SHANGHAI))
    assert (report.fired, report.skipped) == (1, 2)
    [delivery] = _deliveries(db)
    assert delivery.idempotency_key.endswith("2026-11-26T01:00:00+00:00")
    skipped = [r.getMessage() for r in caplog.records if "skipped missed slot" in r.getMessage()]
    assert len(skipped) == 2 and "2026-11-24T01:00:00+00:00" in skipped[0]


def test_alert_kinds_catch_up_for_a_day(db: Engine, workspace: str, clock: Any) -> None:
    registry = build_runtime(Settings(), engine=db).jobs
    registry.add_kind(
        "test.alert",
        lambda s, sched, slot, now: [
            service.Outgoing("C_DEMO", {"text": f"alert {slot:%H:%M}"}, f"alert:{slot.isoformat()}")
        ],
        grace=service.ALERT_GRACE,
    )
    _schedule(
        db, rule="0 8 * * *", tz="UTC", created=datetime(2026, 11, 23, 9, 0, tzinfo=UTC), kind="test.alert"
    )
    report = _engine(db, registry).run_due(datetime(2026, 11, 25, 4, 0, tzinfo=UTC))
    # 11-24 08:00 is 20 h late (within 24 h); nothing else was due.
    assert (report.fired, report.skipped) == (1, 0)


def test_three_engines_racing_post_each_slot_once(db: Engine, workspace: str, clock: Any) -> None:
    ids = [_schedule(db, rule="0 9 * * *", tz="Asia/Shanghai", created=clock.now()) for _ in range(5)]
    at = datetime(2026, 11, 24, 9, 0, 5, tzinfo=SHANGHAI)
    barrier = threading.Barrier(3)
    reports: list[Any] = []

    def run(worker: str) -> None:
        engine = _engine(db, worker=worker)
        barrier.wait()
        reports.append(engine.run_due(at))

    threads = [threading.Thread(target=run, args=(f"w{i}",)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(r.fired for r in reports) == len(ids)
    assert not any(r.errors for r in reports)
    assert len(_deliveries(db)) == len(ids)


def test_a_failing_job_releases_its_claim_and_runs_again(db: Engine, workspace: str, clock: Any) -> None:
    registry = build_runtime(Settings(), engine=db).jobs
    calls: list[datetime] = []

    def flaky(session: Session, schedule: Schedule, slot: datetime, now: datetime) -> list[service.Outgoing]:
        calls.append(now)
        if len(calls) == 1:
            raise RuntimeError("data source down")
        return [service.Outgoing("C_DEMO", {"text": "ok"}, f"flaky:{slot.isoformat()}")]

    registry.add_kind("test.flaky", flaky)
    _schedule(db, rule="0 9 * * *", tz="UTC", created=clock.now(), kind="test.flaky")
    engine = _engine(db, registry)
    first = engine.run_due(datetime(2026, 11, 24, 9, 0, tzinfo=UTC))
    assert first.fired == 0 and first.errors
    with Session(db) as s:
        # The slot is still owed.
        row = s.exec(sa.select(Schedule)).scalars().one()  # type: ignore[call-overload]
        assert row.next_fire_at == datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    second = engine.run_due(datetime(2026, 11, 24, 9, 1, tzinfo=UTC))
    assert second.fired == 1
    assert len(_deliveries(db)) == 1


def test_unknown_kind_is_reported_and_claims_nothing(db: Engine, workspace: str, clock: Any) -> None:
    _schedule(db, rule="0 9 * * *", tz="UTC", created=clock.now(), kind="nobody.knows")
    report = _engine(db).run_due(datetime(2026, 11, 24, 9, 0, tzinfo=UTC))
    assert report.fired == 0 and "nobody.knows" in report.errors[0]
    with Session(db) as s:
        assert s.exec(sa.select(sa.func.count()).select_from(JobRun)).scalar_one() == 0  # type: ignore[call-overload]


def test_ticks_fire_per_person_work_once(db: Engine, workspace: str, clock: Any) -> None:
    registry = build_runtime(Settings(), engine=db).jobs
    slot = datetime(2026, 11, 24, 1, 30, tzinfo=UTC)

    def prompts(session: Session, now: datetime) -> list[service.Firing]:
        return [
            service.Firing(
                f"test.prompt:T_DEMO:{user}",
                slot,
                "T_DEMO",
                [service.Outgoing(user, {"text": "standup?"}, f"prompt:{user}:{slot.date()}")],
            )
            for user in ("U_LI", "U_SAM")
        ]

    registry.add_tick("test.prompts", prompts)
    engine = _engine(db, registry)
    assert engine.run_due(slot).fired == 2
    again = engine.run_due(slot + timedelta(seconds=30))
    assert (again.fired, again.lost) == (0, 2)
    assert sorted(d.target for d in _deliveries(db)) == ["U_LI", "U_SAM"]


@pytest.mark.parametrize(
    ("tz", "rule", "days", "expected_utc"),
    [
        # Spring forward 2026-03-08: 02:30 does not exist in New York and fires once, at 03:30 EDT.
        (
            "America/New_York",
            "30 2 * * *",
            ("2026-03-07", "2026-03-08", "2026-03-09"),
            ("07:30", "07:30", "06:30"),
        ),
        # Fall back 2026-11-01: 01:30 happens twice and fires once, the first time.
        (
            "America/New_York",
            "30 1 * * *",
            ("2026-10-31", "2026-11-01", "2026-11-02"),
            ("05:30", "05:30", "06:30"),
        ),
        (
            "Europe/Berlin",
            "30 2 * * *",
            ("2026-03-28", "2026-03-29", "2026-03-30"),
            ("01:30", "01:30", "00:30"),
        ),
        (
            "Europe/Berlin",
            "30 2 * * *",
            ("2026-10-24", "2026-10-25", "2026-10-26"),
            ("00:30", "00:30", "01:30"),
        ),
        (
            "Asia/Shanghai",
            "30 2 * * *",
            ("2026-03-07", "2026-03-08", "2026-03-09"),
            ("18:30", "18:30", "18:30"),
        ),
    ],
)
def test_dst_weeks_fire_once_a_day_at_the_right_instant(
    db: Engine, workspace: str, tz: str, rule: str, days: tuple[str, ...], expected_utc: tuple[str, ...]
) -> None:
    start = datetime.fromisoformat(days[0]).replace(tzinfo=ZoneInfo(tz)) - timedelta(hours=12)
    _schedule(db, rule=rule, tz=tz, created=start)
    engine = _engine(db)
    # The scheduler wakes every 30 minutes through three days.
    now = start
    while now < start + timedelta(days=3, hours=12):
        now += timedelta(minutes=30)
        engine.run_due(now)
    fired = sorted(datetime.fromisoformat(d.idempotency_key.split(":", 2)[2]) for d in _deliveries(db))
    assert [f"{t:%H:%M}" for t in fired] == list(expected_utc)
    assert [t.astimezone(ZoneInfo(tz)).date().isoformat() for t in fired] == list(days)
