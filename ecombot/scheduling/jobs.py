"""Built-in schedule kinds."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from ecombot.scheduling.models import Schedule
from ecombot.scheduling.service import Outgoing, schedule_job_key


def post_message(session: Session, schedule: Schedule, slot: datetime, now: datetime) -> list[Outgoing]:
    """`scheduling.message`: post the schedule's text to its target at every slot."""
    text = str(schedule.params.get("text", "")).strip()
    if not text or not schedule.target:
        return []
    key = f"{schedule_job_key(schedule)}:{slot.isoformat()}"
    return [Outgoing(target=schedule.target, payload={"text": text}, key=key)]
