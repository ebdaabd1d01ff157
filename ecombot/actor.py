"""Who acts and when: the one value every service call takes, and its Slack-facing extension."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo


@dataclass(frozen=True, kw_only=True)
class Actor:
    """The workspace, the person, their role, their timezone and the instant of the request.

    Services scope every query by `team_id`, check roles with `is_manager`, stamp rows with `now`
    and resolve "today" and "tomorrow" in `tz`.
    """

    team_id: str
    user_id: str
    now: datetime
    tz: str = "UTC"
    is_manager: bool = False
    bot_user_id: str = ""  # the app's own user, which can own nothing

    @property
    def today(self) -> date:
        """The calendar date in the actor's own timezone."""
        return self.now.astimezone(ZoneInfo(self.tz)).date()


@dataclass(frozen=True, kw_only=True)
class Caller(Actor):
    """An Actor with what shapes every reply to them: their language and the workspace's settings.

    Built from the database only (never a Slack call before the ack): a member the bot has not met
    yet gets the workspace's language and timezone until Slack tells us theirs, after the ack.
    """

    locale: str = "en"
    workspace_tz: str = "UTC"
    workspace_language: str = "en"
    currency: str = "CNY"
    name: str = ""
    known: bool = True  # False: no member row yet, so locale and tz are the workspace's
    fresh: bool = True  # False: the member row is due for a refresh from users.info
    channel: str = ""  # the conversation a request came from ("" outside one, or from App Home)
    team_domain: str = ""  # the workspace's Slack domain, for links to its messages
