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
from ecombot.scheduling.service import Firing, claimed
from ecombot.workspaces import service as workspaces

log = logging.getLogger(__name__)

OPEN_GRACE = timedelta(hours=6)  # a retro missed while the bot was down still opens this late


def open_retros(session: Session, now: datetime) -> list[Firing]:
    """Tick: each schedule whose opening has come opens its retro and posts the prompt, once."""
    firings: list[Firing] = []
    for schedule in schedules.active_schedules(session):
        workspace = workspaces.get_workspace(session, schedule.team_id)
        zone = zone_of(workspace.timezone)
        local = now.astimezone(zone)
        slot = schedules.slot_on(schedule, local.date(), zone)
        if not slot <= now < slot + OPEN_GRACE:
            continue
        assert schedule.id is not None
        key = f"retros.open:{schedule.id}"
        if claimed(session, [key], slot) or service.retro_for_slot(session, schedule.id, slot) is not None:
            continue
        today = local.date()
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
            continue  # another scheduler opened it meanwhile
        firings.append(Firing(key, slot, schedule.team_id, [prompt]))
    return firings


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
