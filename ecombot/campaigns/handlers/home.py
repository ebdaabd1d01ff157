"""The campaigns section of App Home: active campaigns, spend against budget, ROAS against target."""

from __future__ import annotations

from sqlmodel import Session

from ecombot.actor import Caller
from ecombot.campaigns import service, views
from ecombot.slack import blocks as bk

HOME_CAMPAIGNS = 6


def campaigns_home_section(viewer: Caller, session: Session, budget: int) -> list[bk.Block]:
    """The viewer's own active campaigns first, then the others (private channels' stay in them)."""
    campaigns, _ = service.listing(session, viewer.team_id, "active", viewer.today, channel="")
    active = [c for c in campaigns if service.status_of(c, viewer.today) == "active"]
    active.sort(key=lambda c: (c.owner_id != viewer.user_id, c.end or c.start))
    shown = active[: max(0, min(HOME_CAMPAIGNS, budget - 3))]
    totals = service.totals_of(shown)
    entries = [(c, totals[c.id]) for c in shown if c.id is not None]
    return views.home_blocks(entries, len(active) - len(shown), viewer.locale)
