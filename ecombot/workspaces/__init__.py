"""Workspaces: creation on first contact, settings, roles, members, `/ecom help`."""

from __future__ import annotations

from ecombot.domain import Action, Domain, Event
from ecombot.scheduling.service import JobRegistry
from ecombot.slack.router import Command, Sub
from ecombot.workspaces import handlers as h
from ecombot.workspaces.views import UNDO_ACTION


def register_jobs(registry: JobRegistry) -> None:
    """Housekeeping ticks."""
    from ecombot.workspaces.jobs import forget_handled_events

    registry.add_tick("workspaces.forget_events", forget_handled_events)


HELP = Sub(
    "help",
    h.on_help_command,
    usage="help",
    summary="help.ecom_help",
    aliases=("帮助", "?", "h"),
    write=False,
)
SETTINGS = Sub(
    "settings",
    h.on_settings_command,
    usage="settings [timezone|currency|language <value> | lead add|remove @user]",
    summary="help.ecom_settings",
    aliases=("setting", "设置", "config"),
    parse=h.parse_settings,
    write=h.settings_write,
)
ECOM = Command(
    "/ecom",
    description="ecombot help and workspace settings",
    hint="help | settings",
    subs=(HELP, SETTINGS),
    default=HELP,
)

DOMAIN = Domain(
    name="workspaces",
    commands=(ECOM,),
    actions=(Action(UNDO_ACTION, h.on_settings_undo_action, read=h.read_undo),),
    events=(
        Event("user_change", h.on_user_change_event),
        Event("app_uninstalled", h.on_app_uninstalled_event, installs=False),
        Event("tokens_revoked", h.on_tokens_revoked_event, installs=False),
    ),
    jobs=register_jobs,
)
