"""Async standups: /standup, prompts by DM at each member's own time, answers by form or by DM replies,
one report per day with blockers first, China's holiday calendar, App Home."""

from __future__ import annotations

from ecombot.domain import Action, Domain, Event, Form, HomeSection
from ecombot.scheduling.service import JobRegistry
from ecombot.slack.router import Command, Sub
from ecombot.standups import report_views, status_views, views
from ecombot.standups.handlers import buttons, commands, events, forms, grammar, home


def register_jobs(registry: JobRegistry) -> None:
    """Prompts, the reminder and the report, found by the scheduler's tick."""
    from ecombot.standups.jobs import post_reports, prompt_members, remind_members

    # Prompts first: after an outage covering both times, people are asked before the report goes.
    registry.add_tick("standups.prompts", prompt_members)
    registry.add_tick("standups.reminders", remind_members)
    registry.add_tick("standups.reports", post_reports)


STANDUP = Command(
    "/standup",
    description="Async standups: asked at each member's own time, one report a day",
    hint="setup | join | answer | skip | show | report",
    subs=(
        Sub(
            "setup",
            commands.on_setup_command,
            usage="setup",
            summary="help.standup_setup",
            aliases=("设置",),
            write=False,
        ),
        Sub(
            "config",
            commands.on_config_command,
            usage='config [time:09:30] [summary:11:00] [days:mon-fri] [questions:"Yesterday?|Today?|!Blockers?"] '
            "[mode:thread|channel] [reminder:30m|off] [calendar:cn|none]",
            summary="help.standup_config",
            aliases=("配置",),
            options={key: aliases for key, aliases in grammar.CONFIG_OPTIONS.items()},
            parse=grammar.parse_config,
        ),
        Sub("join", commands.on_join_command, usage="join", summary="help.standup_join", aliases=("加入",)),
        Sub(
            "leave", commands.on_leave_command, usage="leave", summary="help.standup_leave", aliases=("退出",)
        ),
        Sub(
            "show",
            commands.on_show_command,
            usage="show",
            summary="help.standup_show",
            aliases=("status", "查看", "状态"),
            write=False,
        ),
        Sub(
            "answer",
            commands.on_answer_command,
            usage="answer",
            summary="help.standup_answer",
            aliases=("回答",),
            write=False,
        ),
        Sub(
            "skip",
            commands.on_skip_command,
            usage="skip [today|<date>]",
            summary="help.standup_skip",
            aliases=("跳过",),
            parse=grammar.parse_skip,
        ),
        Sub(
            "vacation",
            commands.on_vacation_command,
            usage="vacation <from>..<to> | until:<date>",
            summary="help.standup_vacation",
            aliases=("away", "休假", "请假"),
            options={"until": ("至", "直到")},
            parse=grammar.parse_vacation,
        ),
        Sub(
            "holiday",
            commands.on_holiday_command,
            usage='holiday <from>..<to> "<name>" | holiday list | holiday remove <date>',
            summary="help.standup_holiday",
            aliases=("holidays", "假日"),
            parse=grammar.parse_holiday,
            write=lambda rest: not rest.strip().lower().startswith(("list", "ls", "列表")),
        ),
        Sub(
            "report",
            commands.on_report_command,
            usage="report [@user] [<from>..<to>]",
            summary="help.standup_report",
            aliases=("history", "汇总", "历史"),
            parse=grammar.parse_report,
            write=False,
        ),
        Sub(
            "stats",
            commands.on_stats_command,
            usage="stats [30d]",
            summary="help.standup_stats",
            aliases=("统计",),
            parse=grammar.parse_stats,
            write=False,
        ),
        Sub(
            "export",
            commands.on_export_command,
            usage="export [<from>..<to>]",
            summary="help.standup_export",
            aliases=("导出",),
            parse=grammar.parse_export,
            write=False,
        ),
        Sub(
            "pause", commands.on_pause_command, usage="pause", summary="help.standup_pause", aliases=("暂停",)
        ),
        Sub(
            "resume",
            commands.on_resume_command,
            usage="resume",
            summary="help.standup_resume",
            aliases=("恢复",),
        ),
        Sub("off", commands.on_off_command, usage="off", summary="help.standup_off", aliases=("关闭",)),
    ),
)

DOMAIN = Domain(
    name="standups",
    commands=(STANDUP,),
    actions=(
        Action(views.ANSWER, buttons.on_answer_action, read=buttons.read_day, write=False),
        Action(views.SKIP, buttons.on_skip_action, read=buttons.read_day),
        Action(views.UNDO_AWAY, buttons.on_undo_away_action, read=buttons.read_number),
        Action(views.UNDO_OFF, buttons.on_undo_off_action, read=buttons.read_number),
        Action(report_views.TRACK, buttons.on_track_action, read=buttons.read_track),
        Action(
            status_views.HISTORY_MORE, buttons.on_history_more_action, read=buttons.read_page, write=False
        ),
    ),
    forms=(
        Form(views.ANSWER_FORM, forms.on_answer_form_submission),
        Form(views.SETUP_FORM, forms.on_setup_form_submission),
    ),
    events=(Event("message", events.on_message_event, subscriptions=("message.im",)),),
    home=(HomeSection("standups", home.standups_home_section, priority=20, budget=24),),
    upcoming=(home.standups_upcoming,),
    jobs=register_jobs,
)
