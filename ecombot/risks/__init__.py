"""The risk register (风险控制管理): risks scored by likelihood × impact, owners asked to review them on
their cadence at their own Monday 10:00, unanswered reviews flagged to the ops leads, contingency
plans and their drills, every change kept."""

from __future__ import annotations

from ecombot.domain import Action, Domain, Form, HomeSection
from ecombot.risks import views
from ecombot.risks.handlers import buttons, commands, forms, grammar, home
from ecombot.scheduling.service import JobRegistry
from ecombot.slack.router import Command, Sub

__all__ = ["DOMAIN", "RISK"]


def register_jobs(registry: JobRegistry) -> None:
    """The review DMs, and the flag to the ops leads three days after one goes unanswered."""
    from ecombot.risks.jobs import ask_reviews, flag_unreviewed

    registry.add_tick("risks.reviews", ask_reviews)
    registry.add_tick("risks.flags", flag_unreviewed)


RISK = Command(
    "/risk",
    description="The risk register: scores, owners, reviews, contingency plans and drills",
    hint="add | list | show | update | status | drill",
    subs=(
        Sub(
            "add",
            commands.on_add_command,
            usage="add <title> [category:policy|payment|ip|supply|platform|data|other] [likelihood:1-5] "
            '[impact:1-5] [owner:@u] [review:weekly|monthly] [plan:"contingency plan"]',
            summary="help.risk_add",
            aliases=("new", "登记", "新增"),
            options=grammar.RISK_OPTIONS,
            parse=grammar.parse_add,
            write=lambda rest: bool(rest.strip()),
        ),
        Sub(
            "list",
            commands.on_list_command,
            usage="list [open|all|@user|category]",
            summary="help.risk_list",
            aliases=("ls", "列表"),
            parse=grammar.parse_list,
            write=False,
        ),
        Sub(
            "show",
            commands.on_show_command,
            usage="show <id>",
            summary="help.risk_show",
            aliases=("查看",),
            parse=grammar.parse_show,
            write=False,
        ),
        Sub(
            "update",
            commands.on_update_command,
            usage="update <id> key:value …",
            summary="help.risk_update",
            aliases=("edit", "修改"),
            options=grammar.RISK_OPTIONS,
            parse=grammar.parse_update,
        ),
        Sub(
            "status",
            commands.on_status_command,
            usage="status <id> open|mitigated|occurred|closed [note]",
            summary="help.risk_status",
            aliases=("状态",),
            parse=grammar.parse_status,
        ),
        Sub(
            "drill",
            commands.on_drill_command,
            usage='drill <id> [date] [result:"…"]',
            summary="help.risk_drill",
            aliases=("演练",),
            options=grammar.DRILL_OPTIONS,
            parse=grammar.parse_drill,
        ),
    ),
)

DOMAIN = Domain(
    name="risks",
    commands=(RISK,),
    actions=(
        Action(views.REVIEW_VALID, buttons.on_review_valid_action, read=buttons.read_number),
        Action(views.REVIEW_UPDATE, buttons.on_review_update_action, read=buttons.read_number, write=False),
        Action(views.REVIEW_MITIGATED, buttons.on_review_mitigated_action, read=buttons.read_number),
    ),
    forms=(
        Form(views.ADD_FORM, forms.on_add_form_submission),
        Form(views.UPDATE_FORM, forms.on_update_form_submission),
    ),
    home=(HomeSection("risks", home.risks_home_section, priority=40, budget=10),),
    jobs=register_jobs,
)
