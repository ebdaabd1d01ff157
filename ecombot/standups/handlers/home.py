"""The standups section of App Home: today's status for me (with Answer), and for ops leads the team's."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from ecombot.actor import Caller
from ecombot.domain import Upcoming
from ecombot.slack import blocks as bk
from ecombot.slack.i18n import t
from ecombot.standups import answers, service, status_views
from ecombot.standups.calendar import is_standup_day
from ecombot.standups.handlers.common import today_of

HOME_STANDUP_LIMIT = 10


def standups_home_section(viewer: Caller, session: Session, budget: int) -> list[bk.Block]:
    """Each standup I take part in (and, for an ops lead, every standup of the workspace) with the
    day being answered for now and where I and the team are."""
    mine = service.standups_of(session, viewer.team_id, viewer.user_id)
    shown = list(mine)
    if viewer.is_manager:
        # Other standups' counts too, except private channels' (their status stays in them).
        others = service.workspace_standups(session, viewer.team_id)
        shown += [s for s in others if s not in mine and not s.private]
    entries: list[status_views.HomeEntry] = []
    local = viewer.now.astimezone(ZoneInfo(viewer.tz))
    for standup in shown[:HOME_STANDUP_LIMIT]:
        day = answers.next_day(session, standup, local)
        if day is None:
            continue
        team = today_of(session, standup, viewer) if viewer.is_manager else None
        if standup in mine:
            answer = answers.get_answer(session, standup, day, viewer.user_id)
            if answer is not None and answer.state == "done":
                state = "answered"
            elif viewer.user_id in service.away_on(session, viewer.team_id, [viewer.user_id], day):
                state = "away"
            else:
                state = "to_answer"
        else:
            state = "team"
        counts = (len(team.answered), len(team.answered) + len(team.waiting)) if team is not None else None
        entries.append(status_views.HomeEntry(standup, day, state, counts))
    return status_views.home_blocks(entries, viewer.locale, budget)


def standups_upcoming(viewer: Caller, session: Session, until: datetime) -> list[Upcoming]:
    """For each running standup I take part in: my next questions (my time) and its next report."""
    found: list[Upcoming] = []
    zone = ZoneInfo(viewer.tz)
    workspace_zone = ZoneInfo(viewer.workspace_tz)
    holidays = service.holidays(session, viewer.team_id)
    for standup in service.standups_of(session, viewer.team_id, viewer.user_id)[:HOME_STANDUP_LIMIT]:
        if standup.paused:
            continue
        channel = f"<#{standup.channel_id}>"
        asked = reported = False
        day = viewer.now.astimezone(zone).date()
        while not (asked and reported) and datetime.combine(day, time(0), tzinfo=zone) <= until:
            if is_standup_day(day, standup.days, standup.calendar, holidays):
                prompt = datetime.combine(day, service.parse_hhmm(standup.prompt_time), tzinfo=zone)
                away = service.away_on(session, viewer.team_id, [viewer.user_id], day)
                if not asked and prompt >= viewer.now and viewer.user_id not in away:
                    found.append(
                        Upcoming(prompt, t(viewer.locale, "standups.upcoming.prompt", channel=channel))
                    )
                    asked = True
                report = answers.summary_at(standup, day, workspace_zone)
                if not reported and report >= viewer.now:
                    found.append(
                        Upcoming(report, t(viewer.locale, "standups.upcoming.report", channel=channel))
                    )
                    reported = True
            day += timedelta(days=1)
    return found
