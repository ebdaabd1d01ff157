"""`ecombot doctor`: check a deployment, one line per finding with how to fix it.

Each check is a small function returning a `Check`. The configuration is checked first and nothing
else runs (no Slack call, no database) until it is valid; every network call has a short timeout.
Tokens are never shown, only a masked prefix (`xoxb-…abcd`).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal, TextIO
from urllib.error import URLError
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web import SlackResponse
from sqlalchemy.engine import Engine, make_url

from ecombot.config import ENV_OVERRIDES, ConfigError, Settings, find_config_file, load_settings

Status = Literal["ok", "fail", "warn", "info"]
Mode = Literal["run", "serve", "scheduler"]
# Informational lines are not problems: they carry the same mark as a passed check.
MARKS: dict[Status, str] = {"ok": "✓", "info": "✓", "warn": "!", "fail": "✗"}
SLACK_TIMEOUT = 5  # seconds for each Slack Web API call
DB_CONNECT_TIMEOUT = 5  # seconds to open a PostgreSQL connection
NEXT_FIRINGS = 3  # how many upcoming firings the scheduler line shows
OVERDUE = timedelta(minutes=10)  # a schedule this late means no scheduler is running it
FAILED_LIMIT = 1000  # failed deliveries counted before saying "1000+"
_REJECTED_TOKEN = frozenset(
    {"invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired"}
)


@dataclass(frozen=True)
class Check:
    """One finding: what was checked, how it stands, what was found and how to fix it."""

    name: str
    status: Status
    finding: str
    fix: str = ""

    def line(self) -> str:
        """`✓|✗|! name: finding — fix`."""
        text = f"{MARKS[self.status]} {self.name}: {self.finding}"
        return f"{text} — {self.fix}" if self.fix else text


@dataclass(frozen=True)
class Report:
    """Every finding for one mode; ready when nothing failed (warnings allowed)."""

    mode: Mode
    checks: tuple[Check, ...]
    mode_reason: str = ""

    @property
    def ok(self) -> bool:
        """True when everything the mode needs is right."""
        return not any(c.status == "fail" for c in self.checks)

    def text(self) -> str:
        """The findings as lines, between a heading and a one-line verdict."""
        reason = f" ({self.mode_reason})" if self.mode_reason else ""
        lines = [f"ecombot doctor: checking for `ecombot {self.mode}`{reason}"]
        lines += [c.line() for c in self.checks]
        problems = sum(c.status == "fail" for c in self.checks)
        warnings = sum(c.status == "warn" for c in self.checks)
        if problems:
            lines.append(
                f"Not ready for `ecombot {self.mode}`: {_count(problems, 'problem')} to fix (✗ above)."
            )
        elif warnings:
            lines.append(f"Ready for `ecombot {self.mode}`, with {_count(warnings, 'warning')} (! above).")
        else:
            lines.append(f"Ready for `ecombot {self.mode}`.")
        return "\n".join(lines) + "\n"

    def as_json(self) -> dict[str, Any]:
        """`{"ok", "mode", "checks": [{"name", "status", "finding", "fix"}]}`."""
        return {"ok": self.ok, "mode": self.mode, "checks": [asdict(c) for c in self.checks]}


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def mask(token: str) -> str:
    """A token as it may be shown: its prefix and last four characters (`xoxb-…abcd`)."""
    prefix = token.split("-", 1)[0] + "-" if "-" in token else ""
    return f"{prefix}…{token[-4:]}" if len(token) >= len(prefix) + 12 else f"{prefix}…"


# -- the checks --------------------------------------------------------------------------------


def check_config(config_path: str | None, env: Mapping[str, str]) -> tuple[Check, Settings | None]:
    """Which settings file is used, and whether every value in it and the environment is valid."""
    path: Path | None = None
    try:
        path = find_config_file(config_path, dict(env))
        settings = load_settings(config_path, dict(env))
    except ConfigError as exc:
        return Check("config", "fail", f"{exc.key}: {exc.problem}", _config_fix(exc.key, path)), None
    overrides = [var for var in ENV_OVERRIDES if env.get(var)]
    source = str(path) if path is not None else "no file, defaults and environment"
    finding = f"{source} (environment: {', '.join(overrides)})" if overrides else source
    return Check("config", "ok", finding), settings


def _config_fix(key: str, path: Path | None) -> str:
    if key == "--config":
        return "pass an existing settings file to --config"
    if key == "ECOMBOT_CONFIG":
        return "point $ECOMBOT_CONFIG at an existing settings file, or unset it"
    if path is not None and key == str(path):
        return f"fix the TOML in {path} (config.example.toml shows every key)"
    env_vars = [var for var, (section, name) in ENV_OVERRIDES.items() if f"{section}.{name}" == key]
    where = str(path) if path is not None else "config.toml"
    also = f" or ${env_vars[0]}" if env_vars else ""
    return f"correct `{key}` in {where}{also} (config.example.toml documents every key)"


def default_mode(settings: Settings) -> tuple[Mode, str]:
    """`run` when an app-level token is configured, else `serve`; with the reason."""
    if settings.slack.app_token:
        return "run", "the default: an app-level token is set"
    return "serve", "the default: no app-level token"


def check_database(settings: Settings) -> tuple[Check, Engine | None]:
    """The database answers (short connect timeout) and is migrated to this ecombot's head.

    Returns the engine when the schema is at head (the checks that read tables need it), else None.
    """
    from ecombot import migrations
    from ecombot.db import make_engine, reader

    url = make_url(settings.database.url)
    shown = url.render_as_string(hide_password=True)
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:" and not Path(url.database).exists():
            # Connecting would create an empty file; a check must not.
            return Check(
                "database",
                "fail",
                f"{shown}: the file does not exist",
                "run `ecombot db upgrade` to create and migrate it, or correct database.url "
                "($ECOMBOT_DATABASE_URL)",
            ), None
    elif "connect_timeout" not in url.query:
        url = url.update_query_dict({"connect_timeout": str(DB_CONNECT_TIMEOUT)})
    engine = make_engine(replace(settings.database, url=url.render_as_string(hide_password=False)))
    try:
        current = migrations.current_revision(reader(engine))
    except sa.exc.SQLAlchemyError as exc:
        engine.dispose()
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        return Check(
            "database",
            "fail",
            f"{shown}: cannot connect ({reason})",
            "check database.url ($ECOMBOT_DATABASE_URL) and that the database server is running",
        ), None
    head = migrations.head_revision()
    if current == head:
        return Check("database", "ok", f"{shown} is at {head} (the newest schema)"), engine
    engine.dispose()
    on_start = (
        " (ecombot also migrates on start while database.auto_migrate is on)"
        if settings.database.auto_migrate
        else ""
    )
    if current is None:
        finding = f"{shown} has no schema yet (no migrations applied; this ecombot needs {head})"
        return Check("database", "fail", finding, f"run `ecombot db upgrade`{on_start}"), None
    try:
        ScriptDirectory.from_config(migrations.alembic_config()).get_revision(current)
    except CommandError:
        return Check(
            "database",
            "fail",
            f"{shown} is at {current}, a revision this ecombot does not know (its newest is {head})",
            "a newer ecombot migrated it: install that version (or newer) here too",
        ), None
    return Check(
        "database", "fail", f"{shown} is at {current}, behind {head}", f"run `ecombot db upgrade`{on_start}"
    ), None


@dataclass(frozen=True)
class SlackAnswer:
    """The outcome of one Web API call: the response, or a Slack error code, or why Slack was unreachable."""

    response: SlackResponse | None = None
    error: str = ""
    unreachable: str = ""


def _call_slack(settings: Settings, token: str, call: Callable[[WebClient], SlackResponse]) -> SlackAnswer:
    # No retry handlers: a doctor reports what it sees at once instead of waiting through backoffs.
    client = WebClient(token=token, base_url=settings.slack.api_url, timeout=SLACK_TIMEOUT, retry_handlers=[])
    try:
        return SlackAnswer(response=call(client))
    except SlackApiError as exc:
        return SlackAnswer(error=str(exc.response.get("error") or f"HTTP {exc.response.status_code}"))
    except URLError as exc:
        return SlackAnswer(unreachable=str(exc.reason))
    except (OSError, SlackClientError, ValueError) as exc:
        return SlackAnswer(unreachable=str(exc) or type(exc).__name__)


def _unreachable(name: str, settings: Settings, why: str) -> Check:
    return Check(
        name,
        "fail",
        f"cannot reach Slack at {settings.slack.api_url} ({why})",
        "check the network (or proxy) and slack.api_url ($SLACK_API_URL)",
    )


def check_bot_token(settings: Settings, mode: Mode) -> tuple[Check, SlackResponse | None]:
    """`auth.test` with the bot token: which workspace and bot it is. Returns the response for the scopes."""
    token = settings.slack.bot_token
    if not token:
        if mode != "run" and settings.slack.oauth_enabled:
            return Check(
                "bot token", "info", "not set: OAuth installs bring a token for each workspace"
            ), None
        fix = "set SLACK_BOT_TOKEN to the Bot User OAuth Token (xoxb-…) from your app's OAuth & Permissions page"
        if mode != "run":
            fix += ", or slack.client_id and slack.client_secret for OAuth installs"
        return Check("bot token", "fail", "not set", fix), None
    answer = _call_slack(settings, token, lambda client: client.auth_test())
    if answer.unreachable:
        return _unreachable("bot token", settings, answer.unreachable), None
    if answer.response is None:
        fix = (
            "copy the Bot User OAuth Token (xoxb-…) again from OAuth & Permissions into SLACK_BOT_TOKEN "
            "(reinstall the app if it was revoked)"
            if answer.error in _REJECTED_TOKEN
            else "see https://api.slack.com/methods/auth.test for this error"
        )
        return Check("bot token", "fail", f"Slack refused {mask(token)}: {answer.error}", fix), None
    data = answer.response
    finding = (
        f"{mask(token)} is the bot @{data.get('user', '?')} ({data.get('user_id', '?')}) "
        f"in {data.get('team', '?')} ({data.get('team_id', '?')})"
    )
    return Check("bot token", "ok", finding), answer.response


def manifest_scopes() -> list[str]:
    """The bot scopes `ecombot manifest` asks for."""
    from ecombot.manifest import build_manifest

    scopes: list[str] = build_manifest()["oauth_config"]["scopes"]["bot"]
    return scopes


def granted_scopes(response: SlackResponse) -> list[str] | None:
    """The scopes Slack reports in the `x-oauth-scopes` header of a Web API answer, or None."""
    for name, value in (response.headers or {}).items():
        if name.lower() == "x-oauth-scopes":
            text = value[0] if isinstance(value, list) else str(value)
            return [s.strip() for s in text.split(",") if s.strip()]
    return None


def check_scopes(response: SlackResponse) -> Check:
    """The scopes granted to the bot token against the manifest's bot scopes."""
    granted = granted_scopes(response)
    needed = manifest_scopes()
    if granted is None:
        return Check(
            "scopes",
            "warn",
            "Slack did not say which scopes the token has (no x-oauth-scopes header)",
            "compare OAuth & Permissions with `ecombot manifest`",
        )
    missing = [s for s in needed if s not in granted]
    if missing:
        return Check(
            "scopes",
            "fail",
            f"missing {', '.join(missing)} ({len(needed) - len(missing)} of the manifest's {len(needed)} granted)",
            "add them under OAuth & Permissions (or re-create from `ecombot manifest`) and reinstall",
        )
    return Check("scopes", "ok", f"all {len(needed)} bot scopes of the manifest are granted")


