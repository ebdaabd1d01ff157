"""The answer form and the setup form: read, checked, saved; a refusal stays in the form next to the
field it is about."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from ecombot.actor import Caller
from ecombot.errors import InvalidInput
from ecombot.slack import inputs
from ecombot.slack.errors import refusal_text
from ecombot.slack.i18n import t
from ecombot.slack.inputs import BadValue, FormInput
from ecombot.slack.reply import Reply
from ecombot.standups import answers, service
from ecombot.standups.handlers.commands import configured_reply
from ecombot.standups.handlers.common import answered
from ecombot.standups.handlers.grammar import kind_of
from ecombot.standups.models import CALENDARS, MODES
from ecombot.standups.service import StandupConfig

_BLOCKER_CHOICES = ("none", *(str(i) for i in range(service.MAX_QUESTIONS)))
_SETUP_FIELD_OF = {
    "standup_question_count": "q0",
    "standup_bad_question": "q0",
    "standup_two_blockers": "blockers",
    "standup_no_days": "days",
    "standup_bad_reminder": "reminder",
    "standup_prompt_after_summary": "prompt_time",
    "standup_reminder_before_prompt": "reminder",
}


def on_answer_form_submission(caller: Caller, form: FormInput, session: Session) -> Reply:
    """Answers from the form: saved (a new version replaces the old), thanks by DM, and when the
    report is out already, added to it."""
    meta = form.metadata
    try:
        standup_id = inputs.number(str(meta.get("standup", "")))
        day = date.fromisoformat(str(meta.get("day", "")))
    except ValueError:
        raise BadValue(meta) from None
    standup = service.standup_by_id(session, caller.team_id, standup_id)
    texts = [
        form.values.text(f"q{index}", limit=service.ANSWER_LIMIT)
        for index in range(len(service.questions_of(standup)))
    ]
    if not any(texts):
        return Reply(errors={"q0": t(caller.locale, "error.standup_answers_missing")})
    saved = answers.save_answers(session, caller, standup, day, texts, via="form")
    thanks, outbox = answered(session, caller, saved)
    return Reply(message=thanks, outbox=outbox, home={caller.user_id})


def _setup_config(form: FormInput) -> StandupConfig:
    values = form.values
    questions = [
        values.text(f"q{index}", limit=service.QUESTION_LIMIT) for index in range(service.MAX_QUESTIONS)
    ]
    blockers = values.option("blockers", _BLOCKER_CHOICES, default="none")
    reminder = values.option("reminder", ("off", *(str(m) for m in range(1, 12 * 60 + 1))), default="off")
    seen: set[str] = set()
    asked: list[tuple[str, str]] = []
    for index, text in enumerate(questions):
        if not text:
            continue
        kind = "blockers" if str(index) == blockers else kind_of(text, blockers_marked=True)
        asked.append((text, "" if kind in seen else kind))
        seen.add(kind)
    return StandupConfig(
        participants=tuple(values.users("participants", bot_user_id=form.bot_user_id)) or None,
        questions=tuple(asked),
        days=tuple(int(d) for d in values.options("days", tuple(str(i) for i in range(7)))),
        prompt_time=values.time("prompt_time"),
        summary_time=values.time("summary_time"),
        reminder_minutes=None if reminder == "off" else int(reminder),
        reminder_off=reminder == "off",
        mode=values.option("mode", MODES, default="thread"),
        calendar=values.option("calendar", CALENDARS, default="none"),
    )


def on_setup_form_submission(caller: Caller, form: FormInput, session: Session) -> Reply:
    """The setup form: the standup set up or changed; an empty participants list takes the channel's
    members (looked up after the ack)."""
    channel = inputs.channel_id(form.metadata.get("channel"))
    config = _setup_config(form)
    blockers = form.values.option("blockers", _BLOCKER_CHOICES, default="none")
    if blockers != "none" and not form.values.text(f"q{blockers}", limit=service.QUESTION_LIMIT):
        return Reply(errors={"blockers": t(caller.locale, "standups.form.blockers_empty")})
    try:
        configured = service.configure(session, caller, channel, config)
    except InvalidInput as exc:
        field = _SETUP_FIELD_OF.get(exc.code)
        if field is None:
            raise
        return Reply(errors={field: refusal_text(caller.locale, exc)})
    reply = configured_reply(caller, configured, config, session)
    reply.channel = channel
    return reply
