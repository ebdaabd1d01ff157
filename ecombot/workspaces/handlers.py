"""`/ecom` (help, settings), the Undo button, and the middleware that knows who is calling."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from ecombot.db import session_scope
from ecombot.errors import DomainError
from ecombot.runtime import Runtime
from ecombot.slack.commands import UsageError, domain_error_reply, usage_reply
from ecombot.slack.context import CALLER_KEY, Caller
from ecombot.slack.i18n import normalize_locale
from ecombot.slack.parsing import ParseError, Token, tokenize
from ecombot.workspaces import service, views

log = logging.getLogger(__name__)

_SETTING_ALIASES = {
    "timezone": "timezone",
    "tz": "timezone",
    "时区": "timezone",
    "currency": "currency",
    "货币": "currency",
    "language": "language",
    "lang": "language",
    "语言": "language",
}
_LEAD_WORDS = {"lead", "leads", "ops-lead", "ops_lead", "负责人"}


def profile_from_slack(user: dict[str, Any]) -> service.UserProfile:
    """The parts of a users.info / user_change user object that we keep."""
    profile = user.get("profile") or {}
    return service.UserProfile(
        user_id=str(user["id"]),
        name=str(profile.get("display_name") or profile.get("real_name") or user.get("name") or ""),
        tz=user.get("tz") or None,
        locale=user.get("locale") or None,
        is_admin=bool(user.get("is_admin")),
        is_owner=bool(user.get("is_owner") or user.get("is_primary_owner")),
        is_bot=bool(user.get("is_bot")),
        deleted=bool(user.get("deleted")),
    )


class WorkspaceHandlers:
    """Handlers bound to one Runtime."""

    def __init__(self, rt: Runtime) -> None:
        self.rt = rt

    # -- middleware -------------------------------------------------------------------------

    def attach_caller(
        self, context: BoltContext, body: dict[str, Any], client: WebClient, next: Callable[[], None]
    ) -> None:
        """Make sure the workspace exists and attach the caller's language, timezone and role."""
        team_id, user_id = context.team_id, context.user_id
        if not team_id or not user_id:
            next()
            return
        now = self.rt.clock.now()
        defaults = self.rt.settings.workspace
        with session_scope(self.rt.engine) as session:
            workspace = service.ensure_workspace(
                session, team_id=team_id, defaults=defaults, now=now, name=_team_name(body)
            )
            member = service.get_member(session, team_id, user_id)
        if not service.member_is_fresh(member, now):
            # Asked outside any transaction: an HTTP call must never hold a database lock.
            profile = _fetch_profile(client, user_id)
            if profile is not None:
                with session_scope(self.rt.engine) as session:
                    member = service.save_member(session, team_id=team_id, profile=profile, now=now)
        locale = normalize_locale(member.locale if member else None) or workspace.language
        context[CALLER_KEY] = Caller(
            team_id=team_id,
            user_id=user_id,
            locale=locale,
            tz=(member.tz if member and member.tz else workspace.timezone),
            workspace_tz=workspace.timezone,
            workspace_language=workspace.language,
            currency=workspace.currency,
            is_manager=service.is_manager(workspace, member, user_id),
        )
        next()

    # -- /ecom ------------------------------------------------------------------------------

    def on_ecom_command(self, ack: Ack, command: dict[str, Any], context: BoltContext) -> None:
        """`/ecom help`, `/ecom settings …`."""
        caller: Caller = context[CALLER_KEY]
        try:
            tokens = tokenize(command.get("text") or "")
        except ParseError as exc:
            ack(**usage_reply(caller.locale, exc, views.USAGE_ECOM))
            return
        head = tokens[0].value.lower() if tokens else "help"
        rest = tokens[1:]
        if head in ("help", "帮助", "?", "h") and not rest:
            ack(**views.help_message(caller, self.rt.commands))
        elif head in ("settings", "setting", "设置", "config"):
            self._settings(ack, caller, rest)
        elif head in ("help", "帮助", "?", "h"):
            ack(**usage_reply(caller.locale, UsageError("unexpected", rest[0].raw), views.USAGE_ECOM))
        else:
            part = tokens[0].raw
            ack(**usage_reply(caller.locale, UsageError("unknown_subcommand", part), views.USAGE_ECOM))

    def _settings(self, ack: Ack, caller: Caller, args: list[Token]) -> None:
        if not args:
            with session_scope(self.rt.engine) as session:
                workspace = service.get_workspace(session, caller.team_id)
            ack(**views.settings_message(caller, workspace))
            return
        head = args[0].value.lower()
        if head in _LEAD_WORDS:
            self._lead(ack, caller, args[1:])
            return
        key = _SETTING_ALIASES.get(head)
        if key is None:
            ack(
                **usage_reply(
                    caller.locale, UsageError("unknown_subcommand", args[0].raw), views.USAGE_SETTINGS
                )
            )
            return
        if len(args) < 2:
            ack(
                **usage_reply(
                    caller.locale, UsageError("missing_argument", f"{head} <value>"), views.USAGE_SETTINGS
                )
            )
            return
        if len(args) > 2:
            ack(**usage_reply(caller.locale, UsageError("unexpected", args[2].raw), views.USAGE_SETTINGS))
            return
        try:
            with session_scope(self.rt.engine) as session:
                change = service.change_setting(
                    session,
                    team_id=caller.team_id,
                    actor_id=caller.user_id,
                    key=key,
                    value=args[1].value,
                    now=self.rt.clock.now(),
                )
        except DomainError as exc:
            ack(**domain_error_reply(caller.locale, exc))
            return
        ack(**views.setting_changed_message(caller.locale, change))

    def _lead(self, ack: Ack, caller: Caller, args: list[Token]) -> None:
        if len(args) != 2 or args[0].value.lower() not in ("add", "remove", "rm", "添加", "移除"):
            part = args[0].raw if args else "add|remove"
            code = "unknown_subcommand" if args else "missing_argument"
            ack(**usage_reply(caller.locale, UsageError(code, part), views.USAGE_LEAD))
            return
        if args[1].kind != "user":
            ack(**usage_reply(caller.locale, UsageError("bad_user", args[1].raw), views.USAGE_LEAD))
            return
        added = args[0].value.lower() in ("add", "添加")
        try:
            with session_scope(self.rt.engine) as session:
                leads = service.set_ops_lead(
                    session,
                    team_id=caller.team_id,
                    actor_id=caller.user_id,
                    user_id=args[1].value,
                    lead=added,
                    now=self.rt.clock.now(),
                )
        except DomainError as exc:
            ack(**domain_error_reply(caller.locale, exc))
            return
        ack(**views.ops_lead_message(caller.locale, args[1].value, leads, added=added))

    # -- buttons ----------------------------------------------------------------------------

    def on_settings_undo_action(
        self, ack: Ack, action: dict[str, Any], context: BoltContext, respond: Respond
    ) -> None:
        """Undo a settings change: set the old value back (itself a checked change)."""
        ack()
        caller: Caller = context[CALLER_KEY]
        data = json.loads(action.get("value") or "{}")
        try:
            with session_scope(self.rt.engine) as session:
                change = service.change_setting(
                    session,
                    team_id=caller.team_id,
                    actor_id=caller.user_id,
                    key=str(data.get("key", "")),
                    value=str(data.get("value", "")),
                    now=self.rt.clock.now(),
                )
        except DomainError as exc:
            respond(**domain_error_reply(caller.locale, exc), replace_original=False)
            return
        respond(**views.setting_undone_message(caller.locale, change), replace_original=True)

    # -- events -----------------------------------------------------------------------------

    def on_user_change_event(self, event: dict[str, Any], context: BoltContext) -> None:
        """Keep a member's timezone, locale and admin flags current."""
        user = event.get("user")
        if not isinstance(user, dict) or not context.team_id:
            return
        with session_scope(self.rt.engine) as session:
            service.ensure_workspace(
                session, team_id=context.team_id, defaults=self.rt.settings.workspace, now=self.rt.clock.now()
            )
            service.save_member(
                session, team_id=context.team_id, profile=profile_from_slack(user), now=self.rt.clock.now()
            )


