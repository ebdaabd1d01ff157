"""The buttons of prompts, reminders, reports and App Home: answer, skip today (and undo), track a
blocker as a task. Each value is read and checked before anything runs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from ecombot.actor import Caller
from ecombot.errors import InvalidInput
from ecombot.slack import blocks as bk
from ecombot.slack import inputs
from ecombot.slack.i18n import t
from ecombot.slack.inputs import ActionInput, BadValue
from ecombot.slack.reply import Reply
from ecombot.slack.text import ELLIPSIS, mention
from ecombot.standups import answers, service
from ecombot.standups.handlers.commands import away_reply, history_page
from ecombot.standups.handlers.common import form_reply
from ecombot.standups.handlers.grammar import Away
from ecombot.standups.models import Standup
from ecombot.standups.status_views import HistoryQuery
from ecombot.standups.views import channel_ref
from ecombot.tasks import service as tasks
from ecombot.tasks import views as task_views
from ecombot.tasks.handlers.common import after_change, hand_over


@dataclass(frozen=True)
class DayRef:
    """Which standup and which day a prompt's button is about."""

    standup_id: int
    day: date


def read_day(action: ActionInput) -> DayRef:
    """`12:2026-10-12`: the standup's id and the day, as the prompt wrote them."""
    standup, _, day = action.value.partition(":")
    try:
        return DayRef(inputs.number(standup), date.fromisoformat(day))
    except ValueError:
        raise BadValue(action.value) from None


def read_number(action: ActionInput) -> int:
    """An id a button carries."""
    return inputs.number(action.value)


@dataclass(frozen=True)
class TrackRef:
    """The answer whose blocker becomes a task, and the report it is in (for the link back)."""

    answer_id: int
    link: str


def read_track(action: ActionInput) -> TrackRef:
    """The answer's id, and the report message's permalink (built from where the click came from)."""
    link = inputs.permalink(action.team_domain, action.channel, action.message_ts)
    return TrackRef(inputs.number(action.value), link)


@dataclass(frozen=True)
class PageRef:
    """Next on `/standup report`: the query, and the channel the click came from."""

    query: HistoryQuery
    channel: str


def read_page(action: ActionInput) -> PageRef:
    """The query a Next button carries (standup, person, range, offset), each checked."""
    data = inputs.json_object(action.value, limit=300)
    try:
        user = str(data.get("u") or "")
        query = HistoryQuery(
            standup_id=inputs.number(str(data.get("s", ""))),
            user=inputs.user_id(user) if user else "",
            first=date.fromisoformat(str(data.get("f", ""))),
            last=date.fromisoformat(str(data.get("l", ""))),
            offset=inputs.number(str(data.get("o", "")), low=0),
        )
    except ValueError:
        raise BadValue(action.value) from None
    return PageRef(query, action.channel)


def on_history_more_action(caller: Caller, ref: PageRef, session: Session) -> Reply:
    """The next page of answers, in place of this one; only in the standup's own channel."""
    standup = service.standup_by_id(session, caller.team_id, ref.query.standup_id)
    if standup.channel_id != ref.channel:
        raise InvalidInput("standup_use_in_channel")
    return Reply(message=history_page(session, caller, standup, ref.query), replace=True)


def _member_standup(session: Session, caller: Caller, standup_id: int) -> Standup:
    standup = service.standup_by_id(session, caller.team_id, standup_id)
    if caller.user_id not in service.participants(session, standup):
        raise InvalidInput("standup_not_member")
    return standup


def on_answer_action(caller: Caller, ref: DayRef, session: Session) -> Reply:
    """Answer in a form (from the prompt, the reminder, the thanks or App Home): the form for that day."""
    standup = _member_standup(session, caller, ref.standup_id)
    return form_reply(session, caller, standup, ref.day)


def on_skip_action(caller: Caller, ref: DayRef, session: Session) -> Reply:
    """Skip today, from the prompt or the reminder: away that day (with Undo)."""
    _member_standup(session, caller, ref.standup_id)
    return away_reply(caller, Away(ref.day, ref.day), "skip", session)


def on_undo_away_action(caller: Caller, away_id: int, session: Session) -> Reply:
    """Undo a skip or a vacation: prompted again as usual."""
    service.come_back(session, caller, away_id)
    text = t(caller.locale, "standups.back")
    return Reply(message=bk.message(text, [bk.section(text)]), replace=True, home={caller.user_id})


def on_undo_off_action(caller: Caller, standup_id: int, session: Session) -> Reply:
    """Undo `/standup off`: it runs again as before."""
    standup = service.turn_on(session, caller, standup_id)
    text = t(caller.locale, "standups.resumed", channel=channel_ref(standup.channel_id))
    return Reply(message=bk.ephemeral(text, [bk.section(text)]), replace=True)


def _title(text: str) -> str:
    line = " ".join(text.split())
    limit = tasks.TITLE_LIMIT
    return line if len(line) <= limit else line[: limit - len(ELLIPSIS)] + ELLIPSIS


def on_track_action(caller: Caller, ref: TrackRef, session: Session) -> Reply:
    """Track as task: the blocker becomes a task owned by the member who raised it, linked to the
    report; they get it by DM. A second click shows the task it already is."""
    answer = answers.answer_by_id(session, caller.team_id, ref.answer_id, lock=True)
    standup = service.standup_by_id(session, caller.team_id, answer.standup_id)
    if answer.tracked:
        return Reply(
            message=bk.ephemeral(t(caller.locale, "standups.tracked_already", number=answer.tracked[-1]))
        )
    blocker = answers.blocker_text(standup, answer)
    if not blocker:
        raise InvalidInput("standup_no_blocker")
    if standup.private:
        # A task is seen across the workspace; a private channel's words stay in it (the link leads there).
        blocker = t(caller.workspace_language, "standups.tracked_private_title", name=mention(answer.user_id))
    draft = tasks.TaskDraft(title=_title(blocker), owner_id=answer.user_id, source_url=ref.link)
    change = tasks.add_task(session, caller, draft)
    answers.track(session, caller, answer.id or 0, change.task.number)
    headline = t(caller.locale, "standups.tracked", user=answer.user_id, number=change.task.number)
    reply = Reply(message=task_views.card_message(headline, change, caller.locale, caller.today))
    hand_over(session, caller, change, reply)
    return after_change(caller, change, reply)
