"""What the listener adapter and the scheduler share: settings, the database, the clock, the domains."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy.engine import Engine

from ecombot.clock import Clock
from ecombot.config import Settings
from ecombot.domain import Domain
from ecombot.home import HomePublisher, upcoming_section
from ecombot.scheduling.service import JobRegistry
from ecombot.slack.router import Command


@dataclass
class Runtime:
    """Built once per process from the domains; see `ecombot.app.build_runtime`."""

    settings: Settings
    engine: Engine
    clock: Clock
    domains: tuple[Domain, ...] = ()
    jobs: JobRegistry = field(default_factory=JobRegistry)
    # Called after a request wrote to the outbox: an in-process delivery worker sends it at once
    # (a separate scheduler process picks it up on its next poll).
    delivery_listeners: list[Callable[[], None]] = field(default_factory=list)

    def __post_init__(self) -> None:
        for domain in self.domains:
            if domain.jobs is not None:
                domain.jobs(self.jobs)
        sections = [s for d in self.domains for s in d.home]
        finders = [f for d in self.domains for f in d.upcoming]
        if finders:
            sections.append(upcoming_section(finders))
        self.home = HomePublisher(self.engine, self.clock, sections)

    @property
    def commands(self) -> tuple[Command, ...]:
        """Every slash command, in domain order (for `/ecom help`, the manifest and the README)."""
        return tuple(command for domain in self.domains for command in domain.commands)

    def wake_delivery(self) -> None:
        """Tell any in-process delivery worker that the outbox has something new."""
        for listener in self.delivery_listeners:
            listener()
