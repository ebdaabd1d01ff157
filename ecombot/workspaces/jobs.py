"""Housekeeping of the Slack plumbing this domain owns."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from ecombot.scheduling.service import Firing
from ecombot.slack.events import forget_old_events
from ecombot.slack.replays import forget_old_signatures


def forget_handled_events(session: Session, now: datetime) -> list[Firing]:
    """Tick: drop the ids of events handled more than a day ago, and the signatures of requests too
    old to pass the signature check (idempotent, posts nothing)."""
    forget_old_events(session, now)
    forget_old_signatures(session, now.timestamp())
    return []
