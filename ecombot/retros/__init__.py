"""Weekly retrospectives and campaign reviews (复盘): a prompt that opens with the open action items of
earlier retros and the week's evidence, entries (anonymous if chosen), votes hidden until the close,
action items that become tasks and are checked against the KPI data at the next retro."""

from __future__ import annotations

from ecombot.domain import Action, Domain, Form, HomeSection
from ecombot.retros import views
from ecombot.retros.handlers import buttons, commands, forms, grammar, home
from ecombot.scheduling.service import JobRegistry
from ecombot.slack.router import Command, Sub

__all__ = ["DOMAIN", "RETRO"]


def register_jobs(registry: JobRegistry) -> None:
    """Closing before opening: a schedule whose close and open fall on one tick shows the closed
    retro's action items in the new prompt."""
    from ecombot.retros.jobs import close_retros, open_retros

    registry.add_tick("retros.close", close_retros)
    registry.add_tick("retros.open", open_retros)


RETRO = Command(
    "/retro",
    description="Weekly retros and campaign reviews: entries, votes, action items that become tasks",
    hint="schedule | now | close | actions | history | off",
    subs=(
        Sub(
            "schedule",
            commands.on_schedule_command,
            usage="schedule [<day>] [<time>] [channel:#c] [close:<day> <time>] [anonymous:on|off] [votes:<n>]",
            summary="help.retro_schedule",
            aliases=("设置", "安排"),
            options=grammar.SCHEDULE_OPTIONS,
            parse=grammar.parse_schedule,
        ),
        Sub(
            "now",
            commands.on_now_command,
            usage="now [close:<day> <time>] [anonymous:on|off] [votes:<n>]",
            summary="help.retro_now",
            aliases=("start", "开始", "现在"),
            options=grammar.NOW_OPTIONS,
            parse=grammar.parse_now,
        ),
        Sub("close", commands.on_close_command, usage="close", summary="help.retro_close", aliases=("结束",)),
        Sub(
            "actions",
            commands.on_actions_command,
            usage="actions [all|@user]",
            summary="help.retro_actions",
            aliases=("action", "行动", "待办"),
            parse=grammar.parse_actions,
            write=False,
        ),
        Sub(
            "history",
            commands.on_history_command,
            usage="history [n]",
            summary="help.retro_history",
            aliases=("历史",),
            parse=grammar.parse_history,
            write=False,
        ),
        Sub("off", commands.on_off_command, usage="off", summary="help.retro_off", aliases=("关闭", "停止")),
    ),
)

DOMAIN = Domain(
    name="retros",
    commands=(RETRO,),
    actions=(
        Action(views.ADD_WELL, buttons.on_add_action, read=buttons.read_add, write=False),
        Action(views.ADD_IMPROVE, buttons.on_add_action, read=buttons.read_add, write=False),
        Action(views.ADD_ACTION, buttons.on_add_action, read=buttons.read_add, write=False),
        Action(views.VOTE, buttons.on_vote_action, read=buttons.read_number),
        Action(views.VOTE_SELECT, buttons.on_vote_action, read=buttons.read_vote_select),
        Action(views.UNDO_OFF, buttons.on_undo_off_action, read=buttons.read_number),
    ),
    forms=(Form(views.ENTRY_FORM, forms.on_entry_form_submission),),
    home=(HomeSection("retros", home.retros_home_section, priority=45, budget=12),),
    upcoming=(home.retros_upcoming,),
    jobs=register_jobs,
)