def check_app_token(settings: Settings, mode: Mode) -> Check:
    """The app-level token (xapp-) Socket Mode needs, and whether it opens a connection."""
    token = settings.slack.app_token
    if mode != "run":
        found = f"{mask(token)} is set; only `ecombot run` uses it" if token else "not needed"
        return Check("app token", "info", f"{found} (`ecombot {mode}` does not use Socket Mode)")
    if not token:
        return Check(
            "app token",
            "fail",
            "not set: Socket Mode needs an app-level token (xapp-…)",
            "create one under Basic Information → App-Level Tokens with the connections:write scope and "
            "set SLACK_APP_TOKEN (or use `ecombot serve`)",
        )
    answer = _call_slack(settings, token, lambda client: client.apps_connections_open(app_token=token))
    if answer.unreachable:
        return _unreachable("app token", settings, answer.unreachable)
    if answer.response is None:
        return Check(
            "app token",
            "fail",
            f"Slack refused to open a Socket Mode connection with {mask(token)}: {answer.error}",
            "turn on Socket Mode under Settings → Socket Mode, and generate a new app-level token with "
            "connections:write under Basic Information → App-Level Tokens",
        )
    return Check("app token", "ok", f"{mask(token)} opens Socket Mode connections")


def check_signing_secret(settings: Settings, mode: Mode) -> Check:
    """The signing secret HTTP mode verifies every request with."""
    if mode != "serve":
        return Check(
            "signing secret", "info", f"not needed by `ecombot {mode}` (no HTTP requests from Slack)"
        )
    if not settings.slack.signing_secret:
        return Check(
            "signing secret",
            "fail",
            "not set: HTTP mode verifies every request from Slack with it",
            "copy the Signing Secret from your app's Basic Information page into SLACK_SIGNING_SECRET",
        )
    return Check("signing secret", "ok", "set")


