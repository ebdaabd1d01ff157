"""Scheduling: schedules as rows, exactly-once firing, the outbox and its delivery worker."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ecombot.slack.commands import CommandSpec

if TYPE_CHECKING:  # the runtime itself imports this package's service
    from slack_bolt import App

    from ecombot.runtime import Runtime
    from ecombot.scheduling.service import JobRegistry

COMMANDS: tuple[CommandSpec, ...] = ()


def register(app: App, rt: Runtime) -> None:
    """No Slack ids of its own: schedules are made by the features that own them."""


def register_jobs(registry: JobRegistry) -> None:
    """Bind the built-in schedule kinds."""
    from ecombot.scheduling.jobs import post_message
    from ecombot.scheduling.service import DIGEST_GRACE

    registry.add_kind("scheduling.message", post_message, grace=DIGEST_GRACE, pure=True)
