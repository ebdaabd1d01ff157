"""A channel's weekly retro schedule: set, stopped and restarted by admins and ops leads; when its
retros open and close in the workspace's week. No Slack here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from ecombot.actor import Actor
from ecombot.errors import InvalidInput, NotFound, PermissionDenied
from ecombot.retros.models import RetroSchedule

MAX_VOTES = 20


def require_manager(actor: Actor) -> None:
    """Admins and ops leads schedule, start and close retros."""
    if not actor.is_manager:
        raise PermissionDenied("retro_managers_only")


def _hhmm(value: time) -> str:
    return f"{value.hour:02d}:{value.minute:02d}"


def parse_time(text: str) -> time:
    """A stored `HH:MM`."""
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


@dataclass(frozen=True)
class ScheduleDraft:
    """`/retro schedule <day> <time> [close:<day> <time>] [anonymous:on|off] [votes:<n>]`, parsed;
    None keeps what the schedule had (or the default)."""

    weekday: int | None = None
    at: time | None = None
    close_weekday: int | None = None
    close_at: time | None = None
    anonymous: bool | None = None
    votes: int | None = None


def schedule_of(session: Session, team_id: str, channel_id: str) -> RetroSchedule | None:
    """The channel's running schedule."""
    return session.exec(
        select(RetroSchedule).where(
            RetroSchedule.team_id == team_id,
            RetroSchedule.channel_id == channel_id,
            col(RetroSchedule.off_at).is_(None),
        )
    ).first()


def active_schedules(session: Session) -> list[RetroSchedule]:
    """Every running schedule, across workspaces (for the opening tick)."""
    return list(session.exec(select(RetroSchedule).where(col(RetroSchedule.off_at).is_(None))))


def workspace_schedules(session: Session, team_id: str) -> list[RetroSchedule]:
    """The workspace's running schedules (a few: one per channel)."""
    query = select(RetroSchedule).where(RetroSchedule.team_id == team_id, col(RetroSchedule.off_at).is_(None))
    return list(session.exec(query.order_by(col(RetroSchedule.id)).limit(50)))


def set_schedule(
    session: Session, actor: Actor, channel_id: str, draft: ScheduleDraft
) -> tuple[RetroSchedule, bool]:
    """Schedule the channel's weekly retro, or change it; returns it and whether it is new."""
    require_manager(actor)
    if draft.votes is not None and not 1 <= draft.votes <= MAX_VOTES:
        raise InvalidInput("retro_bad_votes", part=str(draft.votes), most=MAX_VOTES)
    found = schedule_of(session, actor.team_id, channel_id)
    schedule = found or RetroSchedule(
        team_id=actor.team_id,
        channel_id=channel_id,
        created_by=actor.user_id,
        created_at=actor.now,
        updated_at=actor.now,
    )
    if draft.weekday is not None:
        schedule.weekday = draft.weekday
    if draft.at is not None:
        schedule.time = _hhmm(draft.at)
    if draft.close_weekday is not None:
        schedule.close_weekday = draft.close_weekday
    if draft.close_at is not None:
        schedule.close_time = _hhmm(draft.close_at)
    if draft.anonymous is not None:
        schedule.anonymous = draft.anonymous
    if draft.votes is not None:
        schedule.votes = draft.votes
    if (schedule.weekday, schedule.time) == (schedule.close_weekday, schedule.close_time):
        raise InvalidInput("retro_close_is_open")
    schedule.updated_at = actor.now
    session.add(schedule)
    session.flush()
    return schedule, found is None


def turn_off(session: Session, actor: Actor, channel_id: str) -> RetroSchedule:
    """Stop the channel's weekly retro (an open one still closes as planned)."""
    require_manager(actor)
    schedule = schedule_of(session, actor.team_id, channel_id)
    if schedule is None:
        raise NotFound("retro_no_schedule", channel=channel_id)
    schedule.off_at = actor.now
    session.add(schedule)
    return schedule


def turn_on(session: Session, actor: Actor, schedule_id: int) -> RetroSchedule:
    """Undo `/retro off`: the schedule runs again (unless the channel has a new one by now)."""
    require_manager(actor)
    schedule = session.get(RetroSchedule, schedule_id)
    if schedule is None or schedule.team_id != actor.team_id:
        raise NotFound("retro_no_schedule", channel="")
    if schedule.off_at is None:
        return schedule
    if schedule_of(session, actor.team_id, schedule.channel_id) is not None:
        raise InvalidInput("retro_schedule_replaced", channel=schedule.channel_id)
    schedule.off_at = None
    schedule.updated_at = actor.now
    session.add(schedule)
    return schedule


def slot_on(schedule: RetroSchedule, day: date, zone: ZoneInfo) -> datetime:
    """When the schedule's retro opens in the week of `day` (on the schedule's weekday)."""
    monday = day - timedelta(days=day.weekday())
    return datetime.combine(monday + timedelta(days=schedule.weekday), parse_time(schedule.time), tzinfo=zone)


def next_open(schedule: RetroSchedule, after: datetime, zone: ZoneInfo) -> datetime:
    """The first opening strictly after `after`."""
    local = after.astimezone(zone)
    slot = slot_on(schedule, local.date(), zone)
    while slot <= after:
        slot = slot_on(schedule, slot.date() + timedelta(days=7), zone)
    return slot


def close_after(weekday: int, at: time, opened: datetime, zone: ZoneInfo) -> datetime:
    """The first `weekday` `at` strictly after `opened` (within a week)."""
    local = opened.astimezone(zone)
    for ahead in range(8):
        day = local.date() + timedelta(days=ahead)
        if day.weekday() != weekday:
            continue
        candidate = datetime.combine(day, at, tzinfo=zone)
        if candidate > opened:
            return candidate
    raise AssertionError("a weekday comes back within 8 days")
