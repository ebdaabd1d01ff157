"""Events API deliveries handled once: Slack retries an event it thinks was slow (X-Slack-Retry-Num)."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Field, Session, SQLModel, col

from ecombot.db import UTCDateTime, insert_for

# Slack retries within minutes; a day is ample, and keeps the table small.
KEEP = timedelta(days=1)


class ProcessedEvent(SQLModel, table=True):
    """An event_id already handled, by any worker."""

    __tablename__ = "processed_events"

    event_id: str = Field(primary_key=True, max_length=64)
    team_id: str = Field(default="", max_length=32)
    received_at: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False, index=True))


def claim_event(session: Session, *, event_id: str, team_id: str, now: datetime) -> bool:
    """True the first time `event_id` is seen (in this transaction's outcome), False for a retry."""
    table = ProcessedEvent.__table__  # type: ignore[attr-defined]
    stmt = (
        insert_for(session)(table)
        .values(event_id=event_id[:64], team_id=team_id, received_at=now)
        .on_conflict_do_nothing(index_elements=[table.c.event_id])
        .returning(table.c.event_id)
    )
    return session.connection().execute(stmt).first() is not None


def forget_old_events(session: Session, now: datetime) -> int:
    """Drop event ids older than a day (a retry never comes that late)."""
    result = session.execute(sa.delete(ProcessedEvent).where(col(ProcessedEvent.received_at) < now - KEEP))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
