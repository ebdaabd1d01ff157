"""KPIs (KPI设定, 数据监控): orders and daily shop figures imported in real layouts, the built-in KPIs
per day, week and month in the workspace's calendar, targets with attainment, the funnel."""

from __future__ import annotations

from ecombot.domain import Domain, HomeSection
from ecombot.kpis.handlers import commands, grammar, home, imports
from ecombot.scheduling.service import JobRegistry
from ecombot.slack.router import Command, Sub, no_args

KPI = Command(
    "/kpi",
    description="KPIs: sales, customers, conversion, ads; targets and the funnel",
    hint="show [period] | funnel | target | targets | log",
    subs=(
        Sub(
            "show",
            commands.on_show_command,
            usage="show [today|yesterday|week|month|<YYYY-MM>|<YYYY-Www>]",
            summary="help.kpi_show",
            aliases=("查看", "看板"),
            parse=grammar.parse_period,
            write=False,
        ),
        Sub(
            "funnel",
            commands.on_funnel_command,
            usage="funnel [period]",
            summary="help.kpi_funnel",
            aliases=("漏斗",),
            parse=grammar.parse_period,
            write=False,
        ),
        Sub(
            "target",
            commands.on_target_command,
            usage="target <kpi> <value|+25%> [period:month|week|2026-12|2026-W49] [vs:last_year|previous]",
            summary="help.kpi_target",
            aliases=("目标",),
            options=grammar.TARGET_OPTIONS,
            parse=grammar.parse_target,
        ),
        Sub(
            "targets",
            commands.on_targets_command,
            usage="targets",
            summary="help.kpi_targets",
            aliases=("目标列表",),
            parse=no_args,
            write=False,
        ),
        Sub(
            "digest",
            commands.on_digest_command,
            usage="digest daily|weekly|monthly [channel:#c] [at:09:00] [day:mon] | digest off <kind> | digest now <kind>",
            summary="help.kpi_digest",
            aliases=("简报",),
            options=grammar.DIGEST_OPTIONS,
            parse=grammar.parse_digest,
        ),
        Sub(
            "export",
            commands.on_export_command,
            usage="export [period]",
            summary="help.kpi_export",
            aliases=("导出",),
            parse=grammar.parse_period,
            write=False,
        ),
        Sub(
            "log",
            commands.on_log_command,
            usage="log <metric> <value> [date:<date>]",
            summary="help.kpi_log",
            aliases=("记录",),
            options=grammar.LOG_OPTIONS,
            parse=grammar.parse_log,
        ),
    ),
    default=None,
)


def register_jobs(registry: JobRegistry) -> None:
    """The digests, each a schedule kind; anomalies, found by the tick once each day has closed."""
    from ecombot.kpis import digests
    from ecombot.kpis.anomalies import find_anomalies

    for kind in digests.KINDS:
        registry.add_kind(digests.schedule_kind(kind), digests.digest_job(kind))
    registry.add_tick("kpis.anomalies", find_anomalies)


DOMAIN = Domain(
    name="kpis",
    commands=(KPI,),
    home=(HomeSection("kpis", home.kpis_home_section, priority=25, budget=14),),
    upcoming=(home.kpis_upcoming,),
    importers=(imports.ORDERS, imports.FIGURES),
    jobs=register_jobs,
)
