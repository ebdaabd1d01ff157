"""Schedules, claims and the outbox: pure database logic, no Slack."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from ecombot.config import validate_timezone
from ecombot.db import insert_for
from ecombot.errors import InvalidInput, NotFound
from ecombot.scheduling.models import Delivery, JobRun, Schedule
from ecombot.scheduling.rules import CronRule, RuleError
from ecombot.scheduling.uploads import bars_payload as bars_payload  # domains reach these here
from ecombot.scheduling.uploads import upload_payload as upload_payload

DIGEST_GRACE = timedelta(hours=6)
ALERT_GRACE = timedelta(hours=24)


@dataclass(frozen=True)
class Outgoing:
    """One message to post: to a channel id or a user id (DM), with a globally unique key.

    The key is unique across workspaces: it holds the team id or the id of a row (user and channel
    ids repeat between workspaces). A key without either drops another workspace's message sent in
    the same second as a duplicate.

    `thread_of` makes it a reply in the thread of the message posted under that key; `update_of`
    makes it a new version of that message (chat.update). Either waits until that one is posted.
    """

    target: str
    payload: dict[str, Any]
    key: str
    thread_of: str = ""
    update_of: str = ""


@dataclass(frozen=True)
class Firing:
    """Work that is due once for (job_key, slot), and the messages it posts."""

    job_key: str
    slot: datetime
    team_id: str
    messages: Sequence[Outgoing] = ()


JobFunc = Callable[[Session, Schedule, datetime, datetime], list[Outgoing]]
TickFunc = Callable[[Session, datetime], list[Firing]]


@dataclass(frozen=True)
class JobKind:
    """What a schedule of this kind does at each slot, and how late a missed slot may still run.

    A `pure` job only reads and returns messages; others run in a savepoint so a failure undoes them.
    """

    name: str
    func: JobFunc
    grace: timedelta = DIGEST_GRACE
    pure: bool = False


@dataclass
class JobRegistry:
    """Kinds of schedules and per-person ticks, bound by each domain's `register`."""

    kinds: dict[str, JobKind] = field(default_factory=dict)
    ticks: dict[str, TickFunc] = field(default_factory=dict)

    def add_kind(
        self, name: str, func: JobFunc, *, grace: timedelta = DIGEST_GRACE, pure: bool = False
    ) -> None:
        """Bind a schedule kind (e.g. `kpis.daily_digest`) to its job function."""
        if name in self.kinds:
            raise ValueError(f"schedule kind {name!r} registered twice")
        self.kinds[name] = JobKind(name, func, grace, pure)

    def add_tick(self, name: str, func: TickFunc) -> None:
        """Bind a periodic finder of per-person work (e.g. standup prompts at each member's 09:30)."""
        if name in self.ticks:
            raise ValueError(f"tick {name!r} registered twice")
        self.ticks[name] = func


# -- exactly once ------------------------------------------------------------------------------


def claim_many(
    session: Session, claims: Sequence[tuple[str, datetime, str]], *, worker: str, now: datetime
) -> set[tuple[str, datetime]]:
    """Claim each (job_key, slot, team_id); returns the (job_key, slot) pairs this caller won."""
    if not claims:
        return set()
    table = JobRun.__table__  # type: ignore[attr-defined]
    stmt = (
        insert_for(session)(table)
        .on_conflict_do_nothing(index_elements=["job_key", "slot"])
        # RETURNING, not rowcount: it names the winners, and psycopg reports -1 here anyway.
        .returning(table.c.job_key, table.c.slot)
    )
    rows = [
        {"job_key": key, "slot": slot, "team_id": team, "claimed_by": worker, "claimed_at": now}
        for key, slot, team in claims
    ]
    # A list of parameters lets SQLAlchemy batch the rows ("insertmanyvalues") with RETURNING intact.
    return {(key, slot.astimezone(UTC)) for key, slot in session.connection().execute(stmt, rows)}


