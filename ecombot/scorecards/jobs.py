"""The monthly scorecard DM: on the 1st at 10:00 in each member's own timezone, last month's card,
once per member and month."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlmodel import Session

from ecombot.budgets.periods import month_of
from ecombot.clock import zone as zone_of
from ecombot.scheduling.service import Firing, Outgoing, claimed
from ecombot.scorecards import service, views
from ecombot.slack.i18n import t
from ecombot.workspaces import service as workspaces

SEND_AT = time(10, 0)
GRACE = timedelta(hours=6)


def send_monthly_cards(session: Session, now: datetime) -> list[Firing]:
    """Tick: each member whose 1st-of-the-month 10:00 has come gets last month's card by DM."""
    firings: list[Firing] = []
    for team_id in service.monthly_workspaces(session):
        workspace = workspaces.get_workspace(session, team_id)
        members = workspaces.people(session, team_id)
        people = workspaces.callers_of(session, team_id, members, now)
        for user in members:
            person = people.get(user)
            zone = zone_of(person.tz if person is not None else workspace.timezone)
            local = now.astimezone(zone)
            slot = datetime.combine(local.date().replace(day=1), SEND_AT, tzinfo=zone)
            if not slot <= now < slot + GRACE:
                continue
            key = f"scorecards.monthly:{team_id}:{user}"
            if claimed(session, [key], slot):
                continue
            last_month = month_of(slot.date() - timedelta(days=1))
            card = service.card(
                session, team_id, user, last_month, slot.date(), tz=workspace.timezone, kind="month"
            )
            locale = person.locale if person is not None else workspace.language
            message = views.card_message(card, workspace.currency, locale, ephemeral=False)
            message["text"] = t(locale, "scorecards.monthly_intro") + " " + message["text"]
            firings.append(
                Firing(key, slot, team_id, [Outgoing(user, dict(message), f"{key}:{last_month.label}")])
            )
    return firings
