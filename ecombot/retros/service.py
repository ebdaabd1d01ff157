"""Retros (复盘): opening a retro (weekly, ad hoc or a campaign review), entries, votes, and closing
it: action items become tasks. No Slack here.

Who may: admins and ops leads start and close retros; everyone who can click in the channel adds
entries and votes; a campaign review is also started by the campaign's owner.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session, col, select

from ecombot.actor import Actor
from ecombot.errors import InvalidInput, NotFound, PermissionDenied
from ecombot.retros import checks
from ecombot.retros.models import KINDS, Retro, RetroEntry, RetroSchedule, RetroVote
from ecombot.retros.schedules import (
    MAX_VOTES,
    close_after,
    next_open,
    parse_time,
    require_manager,
    schedule_of,
)
from ecombot.slack.text import clean
from ecombot.tasks import service as tasks
from ecombot.tasks.models import Task

TEXT_LIMIT = 500
MAX_ENTRIES = 150  # per retro: what its one message can show, with room to vote on each
MAX_IMPROVE = 100  # a vote select holds 100 options
CAMPAIGN_REVIEW_DAYS = 3
ADHOC_DAYS = 3  # `/retro now` without a schedule closes this many days later
DEFAULT_DUE_DAYS = 7  # an action item's due date when no next retro is scheduled
DOUBLE_CLICK = timedelta(seconds=2)


# -- opening ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Opening:
    """A retro to open: where, what kind, its rules and its times."""

    team_id: str
    channel_id: str
    kind: str
    anonymous: bool
    votes: int
    language: str
    first_day: date
    last_day: date
    closes_at: datetime
    opened_by: str = ""
    schedule_id: int | None = None
    slot: datetime | None = None
    campaign_id: int | None = None
    private: bool = False


def prompt_key(retro_id: int) -> str:
    """The outbox key of a retro's prompt (its later versions update it in place)."""
    return f"retros.prompt:{retro_id}"


def open_retro(session: Session, opening: Opening, now: datetime) -> Retro:
    """Store a new retro (its prompt is queued by the caller, in the same transaction)."""
    retro = Retro(
        team_id=opening.team_id,
        channel_id=opening.channel_id,
        kind=opening.kind,
        schedule_id=opening.schedule_id,
        campaign_id=opening.campaign_id,
        anonymous=opening.anonymous,
        votes=opening.votes,
        private=opening.private,
        language=opening.language,
        first_day=opening.first_day,
        last_day=opening.last_day,
        opened_slot=opening.slot,
        opened_at=now,
        opened_by=opening.opened_by,
        closes_at=opening.closes_at,
        salt=secrets.token_hex(16) if opening.anonymous else "",
    )
    session.add(retro)
    session.flush()
    assert retro.id is not None
    retro.prompt_key = prompt_key(retro.id)
    session.add(retro)
    return retro


def retro_for_slot(session: Session, schedule_id: int, slot: datetime) -> Retro | None:
    """The retro a schedule opened at `slot`, if any."""
    return session.exec(
        select(Retro).where(Retro.schedule_id == schedule_id, Retro.opened_slot == slot.astimezone(UTC))
    ).first()


def opened_at_slot(session: Session, schedule_ids: Collection[int], slot: datetime) -> set[int]:
    """Which of these schedules opened their retro of `slot` already, in one query."""
    if not schedule_ids:
        return set()
    query = select(Retro.schedule_id).where(
        col(Retro.schedule_id).in_(sorted(schedule_ids)), Retro.opened_slot == slot.astimezone(UTC)
    )
    return {i for i in session.exec(query) if i is not None}


@dataclass(frozen=True)
class NowOptions:
    """`/retro now [close:<day> <time>] [anonymous:on|off] [votes:<n>]`."""

    close_weekday: int | None = None
    close_at: time | None = None
    anonymous: bool | None = None
    votes: int | None = None