def claim(
    session: Session, *, job_key: str, slot: datetime, team_id: str, worker: str, now: datetime
) -> bool:
    """Claim (job_key, slot); True for the one caller that wins, on SQLite and PostgreSQL alike."""
    return bool(claim_many(session, [(job_key, slot, team_id)], worker=worker, now=now))


def claimed(session: Session, job_keys: Sequence[str], slot: datetime) -> set[str]:
    """Which of these (job_key, slot) claims were won already: work a tick need not compute again."""
    if not job_keys:
        return set()
    rows = session.exec(
        select(JobRun.job_key).where(
            col(JobRun.job_key).in_(list(job_keys)), JobRun.slot == slot.astimezone(UTC)
        )
    )
    return set(rows)


def is_claimed(job_key: sa.ColumnElement[str], slot: datetime) -> sa.ColumnElement[bool]:
    """In SQL, whether (job_key, slot) was claimed already: a tick leaves out in its query the work an
    earlier pass did (`job_key` an expression of the rows it selects)."""
    return sa.exists().where(col(JobRun.job_key) == job_key, col(JobRun.slot) == slot.astimezone(UTC))


def release_claim(session: Session, *, job_key: str, slot: datetime) -> None:
    """Give a claim back (its job failed), so that a later pass runs the slot again."""
    session.execute(sa.delete(JobRun).where(col(JobRun.job_key) == job_key, col(JobRun.slot) == slot))


def enqueue_many(session: Session, messages: Sequence[tuple[str, Outgoing]], *, now: datetime) -> int:
    """Add (team_id, message) pairs to the outbox; keys seen before add nothing. Returns how many were added."""
    if not messages:
        return 0
    table = Delivery.__table__  # type: ignore[attr-defined]
    rows = [
        {
            "team_id": team,
            "target": m.target,
            "payload": m.payload,
            "idempotency_key": m.key,
            "thread_of": m.thread_of,
            "update_of": m.update_of,
            "status": "pending",
            "attempts": 0,
            "next_attempt_at": now,
            "claimed_by": "",
            "channel": "",
            "message_ts": "",
            "last_error": "",
            "verify_before_send": False,
            "created_at": now,
            "updated_at": now,
        }
        for team, m in messages
    ]
    stmt = (
        insert_for(session)(table)
        .on_conflict_do_nothing(index_elements=["idempotency_key"])
        .returning(table.c.id)
    )
    return len(session.connection().execute(stmt, rows).all())


def is_queued(session: Session, key: str) -> bool:
    """True when a message with this idempotency key is in the outbox already (sent or not): a caller
    that would only add a duplicate can skip its write transaction."""
    table = Delivery.__table__  # type: ignore[attr-defined]
    return (
        session.connection().execute(sa.select(table.c.id).where(table.c.idempotency_key == key)).first()
        is not None
    )


def enqueue(session: Session, *, team_id: str, message: Outgoing, now: datetime) -> bool:
    """Add one message to the outbox; an idempotency key seen before adds nothing."""
    return enqueue_many(session, [(team_id, message)], now=now) == 1


def fire_many(
    session: Session, firings: Sequence[Firing], *, worker: str, now: datetime
) -> tuple[int, int, int]:
    """Claim the firings and enqueue the winners' messages in one transaction: (won, lost, enqueued)."""
    won = claim_many(session, [(f.job_key, f.slot, f.team_id) for f in firings], worker=worker, now=now)
    winners = [f for f in firings if (f.job_key, f.slot.astimezone(UTC)) in won]
    added = enqueue_many(session, [(f.team_id, m) for f in winners for m in f.messages], now=now)
    return len(winners), len(firings) - len(winners), added


# -- schedules ---------------------------------------------------------------------------------


def parse_rule(rule: str) -> CronRule:
    """The rule, or InvalidInput naming what is wrong with it."""
    try:
        return CronRule.parse(rule)
    except RuleError as exc:
        raise InvalidInput("bad_rule", rule=rule, problem=str(exc)) from None


