"""What every domain's handlers and jobs share: settings, the database, the clock."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.engine import Engine

from ecombot.clock import Clock
from ecombot.config import Settings
from ecombot.scheduling.service import JobRegistry
from ecombot.slack.commands import CommandSpec


@dataclass
class Runtime:
    """Passed to each domain's `register`; handlers close over it."""

    settings: Settings
    engine: Engine
    clock: Clock
    commands: tuple[CommandSpec, ...] = field(default_factory=tuple)
    jobs: JobRegistry = field(default_factory=JobRegistry)
