"""Standups: configuration, who takes part, time away, workspace holidays. No Slack here.

Answers, days and reports are in `answers.py`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, time, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select

from ecombot.actor import Actor
from ecombot.errors import InvalidInput, NotFound, PermissionDenied
from ecombot.slack.text import clean
from ecombot.standups.calendar import default_calendar
from ecombot.standups.models import CALENDARS, MODES, Standup, StandupAway, StandupHoliday, StandupMember
from ecombot.workspaces import service as workspaces

MAX_QUESTIONS = 6
DEFAULT_REMINDER = 30  # minutes before the report
QUESTION_LIMIT = 200
ANSWER_LIMIT = 3000
HOLIDAY_SPAN = 60  # days one `/standup holiday` may cover
AWAY_SPAN = 366
KINDS = ("yesterday", "today", "blockers", "")

DEFAULT_QUESTIONS = {
    "en": (
        ("What did you do yesterday?", "yesterday"),
        ("What will you do today?", "today"),
        ("Anything blocking you?", "blockers"),
    ),
    "zh-CN": (
        ("昨天做了什么？", "yesterday"),
        ("今天计划做什么？", "today"),
        ("有没有遇到阻碍？", "blockers"),
    ),
}


@dataclass(frozen=True)
class StandupConfig:
    """What a `/standup config` line or the setup form asked for; None keeps what is there."""

    participants: tuple[str, ...] | None = None
    questions: tuple[tuple[str, str], ...] | None = None  # (text, kind)
    days: tuple[int, ...] | None = None
    prompt_time: time | None = None
    summary_time: time | None = None
    reminder_minutes: int | None = None
    reminder_off: bool = False
    mode: str | None = None
    calendar: str | None = None


@dataclass
class Configured:
    """A standup after setup, and whether it was new."""

    standup: Standup
    created: bool
    participants: list[str] = field(default_factory=list)


def require_manager(actor: Actor) -> None:
    """PermissionDenied unless the actor is an admin or an ops lead."""
    if not actor.is_manager:
        raise PermissionDenied("standup_manager_only")


def hhmm(value: time) -> str:
    """09:30."""
    return f"{value.hour:02d}:{value.minute:02d}"


def parse_hhmm(value: str) -> time:
    """The stored `HH:MM` as a time."""
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def _minutes(hhmm_text: str) -> int:
    value = parse_hhmm(hhmm_text)
    return value.hour * 60 + value.minute


def questions_of(standup: Standup) -> list[tuple[str, str]]:
    """(text, kind) of each question, in order."""
    return [(str(q.get("text", "")), str(q.get("kind", ""))) for q in standup.questions]


def blockers_index(standup: Standup) -> int | None:
    """Which question asks about blockers, if any."""
    return next((i for i, (_, kind) in enumerate(questions_of(standup)) if kind == "blockers"), None)


# -- reading -----------------------------------------------------------------------------------


def find_standup(session: Session, team_id: str, channel_id: str) -> Standup | None:
    """The channel's standup (not turned off), if it has one."""
    query = select(Standup).where(
        Standup.team_id == team_id, Standup.channel_id == channel_id, col(Standup.off_at).is_(None)
    )
    return session.exec(query).first()


def get_standup(session: Session, team_id: str, channel_id: str) -> Standup:
    """The channel's standup, or NotFound naming how to set one up."""
    standup = find_standup(session, team_id, channel_id)
    if standup is None:
        raise NotFound("standup_not_found", channel=channel_id)
    return standup


def standup_by_id(session: Session, team_id: str, standup_id: int) -> Standup:
    """A standup of this workspace by id (from a button), or NotFound."""
    standup = session.get(Standup, standup_id)
    if standup is None or standup.team_id != team_id or standup.off_at is not None:
        raise NotFound("standup_gone")
    return standup


def participants(session: Session, standup: Standup) -> list[str]:
    """Who takes part, in the order they joined."""
    query = select(StandupMember.user_id).where(StandupMember.standup_id == standup.id)
    return list(session.exec(query.order_by(col(StandupMember.joined_at), col(StandupMember.user_id))))


def active_standups(session: Session) -> list[Standup]:
    """Every standup running (not paused, not off), across workspaces, for the scheduler."""
    query = select(Standup).where(col(Standup.off_at).is_(None), col(Standup.paused).is_(False))
    return list(session.exec(query.order_by(col(Standup.id))))


def standups_of(session: Session, team_id: str, user_id: str) -> list[Standup]:
    """The standups someone takes part in (for their App Home)."""
    query = (
        select(Standup)
        .join(StandupMember, col(StandupMember.standup_id) == col(Standup.id))
        .where(Standup.team_id == team_id, StandupMember.user_id == user_id, col(Standup.off_at).is_(None))
    )
    return list(session.exec(query.order_by(col(Standup.id))))


def workspace_standups(session: Session, team_id: str, *, include_off: bool = False) -> list[Standup]:
    """Every standup of a workspace (not turned off, unless `include_off`: an export's history)."""
    query = select(Standup).where(Standup.team_id == team_id)
    if not include_off:
        query = query.where(col(Standup.off_at).is_(None))
    return list(session.exec(query.order_by(col(Standup.id))))


