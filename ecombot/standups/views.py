"""Standup prompts, the answer form, reports, and replies (pure; user text escaped here)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import Any

from ecombot.slack import blocks as bk
from ecombot.slack.i18n import fmt_date, t
from ecombot.slack.text import esc, mention, split
from ecombot.standups import messages as _messages  # noqa: F401  (registers the strings)
from ecombot.standups.models import CALENDARS, MODES, Standup
from ecombot.standups.service import ANSWER_LIMIT, MAX_QUESTIONS, Configured, questions_of

ANSWER = "standups.answer"
SKIP = "standups.skip"
UNDO_AWAY = "standups.undo_away"
UNDO_OFF = "standups.undo_off"
ANSWER_FORM = "standups.answer_form"
SETUP_FORM = "standups.setup_form"
WEEKDAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
REMINDER_CHOICES = (10, 15, 30, 60, 120)
HISTORY_ROOM = 48


def channel_ref(channel_id: str) -> str:
    """A channel mention (ids come from Slack, never from free text)."""
    return f"<#{channel_id}>" if channel_id[:1] in ("C", "G") else esc(channel_id)


def esc_name(name: str) -> str:
    """A holiday's name (user text), safe in mrkdwn."""
    return esc(name)


def day_value(standup: Standup, day: date) -> str:
    """What an Answer or Skip button carries: the standup and the day."""
    return f"{standup.id}:{day.isoformat()}"


def days_text(days: Sequence[int], locale: str) -> str:
    """Mon–Fri, or Mon, Wed, Fri (in the reader's language)."""
    names = [t(locale, f"tasks.every.{WEEKDAY_KEYS[d]}") for d in sorted(days)]
    ordered = sorted(days)
    if len(ordered) > 2 and ordered == list(range(ordered[0], ordered[-1] + 1)):
        return f"{names[0]}–{names[-1]}"
    return ", ".join(names)


def _people(user_ids: Sequence[str]) -> str:
    return ", ".join(mention(u) for u in user_ids)


def pieces(text: str, budget: int = bk.SECTION_BUDGET) -> list[str]:
    """User text, escaped, in pieces that each fit a section (a long answer is spread over sections,
    never cut short)."""
    return split(esc(text), budget)


# -- prompts and answers -------------------------------------------------------------------------


def prompt_message(
    standup: Standup, day: date, locale: str, *, previous: str = "", warning: str = ""
) -> bk.Message:
    """The prompt DM: reply here one question at a time, or open the form; or skip the day."""
    questions = questions_of(standup)
    intro = t(locale, "standups.prompt", channel=channel_ref(standup.channel_id), day=fmt_date(day, locale))
    first = question_line(0, len(questions), questions[0][0])
    blocks: list[bk.Block] = [bk.section(intro)]
    if previous:
        blocks += [
            bk.context(t(locale, "standups.prompt_yesterday", text=piece)) for piece in pieces(previous, 2800)
        ][:3]
    blocks.append(bk.section(first))
    blocks.append(
        bk.actions(
            bk.button(t(locale, "standups.answer_button"), ANSWER, day_value(standup, day), style="primary"),
            bk.button(t(locale, "standups.skip_button"), SKIP, day_value(standup, day)),
        )
    )
    if warning:
        blocks.append(bk.context(warning))
    return bk.message(f"{intro}\n{first}", blocks)


def question_line(index: int, total: int, question: str) -> str:
    """`*2/3* What will you do today?` (the same in every language)."""
    return f"*{index + 1}/{total}* {esc(question)}"


def question_message(standup: Standup, day: date, index: int, question: str, locale: str) -> bk.Message:
    """The next question of a DM conversation (which standup it is for, for people in several)."""
    text = question_line(index, len(questions_of(standup)), question)
    where = t(
        locale, "standups.form_intro", channel=channel_ref(standup.channel_id), day=fmt_date(day, locale)
    )
    return bk.message(text, [bk.section(text), bk.context(where)])


def thanks_message(
    standup: Standup, day: date, locale: str, *, late: bool, added: bool = False
) -> bk.Message:
    """Answers taken (and, after the report, added to it: marked late when they are)."""
    key = "standups.thanks_late" if late else "standups.thanks_added" if added else "standups.thanks"
    text = t(locale, key, channel=channel_ref(standup.channel_id), day=fmt_date(day, locale))
    return bk.message(
        text,
        [
            bk.section(text),
            bk.actions(bk.button(t(locale, "standups.edit_button"), ANSWER, day_value(standup, day))),
        ],
    )


def reminder_message(standup: Standup, day: date, locale: str, *, report_at: str) -> bk.Message:
    """The one reminder to someone who has not answered yet (`report_at`: in their own time)."""
    text = t(locale, "standups.reminder", channel=channel_ref(standup.channel_id), summary=report_at)
    return bk.message(
        text,
        [
            bk.section(text),
            bk.actions(
                bk.button(
                    t(locale, "standups.answer_button"), ANSWER, day_value(standup, day), style="primary"
                ),
                bk.button(t(locale, "standups.skip_button"), SKIP, day_value(standup, day)),
            ),
        ],
    )


