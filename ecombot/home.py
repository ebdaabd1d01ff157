"""App Home: one owner of `app_home_opened` and `views.publish`, composed of the domains' sections.

Each domain registers a `HomeSection` (a builder, a priority, a block budget). The composer gives
each section its share of Slack's 100 blocks, in priority order, so that however much any domain
has to show, the whole view stays publishable; a section that overruns its share is cut with a
"more" line. A change in any domain refreshes the Homes it touches through `HomePublisher.refresh`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from datetime import timedelta
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from sqlalchemy.engine import Engine
from sqlmodel import Session

from ecombot.actor import Caller
from ecombot.clock import Clock
from ecombot.db import session_scope
from ecombot.domain import HomeSection, Upcoming, UpcomingFinder
from ecombot.slack import blocks as bk
from ecombot.slack.i18n import add_messages, fmt_when, t
from ecombot.workspaces import service as workspaces

log = logging.getLogger(__name__)


# The blocks each section is sure to get, whatever the sections before it have to show.
MIN_SHARE = 8


def compose(sections: Sequence[HomeSection], viewer: Caller, session: Session) -> dict[str, Any]:
    """The Home view for `viewer`: each section within its share of the 100 blocks."""
    ordered = sorted(sections, key=lambda s: (s.priority, s.key))
    blocks: list[bk.Block] = []
    for index, section in enumerate(ordered):
        # Keep room for each section still to come: a divider and its smallest useful size, so that a
        # long list early on (hundreds of tasks) cannot push the later sections off the page.
        later = sum(min(s.budget, MIN_SHARE) + 1 for s in ordered[index + 1 :])
        room = bk.VIEW_BLOCK_LIMIT - len(blocks) - (1 if blocks else 0) - later
        share = min(section.budget, room)
        if share <= 0:
            continue
        built = section.build(viewer, session, share)
        if not built:
            continue
        if len(built) > share:
            log.warning("Home section %s built %s blocks for a share of %s", section.key, len(built), share)
            built = [*built[: share - 1], bk.context(t(viewer.locale, "home.more"))]
        if blocks:
            blocks.append(bk.divider())
        blocks.extend(built)
    if not blocks:
        blocks = [bk.section(t(viewer.locale, "home.empty"))]
    return {"type": "home", "blocks": bk.check_view_size(blocks)}


# "Coming up" looks this far ahead and shows at most this many posts.
UPCOMING_DAYS = 7
UPCOMING_LIMIT = 6


def upcoming_section(finders: Sequence[UpcomingFinder]) -> HomeSection:
    """The Home's "Coming up": the next posts that concern the viewer, from every domain's finder,
    soonest first, in the viewer's zone."""

    def build(viewer: Caller, session: Session, budget: int) -> list[bk.Block]:
        until = viewer.now + timedelta(days=UPCOMING_DAYS)
        found: list[Upcoming] = []
        for finder in finders:
            found += [u for u in finder(viewer, session, until) if viewer.now <= u.at <= until]
        if not found or budget < 2:
            return []
        found.sort(key=lambda u: (u.at, u.text))
        shown = found[:UPCOMING_LIMIT]  # one section block holds them all
        lines = [f"*{fmt_when(u.at, viewer.tz, viewer.locale)}*  {u.text}" for u in shown]
        if len(found) > len(shown):
            lines.append(t(viewer.locale, "home.upcoming.more", count=len(found) - len(shown)))
        return [bk.header(t(viewer.locale, "home.upcoming.title")), bk.section("\n".join(lines))]

    return HomeSection("upcoming", build, priority=90, budget=4)


class HomePublisher:
    """Builds and publishes Homes; used on `app_home_opened` and after every change."""

    def __init__(self, engine: Engine, clock: Clock, sections: Iterable[HomeSection]) -> None:
        self.engine = engine
        self.clock = clock
        self.sections = tuple(sections)

    def view_for(self, team_id: str, user_id: str) -> tuple[Caller, dict[str, Any]] | None:
        """The viewer and their Home, read in one read-only transaction (None for an unknown workspace)."""
        with session_scope(self.engine, write=False) as session:
            viewer = workspaces.caller_of(session, team_id, user_id, self.clock.now())
            if viewer is None:
                return None
            return viewer, compose(self.sections, viewer, session)

    def publish(self, client: WebClient, team_id: str, user_id: str) -> bool:
        """Publish one user's Home now; False (logged) when Slack refused."""
        built = self.view_for(team_id, user_id)
        if built is None:
            return False
        try:
            client.views_publish(user_id=user_id, view=built[1])
        except SlackApiError as exc:
            log.warning("could not publish App Home for %s: %s", user_id, exc.response.get("error"))
            return False
        except SlackClientError as exc:
            log.warning("could not publish App Home for %s: %s", user_id, type(exc).__name__)
            return False
        return True

    @staticmethod
    def shown_to(session: Session, team_id: str, user_ids: Iterable[str]) -> set[str]:
        """Of `user_ids`, those whose Home should be republished: those who have opened theirs (others
        see it fresh when they do). Asked inside the request's own transaction."""
        wanted = sorted(set(user_ids) - {""})
        return workspaces.home_viewers(session, team_id, wanted) if wanted else set()

    def refresh(self, client: WebClient, team_id: str, user_ids: Iterable[str]) -> int:
        """Republish these users' Homes (already filtered with `shown_to`)."""
        return sum(self.publish(client, team_id, user) for user in sorted(set(user_ids)))


add_messages(
    {
        "home.upcoming.title": ("Coming up", "即将发送"),
        "home.upcoming.more": ("…and {count} more this week.", "……本周还有 {count} 条。"),
        "home.more": ("…more than fits here.", "……内容较多，此处未全部显示。"),
        "home.empty": (
            "Nothing here yet. Type `/ecom help` in any channel to see what I can do.",
            "这里还没有内容。在任意频道输入 `/ecom help` 查看我能做什么。",
        ),
    }
)
