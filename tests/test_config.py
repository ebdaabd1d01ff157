"""Settings: defaults, the file, the environment, and one clear line for every bad value."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ecombot.config import ConfigError, Settings, load_settings
from tests.support import SECRET_KEY

ROOT = Path(__file__).resolve().parents[1]


def test_defaults_without_file_or_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    settings = load_settings(env={})
    assert settings.database.url == "sqlite:///ecombot.db"
    assert settings.slack.api_url == "https://slack.com/api/"
    assert (settings.workspace.timezone, settings.workspace.currency, settings.workspace.language) == (
        "Asia/Shanghai",
        "CNY",
        "zh-CN",
    )
    assert settings.scheduler.enabled is True
    assert settings.source == "defaults"


def test_example_file_documents_every_key_and_loads_to_the_defaults() -> None:
    example = ROOT / "config.example.toml"
    settings = load_settings(str(example), env={})
    assert settings.slack == Settings().slack
    assert settings.database == Settings().database
    assert settings.workspace == Settings().workspace
    text = example.read_text()
    for section, cls in (
        ("slack", settings.slack),
        ("database", settings.database),
        ("server", settings.server),
        ("workspace", settings.workspace),
        ("scheduler", settings.scheduler),
        ("logging", settings.logging),
    ):
        assert f"[{section}]" in text
        for key in cls.__dataclass_fields__:
            if key != "process_before_response":
                assert f"\n{key} = " in text, f"{section}.{key} is not documented in config.example.toml"


def test_load_order_explicit_then_env_var_then_local_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "config.toml").write_text('[workspace]\ntimezone = "Europe/Berlin"\n')
    other = tmp_path / "other.toml"
    other.write_text('[workspace]\ntimezone = "America/New_York"\n')
    explicit = tmp_path / "explicit.toml"
    explicit.write_text('[workspace]\ntimezone = "Asia/Tokyo"\n')
    assert load_settings(env={}).workspace.timezone == "Europe/Berlin"
    assert load_settings(env={"ECOMBOT_CONFIG": str(other)}).workspace.timezone == "America/New_York"
    assert load_settings(str(explicit), env={"ECOMBOT_CONFIG": str(other)}).workspace.timezone == "Asia/Tokyo"


def test_environment_overrides_the_file(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text('[slack]\nbot_token = "xoxb-file"\n[database]\nurl = "sqlite:///file.db"\n')
    env = {
        "SLACK_BOT_TOKEN": "xoxb-env",
        "SLACK_APP_TOKEN": "xapp-env",
        "SLACK_SIGNING_SECRET": "sek",
        "SLACK_CLIENT_ID": "123.456",
        "SLACK_CLIENT_SECRET": "shh",
        "SLACK_API_URL": "http://127.0.0.1:9999/api/",
        "ECOMBOT_DATABASE_URL": "postgresql+psycopg://postgres@127.0.0.1:5432/test",
        "ECOMBOT_SECRET_KEY": SECRET_KEY,
    }
    settings = load_settings(str(path), env=env)
    assert settings.slack.secret_key == SECRET_KEY
    assert SECRET_KEY not in repr(settings.slack)
    assert settings.slack.bot_token == "xoxb-env"
    assert settings.slack.app_token == "xapp-env"
    assert settings.slack.signing_secret == "sek"
    assert settings.slack.oauth_enabled
    assert settings.slack.api_url == "http://127.0.0.1:9999/api/"
    assert settings.database.url.startswith("postgresql+psycopg://")


def test_language_and_currency_are_normalized(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text('[workspace]\nlanguage = "中文"\ncurrency = "usd"\n')
    settings = load_settings(str(path), env={})
    assert settings.workspace.language == "zh-CN"
    assert settings.workspace.currency == "USD"


@pytest.mark.parametrize(
    ("toml", "key"),
    [
        ('[workspace]\ntimezone = "Mars/Base"\n', "workspace.timezone"),
        ('[workspace]\nlanguage = "klingon"\n', "workspace.language"),
        ('[workspace]\ncurrency = "XYZ"\n', "workspace.currency"),
        ('[slack]\napi_url = "not a url"\n', "slack.api_url"),
        ('[database]\nurl = "mysql://x"\n', "database.url"),
        ("[server]\nport = 70000\n", "server.port"),
        ('[server]\nworkers = "many"\n', "server.workers"),
        ('[slack]\nbot_token = "xoxp-user-token"\n', "slack.bot_token"),
        ('[slack]\nclient_id = "123"\n', "slack.client_secret"),
        # OAuth installs store tokens: not without the key that encrypts them.
        ('[slack]\nclient_id = "123"\nclient_secret = "s"\n', "slack.secret_key"),
        ('[slack]\nsecret_key = "not-a-fernet-key"\n', "slack.secret_key"),
        ('[scheduler]\nenabled = "perhaps"\n', "scheduler.enabled"),
        ('[slack]\nbot_tokn = "x"\n', "slack.bot_tokn"),
        ("[nonsense]\nx = 1\n", "nonsense"),
        ('[workspace]\nops_leads = ["bob"]\n', "workspace.ops_leads"),
    ],
)
def test_bad_values_name_the_key(tmp_path: Path, toml: str, key: str) -> None:
    path = tmp_path / "c.toml"
    path.write_text(toml)
    with pytest.raises(ConfigError) as info:
        load_settings(str(path), env={})
    assert info.value.key == key


def test_malformed_toml_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text("[slack\nbot_token = \n")
    with pytest.raises(ConfigError, match="malformed TOML"):
        load_settings(str(path), env={})


def test_tokens_never_appear_in_the_repr() -> None:
    settings = Settings().with_slack(bot_token="xoxb-1234-secretpart", signing_secret="topsecret")
    text = repr(settings)
    assert "secretpart" not in text
    assert "topsecret" not in text


@pytest.mark.parametrize(
    ("toml", "fragment"),
    [
        ('[workspace]\ntimezone = "Mars/Base"\n', "workspace.timezone: unknown timezone 'Mars/Base'"),
        ("[slack\n", "malformed TOML"),
    ],
)
def test_cli_stops_with_one_line_and_status_2(tmp_path: Path, toml: str, fragment: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(toml)
    result = subprocess.run(
        [sys.executable, "-m", "ecombot", "--config", str(path), "db", "current"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )
    assert result.returncode == 2
    assert fragment in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
