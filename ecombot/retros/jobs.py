"""Scheduled retro work, found by the scheduler's tick: each schedule's retro opens at its weekday and
time in the workspace's zone (once per slot), and each retro closes at its close time (once). What
they change is written in the same transaction as their claims."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from ecombot.clock import zone as zone_of
from ecombot.retros import posting, schedules, service
from ecombot.retros.models import RetroSchedule
from ecombot.scheduling.service import Firing, claimed
from ecombot.workspaces import service as workspaces

log = logging.getLogger(__name__)

OPEN_GRACE = timedelta(hours=6)  # a retro missed while the bot was down still opens this late


def open_retros(session: Session, now: datetime) -> list[Firing]:
    """Tick: each schedule whose opening has come opens its retro and posts the prompt, once."""
    firings: list[Firing] = []
    active = schedules.active_schedules(session)
    teams = workspaces.get_workspaces(session, {s.team_id for s in active})
    due: dict[datetime, list[RetroSchedule]] = {}
    for schedule in active:
        workspace = teams.get(schedule.team_id) or workspaces.get_workspace(session, schedule.team_id)
        zone = zone_of(workspace.timezone)
        slot = schedules.slot_on(schedule, now.astimezone(zone).date(), zone)
        if slot <= now < slot + OPEN_GRACE:
            due.setdefault(slot, []).append(schedule)
    for slot, group in due.items():
        # For the six hours an opening may still happen, those opened already are found in two
        # queries for all of them.
        ids = [s.id for s in group if s.id is not None]
        done = {
            int(key.rsplit(":", 1)[1]) for key in claimed(session, [f"retros.open:{i}" for i in ids], slot)
        }
        done |= service.opened_at_slot(session, ids, slot)
        for schedule in group:
            if schedule.id not in done:
                firings += _open(session, schedule, slot, now)
    return firings


def _open(session: Session, schedule: RetroSchedule, slot: datetime, now: datetime) -> list[Firing]:
    """Open one schedule's retro of `slot` and post its prompt (nothing if another scheduler did)."""
    assert schedule.id is not None
    workspace = workspaces.get_workspace(session, schedule.team_id)
    zone = zone_of(workspace.timezone)
    key = f"retros.open:{schedule.id}"
    today = now.astimezone(zone).date()
    closes = schedules.close_after(
        schedule.close_weekday, schedules.parse_time(schedule.close_time), slot, zone
    )
    opening = service.Opening(
        team_id=schedule.team_id,
        channel_id=schedule.channel_id,
        kind="weekly",
        anonymous=schedule.anonymous,
        votes=schedule.votes,
        language=workspace.language,
        first_day=today - timedelta(days=6),
        last_day=today,
        closes_at=closes,
        opened_by=schedule.created_by,
        schedule_id=schedule.id,
        slot=slot,
        private=schedule.private,
    )
    try:
        with session.begin_nested():
            _, prompt = posting.open_with_prompt(
                session, opening, now, zone=workspace.timezone, currency=workspace.currency
            )
    except IntegrityError:
        return []  # another scheduler opened it meanwhile
    return [Firing(key, slot, schedule.team_id, [prompt])]


def close_retros(session: Session, now: datetime) -> list[Firing]:
    """Tick: each retro whose close time has come closes once: tasks, summary, DMs."""
    firings: list[Firing] = []
    for retro in service.due_to_close(session, now):
        workspace = workspaces.get_workspace(session, retro.team_id)
        try:
            with session.begin_nested():
                done = posting.close_with_summary(
                    session, retro, now, zone=workspace.timezone, currency=workspace.currency
                )
        except Exception:
            # One retro that cannot be closed must not hold up the others.
            log.exception("closing retro %s (team %s) failed", retro.id, retro.team_id)
            continue
        if done is None:
            continue
        firings.append(Firing(f"retros.close:{retro.id}", retro.closes_at, retro.team_id, done[1]))
    return firings
