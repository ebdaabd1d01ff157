"""The risk register: add, list, show, update, status, drills and reviews; every change kept in the
risk's history. No Slack here.

Who may: any member adds a risk and records a drill; its owner, its creator and the ops leads change
it; its owner and the ops leads change its status and review it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from ecombot.actor import Actor
from ecombot.db import next_number
from ecombot.errors import InvalidInput, NotFound, PermissionDenied
from ecombot.risks.models import CATEGORIES, REVIEWS, STATUSES, Risk, RiskEvent
from ecombot.slack.text import clean
from ecombot.workspaces import service as workspaces

TITLE_LIMIT = 200
PLAN_LIMIT = 1000
NOTE_LIMIT = 500
HIGH = 15  # a score at least this is a high risk
DRILL_DAYS = 180  # a plan not drilled for this long is stale
FLAG_AFTER = timedelta(days=3)  # an unanswered review goes to the ops leads after this
COUNTER = "risks"
EDITABLE = ("title", "category", "likelihood", "impact", "owner", "review", "plan")
LIST_LIMIT = 500


@dataclass(frozen=True)
class RiskDraft:
    """`/risk add`, parsed (None: the default)."""

    title: str
    category: str = "other"
    likelihood: int = 3
    impact: int = 3
    owner_id: str = ""
    review: str = "monthly"
    plan: str = ""


def _check(risk: Risk) -> None:
    if not risk.title:
        raise InvalidInput("risk_title_missing")
    if len(risk.title) > TITLE_LIMIT:
        raise InvalidInput("risk_title_too_long", limit=TITLE_LIMIT)
    if risk.category not in CATEGORIES:
        raise InvalidInput("risk_bad_category", part=risk.category, known=", ".join(CATEGORIES))
    for name in ("likelihood", "impact"):
        value = getattr(risk, name)
        if not 1 <= value <= 5:
            raise InvalidInput("risk_bad_level", part=str(value))
    if risk.review not in REVIEWS:
        raise InvalidInput("risk_bad_review", part=risk.review)
    if len(risk.plan) > PLAN_LIMIT:
        raise InvalidInput("risk_plan_too_long", limit=PLAN_LIMIT)


def _log(
    session: Session,
    risk: Risk,
    actor_id: str,
    kind: str,
    now: datetime,
    *,
    changes: list[dict[str, Any]] | None = None,
    note: str = "",
    day: date | None = None,
) -> None:
    assert risk.id is not None
    session.add(
        RiskEvent(
            risk_id=risk.id,
            team_id=risk.team_id,
            kind=kind,
            user_id=actor_id,
            changes=changes or [],
            note=note[:NOTE_LIMIT],
            day=day,
            at=now,
        )
    )


def add_risk(session: Session, actor: Actor, draft: RiskDraft) -> Risk:
    """A new risk, numbered R1, R2… in the workspace; its owner is the writer unless named."""
    owner = draft.owner_id or actor.user_id
    if owner != actor.user_id:
        workspaces.require_person(session, actor, owner)
    risk = Risk(
        team_id=actor.team_id,
        number=0,
        title=clean(draft.title).strip(),
        category=draft.category,
        likelihood=draft.likelihood,
        impact=draft.impact,
        owner_id=owner,
        review=draft.review,
        plan=clean(draft.plan).strip(),
        created_by=actor.user_id,
        created_at=actor.now,
        updated_at=actor.now,
    )
    _check(risk)
    risk.number = next_number(session, actor.team_id, COUNTER)
    session.add(risk)
    session.flush()
    _log(session, risk, actor.user_id, "created", actor.now)
    return risk


def get_risk(session: Session, team_id: str, number: int, *, lock: bool = False) -> Risk:
    """R<number> of this workspace, or NotFound."""
    query = select(Risk).where(Risk.team_id == team_id, Risk.number == number)
    risk = session.exec(query.with_for_update() if lock else query).first()
    if risk is None:
        raise NotFound("risk_not_found", number=number)
    return risk


def _may_change(actor: Actor, risk: Risk) -> bool:
    return actor.is_manager or actor.user_id in (risk.owner_id, risk.created_by)


@dataclass(frozen=True)
class Filter:
    """`/risk list [open|all|@user|category]`."""

    status: str = "open"  # open | all
    owner: str = ""
    category: str = ""


def list_risks(session: Session, team_id: str, which: Filter) -> list[Risk]:
    """Risks by score, highest first (then the newest)."""
    query = select(Risk).where(Risk.team_id == team_id)
    if which.status == "open":
        query = query.where(Risk.status == "open")
    if which.owner:
        query = query.where(Risk.owner_id == which.owner)
    if which.category:
        query = query.where(Risk.category == which.category)
    query = query.order_by((col(Risk.likelihood) * col(Risk.impact)).desc(), col(Risk.number).desc())
    return list(session.exec(query.limit(LIST_LIMIT)))


def heat(risks: list[Risk]) -> dict[tuple[int, int], int]:
    """How many risks sit in each (likelihood, impact) cell of the 5×5 grid."""
    cells: dict[tuple[int, int], int] = {}
    for risk in risks:
        cells[(risk.likelihood, risk.impact)] = cells.get((risk.likelihood, risk.impact), 0) + 1
    return cells


def history(session: Session, risk: Risk, *, limit: int = 30) -> list[RiskEvent]:
    """A risk's history, newest first."""
    return list(
        session.exec(
            select(RiskEvent)
            .where(RiskEvent.risk_id == risk.id)
            .order_by(col(RiskEvent.id).desc())
            .limit(limit)
        )
    )