def holidays(session: Session, team_id: str) -> dict[date, str]:
    """The workspace's own holidays, by date."""
    query = select(StandupHoliday).where(StandupHoliday.team_id == team_id).order_by(col(StandupHoliday.day))
    return {h.day: h.name for h in session.exec(query)}


def away_on(session: Session, team_id: str, user_ids: Sequence[str], day: date) -> set[str]:
    """Those of `user_ids` who are away on `day` (a skipped day, a vacation)."""
    if not user_ids:
        return set()
    query = select(StandupAway.user_id).where(
        StandupAway.team_id == team_id,
        col(StandupAway.user_id).in_(list(user_ids)),
        col(StandupAway.first_day) <= day,
        col(StandupAway.last_day) >= day,
    )
    return set(session.exec(query))


def away_periods(session: Session, actor: Actor) -> list[StandupAway]:
    """The caller's days away from today on."""
    query = select(StandupAway).where(
        StandupAway.team_id == actor.team_id,
        StandupAway.user_id == actor.user_id,
        col(StandupAway.last_day) >= actor.today,
    )
    return list(session.exec(query.order_by(col(StandupAway.first_day))))


# -- configuring -------------------------------------------------------------------------------


def default_questions(language: str) -> tuple[tuple[str, str], ...]:
    """The three usual questions, in the workspace's language."""
    return DEFAULT_QUESTIONS.get(language, DEFAULT_QUESTIONS["en"])


def _validate(config: StandupConfig) -> None:
    if config.questions is not None:
        if not 1 <= len(config.questions) <= MAX_QUESTIONS:
            raise InvalidInput("standup_question_count", most=MAX_QUESTIONS)
        for text, kind in config.questions:
            if not clean(text).strip() or len(text) > QUESTION_LIMIT:
                raise InvalidInput("standup_bad_question", limit=QUESTION_LIMIT)
            if kind not in KINDS:
                raise InvalidInput("standup_bad_question", limit=QUESTION_LIMIT)
        if [k for _, k in config.questions if k == "blockers"][1:]:
            raise InvalidInput("standup_two_blockers")
    if config.days is not None and (not config.days or any(not 0 <= d <= 6 for d in config.days)):
        raise InvalidInput("standup_no_days")
    if config.mode is not None and config.mode not in MODES:
        raise InvalidInput("standup_bad_mode", value=config.mode)
    if config.calendar is not None and config.calendar not in CALENDARS:
        raise InvalidInput("standup_bad_calendar", value=config.calendar)
    if config.reminder_minutes is not None and not 1 <= config.reminder_minutes <= 12 * 60:
        raise InvalidInput("standup_bad_reminder")


def draft(session: Session, actor: Actor, channel_id: str) -> Standup:
    """A new standup with the defaults (not stored): three questions in the workspace's language,
    Monday to Friday, 09:30 and 11:00, a reminder 30 minutes before, in a thread, `cn` in China."""
    workspace = workspaces.get_workspace(session, actor.team_id)
    return Standup(
        team_id=actor.team_id,
        channel_id=channel_id,
        questions=[{"text": t, "kind": k} for t, k in default_questions(workspace.language)],
        days=[0, 1, 2, 3, 4],
        reminder_minutes=DEFAULT_REMINDER,
        calendar=default_calendar(workspace.timezone),
        created_by=actor.user_id,
        created_at=actor.now,
        updated_at=actor.now,
    )


def configure(session: Session, actor: Actor, channel_id: str, config: StandupConfig) -> Configured:
    """Set up the channel's standup, or change it; admins and ops leads only."""
    require_manager(actor)
    _validate(config)
    standup = find_standup(session, actor.team_id, channel_id)
    created = standup is None
    if standup is None:
        standup = draft(session, actor, channel_id)
    if config.questions is not None:
        standup.questions = [{"text": clean(t).strip(), "kind": k} for t, k in config.questions]
    if config.days is not None:
        standup.days = sorted(set(config.days))
    if config.prompt_time is not None:
        standup.prompt_time = hhmm(config.prompt_time)
    if config.summary_time is not None:
        standup.summary_time = hhmm(config.summary_time)
    if config.reminder_off:
        standup.reminder_minutes = None
    elif config.reminder_minutes is not None:
        standup.reminder_minutes = config.reminder_minutes
    if config.mode is not None:
        standup.mode = config.mode
    if config.calendar is not None:
        standup.calendar = config.calendar
    prompt, summary = _minutes(standup.prompt_time), _minutes(standup.summary_time)
    # Nothing is written on a refusal: the whole request's transaction is rolled back.
    if prompt >= summary:
        raise InvalidInput(
            "standup_prompt_after_summary", prompt=standup.prompt_time, summary=standup.summary_time
        )
    if standup.reminder_minutes and summary - standup.reminder_minutes <= prompt:
        raise InvalidInput(
            "standup_reminder_before_prompt",
            minutes=standup.reminder_minutes,
            prompt=standup.prompt_time,
            summary=standup.summary_time,
        )
    standup.updated_at = actor.now
    session.add(standup)
    session.flush()
    if config.participants is not None:
        set_participants(session, actor, standup, config.participants)
    return Configured(standup, created, participants(session, standup))


