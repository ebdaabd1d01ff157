"""Scheduled risk work, found by the scheduler's tick: each open risk's owner is asked to review it at
10:00 on Monday in their own timezone (every week, or the first Monday of the month), once per slot;
a review left unanswered for 3 days goes to the ops leads, once."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from ecombot.clock import zone as zone_of
from ecombot.risks import service, views
from ecombot.risks.models import Risk
from ecombot.scheduling.service import Firing, Outgoing
from ecombot.workspaces import service as workspaces

REVIEW_AT = time(10, 0)
REVIEW_GRACE = timedelta(hours=6)


def review_slot(risk: Risk, local_day: date, zone: ZoneInfo) -> datetime | None:
    """When the owner is asked in the week of `local_day`: Monday 10:00 their time (for a monthly review,
    only the month's first Monday)."""
    monday = local_day - timedelta(days=local_day.weekday())
    if risk.review == "monthly" and monday.day > 7:
        return None
    return datetime.combine(monday, REVIEW_AT, tzinfo=zone)


def ask_reviews(session: Session, now: datetime) -> list[Firing]:
    """Tick: each open risk whose review time has come: a DM to its owner with Still valid / Update /
    Mitigated, once per slot."""
    firings: list[Firing] = []
    # Only owners in a zone at its Monday 10:00 (within the grace) may be due, and only those not asked
    # since: the other passes of the week read one list of zone names.
    windows: dict[tuple[datetime, bool], list[str]] = {}
    for name in workspaces.zone_names(session):
        zone = zone_of(name)
        local = now.astimezone(zone).date()
        monday = datetime.combine(local - timedelta(days=local.weekday()), REVIEW_AT, tzinfo=zone)
        if monday <= now < monday + REVIEW_GRACE:
            windows.setdefault((monday.astimezone(UTC), monday.day <= 7), []).append(name)
    by_team: dict[str, list[Risk]] = {}
    for (slot_utc, monthly), names in windows.items():
        for risk in service.to_review(session, names, slot_utc, monthly=monthly):
            by_team.setdefault(risk.team_id, []).append(risk)
    for team_id, risks in by_team.items():
        workspace = workspaces.get_workspace(session, team_id)
        people = workspaces.callers_of(session, team_id, {r.owner_id for r in risks}, now)
        for risk in risks:
            person = people.get(risk.owner_id)
            zone = zone_of(person.tz if person is not None else workspace.timezone)
            slot = review_slot(risk, now.astimezone(zone).date(), zone)
            if slot is None or not slot <= now < slot + REVIEW_GRACE or risk.created_at >= slot:
                continue
            if risk.review_asked_at is not None and risk.review_asked_at >= slot:
                continue
            locale = person.locale if person is not None else workspace.language
            service.asked(session, risk, slot)
            key = f"risks.review:{risk.id}"
            message = views.review_message(risk, locale)
            firings.append(
                Firing(
                    key, slot, team_id, [Outgoing(risk.owner_id, dict(message), f"{key}:{slot.isoformat()}")]
                )
            )
    return firings


def flag_unreviewed(session: Session, now: datetime) -> list[Firing]:
    """Tick: each review unanswered for 3 days goes to the workspace's ops leads and admins, once."""
    firings: list[Firing] = []
    for risk in service.due_to_flag(session, now):
        assert risk.id is not None and risk.review_asked_at is not None
        workspace = workspaces.get_workspace(session, risk.team_id)
        leads = [u for u in workspaces.managers(session, risk.team_id) if u != risk.owner_id] or [
            risk.owner_id
        ]
        people = workspaces.callers_of(session, risk.team_id, leads, now)
        service.flagged(session, risk, now)
        key = f"risks.flag:{risk.id}:{risk.review_asked_at.isoformat()}"
        messages = []
        for lead in leads:
            person = people.get(lead)
            locale = person.locale if person is not None else workspace.language
            messages.append(
                Outgoing(
                    lead, dict(views.unreviewed_message(risk, locale, workspace.timezone)), f"{key}:{lead}"
                )
            )
        firings.append(Firing(key, risk.review_asked_at, risk.team_id, messages))
    return firings
