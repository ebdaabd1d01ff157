"""The Slack app manifest: what a workspace admin pastes to create the app."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml
from sqlalchemy.engine import Engine

from ecombot.app import BOT_SCOPES
from ecombot.clock import FixedClock
from ecombot.config import Settings
from ecombot.devtools.driver import SlackDriver
from ecombot.domains import DOMAINS, commands
from ecombot.manifest import build_manifest, manifest_yaml
from ecombot.slack.router import markdown_reference

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


def test_every_manifest_entry_has_a_listener_and_every_listener_is_in_the_manifest(
    settings: Settings, db: Engine, clock: FixedClock
) -> None:
    from slack_bolt import App

    from ecombot.app import build_runtime
    from ecombot.slack.listeners import Listeners

    listeners = Listeners(
        App(token="xoxb-x", signing_secret="s", token_verification_enabled=False),
        build_runtime(settings, engine=db, clock=clock),
    )
    listeners.bind(DOMAINS)
    bound = listeners.bound
    manifest = build_manifest()
    features = manifest["features"]
    assert {c["command"] for c in features["slash_commands"]} == bound.commands
    assert {s["callback_id"] for s in features["shortcuts"]} == bound.shortcuts
    assert set(manifest["settings"]["event_subscriptions"]["bot_events"]) == bound.events
    assert features["app_home"]["home_tab_enabled"] is ("app_home_opened" in bound.events)
    # Every button the views can draw has a listener (ids declared by the domains).
    declared = {a.action_id for d in DOMAINS for a in d.actions}
    assert declared == bound.actions


def test_manifest_commands_are_answered_by_the_running_app(slack: SlackDriver) -> None:
    for command in build_manifest()["features"]["slash_commands"]:
        result = slack.command(f"{command['command']} help")
        assert result.status == 200 and result.json["response_type"] == "ephemeral", command


def test_readme_command_reference_is_generated_from_the_router() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("<!-- commands:start -->\n", 1)[1].split("<!-- commands:end -->", 1)[0]
    assert section == markdown_reference(commands())
    result = subprocess.run(
        [sys.executable, "-m", "ecombot", "commands"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0 and result.stdout == section
