"""The Slack app manifest: what a workspace admin pastes to create the app."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

from ecombot.app import BOT_SCOPES
from ecombot.manifest import build_manifest, manifest_yaml

ROOT = Path(__file__).resolve().parents[1]


def test_checked_in_manifest_equals_the_socket_mode_output() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ecombot", "manifest", "--socket"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert (ROOT / "slack-manifest.yml").read_text(encoding="utf-8") == result.stdout


def test_yaml_parses_to_the_manifest() -> None:
    assert yaml.safe_load(manifest_yaml()) == build_manifest()
    assert yaml.safe_load(manifest_yaml("https://bot.example.com")) == build_manifest(
        "https://bot.example.com"
    )


def test_socket_mode_manifest_has_commands_scopes_events_and_no_urls() -> None:
    manifest = build_manifest()
    commands = {c["command"]: c for c in manifest["features"]["slash_commands"]}
    assert "/ecom" in commands
    assert "url" not in commands["/ecom"]
    assert commands["/ecom"]["should_escape"] is True
    assert manifest["settings"]["socket_mode_enabled"] is True
    assert set(manifest["oauth_config"]["scopes"]["bot"]) == set(BOT_SCOPES)
    assert {"commands", "chat:write", "users:read", "im:write"} <= set(BOT_SCOPES)
    assert "user_change" in manifest["settings"]["event_subscriptions"]["bot_events"]
    assert manifest["features"]["app_home"]["messages_tab_enabled"] is True


def test_http_manifest_points_everything_at_the_events_url() -> None:
    manifest = build_manifest("https://bot.example.com/")
    url = "https://bot.example.com/slack/events"
    assert all(c["url"] == url for c in manifest["features"]["slash_commands"])
    assert manifest["settings"]["event_subscriptions"]["request_url"] == url
    assert manifest["settings"]["interactivity"]["request_url"] == url
    assert manifest["oauth_config"]["redirect_urls"] == ["https://bot.example.com/slack/oauth_redirect"]
    assert manifest["settings"]["socket_mode_enabled"] is False
