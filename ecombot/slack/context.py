"""Who is asking: the caller's workspace, language and timezone, attached to every request."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

CALLER_KEY = "ecombot_caller"


@dataclass(frozen=True)
class Caller:
    """The user behind a request, with the settings that shape every reply to them."""

    team_id: str
    user_id: str
    locale: str  # en | zh-CN: the user's Slack locale, else the workspace language
    tz: str  # the user's own timezone, else the workspace's
    workspace_tz: str
    workspace_language: str
    currency: str
    is_manager: bool


def get_caller(context: Any) -> Caller:
    """The Caller the workspace middleware attached to this request."""
    caller = context.get(CALLER_KEY)
    if not isinstance(caller, Caller):
        raise RuntimeError("no caller on this request: is the workspaces middleware registered first?")
    return caller