def create_schedule(
    session: Session,
    *,
    team_id: str,
    kind: str,
    rule: str,
    timezone: str,
    now: datetime,
    target: str = "",
    params: dict[str, Any] | None = None,
    grace_seconds: int | None = None,
    created_by: str = "",
) -> Schedule:
    """A new enabled schedule whose first firing is the first slot after `now`."""
    parsed = parse_rule(rule)
    try:
        validate_timezone(timezone)
    except ValueError:
        raise InvalidInput("bad_timezone", value=timezone) from None
    schedule = Schedule(
        team_id=team_id,
        kind=kind,
        target=target,
        rule=parsed.expr,
        timezone=timezone,
        params=params or {},
        grace_seconds=grace_seconds,
        next_fire_at=parsed.next_fire(now, timezone),
        created_by=created_by,
        created_at=now,
        updated_at=now,
    )
    session.add(schedule)
    session.flush()
    return schedule


def update_schedule(
    session: Session,
    schedule_id: int,
    *,
    team_id: str,
    now: datetime,
    rule: str | None = None,
    timezone: str | None = None,
    enabled: bool | None = None,
    target: str | None = None,
    params: dict[str, Any] | None = None,
) -> Schedule:
    """Change a schedule; its next firing is recomputed from `now`."""
    schedule = get_schedule(session, schedule_id, team_id=team_id)
    if rule is not None:
        schedule.rule = parse_rule(rule).expr
    if timezone is not None:
        try:
            schedule.timezone = validate_timezone(timezone)
        except ValueError:
            raise InvalidInput("bad_timezone", value=timezone) from None
    if enabled is not None:
        schedule.enabled = enabled
    if target is not None:
        schedule.target = target
    if params is not None:
        schedule.params = params
    schedule.next_fire_at = CronRule.parse(schedule.rule).next_fire(now, schedule.timezone)
    schedule.updated_at = now
    session.add(schedule)
    session.flush()
    return schedule


def get_schedule(session: Session, schedule_id: int, *, team_id: str | None = None) -> Schedule:
    """The schedule, scoped to the workspace when given; NotFound otherwise."""
    schedule = session.get(Schedule, schedule_id)
    if schedule is None or (team_id is not None and schedule.team_id != team_id):
        raise NotFound("schedule_not_found", id=schedule_id)
    return schedule


def list_schedules(session: Session, *, team_id: str | None = None) -> list[Schedule]:
    """Schedules by next firing (all workspaces when team_id is None, for operators)."""
    query = select(Schedule)
    if team_id is not None:
        query = query.where(Schedule.team_id == team_id)
    return list(session.exec(query.order_by(col(Schedule.next_fire_at), col(Schedule.id))))


def upcoming_schedules(session: Session, team_id: str, kind: str, until: datetime) -> list[Schedule]:
    """The workspace's enabled schedules of `kind` that fire next before `until` (for App Home)."""
    query = select(Schedule).where(
        Schedule.team_id == team_id,
        Schedule.kind == kind,
        col(Schedule.enabled).is_(True),
        col(Schedule.next_fire_at) <= until,
    )
    return list(session.exec(query.order_by(col(Schedule.next_fire_at)).limit(20)))


def due_schedule_ids(session: Session, now: datetime) -> list[int]:
    """Enabled schedules whose next firing is at or before `now`."""
    query = (
        select(Schedule.id)
        .where(col(Schedule.enabled).is_(True), col(Schedule.next_fire_at) <= now)
        .order_by(col(Schedule.next_fire_at))
    )
    return [i for i in session.exec(query) if i is not None]


def schedule_job_key(schedule: Schedule) -> str:
    """The claim key of a schedule's firings."""
    return f"{schedule.kind}:{schedule.id}"


def grace_for(schedule: Schedule, registry: JobRegistry) -> timedelta:
    """How late a missed slot of this schedule may still run."""
    if schedule.grace_seconds is not None:
        return timedelta(seconds=schedule.grace_seconds)
    kind = registry.kinds.get(schedule.kind)
    return kind.grace if kind else DIGEST_GRACE


# -- outbox ------------------------------------------------------------------------------------


def get_delivery(session: Session, delivery_id: int) -> Delivery:
    """A delivery by id, or NotFound."""
    delivery = session.get(Delivery, delivery_id)
    if delivery is None:
        raise NotFound("delivery_not_found", id=delivery_id)
    return delivery