def check_oauth(settings: Settings, mode: Mode) -> Check:
    """OAuth installs: client id and secret together, and install scopes that cover the manifest's."""
    slack = settings.slack
    if not slack.oauth_enabled:
        return Check("oauth", "info", "not configured: one workspace, with the bot token")
    if mode == "run":
        return Check("oauth", "info", "configured, but `ecombot run` serves the bot token's workspace only")
    needed = manifest_scopes()
    missing = [s for s in needed if slack.scopes and s not in slack.scopes]
    if missing:
        return Check(
            "oauth",
            "fail",
            f"slack.scopes leaves out {', '.join(missing)}: new installs would not grant them",
            "remove slack.scopes (the manifest's scopes are the default) or add the missing ones",
        )
    asked = "slack.scopes" if slack.scopes else "the manifest's"
    where = " at /slack/install" if mode == "serve" else ""
    finding = f"client id {slack.client_id} and client secret set; installs{where} ask for {asked} scopes"
    return Check("oauth", "ok", finding)


def _local(when: datetime, zone: str) -> str:
    return when.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M %Z") + f" ({zone})"


def check_schedules(engine: Engine, settings: Settings, mode: Mode, now: datetime) -> Check:
    """The next firings of the schedules (informational), and schedules no scheduler has run."""
    from ecombot.db import session_scope
    from ecombot.scheduling import service

    with session_scope(engine, write=False) as session:
        schedules = [s for s in service.list_schedules(session) if s.enabled and s.next_fire_at is not None]
    schedules.sort(key=lambda s: (s.next_fire_at or now, s.id or 0))
    off = (
        "; scheduler.enabled is false, so start `ecombot scheduler` beside it"
        if not settings.scheduler.enabled and mode != "scheduler"
        else ""
    )
    if not schedules:
        return Check("scheduler", "info", f"no schedules yet{off}")
    overdue = [s for s in schedules if s.next_fire_at is not None and now - s.next_fire_at > OVERDUE]
    if overdue:
        late = now - (overdue[0].next_fire_at or now)
        return Check(
            "scheduler",
            "warn",
            f"{_count(len(overdue), 'schedule')} overdue, the oldest ({overdue[0].kind}) by "
            f"{_duration(late)}: no scheduler is firing them",
            "start `ecombot run` (scheduler.enabled = true), or `ecombot scheduler` beside `ecombot serve`; "
            "`ecombot jobs list` shows them",
        )
    upcoming = "; ".join(
        f"{s.kind}{' → ' + s.target if s.target else ''} at {_local(s.next_fire_at, s.timezone)}"
        for s in schedules[:NEXT_FIRINGS]
        if s.next_fire_at is not None
    )
    more = (
        f" (+{len(schedules) - NEXT_FIRINGS} more in `ecombot jobs list`)"
        if len(schedules) > NEXT_FIRINGS
        else ""
    )
    return Check("scheduler", "info", f"next: {upcoming}{more}{off}")


