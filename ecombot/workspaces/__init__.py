"""Workspaces: creation on first contact, settings, roles, `/ecom help`."""

from __future__ import annotations

from slack_bolt import App

from ecombot.runtime import Runtime
from ecombot.workspaces.handlers import WorkspaceHandlers
from ecombot.workspaces.views import COMMANDS, UNDO_ACTION

__all__ = ["COMMANDS", "EVENTS", "SLASH_COMMANDS", "register"]

# Slash commands this domain owns, for the manifest: (command, description, usage hint).
SLASH_COMMANDS = (("/ecom", "ecombot help and workspace settings", "help | settings"),)
EVENTS = ("user_change",)


def register(app: App, rt: Runtime) -> None:
    """Bind this domain's ids to its handlers; the caller middleware runs before every listener."""
    handlers = WorkspaceHandlers(rt)
    app.use(handlers.attach_caller)
    app.command("/ecom")(handlers.on_ecom_command)
    app.action(UNDO_ACTION)(handlers.on_settings_undo_action)
    app.event("user_change")(handlers.on_user_change_event)