def ensure_member(rt: Runtime, client: WebClient, team_id: str, user_id: str) -> None:
    """Know a user we have not met yet (an assignee): their timezone and locale, from users.info."""
    now = rt.clock.now()
    with session_scope(rt.engine) as session:
        fresh = service.member_is_fresh(service.get_member(session, team_id, user_id), now)
    if fresh:
        return
    profile = _fetch_profile(client, user_id)
    if profile is not None:
        with session_scope(rt.engine) as session:
            service.save_member(session, team_id=team_id, profile=profile, now=now)


def member_locale(rt: Runtime, team_id: str, user_id: str) -> str:
    """The language to write to a user in: their Slack locale, else the workspace language."""
    with session_scope(rt.engine) as session:
        member = service.get_member(session, team_id, user_id)
        workspace = service.get_workspace(session, team_id)
        return normalize_locale(member.locale if member else None) or workspace.language


def _team_name(body: dict[str, Any]) -> str:
    team = body.get("team")
    if isinstance(team, dict):
        return str(team.get("domain") or team.get("name") or "")
    return str(body.get("team_domain") or "")


def _fetch_profile(client: WebClient, user_id: str) -> service.UserProfile | None:
    try:
        response = client.users_info(user=user_id, include_locale=True)
    except SlackApiError as exc:
        log.warning("users.info failed for %s: %s", user_id, exc.response.get("error"))
        return None
    except SlackClientError as exc:
        log.warning("users.info failed for %s: %s", user_id, type(exc).__name__)
        return None
    user = response.get("user")
    return profile_from_slack(user) if isinstance(user, dict) else None