def deliveries_by_status(session: Session, status: str, *, limit: int = 100) -> list[Delivery]:
    """Deliveries in one status, oldest first."""
    query = select(Delivery).where(Delivery.status == status).order_by(col(Delivery.id)).limit(limit)
    return list(session.exec(query))


def retry_delivery(session: Session, delivery_id: int, *, now: datetime) -> Delivery:
    """Put a failed or parked delivery back in the queue (it will look for an earlier copy before
    posting)."""
    delivery = get_delivery(session, delivery_id)
    if delivery.status not in ("failed", PARKED):
        raise InvalidInput("delivery_not_failed", id=delivery_id, status=delivery.status)
    delivery.status = "pending"
    delivery.attempts = 0
    delivery.next_attempt_at = now
    delivery.verify_before_send = True
    delivery.updated_at = now
    session.add(delivery)
    return delivery


def sent_messages(session: Session, team_id: str, keys: Sequence[str]) -> dict[str, tuple[str, str]]:
    """Where the outbox posted these keys: key -> (channel, ts), for the ones sent."""
    if not keys:
        return {}
    rows = session.exec(
        select(Delivery.idempotency_key, Delivery.channel, Delivery.message_ts).where(
            Delivery.team_id == team_id,
            col(Delivery.idempotency_key).in_(list(keys)),
            Delivery.status == "sent",
        )
    )
    return {key: (channel, ts) for key, channel, ts in rows if ts}


# -- uninstalled workspaces ----------------------------------------------------------------------

PARKED = "parked"  # a delivery of a workspace that uninstalled the app: kept, never sent by the worker


def park_deliveries(session: Session, team_id: str, *, now: datetime) -> int:
    """Park the workspace's waiting deliveries (the app was uninstalled); returns how many."""
    table = Delivery.__table__  # type: ignore[attr-defined]
    result = session.execute(
        sa.update(table)
        .where(table.c.team_id == team_id, table.c.status == "pending")
        .values(status=PARKED, updated_at=now)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def unpark_deliveries(session: Session, team_id: str, *, now: datetime, since: datetime) -> int:
    """Queue again the workspace's parked deliveries made since `since` (a reinstall); older ones stay
    parked for `ecombot jobs retry`. Returns how many were queued."""
    table = Delivery.__table__  # type: ignore[attr-defined]
    result = session.execute(
        sa.update(table)
        .where(table.c.team_id == team_id, table.c.status == PARKED, table.c.created_at >= since)
        .values(status="pending", next_attempt_at=now, updated_at=now)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def uninstalled_teams(session: Session) -> set[str]:
    """The workspaces that uninstalled the app, in one query along their partial index (a few rows
    whatever the number of workspaces): the scheduler fires nothing for them."""
    from ecombot.workspaces.models import Workspace  # late: ecombot.workspaces imports this module

    table = Workspace.__table__  # type: ignore[attr-defined]
    return set(
        session.execute(sa.select(table.c.team_id).where(table.c.uninstalled_at.is_not(None))).scalars()
    )


# -- the outbox in numbers (/metrics) -------------------------------------------------------------

OUTBOX_STATES = {"pending": "waiting", "failed": "failed", PARKED: "parked"}


def outbox_states(engine: Any, *, deadline: float = 1.0) -> dict[str, int]:
    """How many deliveries wait, failed for good or are parked, across every workspace (the
    `(status, next_attempt_at)` index; sent ones are not read)."""
    from ecombot.db import session_scope

    table = Delivery.__table__  # type: ignore[attr-defined]
    with session_scope(engine, write=False, deadline=deadline) as session:
        rows = session.execute(
            sa.select(table.c.status, sa.func.count())
            .where(table.c.status.in_(list(OUTBOX_STATES)))
            .group_by(table.c.status)
        ).all()
    found = dict.fromkeys(OUTBOX_STATES.values(), 0)
    for status, count in rows:
        found[OUTBOX_STATES[status]] = int(count)
    return found
