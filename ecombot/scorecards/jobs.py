"""The monthly scorecard DM: on the 1st at 10:00 in each member's own timezone, last month's card,
once per member and month."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import sqlalchemy as sa
from sqlmodel import Session

from ecombot.budgets.periods import month_of
from ecombot.clock import zone as zone_of
from ecombot.scheduling.service import Firing, Outgoing, is_claimed
from ecombot.scorecards import service, views
from ecombot.scorecards.models import ScorecardSettings
from ecombot.slack.i18n import t
from ecombot.workspaces import service as workspaces
from ecombot.workspaces.models import Member, Workspace

SEND_AT = time(10, 0)
GRACE = timedelta(hours=6)
KEY = "scorecards.monthly"  # one member's card of a month: f"{KEY}:{team}:{user}", claimed at the slot
# Cards computed in one scheduler pass, at about 9 statements each: 30,000 members at 10:00 on the 1st
# took one pass 85 s on SQLite and 175 s on PostgreSQL, past its 60 s slot. The rest go out in the
# next passes, a minute apart (3,000 a pass: 30,000 cards by 10:10).
PER_PASS = 3000

_M = Member.__table__  # type: ignore[attr-defined]
_W = Workspace.__table__  # type: ignore[attr-defined]
_S = ScorecardSettings.__table__  # type: ignore[attr-defined]


def _windows(session: Session, now: datetime) -> dict[datetime, list[str]]:
    """The zones whose 1st-of-the-month 10:00 has come (within the grace), by that instant (UTC)."""
    due: dict[datetime, list[str]] = {}
    for name in workspaces.zone_names(session):
        zone = zone_of(name)
        slot = datetime.combine(now.astimezone(zone).date().replace(day=1), SEND_AT, tzinfo=zone)
        if slot <= now < slot + GRACE:
            due.setdefault(slot.astimezone(UTC), []).append(name)
    return due


def due_members(session: Session, now: datetime, limit: int | None = None) -> list[tuple[str, str, datetime]]:
    """(team, user, slot UTC) of the people of workspaces with the monthly card on, in a zone at its 1st
    10:00, whose card of that slot is not claimed yet; at most `limit`. The rest of the month a pass
    reads the zone names only."""
    limit = PER_PASS if limit is None else limit
    found: list[tuple[str, str, datetime]] = []
    windows = _windows(session, now)
    if not windows:
        return found
    # The workspaces with the card on, and their own zones (members without one of their own are in it).
    teams = dict(
        session.execute(
            sa.select(_S.c.team_id, _W.c.timezone)
            .select_from(_S.join(_W, _W.c.team_id == _S.c.team_id))
            .where(_S.c.monthly == sa.true())
        ).all()
    )
    if not teams:
        return found
    for slot_utc, names in windows.items():
        zoned = sorted(team for team, tz in teams.items() if tz in names)
        key = sa.literal(KEY + ":") + _M.c.team_id + ":" + _M.c.user_id
        query = (
            sa.select(_M.c.team_id, _M.c.user_id)
            .where(
                _M.c.team_id.in_(sorted(teams)),
                _M.c.is_bot == sa.false(),
                _M.c.deleted == sa.false(),
                sa.or_(
                    _M.c.tz.in_(sorted(names)),
                    sa.and_(sa.func.coalesce(_M.c.tz, "") == "", _M.c.team_id.in_(zoned)),
                ),
                ~is_claimed(key, slot_utc),
            )
            .limit(limit - len(found))
        )
        found += [(team, user, slot_utc) for team, user in session.execute(query)]
        if len(found) >= limit:
            break
    return found


def send_monthly_cards(session: Session, now: datetime) -> list[Firing]:
    """Tick: each member whose 1st-of-the-month 10:00 has come gets last month's card by DM."""
    firings: list[Firing] = []
    by_team: dict[str, list[tuple[str, datetime]]] = {}
    for team_id, user, slot_utc in due_members(session, now):
        by_team.setdefault(team_id, []).append((user, slot_utc))
    for team_id, due in by_team.items():
        workspace = workspaces.get_workspace(session, team_id)
        people = workspaces.callers_of(session, team_id, [user for user, _ in due], now)
        for user, slot_utc in due:
            person = people.get(user)
            slot = slot_utc.astimezone(zone_of(person.tz if person is not None else workspace.timezone))
            key = f"{KEY}:{team_id}:{user}"
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
