"""Campaigns (营销活动): plans with budgets and targets, daily results per platform, ROAS/CPA/CVR/AOV
as ratios of sums, ad-report imports in their real layouts, and the evaluation when a campaign ends."""

from __future__ import annotations

from ecombot.campaigns import views
from ecombot.campaigns.handlers import buttons, commands, events, forms, grammar, home
from ecombot.domain import Action, Domain, Form, HomeSection
from ecombot.scheduling.service import JobRegistry
from ecombot.slack.router import Command, Sub


def register_jobs(registry: JobRegistry) -> None:
    """The evaluation of each campaign that ended, found by the scheduler's tick."""
    from ecombot.campaigns.jobs import evaluate_ended_campaigns

    registry.add_tick("campaigns.evaluations", evaluate_ended_campaigns)


CAMPAIGN = Command(
    "/campaign",
    description="Campaigns: budgets, daily results per platform, ROAS/CPA, the evaluation",
    hint="new | log | show | list | close | edit | delete | sources",
    subs=(
        Sub(
            "new",
            commands.on_new_command,
            usage="new <name> budget:<amount> [start:<date>] [end:<date>] [channel:#c] [owner:@u] "
            "[category:<budget category>] [target_roas:<x>] [target_revenue:<amount>] [target_cpa:<amount>] "
            "[target_orders:<n>]",
            summary="help.campaign_new",
            aliases=("add", "create", "新建", "创建"),
            options=grammar.CAMPAIGN_OPTIONS,
            parse=grammar.parse_new,
            write=lambda rest: bool(rest.strip()),
        ),
        Sub(
            "log",
            commands.on_log_command,
            usage="log <name> [date:<date>] [source:<platform>] spend:<amt> revenue:<amt> orders:<n> "
            "[clicks:<n>] [impressions:<n>] [sessions:<n>] [refunds:<amt>] [new_customers:<n>]",
            summary="help.campaign_log",
            aliases=("记录", "录入"),
            options=grammar.LOG_OPTIONS,
            parse=grammar.parse_log,
        ),
        Sub(
            "show",
            commands.on_show_command,
            usage="show <name>",
            summary="help.campaign_show",
            aliases=("查看", "详情"),
            parse=grammar.parse_name,
            write=False,
        ),
        Sub(
            "list",
            commands.on_list_command,
            usage="list [active|ended|all]",
            summary="help.campaign_list",
            aliases=("ls", "列表"),
            parse=grammar.parse_list,
            write=False,
        ),
        Sub(
            "close",
            commands.on_close_command,
            usage="close <name>",
            summary="help.campaign_close",
            aliases=("end", "结束", "关闭"),
            parse=grammar.parse_name,
        ),
        Sub(
            "edit",
            commands.on_edit_command,
            usage="edit <name> key:value …",
            summary="help.campaign_edit",
            aliases=("修改", "编辑"),
            options=grammar.EDIT_OPTIONS,
            parse=grammar.parse_edit,
        ),
        Sub(
            "delete",
            commands.on_delete_command,
            usage="delete <name>",
            summary="help.campaign_delete",
            aliases=("rm", "删除"),
            parse=grammar.parse_name,
            write=False,
        ),
        Sub(
            "sources",
            commands.on_sources_command,
            usage="sources",
            summary="help.campaign_sources",
            aliases=("platforms", "来源", "平台"),
            write=False,
        ),
    ),
)

DOMAIN = Domain(
    name="campaigns",
    commands=(CAMPAIGN,),
    actions=(
        Action(views.DELETE_CONFIRM, buttons.on_delete_confirm_action, read=buttons.read_id),
        Action(views.DELETE_KEEP, buttons.on_delete_keep_action, read=buttons.read_id, write=False),
        Action(views.DELETE_UNDO, buttons.on_delete_undo_action, read=buttons.read_id),
        Action(views.REVIEW, buttons.on_review_action, read=buttons.read_review),
        Action(views.CREATE_FROM_IMPORT, buttons.on_create_from_import_action, read=buttons.read_create),
    ),
    forms=(Form(views.NEW_FORM, forms.on_new_form_submission),),
    importers=(events.AD_REPORTS,),
    home=(HomeSection("campaigns", home.campaigns_home_section, priority=30, budget=12),),
    jobs=register_jobs,
)
