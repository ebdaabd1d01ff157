"""What the standup surfaces share: the channel a command is for, today's status, the answer form."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from zoneinfo import ZoneInfo

from sqlmodel import Session

from ecombot.actor import Caller
from ecombot.errors import InvalidInput
from ecombot.scheduling.service import Outgoing
from ecombot.slack import blocks as bk
from ecombot.slack.i18n import fmt_date, t
from ecombot.slack.reply import Reply, say
from ecombot.standups import answers, posting, service, status_views, views
from ecombot.standups.answers import Saved
from ecombot.standups.models import Standup


def channel_of(caller: Caller) -> str:
    """The channel a standup command is about (not a DM)."""
    if caller.channel[:1] not in ("C", "G"):
        raise InvalidInput("standup_use_in_channel")
    return caller.channel


def today_of(
    session: Session, standup: Standup, caller: Caller, members: Sequence[str] | None = None
) -> status_views.Today:
    """The standup's current day in the workspace's time, and who answered, is waited for, or is away
    (`members`: its participants, when the caller has read them already)."""
    day = answers.next_day(session, standup, caller.now.astimezone(ZoneInfo(caller.workspace_tz)))
    if day is None:
        return status_views.Today(None, [], [], [])
    opened = answers.get_day(session, standup, day)
    if opened is not None:
        roster = list(opened.roster)
    else:
        roster = list(members) if members is not None else service.participants(session, standup)
    if opened is not None and opened.reported_at is not None:
        away = set(opened.away)
    else:
        away = service.away_on(session, standup.team_id, roster, day)
    given = answers.answers_on(session, standup, day)  # everyone's in one query, not one per person
    done = {user for user in roster if (a := given.get(user)) is not None and a.state == "done"}
    return status_views.Today(
        day,
        [u for u in roster if u in done],
        [u for u in roster if u not in done and u not in away],
        [u for u in roster if u in away and u not in done],
    )


def answer_form_for(session: Session, caller: Caller, standups: Sequence[Standup]) -> Reply:
    """The answer form for the first of `standups` still to answer (else the first), for the day
    the caller is answering for now."""
    local = caller.now.astimezone(ZoneInfo(caller.tz))
    choices = [(s, d) for s in standups if (d := answers.next_day(session, s, local)) is not None]
    if not choices:
        return say(t(caller.locale, "standups.no_day"))
    pending = [
        (s, d)
        for s, d in choices
        if not ((a := answers.get_answer(session, s, d, caller.user_id)) and a.state == "done")
    ]
    standup, day = (pending or choices)[0]
    return form_reply(session, caller, standup, day)


def form_reply(session: Session, caller: Caller, standup: Standup, day: date) -> Reply:
    """The form for one standup day: what was said already, else "yesterday" from last time's plan."""
    existing = answers.get_answer(session, standup, day, caller.user_id)
    given = list(existing.answers) if existing is not None else []
    if not given:
        previous = answers.previous_today(session, standup, caller.user_id, day)
        kinds = [kind for _, kind in service.questions_of(standup)]
        if previous and "yesterday" in kinds:
            given = ["" for _ in kinds]
            given[kinds.index("yesterday")] = previous
    opened = answers.get_day(session, standup, day)
    if opened is not None and opened.reported_at is not None:
        # Not late for someone who answered before it, or whose prompt came only after it.
        on_time = (existing is not None and existing.state == "done") or caller.user_id in opened.later
        note = t(caller.locale, "standups.form_added" if on_time else "standups.form_late")
    elif day > caller.today:
        note = t(caller.locale, "standups.form_early", day=fmt_date(day, caller.locale))
    else:
        note = ""
    return Reply(open_view=views.answer_form(standup, day, caller.locale, answers=given, note=note))


def answered(session: Session, caller: Caller, saved: Saved) -> tuple[bk.Message, list[Outgoing]]:
    """Thanks for the answers, and, when the report is out already, what brings it up to date (edited
    in place, and in thread mode the answers as a new reply), in the workspace's language."""
    standup, day = saved.standup, saved.day
    posted = saved.after_report and bool(day.report_key)  # a day with nobody on it posted nothing
    thanks = views.thanks_message(standup, day.day, caller.locale, late=saved.late and posted, added=posted)
    if not posted:
        return thanks, []
    report = answers.report(session, standup, day)
    outbox, parts = posting.update_outgoing(
        report,
        saved.answer,
        caller.workspace_language,
        revision=day.revision + 1,
        parts_before=day.report_parts,
        updated=saved.updated,
    )
    answers.revise(session, day, parts)
    return thanks, outbox
