"""Budgets (预算管理): lines per category and period, spend from campaigns and by hand, reallocation
with an audit log, threshold alerts that fire once, pacing alerts along a straight line or an
earlier campaign's festival curve."""

from __future__ import annotations

from ecombot.budgets import views
from ecombot.budgets.handlers import commands, grammar, home
from ecombot.domain import Domain, HomeSection
from ecombot.scheduling.service import JobRegistry
from ecombot.slack.router import Command, Sub

__all__ = ["BUDGET", "DOMAIN", "views"]


def register_jobs(registry: JobRegistry) -> None:
    """Threshold alerts at each tick; pacing once a day per line, after the day closes."""
    from ecombot.budgets.jobs import check_pacing, check_thresholds

    registry.add_tick("budgets.thresholds", check_thresholds)
    registry.add_tick("budgets.pacing", check_pacing)


BUDGET = Command(
    "/budget",
    description="Budgets per category and period: spend, pace, alerts, reallocation",
    hint="status | set | spend | move | log | alerts | curve | categories",
    subs=(
        Sub(
            "status",
            commands.on_status_command,
            usage="status [period]",
            summary="help.budget_status",
            aliases=("show", "状态", "查看"),
            options=grammar.PERIOD_OPTIONS,
            parse=grammar.parse_status,
            write=False,
        ),
        Sub(
            "set",
            commands.on_set_command,
            usage="set <category> <amount> [period:2026-12|2026-Q4|2026|2026-11-01..2026-11-15] [owner:@u] [channel:#c]",
            summary="help.budget_set",
            aliases=("设置",),
            options=grammar.SET_OPTIONS,
            parse=grammar.parse_set,
        ),
        Sub(
            "spend",
            commands.on_spend_command,
            usage='spend <category> <amount> [date:<date>] [note:"…"]',
            summary="help.budget_spend",
            aliases=("花费", "支出"),
            options=grammar.SPEND_OPTIONS,
            parse=grammar.parse_spend,
        ),
        Sub(
            "refund",
            commands.on_refund_command,
            usage='refund <category> <amount> [date:<date>] [note:"…"]',
            summary="help.budget_refund",
            aliases=("退款", "冲减"),
            options=grammar.SPEND_OPTIONS,
            parse=grammar.parse_spend,
        ),
        Sub(
            "move",
            commands.on_move_command,
            usage="move <amount> from:<category> to:<category> [reason] [period:]",
            summary="help.budget_move",
            aliases=("调拨", "转移"),
            options=grammar.MOVE_OPTIONS,
            parse=grammar.parse_move,
        ),
        Sub(
            "log",
            commands.on_log_command,
            usage="log [category] [period]",
            summary="help.budget_log",
            aliases=("日志", "记录"),
            options=grammar.PERIOD_OPTIONS,
            parse=grammar.parse_log,
            write=False,
        ),
        Sub(
            "categories",
            commands.on_categories_command,
            usage="categories [rename <category> <new name>]",
            summary="help.budget_categories",
            aliases=("category", "类别"),
            parse=grammar.parse_categories,
            write=lambda rest: bool(rest.strip()),
        ),
        Sub(
            "alerts",
            commands.on_alerts_command,
            usage="alerts [50,80,100] [channel:#c]",
            summary="help.budget_alerts",
            aliases=("thresholds", "预警", "阈值"),
            options=grammar.ALERT_OPTIONS,
            parse=grammar.parse_alerts,
            write=lambda rest: bool(rest.strip()),
        ),
        Sub(
            "curve",
            commands.on_curve_command,
            usage='curve <category> like:"<campaign>" [period:] | curve <category> off',
            summary="help.budget_curve",
            aliases=("曲线",),
            options=grammar.CURVE_OPTIONS,
            parse=grammar.parse_curve,
        ),
    ),
)

DOMAIN = Domain(
    name="budgets",
    commands=(BUDGET,),
    home=(HomeSection("budgets", home.budgets_home_section, priority=35, budget=12),),
    jobs=register_jobs,
)