def update_risk(
    session: Session, actor: Actor, number: int, values: dict[str, Any]
) -> tuple[Risk, list[dict[str, Any]]]:
    """`/risk update R3 impact:5 plan:"…"`: the owner, the creator or an ops lead; returns the changes."""
    risk = get_risk(session, actor.team_id, number, lock=True)
    if not _may_change(actor, risk):
        raise PermissionDenied("risk_change_forbidden", number=number, owner=risk.owner_id)
    changes: list[dict[str, Any]] = []
    for key, value in values.items():
        if key not in EDITABLE:
            raise InvalidInput("risk_not_editable", part=key)
        field = "owner_id" if key == "owner" else key
        if isinstance(value, str) and field in ("title", "plan"):
            value = clean(value).strip()
        if field == "owner_id" and value != risk.owner_id:
            workspaces.require_person(session, actor, value)
        before = getattr(risk, field)
        if before != value:
            changes.append({"field": key, "before": before, "after": value})
            setattr(risk, field, value)
    _check(risk)
    if changes:
        risk.updated_at = actor.now
        session.add(risk)
        _log(session, risk, actor.user_id, "updated", actor.now, changes=changes)
    return risk, changes


def set_status(session: Session, actor: Actor, number: int, status: str, note: str = "") -> tuple[Risk, str]:
    """open | mitigated | occurred | closed, with an optional note: the owner or an ops lead; returns the
    status it had."""
    if status not in STATUSES:
        raise InvalidInput("risk_bad_status", part=status)
    risk = get_risk(session, actor.team_id, number, lock=True)
    if not (actor.is_manager or actor.user_id == risk.owner_id):
        raise PermissionDenied("risk_status_forbidden", number=number, owner=risk.owner_id)
    before = risk.status
    if before != status or note:
        risk.status = status
        risk.updated_at = actor.now
        session.add(risk)
        _log(
            session,
            risk,
            actor.user_id,
            "status",
            actor.now,
            changes=[{"field": "status", "before": before, "after": status}] if before != status else [],
            note=clean(note).strip(),
        )
    return risk, before


def record_drill(session: Session, actor: Actor, number: int, day: date, result: str) -> Risk:
    """A drill (应急演练) of the risk's plan on `day`, with what it showed."""
    risk = get_risk(session, actor.team_id, number, lock=True)
    if day > actor.today:
        raise InvalidInput("risk_drill_future")
    if risk.last_drill is None or day > risk.last_drill:
        risk.last_drill = day
        risk.updated_at = actor.now
        session.add(risk)
    _log(session, risk, actor.user_id, "drill", actor.now, note=clean(result).strip(), day=day)
    return risk


def review(session: Session, actor: Actor, number: int, outcome: str) -> tuple[Risk, bool]:
    """The owner (or an ops lead) answers a review: `valid` (still as it is) or `mitigated`; returns
    the risk and whether this answer was new (a second click changes nothing)."""
    risk = get_risk(session, actor.team_id, number, lock=True)
    if not (actor.is_manager or actor.user_id == risk.owner_id):
        raise PermissionDenied("risk_status_forbidden", number=number, owner=risk.owner_id)
    answered = (
        risk.last_reviewed_at is not None
        and risk.review_asked_at is not None
        and risk.last_reviewed_at >= risk.review_asked_at
    )
    if answered and (outcome == "valid" or risk.status == "mitigated"):
        return risk, False
    risk.last_reviewed_at = actor.now
    changes: list[dict[str, Any]] = []
    if outcome == "mitigated" and risk.status != "mitigated":
        changes.append({"field": "status", "before": risk.status, "after": "mitigated"})
        risk.status = "mitigated"
    session.add(risk)
    _log(session, risk, actor.user_id, "reviewed", actor.now, changes=changes, note=outcome)
    return risk, True


