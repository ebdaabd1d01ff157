"""The domains this build of ecombot runs, in order: help, the manifest, the Home and the migrations
follow this tuple. A new domain is added here once."""

from __future__ import annotations

from ecombot import (
    budgets,
    campaigns,
    experiments,
    kpis,
    retros,
    risks,
    scheduling,
    scorecards,
    standups,
    tasks,
    workspaces,
)
from ecombot.domain import Domain
from ecombot.slack.router import Command

DOMAINS: tuple[Domain, ...] = (
    workspaces.DOMAIN,
    scheduling.DOMAIN,
    tasks.DOMAIN,
    standups.DOMAIN,
    campaigns.DOMAIN,
    budgets.DOMAIN,
    kpis.DOMAIN,
    retros.DOMAIN,
    risks.DOMAIN,
    experiments.DOMAIN,
    scorecards.DOMAIN,
)


def commands() -> tuple[Command, ...]:
    """Every slash command, in domain order."""
    return tuple(command for domain in DOMAINS for command in domain.commands)
