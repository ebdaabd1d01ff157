"""Scheduling: schedules as rows, exactly-once firing, the outbox and its delivery worker."""

from __future__ import annotations

from ecombot.domain import Domain
from ecombot.scheduling import messages as _messages  # noqa: F401  (registers the strings)
from ecombot.scheduling.service import DIGEST_GRACE, JobRegistry


def register_jobs(registry: JobRegistry) -> None:
    """Bind the built-in schedule kinds."""
    from ecombot.scheduling.jobs import post_message

    registry.add_kind("scheduling.message", post_message, grace=DIGEST_GRACE, pure=True)


# No Slack ids of its own: schedules are made by the features that own them.
DOMAIN = Domain(name="scheduling", jobs=register_jobs)
