"""Settings: a TOML file plus environment overrides, validated once and passed down."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlparse
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.numbers import UnknownCurrencyError, get_currency_name

SUPPORTED_LANGUAGES = ("en", "zh-CN")
DEFAULT_API_URL = "https://slack.com/api/"
DEFAULT_DATABASE_URL = "sqlite:///ecombot.db"

# Environment variables that override a key of the file.
ENV_OVERRIDES: dict[str, tuple[str, str]] = {
    "SLACK_BOT_TOKEN": ("slack", "bot_token"),
    "SLACK_APP_TOKEN": ("slack", "app_token"),
    "SLACK_SIGNING_SECRET": ("slack", "signing_secret"),
    "SLACK_CLIENT_ID": ("slack", "client_id"),
    "SLACK_CLIENT_SECRET": ("slack", "client_secret"),
    "SLACK_API_URL": ("slack", "api_url"),
    "ECOMBOT_DATABASE_URL": ("database", "url"),
    "ECOMBOT_SECRET_KEY": ("slack", "secret_key"),
}


class ConfigError(Exception):
    """A configuration value is missing or invalid; the message names the key."""

    def __init__(self, key: str, problem: str) -> None:
        super().__init__(f"{key}: {problem}")
        self.key = key
        self.problem = problem


def _secret(value: str) -> str:
    return "" if not value else f"{value[:5]}…(set)"


@dataclass(frozen=True)
class SlackSettings:
    """How to reach Slack and prove requests came from it."""

    bot_token: str = ""
    app_token: str = ""
    signing_secret: str = ""
    client_id: str = ""
    client_secret: str = ""
    # Fernet key(s), newest first, comma-separated: the OAuth tokens ecombot stores are encrypted
    # with it (ecombot.slack.tokens). Required with OAuth installs.
    secret_key: str = ""
    api_url: str = DEFAULT_API_URL
    scopes: tuple[str, ...] = ()
    # Tests and the console set this so the whole listener runs before the HTTP response returns.
    process_before_response: bool = False

    @property
    def oauth_enabled(self) -> bool:
        """True when multi-workspace OAuth installs are configured."""
        return bool(self.client_id and self.client_secret)

    def __repr__(self) -> str:
        # Tokens must never reach a log line, even through a repr in a traceback.
        return (
            f"SlackSettings(bot_token={_secret(self.bot_token)!r}, app_token={_secret(self.app_token)!r}, "
            f"signing_secret={'(set)' if self.signing_secret else ''!r}, client_id={self.client_id!r}, "
            f"client_secret={'(set)' if self.client_secret else ''!r}, "
            f"secret_key={'(set)' if self.secret_key else ''!r}, api_url={self.api_url!r})"
        )


@dataclass(frozen=True)
class DatabaseSettings:
    """Where the data lives."""

    url: str = DEFAULT_DATABASE_URL
    auto_migrate: bool = True
    pool_size: int = 5
    echo: bool = False
    # How long a request waits for the database before it answers "try again" (Slack gives up on
    # an ack after 3 s): to connect, for a pooled connection, for a lock.
    connect_timeout: float = 2.0
    lock_timeout: float = 2.0
    # PostgreSQL: a request's database work that has not ended after this long has its connection
    # cut (a server that stops answering would otherwise hold it for minutes).
    request_timeout: float = 2.5


@dataclass(frozen=True)
class ServerSettings:
    """HTTP mode (`ecombot serve`)."""

    host: str = "0.0.0.0"  # noqa: S104 - a server is meant to be reachable
    port: int = 3000
    workers: int = 2


@dataclass(frozen=True)
class WorkspaceDefaults:
    """Defaults for a workspace the bot meets for the first time."""

    timezone: str = "Asia/Shanghai"
    currency: str = "CNY"
    language: str = "zh-CN"
    ops_leads: tuple[str, ...] = ()


@dataclass(frozen=True)
class SchedulerSettings:
    """Whether this process runs scheduled work, and how the delivery worker paces Slack."""

    enabled: bool = True
    tick_seconds: int = 30
    delivery_threads: int = 8
    delivery_max_attempts: int = 8
    delivery_lease_seconds: int = 60
    channel_interval_seconds: float = 1.0


@dataclass(frozen=True)
class LoggingSettings:
    """Log verbosity."""

    level: str = "INFO"


@dataclass(frozen=True)
class Settings:
    """Every setting of one ecombot process."""

    slack: SlackSettings = field(default_factory=SlackSettings)
    database: DatabaseSettings = field(default_factory=DatabaseSettings)
    server: ServerSettings = field(default_factory=ServerSettings)
    workspace: WorkspaceDefaults = field(default_factory=WorkspaceDefaults)
    scheduler: SchedulerSettings = field(default_factory=SchedulerSettings)
    logging: LoggingSettings = field(default_factory=LoggingSettings)
    source: str = "defaults"

    def with_database(self, url: str) -> Settings:
        """A copy pointing at another database."""
        return replace(self, database=replace(self.database, url=url))

    def with_slack(self, **changes: Any) -> Settings:
        """A copy with some Slack settings changed."""
        return replace(self, slack=replace(self.slack, **changes))


_SECTIONS: dict[str, type[Any]] = {
    "slack": SlackSettings,
    "database": DatabaseSettings,
    "server": ServerSettings,
    "workspace": WorkspaceDefaults,
    "scheduler": SchedulerSettings,
    "logging": LoggingSettings,
}


def find_config_file(explicit: str | None, env: dict[str, str]) -> Path | None:
    """`--config PATH`, then `$ECOMBOT_CONFIG`, then `./config.toml`, else none."""
    if explicit:
        path = Path(explicit)
        if not path.is_file():
            raise ConfigError("--config", f"file not found: {explicit}")
        return path
    if env.get("ECOMBOT_CONFIG"):
        path = Path(env["ECOMBOT_CONFIG"])
        if not path.is_file():
            raise ConfigError("ECOMBOT_CONFIG", f"file not found: {path}")
        return path
    local = Path("config.toml")
    return local if local.is_file() else None


def load_settings(config_path: str | None = None, env: dict[str, str] | None = None) -> Settings:
    """Read, merge and validate the settings; raises ConfigError naming the bad key."""
    env = dict(os.environ) if env is None else env
    path = find_config_file(config_path, env)
    raw: dict[str, Any] = {}
    if path is not None:
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(str(path), f"malformed TOML ({exc})") from None
        except UnicodeDecodeError:
            raise ConfigError(str(path), "not UTF-8 text") from None
    for var, (section, key) in ENV_OVERRIDES.items():
        if env.get(var):
            raw.setdefault(section, {})
            if not isinstance(raw[section], dict):
                raise ConfigError(section, "must be a table")
            raw[section][key] = env[var]
    settings = build_settings(raw)
    return replace(settings, source=str(path) if path else "defaults")


def build_settings(raw: dict[str, Any]) -> Settings:
    """Turn parsed TOML into validated Settings."""
    sections: dict[str, Any] = {}
    for name, value in raw.items():
        if name not in _SECTIONS:
            raise ConfigError(name, f"unknown section (known: {', '.join(_SECTIONS)})")
        if not isinstance(value, dict):
            raise ConfigError(name, "must be a table")
        sections[name] = _build_section(name, _SECTIONS[name], value)
    settings = Settings(**sections)
    _validate(settings)
    workspace = replace(
        settings.workspace,
        language=validate_language(settings.workspace.language),
        currency=validate_currency(settings.workspace.currency),
    )
    return replace(settings, workspace=workspace)


def _build_section(name: str, cls: type[Any], values: dict[str, Any]) -> Any:
    defaults = cls()
    kwargs: dict[str, Any] = {}
    for key, value in values.items():
        if not hasattr(defaults, key) or key == "process_before_response":
            raise ConfigError(f"{name}.{key}", "unknown key")
        expected = getattr(defaults, key)
        kwargs[key] = _coerce(f"{name}.{key}", value, expected)
    return cls(**kwargs)


def _coerce(key: str, value: Any, expected: Any) -> Any:
    if isinstance(expected, bool):
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "false", "1", "0", "yes", "no"):
            return value.lower() in ("true", "1", "yes")
        raise ConfigError(key, f"must be true or false, not {value!r}")
    if isinstance(expected, float):
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        try:
            return float(str(value))
        except ValueError:
            raise ConfigError(key, f"must be a number, not {value!r}") from None
    if isinstance(expected, int):
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().isdigit():
            return int(value)
        raise ConfigError(key, f"must be a whole number, not {value!r}")
    if isinstance(expected, tuple):
        if isinstance(value, str):
            value = [v.strip() for v in value.split(",") if v.strip()]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(key, "must be a list of strings")
        return tuple(value)
    if not isinstance(value, str):
        raise ConfigError(key, f"must be a string, not {value!r}")
    return value.strip()


def validate_timezone(name: str) -> str:
    """The IANA zone name, or ValueError."""
    if not name or name.startswith("/") or ".." in name:
        raise ValueError(name)
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, IsADirectoryError):
        raise ValueError(name) from None
    return name


def validate_currency(code: str) -> str:
    """The upper-case ISO 4217 code, or ValueError."""
    code = code.strip().upper()
    if len(code) != 3 or not code.isalpha():
        raise ValueError(code)
    try:
        get_currency_name(code, locale="en")
    except UnknownCurrencyError:
        raise ValueError(code) from None
    # Babel echoes unknown but well-formed codes back as their own name.
    if get_currency_name(code, locale="en") == code:
        raise ValueError(code)
    return code


_LANGUAGE_ALIASES = {
    "en": "en",
    "en-us": "en",
    "en-gb": "en",
    "english": "en",
    "zh": "zh-CN",
    "zh-cn": "zh-CN",
    "zh_cn": "zh-CN",
    "zh-hans": "zh-CN",
    "cn": "zh-CN",
    "chinese": "zh-CN",
    "中文": "zh-CN",
    "简体中文": "zh-CN",
}


def validate_language(value: str) -> str:
    """`en` or `zh-CN` from any common spelling, or ValueError."""
    lang = _LANGUAGE_ALIASES.get(value.strip().lower())
    if lang is None:
        raise ValueError(value)
    return lang


def _validate_secret_key(slack: SlackSettings) -> None:
    keys: list[str] = []
    if slack.secret_key.strip(" ,"):
        from ecombot.slack.tokens import parse_keys  # cryptography only where a key is set

        try:
            keys = parse_keys(slack.secret_key)
        except ValueError as exc:
            raise ConfigError("slack.secret_key", f"(ECOMBOT_SECRET_KEY) {exc}") from None
    if slack.oauth_enabled and not keys:
        raise ConfigError(
            "slack.secret_key",
            "missing: with OAuth installs ecombot stores each workspace's Slack token, encrypted with "
            "this key; set ECOMBOT_SECRET_KEY (`ecombot secrets new-key` makes one) and keep it safe: "
            "the stored tokens cannot be read without it",
        )


def _validate(settings: Settings) -> None:
    api = urlparse(settings.slack.api_url)
    if api.scheme not in ("http", "https") or not api.netloc:
        raise ConfigError("slack.api_url", f"not an http(s) URL: {settings.slack.api_url!r}")
    if not settings.slack.api_url.endswith("/"):
        raise ConfigError("slack.api_url", "must end with '/' (e.g. https://slack.com/api/)")
    db = urlparse(settings.database.url)
    if not db.scheme or not (db.scheme.startswith("sqlite") or db.scheme.startswith("postgresql")):
        raise ConfigError(
            "database.url",
            f"must be sqlite:///PATH or postgresql+psycopg://…, not {settings.database.url!r}",
        )
    if settings.slack.bot_token and not settings.slack.bot_token.startswith("xoxb-"):
        raise ConfigError("slack.bot_token", "a bot token starts with 'xoxb-'")
    if settings.slack.app_token and not settings.slack.app_token.startswith("xapp-"):
        raise ConfigError("slack.app_token", "an app-level token starts with 'xapp-'")
    if bool(settings.slack.client_id) != bool(settings.slack.client_secret):
        raise ConfigError("slack.client_secret", "client_id and client_secret must be set together")
    _validate_secret_key(settings.slack)
    if not 1 <= settings.server.port <= 65535:
        raise ConfigError("server.port", f"must be 1..65535, not {settings.server.port}")
    if not 1 <= settings.server.workers <= 64:
        raise ConfigError("server.workers", f"must be 1..64, not {settings.server.workers}")
    scheduler = settings.scheduler
    for name, value, low in (
        ("tick_seconds", scheduler.tick_seconds, 1),
        ("delivery_threads", scheduler.delivery_threads, 1),
        ("delivery_max_attempts", scheduler.delivery_max_attempts, 1),
        ("delivery_lease_seconds", scheduler.delivery_lease_seconds, 1),
    ):
        if value < low:
            raise ConfigError(f"scheduler.{name}", f"must be at least {low}, not {value}")
    if not 0 <= scheduler.channel_interval_seconds <= 60:
        raise ConfigError("scheduler.channel_interval_seconds", "must be between 0 and 60")
    if settings.database.pool_size < 1:
        raise ConfigError("database.pool_size", "must be at least 1")
    for name in ("connect_timeout", "lock_timeout", "request_timeout"):
        if not 0 < getattr(settings.database, name) <= 60:
            raise ConfigError(f"database.{name}", "must be more than 0 and at most 60 (seconds)")
    try:
        validate_timezone(settings.workspace.timezone)
    except ValueError:
        raise ConfigError("workspace.timezone", f"unknown timezone {settings.workspace.timezone!r}") from None
    try:
        validate_currency(settings.workspace.currency)
    except ValueError:
        raise ConfigError("workspace.currency", f"unknown currency {settings.workspace.currency!r}") from None
    try:
        validate_language(settings.workspace.language)
    except ValueError:
        raise ConfigError(
            "workspace.language", f"unknown language {settings.workspace.language!r} (use en or zh-CN)"
        ) from None
    for user in settings.workspace.ops_leads:
        if user[:1] not in ("U", "W"):
            raise ConfigError("workspace.ops_leads", f"{user!r} is not a Slack user id (U…)")
    if settings.logging.level.upper() not in ("DEBUG", "INFO", "WARNING", "ERROR"):
        raise ConfigError(
            "logging.level", f"must be DEBUG, INFO, WARNING or ERROR, not {settings.logging.level!r}"
        )
