"""Answering by plain DM replies (`message.im`): each reply answers the next question, and the bot
asks the one after it; the last one saves the answers as the form does."""

from __future__ import annotations

from sqlmodel import Session

from ecombot.scheduling.service import Outgoing
from ecombot.slack.i18n import t
from ecombot.slack.inputs import EventInput
from ecombot.slack.reply import Reply
from ecombot.slack.text import from_slack
from ecombot.standups import answers, service, views
from ecombot.standups.handlers.common import answered
from ecombot.workspaces import service as workspaces


def on_message_event(payload: EventInput, session: Session) -> Reply | None:
    """A DM to the bot: the next answer of the standup being asked; else, for a participant, how to
    answer. Everything the bot says back goes through the outbox (there is no request to answer)."""
    event = payload.event
    if event.get("channel_type") != "im" or event.get("thread_ts"):
        return None
    user = str(event.get("user"))
    caller = workspaces.caller_of(session, payload.team_id, user, payload.now)
    if caller is None:
        return None
    key = f"standups.dm:{payload.event_id or event.get('ts')}"
    text = from_slack(str(event.get("text", ""))).strip()
    reply = Reply(meet=set() if caller.known else {user})
    if not text:
        return reply
    if len(text) > service.ANSWER_LIMIT and answers.asking(session, caller.team_id, user, caller.now):
        # Never cut an answer: ask for a shorter one (the form holds at most this much too).
        too_long = t(caller.locale, "standups.dm_too_long", limit=service.ANSWER_LIMIT, length=len(text))
        reply.outbox.append(Outgoing(user, {"text": too_long}, key))
        return reply
    step = answers.take_dm_reply(session, caller, text)
    if step is None:
        if service.standups_of(session, caller.team_id, user):
            hint = t(caller.locale, "standups.dm_nothing_asked")
            reply.outbox.append(Outgoing(user, {"text": hint}, key))
        return reply
    if step.saved is None:
        message = views.question_message(
            step.standup, step.answer.day, step.index, step.next_question, caller.locale
        )
        reply.outbox.append(Outgoing(user, dict(message), key))
        return reply
    thanks, updates = answered(session, caller, step.saved)
    reply.outbox += [Outgoing(user, dict(thanks), key), *updates]
    reply.home.add(user)
    return reply
