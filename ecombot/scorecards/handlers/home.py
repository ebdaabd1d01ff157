"""The scorecards part of App Home: when my monthly card comes, if the workspace sends them."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session

from ecombot.actor import Caller
from ecombot.clock import zone
from ecombot.domain import Upcoming
from ecombot.scorecards import service
from ecombot.scorecards.jobs import SEND_AT
from ecombot.slack.i18n import t


def scorecards_upcoming(viewer: Caller, session: Session, until: datetime) -> list[Upcoming]:
    """My next monthly card (the 1st at 10:00 my time), when monthly cards are on."""
    settings = service.settings_of(session, viewer.team_id)
    if settings is None or not settings.monthly:
        return []
    local = viewer.now.astimezone(zone(viewer.tz))
    first = local.date().replace(day=1)
    at = datetime.combine(first, SEND_AT, tzinfo=local.tzinfo)
    if at < viewer.now:
        at = datetime.combine((first + timedelta(days=32)).replace(day=1), SEND_AT, tzinfo=local.tzinfo)
    return [Upcoming(at, t(viewer.locale, "scorecards.upcoming.card"))] if at <= until else []