def answer_form(
    standup: Standup, day: date, locale: str, *, answers: Sequence[str] = (), note: str = ""
) -> dict[str, Any]:
    """The answer form: one input per question, prefilled with what was already said."""
    blocks: list[bk.Block] = [
        bk.context(
            t(
                locale,
                "standups.form_intro",
                channel=channel_ref(standup.channel_id),
                day=fmt_date(day, locale),
            )
        )
    ]
    if note:
        blocks.append(bk.context(note))
    for index, (question, kind) in enumerate(questions_of(standup)):
        element: dict[str, Any] = {"type": "plain_text_input", "multiline": True, "max_length": ANSWER_LIMIT}
        if index < len(answers) and answers[index]:
            element["initial_value"] = answers[index][:ANSWER_LIMIT]
        label = question + (f" {t(locale, 'standups.blockers_mark')}" if kind == "blockers" else "")
        blocks.append(bk.input_block(f"q{index}", label, element, optional=True))
    return bk.modal(
        t(locale, "standups.form_title"),
        blocks,
        callback_id=ANSWER_FORM,
        submit=t(locale, "standups.form_submit"),
        close=t(locale, "standups.form_close"),
        private_metadata=json.dumps({"standup": standup.id, "day": day.isoformat()}, separators=(",", ":")),
    )


# -- setup ---------------------------------------------------------------------------------------


def setup_form(standup: Standup, members: Sequence[str], locale: str, *, channel: str) -> dict[str, Any]:
    """The setup form, filled in with the standup's settings (or the defaults of a new one)."""
    questions = questions_of(standup)
    blocks: list[bk.Block] = [
        bk.input_block(
            "participants",
            t(locale, "standups.form.participants"),
            {"type": "multi_users_select", **({"initial_users": list(members)} if members else {})},
            optional=True,
            hint=t(locale, "standups.form.participants_hint"),
        )
    ]
    for index in range(MAX_QUESTIONS):
        element: dict[str, Any] = {"type": "plain_text_input", "max_length": 200}
        if index < len(questions):
            element["initial_value"] = questions[index][0]
        blocks.append(
            bk.input_block(
                f"q{index}", t(locale, "standups.form.question", index=index + 1), element, optional=index > 0
            )
        )
    blocker = next((str(i) for i, (_, kind) in enumerate(questions) if kind == "blockers"), "")
    question_options = [bk.option(t(locale, "standups.form.no_blockers"), "none")] + [
        bk.option(t(locale, "standups.form.question", index=i + 1), str(i)) for i in range(MAX_QUESTIONS)
    ]
    blocks.append(
        bk.input_block(
            "blockers",
            t(locale, "standups.form.blockers"),
            {
                "type": "static_select",
                "options": question_options,
                "initial_option": question_options[int(blocker) + 1 if blocker else 0],
            },
        )
    )
    day_options = [bk.option(t(locale, f"tasks.every.{key}"), str(i)) for i, key in enumerate(WEEKDAY_KEYS)]
    blocks.append(
        bk.input_block(
            "days",
            t(locale, "standups.form.days"),
            {
                "type": "checkboxes",
                "options": day_options,
                "initial_options": [day_options[d] for d in sorted(standup.days)],
            },
        )
    )
    blocks += [
        bk.input_block(
            "prompt_time",
            t(locale, "standups.form.prompt_time"),
            {"type": "timepicker", "initial_time": standup.prompt_time},
        ),
        bk.input_block(
            "summary_time",
            t(locale, "standups.form.summary_time"),
            {"type": "timepicker", "initial_time": standup.summary_time},
        ),
    ]
    choices = sorted({*REMINDER_CHOICES, *([standup.reminder_minutes] if standup.reminder_minutes else [])})
    reminder_options = [bk.option(t(locale, "standups.reminder_off"), "off")] + [
        bk.option(t(locale, "standups.reminder_before", minutes=m), str(m)) for m in choices
    ]
    current = str(standup.reminder_minutes) if standup.reminder_minutes else "off"
    blocks.append(
        bk.input_block(
            "reminder",
            t(locale, "standups.form.reminder"),
            {
                "type": "static_select",
                "options": reminder_options,
                "initial_option": next(o for o in reminder_options if o["value"] == current),
            },
        )
    )
    for block_id, values in (("mode", MODES), ("calendar", CALENDARS)):
        options = [bk.option(t(locale, f"standups.{block_id}.{v}"), v) for v in values]
        selected = standup.mode if block_id == "mode" else standup.calendar
        blocks.append(
            bk.input_block(
                block_id,
                t(locale, f"standups.form.{block_id}"),
                {
                    "type": "radio_buttons",
                    "options": options,
                    "initial_option": options[values.index(selected)],
                },
            )
        )
    return bk.modal(
        t(locale, "standups.form_title"),
        blocks,
        callback_id=SETUP_FORM,
        submit=t(locale, "standups.form_submit"),
        close=t(locale, "standups.form_close"),
        private_metadata=json.dumps({"channel": channel}, separators=(",", ":")),
    )


def configured_message(
    configured: Configured, locale: str, workspace_tz: str, *, from_channel: bool
) -> bk.Message:
    """Setup done: when it runs, and who takes part."""
    standup = configured.standup
    channel = channel_ref(standup.channel_id)
    if configured.created:
        text = t(
            locale,
            "standups.created",
            channel=channel,
            days=days_text(standup.days, locale),
            prompt=standup.prompt_time,
            summary=standup.summary_time,
            tz=esc(workspace_tz),
        )
    else:
        text = t(locale, "standups.updated", channel=channel)
    blocks: list[bk.Block] = [bk.section(text)]
    if from_channel:
        blocks.append(bk.context(t(locale, "standups.participants_from_channel")))
    elif configured.participants:
        people = t(
            locale,
            "standups.participants",
            count=len(configured.participants),
            people=_people(configured.participants),
        )
        blocks += [bk.context(piece) for piece in bk.split_lines([people], 2900)]
    return bk.message(text, blocks)