def mark_reviewed(session: Session, risk: Risk, actor: Actor) -> None:
    """An update made from the review DM counts as its answer."""
    risk.last_reviewed_at = actor.now
    session.add(risk)
    _log(session, risk, actor.user_id, "reviewed", actor.now, note="updated")


# -- what the reviews, Home and other domains read ------------------------------------------------


def stale_drills(session: Session, team_id: str, today: date) -> list[Risk]:
    """Open risks with a plan not drilled in 180 days (or never), the highest first."""
    cutoff = today - timedelta(days=DRILL_DAYS)
    query = (
        select(Risk)
        .where(Risk.team_id == team_id, Risk.status == "open", Risk.plan != "")
        .where(sa.or_(col(Risk.last_drill).is_(None), col(Risk.last_drill) < cutoff))
        .order_by((col(Risk.likelihood) * col(Risk.impact)).desc(), col(Risk.number))
        .limit(50)
    )
    return list(session.exec(query))


def high_risks(session: Session, team_id: str, *, limit: int = 10) -> list[Risk]:
    """Open risks scoring 15 or more, the highest first."""
    query = (
        select(Risk)
        .where(Risk.team_id == team_id, Risk.status == "open")
        .where(col(Risk.likelihood) * col(Risk.impact) >= HIGH)
        .order_by((col(Risk.likelihood) * col(Risk.impact)).desc(), col(Risk.number))
        .limit(limit)
    )
    return list(session.exec(query))


def unreviewed(session: Session, team_id: str, *, limit: int = 10) -> list[Risk]:
    """Open risks whose last review was flagged as unanswered."""
    query = (
        select(Risk)
        .where(Risk.team_id == team_id, Risk.status == "open", col(Risk.flagged_at).is_not(None))
        .order_by(col(Risk.number))
        .limit(limit)
    )
    return [r for r in session.exec(query) if not _answered(r)]


def _answered(risk: Risk) -> bool:
    return (
        risk.last_reviewed_at is not None
        and risk.review_asked_at is not None
        and risk.last_reviewed_at >= risk.review_asked_at
    )


def open_risks(session: Session) -> list[Risk]:
    """Every open risk across workspaces (for the review tick)."""
    return list(session.exec(select(Risk).where(Risk.status == "open")))


def to_review(session: Session, zone_names: Sequence[str], slot: datetime, *, monthly: bool) -> list[Risk]:
    """Open risks whose owner is in one of these zones (their own, or their workspace's), made before
    `slot` and not asked about since: who may be due a review DM at `slot` (risks reviewed monthly only
    when `monthly`: the month's first Monday)."""
    if not zone_names:
        return []
    zone = workspaces.zone_name_of(col(Risk.team_id), col(Risk.owner_id))
    query = select(Risk).where(
        Risk.status == "open",
        sa.true() if monthly else col(Risk.review) != "monthly",
        col(Risk.created_at) < slot,
        sa.or_(col(Risk.review_asked_at).is_(None), col(Risk.review_asked_at) < slot),
        zone.in_(sorted(zone_names)),
    )
    return list(session.exec(query.order_by(col(Risk.id))))


def asked(session: Session, risk: Risk, slot: datetime) -> None:
    """The review DM for `slot` is queued (in this same transaction)."""
    risk.review_asked_at = slot
    risk.review_due_at = slot + FLAG_AFTER
    risk.flagged_at = None
    session.add(risk)


def due_to_flag(session: Session, now: datetime) -> list[Risk]:
    """Open risks whose review went unanswered for 3 days and whose leads were not told yet."""
    query = (
        select(Risk)
        .where(Risk.status == "open", col(Risk.review_due_at) <= now, col(Risk.flagged_at).is_(None))
        .limit(500)
    )
    return [r for r in session.exec(query) if not _answered(r)]


def flagged(session: Session, risk: Risk, now: datetime) -> None:
    """The ops leads were told (in this same transaction)."""
    risk.flagged_at = now
    session.add(risk)
    _log(session, risk, "", "flagged", now)
