"""create_app: the Bolt App with every domain registered."""

from __future__ import annotations

import logging
from types import ModuleType

from slack_bolt import App
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy.engine import Engine

from ecombot import scheduling, tasks, workspaces
from ecombot.clock import Clock, SystemClock
from ecombot.config import ConfigError, Settings
from ecombot.db import make_engine
from ecombot.runtime import Runtime
from ecombot.slack.errors import install_error_handler
from ecombot.slack.oauth import BOTS_TABLE, INSTALLATIONS_TABLE, OAUTH_STATES_TABLE

log = logging.getLogger(__name__)

# Registration order matters: workspaces installs the caller middleware every other domain relies on.
DOMAINS: tuple[ModuleType, ...] = (workspaces, scheduling, tasks)

BOT_SCOPES = (
    "channels:history",
    "channels:join",
    "channels:read",
    "chat:write",
    "chat:write.public",
    "commands",
    "files:write",
    "groups:history",
    "groups:read",
    "im:history",
    "im:write",
    "users:read",
)


def make_web_client(settings: Settings, token: str | None = None) -> WebClient:
    """A WebClient for `slack.api_url` that retries 429 (Retry-After), 5xx and connection errors."""
    client = WebClient(token=token, base_url=settings.slack.api_url, timeout=15)
    client.retry_handlers.extend(
        [
            ConnectionErrorRetryHandler(max_retry_count=2),
            RateLimitErrorRetryHandler(max_retry_count=3),
            ServerErrorRetryHandler(max_retry_count=2),
        ]
    )
    return client


def build_runtime(settings: Settings, *, engine: Engine | None = None, clock: Clock | None = None) -> Runtime:
    """The Runtime with every domain's help lines and schedule kinds bound (no Slack app needed)."""
    rt = Runtime(
        settings=settings,
        engine=engine if engine is not None else make_engine(settings.database),
        clock=clock if clock is not None else SystemClock(),
        commands=tuple(spec for domain in DOMAINS for spec in domain.COMMANDS),
    )
    for domain in DOMAINS:
        register_jobs = getattr(domain, "register_jobs", None)
        if register_jobs is not None:
            register_jobs(rt.jobs)
    return rt


def create_app(
    settings: Settings,
    client: WebClient | None = None,
    *,
    engine: Engine | None = None,
    clock: Clock | None = None,
) -> App:
    """The Bolt App for these settings; single-workspace with a bot token, multi-workspace with OAuth."""
    engine = engine if engine is not None else make_engine(settings.database)
    clock = clock if clock is not None else SystemClock()
    slack = settings.slack
    oauth_settings: OAuthSettings | None = None
    if slack.oauth_enabled:
        client = client if client is not None else make_web_client(settings)
        oauth_settings = OAuthSettings(
            client_id=slack.client_id,
            client_secret=slack.client_secret,
            scopes=list(slack.scopes or BOT_SCOPES),
            installation_store=SQLAlchemyInstallationStore(
                client_id=slack.client_id,
                engine=engine,
                installations_table_name=INSTALLATIONS_TABLE,
                bots_table_name=BOTS_TABLE,
            ),
            state_store=SQLAlchemyOAuthStateStore(
                expiration_seconds=600, engine=engine, table_name=OAUTH_STATES_TABLE
            ),
        )
    elif not slack.bot_token:
        raise ConfigError(
            "slack.bot_token",
            "missing: set SLACK_BOT_TOKEN (xoxb-…, from your Slack app's OAuth & Permissions page), "
            "or slack.client_id and slack.client_secret for multi-workspace installs",
        )
    else:
        client = client if client is not None else make_web_client(settings, slack.bot_token)
    app = App(
        client=client,
        signing_secret=slack.signing_secret,
        oauth_settings=oauth_settings,
        process_before_response=slack.process_before_response,
        # Bolt would read SLACK_* itself; everything comes from Settings instead.
        token_verification_enabled=not slack.oauth_enabled,
        name="ecombot",
        logger=logging.getLogger("ecombot.bolt"),
    )
    rt = build_runtime(settings, engine=engine, clock=clock)
    install_error_handler(app)
    for domain in DOMAINS:
        domain.register(app, rt)
    return app
