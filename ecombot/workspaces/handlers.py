"""`/ecom` (help, settings, ops leads), the settings Undo button, `user_change` events, and the
uninstall events (`app_uninstalled`, `tokens_revoked`).

Handlers are `fn(caller, args, session) -> Reply`; the router parses, the adapter acks and answers.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from ecombot.actor import Caller
from ecombot.slack import inputs, oauth
from ecombot.slack.inputs import ActionInput, EventInput
from ecombot.slack.members import profile_from_slack
from ecombot.slack.parsing import Token
from ecombot.slack.reply import Reply
from ecombot.slack.router import UsageError, expect_at_most
from ecombot.workspaces import service, views

SETTING_ALIASES = {
    "timezone": "timezone",
    "tz": "timezone",
    "时区": "timezone",
    "currency": "currency",
    "货币": "currency",
    "language": "language",
    "lang": "language",
    "语言": "language",
}
LEAD_WORDS = ("lead", "leads", "ops-lead", "ops_lead", "负责人")
ADD_WORDS = ("add", "添加")
REMOVE_WORDS = ("remove", "rm", "移除")


@dataclass(frozen=True)
class ShowSettings:
    """`/ecom settings`."""


@dataclass(frozen=True)
class ChangeSetting:
    """`/ecom settings timezone Asia/Shanghai`."""

    key: str
    value: str


@dataclass(frozen=True)
class ChangeLead:
    """`/ecom settings lead add|remove @user`."""

    user_id: str
    add: bool


def parse_settings(tokens: list[Token], caller: Caller) -> ShowSettings | ChangeSetting | ChangeLead:
    """The settings grammar: nothing, `<key> <value>`, or `lead add|remove @user`."""
    if not tokens:
        return ShowSettings()
    head = tokens[0].value.lower()
    if head in LEAD_WORDS:
        rest = tokens[1:]
        if not rest:
            raise UsageError("missing_argument", "add|remove @user")
        verb = rest[0].value.lower()
        if verb not in ADD_WORDS + REMOVE_WORDS:
            raise UsageError("unknown_subcommand", rest[0].shown)
        if len(rest) < 2:
            raise UsageError("missing_argument", "@user")
        if rest[1].kind != "user":
            raise UsageError("bad_user", rest[1].shown)
        expect_at_most(rest, 2)
        return ChangeLead(user_id=rest[1].value, add=verb in ADD_WORDS)
    key = SETTING_ALIASES.get(head)
    if key is None:
        raise UsageError("unknown_subcommand", tokens[0].shown)
    if len(tokens) < 2:
        raise UsageError("missing_argument", f"{head} <value>")
    expect_at_most(tokens, 2)
    return ChangeSetting(key=key, value=tokens[1].value)


def settings_write(rest: str) -> bool:
    """Showing the settings only reads."""
    return bool(rest.strip())


def on_help_command(caller: Caller, args: None, session: Session) -> Reply:
    """`/ecom help`: every command of every domain."""
    from ecombot.domains import commands  # the domain list imports this module

    return Reply(message=views.help_message(caller, commands()))


def on_settings_command(
    caller: Caller, args: ShowSettings | ChangeSetting | ChangeLead, session: Session
) -> Reply:
    """`/ecom settings …`: show, change a setting (with Undo), or add/remove an ops lead."""
    if isinstance(args, ChangeSetting):
        change = service.change_setting(session, caller, key=args.key, value=args.value)
        return Reply(message=views.setting_changed_message(caller.locale, change))
    if isinstance(args, ChangeLead):
        leads = service.set_ops_lead(session, caller, user_id=args.user_id, lead=args.add)
        message = views.ops_lead_message(caller.locale, args.user_id, leads, added=args.add)
        return Reply(message=message, meet={args.user_id})
    return Reply(message=views.settings_message(caller, service.get_workspace(session, caller.team_id)))


def read_undo(action: ActionInput) -> ChangeSetting:
    """The Undo button carries the setting and the value to put back."""
    data = inputs.json_object(action.value, limit=200)
    key, value = data.get("key"), data.get("value")
    if key not in service.SETTING_KEYS or not isinstance(value, str) or not value or len(value) > 64:
        raise inputs.BadValue(action.value)
    return ChangeSetting(key=str(key), value=value)


def on_settings_undo_action(caller: Caller, undo: ChangeSetting, session: Session) -> Reply:
    """Undo a settings change: set the old value back (itself a checked change)."""
    change = service.change_setting(session, caller, key=undo.key, value=undo.value)
    return Reply(message=views.setting_undone_message(caller.locale, change), replace=True)


def on_user_change_event(payload: EventInput, session: Session) -> Reply | None:
    """Keep a member's timezone, locale and admin flags current."""
    user = payload.event.get("user")
    if not isinstance(user, dict) or not inputs.is_user_id(user.get("id")):
        return None
    now = payload.now
    service.save_member(session, team_id=payload.team_id, profile=profile_from_slack(user), now=now)
    return None


def on_app_uninstalled_event(payload: EventInput, session: Session) -> Reply | None:
    """The app was removed from the workspace: schedules stop, the outbox is parked, data is kept."""
    service.mark_uninstalled(session, team_id=payload.team_id, now=payload.now)
    oauth.forget_tokens(session, payload.team_id)
    return None


def on_tokens_revoked_event(payload: EventInput, session: Session) -> Reply | None:
    """Revoked bot tokens leave the bot nothing to post with: the same as an uninstall. Revoked user
    tokens (which the bot does not use) only forget those."""
    tokens = payload.event.get("tokens")
    tokens = tokens if isinstance(tokens, dict) else {}
    bots = tokens.get("bot")
    users = tokens.get("oauth")
    if isinstance(bots, list) and bots:
        service.mark_uninstalled(session, team_id=payload.team_id, now=payload.now)
        oauth.forget_tokens(session, payload.team_id)
    elif isinstance(users, list) and users:
        oauth.forget_tokens(session, payload.team_id, bot=False, users=[str(u) for u in users])
    return None
