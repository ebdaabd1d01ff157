"""The Slack app manifest, built from what the registered domains declare."""

from __future__ import annotations

import json
import re
from typing import Any

from ecombot.app import BOT_SCOPES
from ecombot.domains import DOMAINS


def build_manifest(http_base_url: str | None = None) -> dict[str, Any]:
    """Socket Mode manifest by default; with a base URL, HTTP mode with request URLs and OAuth redirect."""
    base = http_base_url.rstrip("/") if http_base_url else None
    events_url = f"{base}/slack/events" if base else None
    commands: list[dict[str, Any]] = []
    shortcuts: list[dict[str, Any]] = []
    # App Home belongs to the platform (ecombot.home), whatever the domains are.
    events: set[str] = {"app_home_opened"}
    for domain in DOMAINS:
        for command in domain.commands:
            entry: dict[str, Any] = {"command": command.name}
            if events_url:
                entry["url"] = events_url
            entry["description"] = command.description
            entry["usage_hint"] = command.hint
            entry["should_escape"] = True
            commands.append(entry)
        for shortcut in domain.shortcuts:
            shortcuts.append(
                {
                    "name": shortcut.name,
                    "type": shortcut.kind,
                    "callback_id": shortcut.callback_id,
                    "description": shortcut.description,
                }
            )
        events.update(name for event in domain.events for name in event.bot_events)
        if domain.importers:
            events.add("message.im")  # files dropped in a DM with the bot (ecombot.slack.imports)
    features: dict[str, Any] = {
        "app_home": {
            "home_tab_enabled": "app_home_opened" in events,
            "messages_tab_enabled": True,
            "messages_tab_read_only_enabled": False,
        },
        "bot_user": {"display_name": "ecombot", "always_online": True},
    }
    if shortcuts:
        features["shortcuts"] = shortcuts
    features["slash_commands"] = commands
    oauth: dict[str, Any] = {"scopes": {"bot": sorted(BOT_SCOPES)}}
    if base:
        oauth = {"redirect_urls": [f"{base}/slack/oauth_redirect"], **oauth}
    event_subscriptions: dict[str, Any] = {"bot_events": sorted(events)}
    interactivity: dict[str, Any] = {"is_enabled": True}
    if events_url:
        event_subscriptions = {"request_url": events_url, **event_subscriptions}
        interactivity["request_url"] = events_url
    return {
        "display_information": {
            "name": "ecombot",
            "description": "Daily operations for e-commerce teams: tasks, standups, campaigns, budgets, KPIs.",
            "long_description": (
                "ecombot runs the rituals of an e-commerce operations team in Slack: tasks and checkpoints "
                "with reminders, async standups at each member's local time, campaign results with ROAS and "
                "CPA, budget pacing alerts, KPI digests and anomaly alerts, and weekly retrospectives. "
                "Every message is available in English and Simplified Chinese. "
                "电商运营团队的 Slack 助手：任务、站会、活动复盘、预算与 KPI。"
            ),
            "background_color": "#1f3a5f",
        },
        "features": features,
        "oauth_config": oauth,
        "settings": {
            "event_subscriptions": event_subscriptions,
            "interactivity": interactivity,
            "org_deploy_enabled": False,
            "socket_mode_enabled": base is None,
            "token_rotation_enabled": False,
        },
    }


_PLAIN = re.compile(r"^[A-Za-z_/][A-Za-z0-9_ ./:@-]*$")


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if (
        _PLAIN.match(text)
        and not text.endswith(" ")
        and text.lower() not in ("true", "false", "null", "yes", "no")
    ):
        return text
    # JSON strings are valid YAML double-quoted scalars.
    return json.dumps(text, ensure_ascii=False)


def to_yaml(value: Any, indent: int = 0) -> str:
    """A small YAML emitter for the manifest's dicts, lists and scalars (block style, stable order)."""
    pad = "  " * indent
    lines: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, dict | list) and item:
                lines.append(f"{pad}{key}:")
                lines.append(to_yaml(item, indent + 1))
            elif isinstance(item, dict | list):
                lines.append(f"{pad}{key}: {'{}' if isinstance(item, dict) else '[]'}")
            else:
                lines.append(f"{pad}{key}: {_scalar(item)}")
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, dict) and item:
                first, *rest = to_yaml(item, indent + 1).splitlines()
                lines.append(f"{pad}- {first.lstrip()}")
                lines.extend(rest)
            else:
                lines.append(f"{pad}- {_scalar(item)}")
    else:
        lines.append(f"{pad}{_scalar(value)}")
    return "\n".join(lines)


def manifest_yaml(http_base_url: str | None = None) -> str:
    """The manifest as YAML text, ending with a newline."""
    header = "# Slack app manifest for ecombot. Regenerate with `ecombot manifest --socket > slack-manifest.yml`.\n"
    return header + to_yaml(build_manifest(http_base_url)) + "\n"