def set_participants(session: Session, actor: Actor, standup: Standup, user_ids: Sequence[str]) -> None:
    """Make exactly these people the participants (bots and deactivated accounts left out)."""
    wanted = []
    for user in dict.fromkeys(user_ids):
        try:
            workspaces.require_person(session, actor, user)
        except InvalidInput:
            continue
        wanted.append(user)
    current = set(participants(session, standup))
    session.execute(
        sa.delete(StandupMember).where(
            col(StandupMember.standup_id) == standup.id, col(StandupMember.user_id).not_in(wanted or [""])
        )
    )
    for offset, user in enumerate(u for u in wanted if u not in current):
        assert standup.id is not None
        session.add(
            StandupMember(
                standup_id=standup.id, user_id=user, joined_at=actor.now + timedelta(microseconds=offset)
            )
        )
    session.flush()


def join(session: Session, actor: Actor, channel_id: str) -> bool:
    """Take part in the channel's standup; False when already in."""
    standup = get_standup(session, actor.team_id, channel_id)
    if session.get(StandupMember, (standup.id, actor.user_id)) is not None:
        return False
    assert standup.id is not None
    session.add(StandupMember(standup_id=standup.id, user_id=actor.user_id, joined_at=actor.now))
    return True


def leave(session: Session, actor: Actor, channel_id: str) -> bool:
    """Stop taking part; False when one was not in."""
    standup = get_standup(session, actor.team_id, channel_id)
    member = session.get(StandupMember, (standup.id, actor.user_id))
    if member is None:
        return False
    session.delete(member)
    return True


def set_paused(session: Session, actor: Actor, channel_id: str, paused: bool) -> Standup:
    """Pause (no prompts, no reports) or resume; admins and ops leads only."""
    require_manager(actor)
    standup = get_standup(session, actor.team_id, channel_id)
    standup.paused = paused
    standup.updated_at = actor.now
    session.add(standup)
    return standup


def turn_off(session: Session, actor: Actor, channel_id: str) -> Standup:
    """End the channel's standup (its history stays); admins and ops leads only."""
    require_manager(actor)
    standup = get_standup(session, actor.team_id, channel_id)
    standup.off_at = actor.now
    standup.updated_at = actor.now
    session.add(standup)
    return standup


def turn_on(session: Session, actor: Actor, standup_id: int) -> Standup:
    """Undo `/standup off`, unless the channel has a new standup by now; admins and ops leads only."""
    require_manager(actor)
    standup = session.get(Standup, standup_id)
    if standup is None or standup.team_id != actor.team_id:
        raise NotFound("standup_gone")
    if standup.off_at is not None:
        if find_standup(session, actor.team_id, standup.channel_id) is not None:
            raise InvalidInput("standup_replaced")
        standup.off_at = None
        standup.updated_at = actor.now
        session.add(standup)
    return standup


# -- time away and holidays --------------------------------------------------------------------


def go_away(session: Session, actor: Actor, first: date, last: date, reason: str) -> StandupAway:
    """The caller is away from `first` to `last` (a skipped day or a vacation)."""
    if last < first:
        raise InvalidInput("standup_bad_range")
    if last < actor.today:
        raise InvalidInput("standup_range_past")
    if (last - first).days >= AWAY_SPAN:
        raise InvalidInput("standup_range_too_long", most=AWAY_SPAN)
    away = StandupAway(
        team_id=actor.team_id,
        user_id=actor.user_id,
        first_day=max(first, actor.today),
        last_day=last,
        reason=reason,
        created_at=actor.now,
    )
    session.add(away)
    session.flush()
    return away


def come_back(session: Session, actor: Actor, away_id: int) -> None:
    """Undo a time away (the Undo button)."""
    away = session.get(StandupAway, away_id)
    if away is None or away.team_id != actor.team_id or away.user_id != actor.user_id:
        raise NotFound("standup_away_gone")
    session.delete(away)


def add_holidays(session: Session, actor: Actor, first: date, last: date, name: str) -> list[date]:
    """Workspace holidays from `first` to `last`: no standup that day anywhere; managers only."""
    require_manager(actor)
    if last < first:
        raise InvalidInput("standup_bad_range")
    if (last - first).days >= HOLIDAY_SPAN:
        raise InvalidInput("standup_range_too_long", most=HOLIDAY_SPAN)
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    for day in days:
        holiday = session.get(StandupHoliday, (actor.team_id, day))
        if holiday is None:
            holiday = StandupHoliday(team_id=actor.team_id, day=day, created_by=actor.user_id)
        holiday.name = clean(name).strip()[:100]
        session.add(holiday)
    return days


def remove_holiday(session: Session, actor: Actor, day: date) -> str:
    """Drop a workspace holiday; returns its name. Managers only."""
    require_manager(actor)
    holiday = session.get(StandupHoliday, (actor.team_id, day))
    if holiday is None:
        raise NotFound("standup_holiday_not_found", day=day.isoformat())
    session.delete(holiday)
    return holiday.name
