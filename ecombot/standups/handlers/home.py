"""The standups section of App Home: today's status for me (with Answer), and for ops leads the team's."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlmodel import Session

from ecombot.actor import Caller
from ecombot.slack import blocks as bk
from ecombot.standups import answers, service, status_views
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
