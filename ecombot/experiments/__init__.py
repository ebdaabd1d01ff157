"""A/B tests (A/B测试): an experiment log with honest statistics (intervals, uplift, a z-test or a
chi-square test, the sample still needed) that never calls a winner before the planned sample, and
decisions written down and posted once."""

from __future__ import annotations

from ecombot.domain import Domain
from ecombot.experiments.handlers import commands, grammar
from ecombot.slack.router import Command, Sub, no_args

__all__ = ["ABTEST", "DOMAIN"]

ABTEST = Command(
    "/abtest",
    description="A/B tests: hypothesis, variants, figures, honest statistics, decisions",
    hint="new | log | show | decide | list",
    subs=(
        Sub(
            "new",
            commands.on_new_command,
            usage='new <name> hypothesis:"…" metric:conversion|revenue_per_visitor|<custom> variants:A,B[,C] '
            "[min_sample:<n>] [start:] [end:] [owner:@u] [channel:#c]",
            summary="help.abtest_new",
            aliases=("新建",),
            options=grammar.NEW_OPTIONS,
            parse=grammar.parse_new,
        ),
        Sub(
            "log",
            commands.on_log_command,
            usage="log <name> <variant> visitors:<n> conversions:<n> [revenue:<amt>] [date:] [as:daily|total]",
            summary="help.abtest_log",
            aliases=("记录",),
            options=grammar.LOG_OPTIONS,
            parse=grammar.parse_log,
        ),
        Sub(
            "show",
            commands.on_show_command,
            usage="show <name>",
            summary="help.abtest_show",
            aliases=("查看",),
            parse=grammar.parse_name,
            write=False,
        ),
        Sub(
            "decide",
            commands.on_decide_command,
            usage='decide <name> <variant|none> reason:"…"',
            summary="help.abtest_decide",
            aliases=("决策",),
            options=grammar.DECIDE_OPTIONS,
            parse=grammar.parse_decide,
        ),
        Sub(
            "list",
            commands.on_list_command,
            usage="list",
            summary="help.abtest_list",
            aliases=("ls", "列表"),
            parse=no_args,
            write=False,
        ),
    ),
)

DOMAIN = Domain(name="experiments", commands=(ABTEST,))