def opening_now(
    session: Session, actor: Actor, channel_id: str, options: NowOptions, *, zone: str, language: str
) -> Opening:
    """What `/retro now` opens: the channel's schedule's rules, or the defaults, with the options."""
    require_manager(actor)
    if options.votes is not None and not 1 <= options.votes <= MAX_VOTES:
        raise InvalidInput("retro_bad_votes", part=str(options.votes), most=MAX_VOTES)
    tz = ZoneInfo(zone)
    running = [r for r in open_retros(session, actor.team_id, channel_id) if r.kind != "campaign"]
    if running:
        raise InvalidInput("retro_already_open", channel=channel_id)
    schedule = schedule_of(session, actor.team_id, channel_id)
    today = actor.now.astimezone(tz).date()
    if options.close_weekday is not None:
        closes = close_after(options.close_weekday, options.close_at or time(10, 0), actor.now, tz)
    elif schedule is not None:
        closes = close_after(schedule.close_weekday, parse_time(schedule.close_time), actor.now, tz)
    else:
        closes = actor.now + timedelta(days=ADHOC_DAYS)
    anonymous = options.anonymous if options.anonymous is not None else bool(schedule and schedule.anonymous)
    votes = options.votes or (schedule.votes if schedule is not None else 3)
    return Opening(
        team_id=actor.team_id,
        channel_id=channel_id,
        kind="adhoc",
        anonymous=anonymous,
        votes=votes,
        language=language,
        first_day=today - timedelta(days=6),
        last_day=today,
        closes_at=closes.astimezone(UTC),
        opened_by=actor.user_id,
    )


def campaign_review_of(session: Session, team_id: str, campaign_id: int) -> Retro | None:
    """The review a campaign has (one per campaign)."""
    return session.exec(
        select(Retro).where(
            Retro.team_id == team_id, Retro.campaign_id == campaign_id, Retro.kind == "campaign"
        )
    ).first()


def campaign_review_opening(
    session: Session, actor: Actor, campaign_id: int, channel_id: str, *, zone: str, language: str
) -> Opening | Retro:
    """What "Start campaign review" opens (closing after 3 days), or the review it has already. The
    campaign's owner, admins and ops leads start it."""
    from ecombot.campaigns import service as campaigns

    campaign = campaigns.get_by_id(session, actor.team_id, campaign_id)
    existing = campaign_review_of(session, actor.team_id, campaign_id)
    if existing is not None:
        return existing
    if not (actor.is_manager or actor.user_id == campaign.owner_id):
        raise PermissionDenied("retro_review_forbidden")
    today = actor.now.astimezone(ZoneInfo(zone)).date()
    schedule = schedule_of(session, actor.team_id, channel_id)
    return Opening(
        team_id=actor.team_id,
        channel_id=channel_id,
        kind="campaign",
        anonymous=bool(schedule and schedule.anonymous),
        votes=schedule.votes if schedule is not None else 3,
        language=language,
        first_day=campaign.start,
        last_day=campaign.end or today,
        closes_at=actor.now + timedelta(days=CAMPAIGN_REVIEW_DAYS),
        opened_by=actor.user_id,
        campaign_id=campaign_id,
        private=campaign.private,
    )


# -- reading ---------------------------------------------------------------------------------------


def get_retro(session: Session, team_id: str, retro_id: int, *, lock: bool = False) -> Retro:
    """A retro of this workspace, or NotFound."""
    retro = session.get(Retro, retro_id, with_for_update=lock)
    if retro is None or retro.team_id != team_id:
        raise NotFound("retro_not_found")
    return retro


def open_retros(session: Session, team_id: str, channel_id: str) -> list[Retro]:
    """The channel's retros still open, the newest first."""
    return list(
        session.exec(
            select(Retro)
            .where(Retro.team_id == team_id, Retro.channel_id == channel_id, col(Retro.closed_at).is_(None))
            .order_by(col(Retro.opened_at).desc())
        )
    )


def entries_of(session: Session, retro: Retro) -> list[RetroEntry]:
    """A retro's entries in the order they came."""
    return list(
        session.exec(select(RetroEntry).where(RetroEntry.retro_id == retro.id).order_by(col(RetroEntry.id)))
    )


def vote_counts(session: Session, retro: Retro) -> dict[int, int]:
    """Votes per entry (shown only once the retro has closed)."""
    rows = session.execute(
        sa.select(col(RetroVote.entry_id), sa.func.count())
        .where(col(RetroVote.retro_id) == retro.id)
        .group_by(col(RetroVote.entry_id))
    ).all()
    return {int(entry): int(n) for entry, n in rows}


