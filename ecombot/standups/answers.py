"""Standup days and answers: which day someone is answering for, the day's roster, answers by form or
by DM replies one question at a time, late answers, what a report shows, history and statistics.
No Slack here."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session, col, select

from ecombot.actor import Actor
from ecombot.db import insert_for, insert_missing
from ecombot.errors import InvalidInput, NotFound
from ecombot.scheduling.service import is_claimed
from ecombot.slack.text import clean
from ecombot.standups import service
from ecombot.standups.calendar import is_standup_day
from ecombot.standups.models import Standup, StandupAnswer, StandupDay, StandupMember
from ecombot.workspaces import service as workspaces

EARLY_FROM = time(18, 0)  # answers for the next standup day are taken from 18:00 the day before
LOOKAHEAD = 21  # days searched for the next standup day
DM_WINDOW = timedelta(hours=16)  # DM replies answer a prompt this long after it; later, the form does
NOTHING = {"", "-", "no", "none", "n/a", "na", "nope", "nothing", "无", "没有", "暂无", "没"}


@dataclass
class Saved:
    """Answers saved, and how the posted report (if it is out) must show them: `late` (first given
    after the report), `updated` (given on time, changed after the report), or added without a mark
    (a member whose prompt comes only after the report)."""

    answer: StandupAnswer
    standup: Standup
    day: StandupDay
    after_report: bool = False
    updated: bool = False

    @property
    def late(self) -> bool:
        """Given after the report although the prompt came before it."""
        return self.answer.late


@dataclass
class DmStep:
    """One DM reply taken: the next question to ask, or done."""

    answer: StandupAnswer
    standup: Standup
    next_question: str = ""
    index: int = 0
    saved: Saved | None = None


@dataclass
class Report:
    """A standup day as its report shows it."""

    standup: Standup
    day: StandupDay
    questions: list[tuple[str, str]]
    answered: list[StandupAnswer] = field(default_factory=list)
    blockers: list[tuple[StandupAnswer, str]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    later: list[str] = field(default_factory=list)
    away: list[str] = field(default_factory=list)


def blocker_text(standup: Standup, answer: StandupAnswer) -> str:
    """The answer to the blockers question, unless it says there is none."""
    index = service.blockers_index(standup)
    if index is None or index >= len(answer.answers):
        return ""
    text = answer.answers[index].strip()
    return "" if text.lower().strip(".。!！ ") in NOTHING else text


# -- which day -----------------------------------------------------------------------------------


def runs_on(session: Session, standup: Standup, day: date) -> bool:
    """True when the standup runs on `day` (weekdays, its calendar, the workspace's holidays)."""
    return is_standup_day(day, standup.days, standup.calendar, service.holidays(session, standup.team_id))


def next_day(session: Session, standup: Standup, local: datetime) -> date | None:
    """The standup day someone is answering for at local time `local`: from 18:00 on one standup day,
    answers are for the next one (answering early), until then for that day (late after its report)."""
    holidays = service.holidays(session, standup.team_id)
    # Never before the day's report, even one set later than 18:00.
    cutover = max(EARLY_FROM, service.parse_hhmm(standup.summary_time))
    for offset in range(LOOKAHEAD):
        day = local.date() + timedelta(days=offset)
        if is_standup_day(day, standup.days, standup.calendar, holidays) and local < datetime.combine(
            day, cutover, tzinfo=local.tzinfo
        ):
            return day
    return None


def summary_at(standup: Standup, day: date, zone: ZoneInfo) -> datetime:
    """When the day's report is posted (`zone`: the workspace's)."""
    return datetime.combine(day, service.parse_hhmm(standup.summary_time), tzinfo=zone)


def open_day(session: Session, standup: Standup, day: date, now: datetime) -> StandupDay:
    """The day's row, made once (by whoever comes first: a prompt, an early answer, the report) with
    its roster fixed then. Who is away is read when it matters (a skip can come after the prompt)."""
    found = get_day(session, standup, day)
    if found is not None:
        return found
    roster = service.participants(session, standup)
    insert_missing(
        session,
        StandupDay,
        ("standup_id", "day"),
        standup_id=standup.id,
        team_id=standup.team_id,
        day=day,
        roster=roster,
        away=[],
        later=[],
        report_key="",
        report_parts=0,
        revision=0,
        opened_at=now,
    )
    opened = get_day(session, standup, day)
    assert opened is not None
    return opened


def get_day(session: Session, standup: Standup, day: date, *, lock: bool = False) -> StandupDay | None:
    """The day's row, if it is open (locked for the report or a late answer when `lock`)."""
    query = select(StandupDay).where(StandupDay.standup_id == standup.id, StandupDay.day == day)
    if lock:
        # Read again once locked: the session may hold the row as it was before another process wrote it.
        query = query.with_for_update().execution_options(populate_existing=True)
    return session.exec(query).first()


# -- answering -----------------------------------------------------------------------------------


def get_answer(session: Session, standup: Standup, day: date, user_id: str) -> StandupAnswer | None:
    """Someone's answers for a day, if any."""
    query = select(StandupAnswer).where(
        StandupAnswer.standup_id == standup.id, StandupAnswer.day == day, StandupAnswer.user_id == user_id
    )
    return session.exec(query).first()


def answers_on(session: Session, standup: Standup, day: date) -> dict[str, StandupAnswer]:
    """Everyone's answers for a day (given or being given), by person, in one query."""
    query = select(StandupAnswer).where(StandupAnswer.standup_id == standup.id, StandupAnswer.day == day)
    return {a.user_id: a for a in session.exec(query)}


def previous_today(session: Session, standup: Standup, user_id: str, before: date) -> str:
    """What someone said they would do on their last standup day (offered as "yesterday")."""
    index = next((i for i, (_, kind) in enumerate(service.questions_of(standup)) if kind == "today"), None)
    if index is None:
        return ""
    query = (
        select(StandupAnswer)
        .where(
            StandupAnswer.standup_id == standup.id,
            StandupAnswer.user_id == user_id,
            col(StandupAnswer.day) < before,
            StandupAnswer.state == "done",
        )
        .order_by(col(StandupAnswer.day).desc())
        .limit(1)
    )
    last = session.exec(query).first()
    return last.answers[index] if last is not None and index < len(last.answers) else ""


# -- what the ticks look at first, over every standup at once ---------------------------------------


def not_asked_yet(
    session: Session, standup_ids: Collection[int], zone_names: Collection[str], day: date
) -> set[int]:
    """Of these standups, those with a participant in one of these zones (theirs, or their
    workspace's) who has neither answered nor been asked for `day`: the prompt tick looks closer
    only at them."""
    if not standup_ids or not zone_names:
        return set()
    m = StandupMember.__table__  # type: ignore[attr-defined]
    s = Standup.__table__  # type: ignore[attr-defined]
    a = StandupAnswer.__table__  # type: ignore[attr-defined]
    asked = sa.exists().where(
        a.c.standup_id == m.c.standup_id,
        a.c.day == day,
        a.c.user_id == m.c.user_id,
        sa.or_(a.c.state == "done", a.c.prompted_at.is_not(None)),
    )
    query = (
        sa.select(m.c.standup_id)
        .join(s, s.c.id == m.c.standup_id)
        .where(
            m.c.standup_id.in_(sorted(standup_ids)),
            workspaces.zone_name_of(s.c.team_id, m.c.user_id).in_(sorted(zone_names)),
            ~asked,
        )
        .distinct()
    )
    return set(session.execute(query).scalars())


def not_reminded_yet(session: Session, standup_ids: Collection[int], day: date, at: datetime) -> set[int]:
    """Of these standups, those with someone asked by `at` who has not answered `day` and has not had
    the reminder of `at` yet: the reminder tick looks closer only at them."""
    if not standup_ids:
        return set()
    a = StandupAnswer.__table__  # type: ignore[attr-defined]
    key = sa.literal("standups.reminder:") + sa.cast(a.c.standup_id, sa.String) + ":" + a.c.user_id
    query = (
        sa.select(a.c.standup_id)
        .where(
            a.c.standup_id.in_(sorted(standup_ids)),
            a.c.day == day,
            a.c.prompted_at <= at,
            a.c.state != "done",
            ~is_claimed(key, at),
        )
        .distinct()
    )
    return set(session.execute(query).scalars())


def days_of(session: Session, standup_ids: Collection[int], day: date) -> dict[int, StandupDay]:
    """The rows of `day` of these standups that are open, by standup, in one query."""
    if not standup_ids:
        return {}
    query = select(StandupDay).where(
        col(StandupDay.standup_id).in_(sorted(standup_ids)), StandupDay.day == day
    )
    return {row.standup_id: row for row in session.exec(query)}


def previous_todays(
    session: Session, standup: Standup, user_ids: Sequence[str], before: date
) -> dict[str, str]:
    """`previous_today` of several people, in one query (the prompt tick asks a whole standup at once)."""
    index = next((i for i, (_, kind) in enumerate(service.questions_of(standup)) if kind == "today"), None)
    if index is None or not user_ids:
        return {}
    a = StandupAnswer.__table__  # type: ignore[attr-defined]
    last = (
        sa.select(a.c.user_id, sa.func.max(a.c.day).label("day"))
        .where(
            a.c.standup_id == standup.id,
            a.c.user_id.in_(list(user_ids)),
            a.c.day < before,
            a.c.state == "done",
        )
        .group_by(a.c.user_id)
        .subquery()
    )
    rows = session.execute(
        sa.select(a.c.user_id, a.c.answers).join(
            last, sa.and_(a.c.standup_id == standup.id, a.c.user_id == last.c.user_id, a.c.day == last.c.day)
        )
    )
    return {user: given[index] for user, given in rows if index < len(given)}


def start_asking_many(
    session: Session, standup: Standup, day: date, user_ids: Sequence[str], now: datetime
) -> None:
    """`start_asking` for several people: their rows made (once, whoever races) and marked asked, in
    two statements."""
    if not user_ids:
        return
    a = StandupAnswer.__table__  # type: ignore[attr-defined]
    session.execute(
        insert_for(session)(a).on_conflict_do_nothing(index_elements=["standup_id", "day", "user_id"]),
        [
            dict(
                standup_id=standup.id,
                team_id=standup.team_id,
                user_id=user,
                day=day,
                answers=[],
                state="asking",
                via="",
                late=False,
                tracked=[],
                updated_at=now,
            )
            for user in user_ids
        ],
    )
    session.execute(
        sa.update(a)
        .where(a.c.standup_id == standup.id, a.c.day == day, a.c.user_id.in_(list(user_ids)))
        .values(
            prompted_at=sa.func.coalesce(a.c.prompted_at, sa.literal(now, a.c.prompted_at.type)),
            updated_at=now,
        )
    )


def _answer_row(session: Session, standup: Standup, day: date, user_id: str, now: datetime) -> StandupAnswer:
    """Someone's row for a day, made once even when a prompt and a form race for it."""
    found = get_answer(session, standup, day, user_id)
    if found is not None:
        return found
    insert_missing(
        session,
        StandupAnswer,
        ("standup_id", "day", "user_id"),
        standup_id=standup.id,
        team_id=standup.team_id,
        user_id=user_id,
        day=day,
        answers=[],
        state="asking",
        via="",
        late=False,
        tracked=[],
        updated_at=now,
    )
    made = get_answer(session, standup, day, user_id)
    assert made is not None
    return made


def start_asking(session: Session, standup: Standup, day: date, user_id: str, now: datetime) -> StandupAnswer:
    """The prompt went out: replies in the DM now answer this day's questions, in order."""
    answer = _answer_row(session, standup, day, user_id, now)
    if answer.prompted_at is None:
        answer.prompted_at = now
    answer.updated_at = now
    session.add(answer)
    session.flush()
    return answer


def save_answers(
    session: Session, actor: Actor, standup: Standup, day: date, answers: Sequence[str], *, via: str
) -> Saved:
    """Someone's answers for a day (a new version replaces the old); after the report they are late."""
    questions = service.questions_of(standup)
    texts = [clean(a).strip() for a in answers]
    if len(texts) != len(questions) or not any(texts):
        raise InvalidInput("standup_answers_missing")
    if actor.user_id not in service.participants(session, standup):
        raise InvalidInput("standup_not_member")
    open_day(session, standup, day, actor.now)
    # Locked: the report (or another late answer) brings the posted report up to date one at a time.
    locked = get_day(session, standup, day, lock=True)
    assert locked is not None
    if actor.user_id not in locked.roster:
        # Joined after the day opened, and answered anyway: they are in this day's report.
        locked.roster = [*locked.roster, actor.user_id]
        session.add(locked)
    answer = _answer_row(session, standup, day, actor.user_id, actor.now)
    after_report = locked.reported_at is not None
    updated = after_report and answer.state == "done"
    answer.answers = texts
    answer.via = via
    if not updated:
        # A first answer after the report is late, unless the prompt itself came after the report;
        # a change after the report keeps the time (and the lateness) of the first answer.
        answer.late = after_report and actor.user_id not in locked.later
        answer.answered_at = actor.now
    answer.state = "done"
    answer.updated_at = actor.now
    session.add(answer)
    session.flush()
    return Saved(answer, standup, locked, after_report=after_report, updated=updated)


def asking(session: Session, team_id: str, user_id: str, now: datetime) -> StandupAnswer | None:
    """The standup day someone is answering by DM replies right now: the most recently prompted, if
    the prompt came in the last DM_WINDOW (a reply days later to some other DM is no answer)."""
    query = (
        select(StandupAnswer)
        .where(
            StandupAnswer.team_id == team_id,
            StandupAnswer.user_id == user_id,
            StandupAnswer.state == "asking",
            col(StandupAnswer.prompted_at) >= now - DM_WINDOW,
        )
        .order_by(col(StandupAnswer.prompted_at).desc(), col(StandupAnswer.id).desc())
        .limit(1)
    )
    return session.exec(query).first()


def take_dm_reply(session: Session, actor: Actor, text: str) -> DmStep | None:
    """A plain DM reply answers the next question of the day being asked; None when nothing is."""
    answer = asking(session, actor.team_id, actor.user_id, actor.now)
    if answer is None:
        return None
    standup = session.get(Standup, answer.standup_id)
    if standup is None or standup.off_at is not None:
        return None
    questions = service.questions_of(standup)
    given = [*answer.answers, clean(text).strip()]
    if len(given) < len(questions):
        answer.answers = given
        answer.via = "dm"
        answer.updated_at = actor.now
        session.add(answer)
        return DmStep(answer, standup, next_question=questions[len(given)][0], index=len(given))
    saved = save_answers(session, actor, standup, answer.day, given[: len(questions)], via="dm")
    return DmStep(saved.answer, standup, index=len(questions), saved=saved)


def track(session: Session, actor: Actor, answer_id: int, task_number: int) -> StandupAnswer:
    """Remember that a blocker became a task."""
    answer = session.get(StandupAnswer, answer_id)
    if answer is None or answer.team_id != actor.team_id:
        raise NotFound("standup_answer_gone")
    answer.tracked = [*answer.tracked, task_number]
    session.add(answer)
    return answer


def answer_by_id(session: Session, team_id: str, answer_id: int, *, lock: bool = False) -> StandupAnswer:
    """An answer of this workspace (from a report's button); locked when it is about to change."""
    answer = session.get(StandupAnswer, answer_id, with_for_update=lock)
    if answer is None or answer.team_id != team_id:
        raise NotFound("standup_answer_gone")
    return answer


# -- reports, history, statistics ----------------------------------------------------------------


def report(
    session: Session,
    standup: Standup,
    day: StandupDay,
    *,
    away: Collection[str] = (),
    later: Collection[str] = (),
) -> Report:
    """What the day's report shows: blockers first, then each answer, then who did not answer, who
    answers later (their prompt comes after the report) and who is away, in the order they joined.

    Once the report is out, who was away and who answers later are the ones it showed."""
    if day.reported_at is not None:
        away, later = day.away, day.later
    query = select(StandupAnswer).where(
        StandupAnswer.standup_id == standup.id, StandupAnswer.day == day.day, StandupAnswer.state == "done"
    )
    answers = {a.user_id: a for a in session.exec(query) if a.user_id in day.roster}
    order = {user: i for i, user in enumerate(day.roster)}
    answered = sorted(answers.values(), key=lambda a: (order[a.user_id], a.user_id))
    result = Report(standup, day, service.questions_of(standup), answered=answered)
    result.blockers = [(a, text) for a in answered if (text := blocker_text(standup, a))]
    waiting = [u for u in day.roster if u not in answers]
    result.away = [u for u in waiting if u in away]
    result.later = [u for u in waiting if u in later and u not in away]
    result.missing = [u for u in waiting if u not in away and u not in later]
    return result


def mark_reported(
    session: Session,
    day: StandupDay,
    *,
    key: str,
    parts: int,
    now: datetime,
    away: Collection[str],
    later: Collection[str],
) -> None:
    """The report went out (under this outbox key, in `parts` messages); from now on answers are added
    to it, and late unless the member's prompt came after it."""
    day.reported_at = now
    day.report_key = key
    day.report_parts = parts
    day.away = sorted(away)
    day.later = sorted(later)
    session.add(day)


def revise(session: Session, day: StandupDay, parts: int) -> int:
    """The posted report is brought up to date once more (now `parts` messages); its revision number."""
    day.revision += 1
    day.report_parts = max(day.report_parts, parts)
    session.add(day)
    return day.revision
