"""Scorecards (绩效考核): per-person figures from the other domains (tasks on time, standups, blockers,
campaigns against their targets, retro action items, personal targets), each with its definition,
no single opaque score; your own card always, others' for ops leads; a monthly DM if wanted."""

from __future__ import annotations

from ecombot.domain import Domain
from ecombot.scheduling.service import JobRegistry
from ecombot.scorecards.handlers import commands, grammar, home
from ecombot.slack.router import Command, Sub

__all__ = ["DOMAIN", "SCORECARD"]


def register_jobs(registry: JobRegistry) -> None:
    """The monthly DM of each member's own card."""
    from ecombot.scorecards.jobs import send_monthly_cards

    registry.add_tick("scorecards.monthly", send_monthly_cards)


SHOW = Sub(
    "show",
    commands.on_show_command,
    usage="[@user] [month|week|<YYYY-MM>]",
    summary="help.scorecard_show",
    aliases=("查看",),
    parse=grammar.parse_show,
    write=False,
)

SCORECARD = Command(
    "/scorecard",
    description="Per-person scorecards from tasks, standups, campaigns and retros",
    hint="[@user] [month|week|2026-11] | team | target | schedule",
    subs=(
        Sub(
            "team",
            commands.on_team_command,
            usage="team [month|week|<YYYY-MM>]",
            summary="help.scorecard_team",
            aliases=("团队",),
            parse=grammar.parse_team,
            write=False,
        ),
        Sub(
            "target",
            commands.on_target_command,
            usage="target @user <metric> <value> [month|week]",
            summary="help.scorecard_target",
            aliases=("目标",),
            parse=grammar.parse_target,
        ),
        Sub(
            "schedule",
            commands.on_schedule_command,
            usage="schedule monthly on|off",
            summary="help.scorecard_schedule",
            aliases=("定时",),
            parse=grammar.parse_schedule,
        ),
    ),
    default=SHOW,
    fallback=SHOW,
)

DOMAIN = Domain(
    name="scorecards", commands=(SCORECARD,), upcoming=(home.scorecards_upcoming,), jobs=register_jobs
)