def _duration(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    if minutes < 120:
        return f"{minutes} min"
    if minutes < 48 * 60:
        return f"{minutes // 60} h"
    return f"{minutes // (24 * 60)} days"


def check_failed_deliveries(engine: Engine) -> Check:
    """Deliveries that gave up and wait for an operator."""
    from ecombot.db import session_scope
    from ecombot.scheduling import service

    with session_scope(engine, write=False) as session:
        failed = service.deliveries_by_status(session, "failed", limit=FAILED_LIMIT)
    if not failed:
        return Check("deliveries", "ok", "no failed deliveries")
    count = f"{FAILED_LIMIT}+" if len(failed) >= FAILED_LIMIT else str(len(failed))
    noun = "delivery" if len(failed) == 1 else "deliveries"
    last = failed[-1]
    return Check(
        "deliveries",
        "warn",
        f"{count} failed {noun} waiting (the latest, {last.id}: {last.last_error or 'no error recorded'})",
        "see `ecombot jobs failed`, retry with `ecombot jobs retry ID`",
    )


def check_holiday_calendar(today: datetime) -> Check:
    """The years the official (cn) holiday calendar knows: this year and the next should be among them."""
    from ecombot.standups.calendar import cn_known_years

    first, last = cn_known_years()
    missing = [year for year in (today.year, today.year + 1) if not first <= year <= last]
    if missing:
        years = " and ".join(str(y) for y in missing)
        return Check(
            "holiday calendar",
            "warn",
            f"the official holidays are known for {first}–{last}, not {years}: standups on the `cn` "
            "calendar would run on those holidays",
            f"upgrade chinesecalendar (`pip install -U chinesecalendar`) once {years}'s holidays are "
            "published (usually in November)",
        )
    return Check("holiday calendar", "ok", f"the official holidays are known for {first}–{last}")


# -- the whole run -----------------------------------------------------------------------------


def diagnose(
    config_path: str | None,
    mode: Mode | None = None,
    *,
    env: Mapping[str, str] | None = None,
    now: datetime | None = None,
) -> Report:
    """Every check for `mode` (default: `run` with an app-level token, else `serve`)."""
    env = os.environ if env is None else env
    now = now if now is not None else datetime.now(UTC)
    config, settings = check_config(config_path, env)
    if settings is None:
        # Nothing else runs on settings that would not start ecombot either.
        return Report(
            mode or "serve", (config,), "" if mode else "the default: the settings could not be read"
        )
    reason = ""
    if mode is None:
        mode, reason = default_mode(settings)
    checks = [config]
    database, engine = check_database(settings)
    checks.append(database)
    token, auth = check_bot_token(settings, mode)
    checks.append(token)
    if auth is not None:
        checks.append(check_scopes(auth))
    checks += [
        check_app_token(settings, mode),
        check_signing_secret(settings, mode),
        check_oauth(settings, mode),
    ]
    if engine is not None:
        try:
            checks += [check_schedules(engine, settings, mode, now), check_failed_deliveries(engine)]
        finally:
            engine.dispose()
    checks.append(check_holiday_calendar(now.astimezone(ZoneInfo(settings.workspace.timezone))))
    return Report(mode, tuple(checks), reason)


def doctor_command(
    config_path: str | None,
    mode: Mode | None = None,
    *,
    as_json: bool = False,
    out: TextIO | None = None,
    env: Mapping[str, str] | None = None,
    now: datetime | None = None,
) -> int:
    """`ecombot doctor`: print the findings (lines or JSON); 0 when the mode is ready, else 1."""
    report = diagnose(config_path, mode, env=env, now=now)
    out = out if out is not None else sys.stdout
    if as_json:
        out.write(json.dumps(report.as_json(), ensure_ascii=False, indent=2) + "\n")
    else:
        out.write(report.text())
    return 0 if report.ok else 1