def _voter(retro: Retro, user_id: str) -> str:
    if not retro.anonymous:
        return user_id
    if not retro.salt:
        raise InvalidInput("retro_closed")
    return hmac.new(retro.salt.encode(), user_id.encode(), hashlib.sha256).hexdigest()


def my_votes(session: Session, retro: Retro, user_id: str) -> set[int]:
    """The entries this person voted for in an open retro."""
    voter = _voter(retro, user_id)
    rows = session.exec(
        select(RetroVote.entry_id).where(RetroVote.retro_id == retro.id, RetroVote.voter == voter)
    )
    return set(rows)


# -- entries and votes -----------------------------------------------------------------------------


@dataclass(frozen=True)
class EntryDraft:
    """An entry from the form: its kind and text; for an action item, owner, due date and check."""

    kind: str
    text: str
    nonce: str
    owner_id: str = ""
    due_date: date | None = None
    check: checks.Check | None = None


def require_open(retro: Retro) -> None:
    """A closed retro takes no more entries or votes."""
    if retro.closed_at is not None:
        raise InvalidInput("retro_closed")


def add_entry(session: Session, actor: Actor, retro_id: int, draft: EntryDraft) -> tuple[Retro, bool]:
    """Add an entry (once per form: the same form sent again adds nothing); returns the retro, locked
    for its prompt's next version, and whether the entry is new."""
    retro = get_retro(session, actor.team_id, retro_id, lock=True)
    require_open(retro)
    if draft.kind not in KINDS:
        raise InvalidInput("retro_bad_kind", part=draft.kind)
    text = clean(draft.text).strip()
    if not text:
        raise InvalidInput("retro_text_missing")
    if len(text) > TEXT_LIMIT:
        raise InvalidInput("retro_text_too_long", limit=TEXT_LIMIT)
    if not draft.nonce or len(draft.nonce) > 40:
        raise InvalidInput("retro_bad_form")
    seen = session.exec(
        select(RetroEntry.id).where(RetroEntry.retro_id == retro.id, RetroEntry.nonce == draft.nonce)
    ).first()
    if seen is not None:
        return retro, False
    counts = dict(
        session.execute(
            sa.select(col(RetroEntry.kind), sa.func.count())
            .where(col(RetroEntry.retro_id) == retro.id)
            .group_by(col(RetroEntry.kind))
        ).all()
    )
    if sum(counts.values()) >= MAX_ENTRIES or (
        draft.kind == "improve" and counts.get("improve", 0) >= MAX_IMPROVE
    ):
        raise InvalidInput("retro_full", most=MAX_ENTRIES)
    owner = ""
    if draft.kind == "action":
        owner = draft.owner_id
        if not owner:
            raise InvalidInput("retro_action_owner_missing")
        if owner == actor.bot_user_id:
            raise InvalidInput("task_bad_owner", value=owner)
    session.add(
        RetroEntry(
            retro_id=retro_id,
            team_id=retro.team_id,
            kind=draft.kind,
            text=text,
            # An anonymous retro keeps no trace of who wrote what: no author, and only the day.
            author_id="" if retro.anonymous else actor.user_id,
            owner_id=owner,
            due_date=draft.due_date if draft.kind == "action" else None,
            check_metric=draft.check.metric if draft.check is not None and draft.kind == "action" else "",
            check_op=draft.check.op if draft.check is not None and draft.kind == "action" else "",
            check_value=draft.check.value if draft.check is not None and draft.kind == "action" else None,
            nonce=draft.nonce,
            created_at=_day_start(actor.now) if retro.anonymous else actor.now,
        )
    )
    retro.revision += 1
    session.add(retro)
    session.flush()
    return retro, True


def _day_start(now: datetime) -> datetime:
    return datetime.combine(now.astimezone(UTC).date(), time(0), tzinfo=UTC)


@dataclass(frozen=True)
class Voted:
    """A vote given (`added`) or taken back, and how many of their votes the person has used."""

    retro: Retro
    entry: RetroEntry
    added: bool
    used: int


