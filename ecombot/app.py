"""create_app: the Bolt App with every domain bound through the listener adapter."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Executor

from slack_bolt import App
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy.engine import Engine

from ecombot.clock import Clock, SystemClock
from ecombot.config import ConfigError, Settings
from ecombot.db import make_engine, session_scope
from ecombot.domains import DOMAINS
from ecombot.runtime import Runtime
from ecombot.slack import prompt_ack
from ecombot.slack.errors import install_error_handler
from ecombot.slack.listeners import Listeners
from ecombot.slack.oauth import BOTS_TABLE, INSTALLATIONS_TABLE, OAUTH_STATES_TABLE, InstallationStore
from ecombot.slack.tokens import required_cipher

log = logging.getLogger(__name__)

BOT_SCOPES = (
    "channels:history",
    "channels:join",
    "channels:read",
    "chat:write",
    "chat:write.public",
    "commands",
    "files:read",
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
    """The Runtime with every domain's schedule kinds, ticks and Home sections (no Slack app needed)."""
    return Runtime(
        settings=settings,
        engine=engine if engine is not None else make_engine(settings.database),
        clock=clock if clock is not None else SystemClock(),
        domains=DOMAINS,
    )


def _mark_installed(settings: Settings, engine: Engine, clock: Clock) -> Callable[[Installation], None]:
    """After an OAuth install: the workspace exists, and one that had uninstalled the app no longer
    counts as uninstalled (its schedules resume, its recent parked deliveries are queued again)."""
    from ecombot.workspaces import service as workspaces

    def on_install(installation: Installation) -> None:
        if not installation.team_id or installation.is_enterprise_install:
            return
        with session_scope(engine) as session:
            workspaces.ensure_workspace(
                session,
                team_id=installation.team_id,
                defaults=settings.workspace,
                now=clock.now(),
                name=installation.team_name or "",
            )

    return on_install


def create_app(
    settings: Settings,
    client: WebClient | None = None,
    *,
    engine: Engine | None = None,
    clock: Clock | None = None,
    runtime: Runtime | None = None,
    listener_executor: Executor | None = None,
) -> App:
    """The Bolt App for these settings; single-workspace with a bot token, multi-workspace with OAuth.

    `runtime` lets a process share one Runtime between the app and an in-process scheduler (so a
    handler's outbox write wakes the delivery worker); `listener_executor` runs the work after acks.
    """
    if runtime is not None:
        engine, clock = runtime.engine, runtime.clock
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
            installation_store=InstallationStore(
                cipher=required_cipher(slack.secret_key),
                client_id=slack.client_id,
                engine=engine,
                installations_table_name=INSTALLATIONS_TABLE,
                bots_table_name=BOTS_TABLE,
                on_install=_mark_installed(settings, engine, clock),
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
        listener_executor=listener_executor,
    )
    prompt_ack.install(app)
    rt = runtime if runtime is not None else build_runtime(settings, engine=engine, clock=clock)
    install_error_handler(app)
    Listeners(app, rt).bind(rt.domains)
    return app
