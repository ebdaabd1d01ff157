"""Members as Slack knows them: `users.info` after the ack, and `user_change` events, into our table."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from sqlalchemy.engine import Engine

from ecombot.clock import Clock
from ecombot.db import session_scope
from ecombot.workspaces import service as workspaces

log = logging.getLogger(__name__)


def profile_from_slack(user: dict[str, Any]) -> workspaces.UserProfile:
    """The parts of a users.info / user_change user object that we keep."""
    profile = user.get("profile") if isinstance(user.get("profile"), dict) else {}
    assert isinstance(profile, dict)
    name = profile.get("display_name") or profile.get("real_name") or user.get("name") or ""
    return workspaces.UserProfile(
        user_id=str(user["id"]),
        name=str(name)[:200],
        tz=user.get("tz") or None,
        locale=user.get("locale") or None,
        is_admin=bool(user.get("is_admin")),
        is_owner=bool(user.get("is_owner") or user.get("is_primary_owner")),
        is_bot=bool(user.get("is_bot")) or user.get("id") == "USLACKBOT",
        deleted=bool(user.get("deleted")),
    )


def fetch_profile(client: WebClient, user_id: str) -> workspaces.UserProfile | None:
    """Ask Slack about a user (never before the ack: this is an HTTP call that may wait on a 429)."""
    try:
        response = client.users_info(user=user_id, include_locale=True)
    except SlackApiError as exc:
        log.warning("users.info failed for %s: %s", user_id, exc.response.get("error"))
        return None
    except SlackClientError as exc:
        log.warning("users.info failed for %s: %s", user_id, type(exc).__name__)
        return None
    user = response.get("user")
    return profile_from_slack(user) if isinstance(user, dict) and user.get("id") == user_id else None


def refresh(engine: Engine, clock: Clock, client: WebClient, team_id: str, user_ids: Iterable[str]) -> int:
    """Look up members not met yet or due for a refresh, and store what Slack says; returns how many."""
    wanted = sorted(set(user_ids))
    if not wanted:
        return 0
    now = clock.now()
    with session_scope(engine, write=False) as session:
        stale = [
            user
            for user in wanted
            if not workspaces.member_is_fresh(workspaces.get_member(session, team_id, user), now)
        ]
    # Asked outside any transaction: an HTTP call must never hold a database lock.
    profiles = [p for p in (fetch_profile(client, user) for user in stale) if p is not None]
    if profiles:
        with session_scope(engine) as session:
            for profile in profiles:
                workspaces.save_member(session, team_id=team_id, profile=profile, now=now)
    return len(profiles)