def toggle_vote(session: Session, actor: Actor, entry_id: int) -> Voted:
    """Vote for a "to improve" entry, or take the vote back; at most `votes` per person per retro."""
    entry = session.get(RetroEntry, entry_id)
    if entry is None or entry.team_id != actor.team_id:
        raise NotFound("retro_entry_gone")
    retro = get_retro(session, actor.team_id, entry.retro_id, lock=True)
    require_open(retro)
    if entry.kind != "improve":
        raise InvalidInput("retro_vote_improve_only")
    voter = _voter(retro, actor.user_id)
    mine = my_votes(session, retro, actor.user_id)
    if entry_id in mine:
        given = session.get(RetroVote, (entry_id, voter))
        if given is not None and actor.now - given.created_at < DOUBLE_CLICK:
            return Voted(retro, entry, True, len(mine))  # the second click of a double click
        session.execute(
            sa.delete(RetroVote).where(col(RetroVote.entry_id) == entry_id, col(RetroVote.voter) == voter)
        )
        return Voted(retro, entry, False, len(mine) - 1)
    if len(mine) >= retro.votes:
        raise InvalidInput("retro_no_votes_left", votes=retro.votes)
    session.add(RetroVote(entry_id=entry_id, voter=voter, retro_id=entry.retro_id, created_at=actor.now))
    session.flush()
    return Voted(retro, entry, True, len(mine) + 1)


# -- closing ---------------------------------------------------------------------------------------


@dataclass
class Closed:
    """A closed retro: its entries, the votes, and the task each action item became."""

    retro: Retro
    entries: list[RetroEntry]
    votes: dict[int, int]
    tasks: dict[int, Task] = field(default_factory=dict)  # entry id -> task


def next_due(session: Session, retro: Retro, now: datetime, zone: str) -> date:
    """An action item's default due date: the day of the channel's next scheduled retro, else a week on."""
    tz = ZoneInfo(zone)
    schedule = schedule_of(session, retro.team_id, retro.channel_id)
    if schedule is not None:
        return next_open(schedule, now, tz).date()
    return now.astimezone(tz).date() + timedelta(days=DEFAULT_DUE_DAYS)


def close(
    session: Session, retro: Retro, now: datetime, *, zone: str, closed_by: str = "", campaign: str = ""
) -> Closed | None:
    """Close a retro once: each action item becomes a task (its owner's, due on its date or at the next
    retro); None when it was closed already."""
    locked = session.get(Retro, retro.id, with_for_update=True)
    if locked is None or locked.closed_at is not None:
        return None
    retro = locked
    retro.closed_at, retro.closed_by = now, closed_by
    retro.salt = ""  # anonymous votes can no longer be tied to anyone
    retro.next_due = next_due(session, retro, now, zone)
    retro.revision += 1
    session.add(retro)
    entries = entries_of(session, retro)
    result = Closed(retro, entries, vote_counts(session, retro))
    for entry in entries:
        if entry.kind != "action" or entry.task_id is not None:
            continue
        owner = Actor(team_id=retro.team_id, user_id=entry.owner_id, now=now, tz=zone)
        change = tasks.add_task(
            session,
            owner,
            tasks.TaskDraft(
                title=entry.text[: tasks.TITLE_LIMIT],
                owner_id=entry.owner_id,
                due_date=entry.due_date or retro.next_due,
                campaign=campaign,
            ),
        )
        entry.task_id = change.task.id
        session.add(entry)
        result.tasks[entry.id or 0] = change.task
    session.flush()
    return result


# At most this many retros close in one pass, the rest in the next. Every workspace's weekly retro
# closes at the same time by default: 1,000 close in about 4 s (SQLite) to 9 s (PostgreSQL), well
# inside the scheduler's 60 s pass, where 200 a pass left the last ones four minutes late.
CLOSE_BATCH = 1000


def due_to_close(session: Session, now: datetime) -> list[Retro]:
    """Open retros whose close time has come, across workspaces."""
    return list(
        session.exec(
            select(Retro)
            .where(col(Retro.closed_at).is_(None), col(Retro.closes_at) <= now)
            .order_by(col(Retro.closes_at))
            .limit(CLOSE_BATCH)
        )
    )


def set_private(
    session: Session, team_id: str, private: bool, *, retro_id: int = 0, schedule_id: int = 0
) -> None:
    """What Slack said about a retro's (or a schedule's) channel, learnt after the ack."""
    rows: list[Retro | RetroSchedule | None] = [
        session.get(Retro, retro_id) if retro_id else None,
        session.get(RetroSchedule, schedule_id) if schedule_id else None,
    ]
    for row in rows:
        if row is not None and row.team_id == team_id and row.private != private:
            row.private = private
            session.add(row)
