"""A standup's past: answers over a range (paged, for `/standup report` and exports) and each
member's participation, punctuality and blockers (for `/standup stats`). No Slack here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from ecombot.standups.answers import blocker_text
from ecombot.standups.models import Standup, StandupAnswer, StandupDay


def _history_filter(standup: Standup, first: date, last: date, user_id: str) -> list[Any]:
    where = [
        StandupAnswer.standup_id == standup.id,
        StandupAnswer.state == "done",
        col(StandupAnswer.day) >= first,
        col(StandupAnswer.day) <= last,
    ]
    if user_id:
        where.append(StandupAnswer.user_id == user_id)
    return where


def history(
    session: Session,
    standup: Standup,
    first: date,
    last: date,
    user_id: str = "",
    *,
    offset: int = 0,
    limit: int | None = None,
) -> list[StandupAnswer]:
    """Answers given between two days (someone's, or everyone's), newest day first."""
    query = select(StandupAnswer).where(*_history_filter(standup, first, last, user_id))
    query = query.order_by(col(StandupAnswer.day).desc(), col(StandupAnswer.user_id)).offset(offset)
    return list(session.exec(query.limit(limit) if limit is not None else query))


def history_count(session: Session, standup: Standup, first: date, last: date, user_id: str = "") -> int:
    """How many answers `history` holds."""
    query = (
        select(sa.func.count())
        .select_from(StandupAnswer)
        .where(*_history_filter(standup, first, last, user_id))
    )
    return int(session.exec(query).one())


@dataclass
class MemberStats:
    """One member's standups over a period."""

    user_id: str
    days: int = 0  # on the roster and not away
    answered: int = 0
    on_time: int = 0
    blockers: int = 0
    tracked: int = 0


def stats(session: Session, standup: Standup, first: date, last: date) -> list[MemberStats]:
    """Participation, punctuality, blockers raised and blockers tracked, per member."""
    days = list(
        session.exec(
            select(StandupDay).where(
                StandupDay.standup_id == standup.id,
                col(StandupDay.day) >= first,
                col(StandupDay.day) <= last,
                col(StandupDay.reported_at).is_not(None),
            )
        )
    )
    answers = {(a.user_id, a.day): a for a in history(session, standup, first, last)}
    result: dict[str, MemberStats] = {}
    for day in days:
        for user in day.roster:
            if user in day.away:
                continue
            entry = result.setdefault(user, MemberStats(user))
            entry.days += 1
            answer = answers.get((user, day.day))
            if answer is None:
                continue
            entry.answered += 1
            entry.on_time += 0 if answer.late else 1
            if blocker_text(standup, answer):
                entry.blockers += 1
                entry.tracked += 1 if answer.tracked else 0
    return sorted(result.values(), key=lambda s: (-s.answered, s.user_id))


@dataclass(frozen=True)
class OpenBlocker:
    """A blocker someone still reported in their latest answer of a period, and since when."""

    channel_id: str
    user_id: str
    text: str
    since: date


def open_blockers(session: Session, standups: list[Standup], first: date, last: date) -> list[OpenBlocker]:
    """For each member of these standups, the blocker of their latest answer between `first` and
    `last` when there is one (it stayed open), with the first day of the run of answers that had one."""
    out: list[OpenBlocker] = []
    for standup in standups:
        latest: dict[str, list[StandupAnswer]] = {}
        for answer in reversed(history(session, standup, first, last, limit=2000)):  # oldest first
            latest.setdefault(answer.user_id, []).append(answer)
        for user, given in latest.items():
            text = blocker_text(standup, given[-1])
            if not text:
                continue
            since = given[-1].day
            for answer in reversed(given[:-1]):
                if not blocker_text(standup, answer):
                    break
                since = answer.day
            out.append(OpenBlocker(standup.channel_id, user, text, since))
    return sorted(out, key=lambda b: (b.since, b.user_id))


@dataclass
class PersonStandups:
    """One person's standups over a period: days on the roster (not away), answered, on time, and the
    blockers they raised and how many were resolved (their next answer had none)."""

    days: int = 0
    answered: int = 0
    on_time: int = 0
    blockers: int = 0
    resolved: int = 0


def person_standups(
    session: Session, standups: list[Standup], user_id: str, first: date, last: date
) -> PersonStandups:
    """`PersonStandups` of one member across their standups."""
    out = PersonStandups()
    for standup in standups:
        for member in stats(session, standup, first, last):
            if member.user_id == user_id:
                out.days += member.days
                out.answered += member.answered
                out.on_time += member.on_time
        given = sorted(
            history(session, standup, first, last + timedelta(days=31), user_id), key=lambda a: a.day
        )
        for index, answer in enumerate(given):
            if answer.day > last or not blocker_text(standup, answer):
                continue
            out.blockers += 1
            later = given[index + 1] if index + 1 < len(given) else None
            if later is not None and not blocker_text(standup, later):
                out.resolved += 1
    return out
