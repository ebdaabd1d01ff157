"""The `ecombot` command: run | serve | scheduler | console | demo | doctor | db | jobs | workspace | import |
export | manifest | commands."""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ecombot.config import ConfigError, Settings, load_settings
from ecombot.slack.errors import RedactTokens

if TYPE_CHECKING:
    from ecombot.runtime import Runtime
    from ecombot.scheduling.runner import SchedulerRunner

log = logging.getLogger("ecombot")


def setup_logging(level: str) -> None:
    """Log to stderr, with tokens redacted from every record."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactTokens())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    if level.upper() != "DEBUG":
        # Alembic narrates every migration step at INFO; `ecombot db` prints its own summary.
        logging.getLogger("alembic").setLevel(logging.WARNING)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ecombot", description="Slack operations assistant for e-commerce teams."
    )
    parser.add_argument(
        "--config", metavar="PATH", help="TOML settings file (default: $ECOMBOT_CONFIG, ./config.toml)"
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    sub.add_parser("run", help="connect to Slack over Socket Mode (no public URL needed)")
    serve = sub.add_parser("serve", help="HTTP mode under gunicorn: /slack/events, /healthz, OAuth pages")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.add_argument("--workers", type=int)
    console = sub.add_parser(
        "console", help="talk to the real app in your terminal, against a local Slack fake"
    )
    console.add_argument("--as", dest="user", default="U_DEMO", help="acting Slack user id (default U_DEMO)")
    console.add_argument(
        "--channel", default="C_DEMO", help="channel the commands come from (default C_DEMO)"
    )
    console.add_argument("--script", metavar="FILE", help="run the lines of FILE instead of prompting")
    console.add_argument("--database", metavar="URL", help="database URL (default: the configured one)")
    demo = sub.add_parser(
        "demo", help="one operating week of a demo team on a fresh database, no Slack account needed"
    )
    demo.add_argument("--database", metavar="URL", help="database URL (default: a new temporary SQLite file)")
    demo.add_argument("--lang", choices=("en", "zh-CN"), default="en", help="play it in English or Chinese")
    demo.add_argument(
        "--interactive", action="store_true", help="stay in the console with the demo's data afterwards"
    )
    demo.add_argument(
        "--tour", action="store_true", help="the feature tour instead of the week (every command)"
    )
    db = sub.add_parser("db", help="database migrations")
    db_sub = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    db_sub.add_parser("upgrade", help="migrate to the newest schema").add_argument(
        "revision", nargs="?", default="head"
    )
    db_sub.add_parser("current", help="show the schema revision of the database")
    db_sub.add_parser("downgrade", help="migrate down to REVISION ('base' empties it)").add_argument(
        "revision"
    )
    db_sub.add_parser(
        "backup", help="SQLite: a consistent copy while the bot runs, to a new file (mode 0600)"
    ).add_argument("path", help="the new backup file")
    restore = db_sub.add_parser(
        "restore", help="SQLite: replace the database with a backup (stop every ecombot process first)"
    )
    restore.add_argument("path", help="a file made by `ecombot db backup`")
    restore.add_argument("--yes", action="store_true", help="replace a database that holds data")
    secrets = sub.add_parser("secrets", help="the key that encrypts stored Slack tokens (ECOMBOT_SECRET_KEY)")
    secrets_sub = secrets.add_subparsers(dest="secrets_command", required=True, metavar="ACTION")
    secrets_sub.add_parser("new-key", help="print a new key for ECOMBOT_SECRET_KEY")
    secrets_sub.add_parser(
        "rotate", help="encrypt every stored token under the newest key (the first in ECOMBOT_SECRET_KEY)"
    )
    sub.add_parser(
        "scheduler", help="run only the scheduler and the delivery worker (beside `serve` workers)"
    )
    jobs = sub.add_parser("jobs", help="operator view of schedules and deliveries")
    jobs_sub = jobs.add_subparsers(dest="jobs_command", required=True, metavar="ACTION")
    jobs_sub.add_parser("list", help="every schedule with its next firing in its own timezone")
    run_due = jobs_sub.add_parser(
        "run-due", help="run everything due at an instant, as the live scheduler would"
    )
    run_due.add_argument("--at", required=True, metavar="ISO8601", help="e.g. 2026-11-27T09:00:00+08:00")
    run_due.add_argument("--timeout", type=float, default=600.0, help="seconds to wait for deliveries (600)")
    jobs_sub.add_parser("failed", help="deliveries that gave up, with their last error")
    jobs_sub.add_parser("retry", help="queue a failed delivery again").add_argument("id", type=int)
    from ecombot.workspaces.cli import add_arguments as add_workspace

    add_workspace(sub)
    export = sub.add_parser("export", help="export data as CSV")
    kinds = export.add_subparsers(dest="export_kind", required=True, metavar="WHAT")
    standups = kinds.add_parser("standups", help="standup answers: one line per member, day and question")
    standups.add_argument("--team", required=True, help="the workspace id (T…)")
    standups.add_argument("--from", dest="first", required=True, type=_day, help="first day, YYYY-MM-DD")
    standups.add_argument("--to", dest="last", required=True, type=_day, help="last day, YYYY-MM-DD")
    standups.add_argument("--channel", help="only the standup of this channel (C…)")
    standups.add_argument("--out", help="write to FILE instead of standard output")
    importer = sub.add_parser("import", help="import data files into a workspace")
    from ecombot.campaigns.cli import add_arguments as add_import_ads
    from ecombot.experiments.cli import add_arguments as add_import_abtest
    from ecombot.kpis.cli import add_arguments as add_import_kpis

    import_kinds = importer.add_subparsers(dest="import_kind", required=True, metavar="WHAT")
    add_import_ads(import_kinds)
    add_import_kpis(import_kinds)
    add_import_abtest(import_kinds)
    kpi_export = kinds.add_parser("kpis", help="KPIs: one line per day, week or month, one column per KPI")
    kpi_export.add_argument("--team", required=True, help="the workspace id (T…)")
    kpi_export.add_argument("--from", dest="first", required=True, type=_day, help="first day, YYYY-MM-DD")
    kpi_export.add_argument("--to", dest="last", required=True, type=_day, help="last day, YYYY-MM-DD")
    kpi_export.add_argument("--grain", choices=("day", "week", "month"), default="day")
    kpi_export.add_argument("--out", help="write to FILE instead of standard output")
    sub.add_parser(
        "commands", help="print the slash-command reference (Markdown), from the router's declarations"
    )
    doctor = sub.add_parser(
        "doctor",
        help="check settings, database, Slack tokens and scopes, schedules; each finding with its fix",
    )
    doctor.add_argument(
        "--mode",
        choices=("run", "serve", "scheduler"),
        help="the command to check for (default: run when an app-level token is set, else serve)",
    )
    doctor.add_argument("--json", action="store_true", help="print the findings as one JSON object")
    manifest = sub.add_parser("manifest", help="print the Slack app manifest (YAML)")
    mode = manifest.add_mutually_exclusive_group()
    mode.add_argument("--socket", action="store_true", help="Socket Mode (default)")
    mode.add_argument("--http", metavar="BASE_URL", help="HTTP mode with request URLs under BASE_URL")
    return parser


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of the `ecombot` console script."""
    args = _parser().parse_args(argv)
    if args.command == "doctor":
        # Before the settings are loaded: a bad value is one of the doctor's findings, not a stop.
        sys.exit(_doctor(args))
    if args.command == "secrets" and args.secrets_command == "new-key":
        # Before the settings: it is what a configuration that lacks the key needs.
        from ecombot.slack.tokens import new_key

        print(new_key())
        sys.exit(0)
    try:
        settings = load_settings(args.config)
        setup_logging(settings.logging.level)
        code = _dispatch(args, settings)
    except ConfigError as exc:
        print(f"ecombot: configuration error: {exc}", file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        code = 130
    sys.exit(code)


def _dispatch(args: argparse.Namespace, settings: Settings) -> int:
    if args.command == "manifest":
        from ecombot.manifest import manifest_yaml

        sys.stdout.write(manifest_yaml(args.http))
        return 0
    if args.command == "commands":
        from ecombot.domains import commands
        from ecombot.slack.router import markdown_reference

        sys.stdout.write(markdown_reference(commands()))
        return 0
    if args.command == "db":
        return _db(args, settings)
    if args.command == "secrets":
        return _secrets(args, settings)
    if args.command == "run":
        return _run(settings)
    if args.command == "scheduler":
        return _scheduler(settings)
    if args.command == "workspace":
        from ecombot.workspaces.cli import workspace_command

        prepare_database(settings)
        return workspace_command(args, settings)
    if args.command == "jobs":
        from ecombot.scheduling.cli import jobs_command

        prepare_database(settings)
        return jobs_command(args, settings)
    if args.command == "serve":
        return _serve(args, settings)
    if args.command == "export":
        prepare_database(settings)
        if args.export_kind == "kpis":
            from ecombot.kpis.cli import export_command as export_kpis

            return export_kpis(args, settings)
        from ecombot.standups.cli import export_command

        return export_command(args, settings)
    if args.command == "import":
        prepare_database(settings)
        if args.import_kind == "ads":
            from ecombot.campaigns.cli import import_command

            return import_command(args, settings)
        if args.import_kind == "abtest":
            from ecombot.experiments.cli import import_command as import_abtest

            return import_abtest(args, settings)
        from ecombot.kpis.cli import import_command as import_kpis

        return import_kpis(args, settings)
    if args.command in ("console", "demo") and settings.logging.level.upper() == "INFO":
        # The terminal is the user interface here: only problems go to the log.
        logging.getLogger().setLevel(logging.WARNING)
    if args.command == "console":
        from ecombot.devtools.console import run_console

        if args.database:
            settings = settings.with_database(args.database)
        prepare_database(settings)
        script = Path(args.script).read_text(encoding="utf-8").splitlines() if args.script else None
        return run_console(settings, user=args.user, channel=args.channel, script=script)
    if args.command == "demo" and args.tour:
        from ecombot.devtools.demo import run_demo

        return run_demo(settings, database_url=args.database)
    if args.command == "demo":
        from ecombot.devtools.demo_week import run_week

        return run_week(settings, lang=args.lang, interactive=args.interactive, database_url=args.database)
    raise AssertionError(args.command)


def _doctor(args: argparse.Namespace) -> int:
    from ecombot.doctor import doctor_command

    return doctor_command(args.config, args.mode, as_json=args.json)


def _db(args: argparse.Namespace, settings: Settings) -> int:
    from ecombot import migrations
    from ecombot.db import make_engine

    if args.db_command in ("backup", "restore"):
        return _backup_or_restore(args, settings)
    engine = make_engine(settings.database)
    if args.db_command == "upgrade":
        migrations.upgrade(engine, args.revision)
        print(f"database at {migrations.current_revision(engine)} (head {migrations.head_revision()})")
    elif args.db_command == "downgrade":
        migrations.downgrade(engine, args.revision)
        print(f"database at {migrations.current_revision(engine) or 'base (empty)'}")
    else:
        current = migrations.current_revision(engine)
        head = migrations.head_revision()
        state = "up to date" if current == head else f"behind: run `ecombot db upgrade` to reach {head}"
        print(f"{current or 'empty (no migrations applied)'} ({state})")
    return 0


def _secrets(args: argparse.Namespace, settings: Settings) -> int:
    from ecombot.slack import tokens

    cipher = tokens.TokenCipher.from_setting(settings.slack.secret_key)  # validated with the settings
    if cipher is None:
        print(
            f"ecombot: {tokens.ENV} is not set: put the new key first and the old one after it, "
            "comma-separated, then run this again",
            file=sys.stderr,
        )
        return 2
    prepare_database(settings, reseal=False)
    from ecombot.db import make_engine
    from ecombot.slack.oauth import reseal_stored

    engine = make_engine(settings.database)
    try:
        done = reseal_stored(engine, cipher)
    except tokens.TokenKeyError as exc:
        print(f"ecombot: {exc}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    print(
        f"stored Slack tokens: {done.encrypted} encrypted from clear, {done.rotated} moved to the newest key, "
        f"{done.unchanged} already under it"
    )
    if done.rotated or done.unchanged:
        print(f"every token is under the newest key: older keys can now be removed from {tokens.ENV}")
    return 0


def _backup_or_restore(args: argparse.Namespace, settings: Settings) -> int:
    from ecombot import backup

    path = Path(args.path)
    try:
        if args.db_command == "backup":
            copied = backup.backup(settings.database.url, path)
            print(
                f"backed up {copied.total} row(s) in {len(copied.rows)} tables, schema {copied.revision}, "
                f"to {path} (mode 0600)"
            )
            return 0
        backup.sqlite_file(settings.database.url)  # PostgreSQL: pg_restore's guidance, before the file
        found = backup.inspect(path)
        held = backup.rows_in(settings.database.url)
        if held and not args.yes:
            print(
                f"ecombot: the database holds {sum(held.values())} row(s) in {len(held)} tables; restoring "
                f"replaces all of them with the backup's {found.total} (schema {found.revision}). Stop every "
                "ecombot process, then run again with --yes.",
                file=sys.stderr,
            )
            return 1
        backup.restore(settings.database.url, path)
    except backup.BackupError as exc:
        print(f"ecombot: {exc}", file=sys.stderr)
        return 2
    print(f"restored {found.total} row(s) in {len(found.rows)} tables, schema {found.revision}, from {path}")
    if settings.database.auto_migrate:
        prepare_database(settings)
        from ecombot import migrations
        from ecombot.db import make_engine

        engine = make_engine(settings.database)
        try:
            current = migrations.current_revision(engine)
        finally:
            engine.dispose()
        if current != found.revision:
            print(f"database migrated from {found.revision} to {current}")
    elif found.revision != _head():
        print(f"the backup's schema is {found.revision}: run `ecombot db upgrade` before starting ecombot")
    return 0


def _head() -> str:
    from ecombot import migrations

    return migrations.head_revision()


def prepare_database(settings: Settings, *, reseal: bool = True) -> None:
    """Migrate on start unless `database.auto_migrate = false`; refuse to run on an old schema.
    With `ECOMBOT_SECRET_KEY` set, stored Slack tokens still in clear are encrypted (`reseal`)."""
    from ecombot import migrations
    from ecombot.db import make_engine

    engine = make_engine(settings.database)
    try:
        migrations.ensure_schema(engine, auto_migrate=settings.database.auto_migrate)
        if reseal and settings.slack.secret_key:
            _encrypt_clear_tokens(engine, settings)
    except migrations.SchemaOutOfDate as exc:
        raise ConfigError(
            "database.auto_migrate", f"is false and the {exc}: run `ecombot db upgrade`"
        ) from None
    finally:
        engine.dispose()


def _encrypt_clear_tokens(engine: Engine, settings: Settings) -> None:
    from ecombot.slack.oauth import count_clear, reseal_stored
    from ecombot.slack.tokens import required_cipher

    if count_clear(engine):
        done = reseal_stored(engine, required_cipher(settings.slack.secret_key), rotate=False)
        logging.getLogger("ecombot").warning(
            "encrypted %d stored Slack token(s) that were in clear", done.encrypted
        )


if TYPE_CHECKING:
    from concurrent.futures import Executor

    from slack_bolt import App
    from slack_bolt.adapter.socket_mode import SocketModeHandler
    from sqlalchemy.engine import Engine

    from ecombot.clock import Clock


def socket_mode_app(
    settings: Settings,
    *,
    engine: Engine | None = None,
    clock: Clock | None = None,
    listener_executor: Executor | None = None,
    ping_interval: float = 10,
) -> tuple[App, SchedulerRunner | None, SocketModeHandler]:
    """What `ecombot run` runs: the app, its in-process scheduler (started, when enabled) and the Socket
    Mode handler, not connected yet. The end-to-end tests pass their database, clock and executor."""
    slack = settings.slack
    if not slack.bot_token:
        raise ConfigError(
            "slack.bot_token",
            "missing: set SLACK_BOT_TOKEN to the Bot User OAuth Token (xoxb-…) from your app's "
            "'OAuth & Permissions' page (see README, 'Connect your workspace')",
        )
    if not slack.app_token:
        raise ConfigError(
            "slack.app_token",
            "missing: Socket Mode needs an app-level token (xapp-…): your app's 'Basic Information' page, "
            "'App-Level Tokens', scope connections:write; set SLACK_APP_TOKEN (or use `ecombot serve`)",
        )
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    from ecombot.app import build_runtime, create_app

    prepare_database(settings)
    socket_settings = settings.with_slack(client_id="", client_secret="")
    # One runtime for the app and the in-process scheduler: a handler's outbox write wakes the worker.
    rt = build_runtime(socket_settings, engine=engine, clock=clock)
    app = create_app(socket_settings, runtime=rt, listener_executor=listener_executor)
    runner = _start_scheduler(socket_settings, rt) if settings.scheduler.enabled else None
    # The app's own WebClient asks apps.connections.open for the socket, at slack.api_url like every call.
    handler = SocketModeHandler(app, slack.app_token, ping_interval=ping_interval)
    return app, runner, handler


def _run(settings: Settings) -> int:
    _app, runner, handler = socket_mode_app(settings)
    log.info("ecombot connecting to Slack over Socket Mode")
    try:
        handler.start()  # type: ignore[no-untyped-call]
    finally:
        handler.close()  # type: ignore[no-untyped-call]
        if runner is not None:
            runner.stop()
    return 0


def _start_scheduler(settings: Settings, rt: Runtime | None = None) -> SchedulerRunner:
    from ecombot.app import build_runtime
    from ecombot.scheduling.runner import SchedulerRunner, make_client_for

    rt = rt if rt is not None else build_runtime(settings)
    runner = SchedulerRunner(rt, make_client_for(settings, rt.engine))
    rt.delivery_listeners.append(runner.delivery.wake.set)
    runner.start()
    return runner


def _scheduler(settings: Settings) -> int:
    if not settings.slack.bot_token and not settings.slack.oauth_enabled:
        raise ConfigError("slack.bot_token", "missing: the scheduler posts as the bot; set SLACK_BOT_TOKEN")
    prepare_database(settings)
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    runner = _start_scheduler(settings)
    log.info("ecombot scheduler running (worker %s)", runner.worker)
    try:
        stop.wait()
    finally:
        runner.stop()
    return 0


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    if not settings.slack.signing_secret:
        raise ConfigError(
            "slack.signing_secret",
            "missing: HTTP mode verifies every request; copy the Signing Secret from your app's "
            "'Basic Information' page into SLACK_SIGNING_SECRET",
        )
    if not settings.slack.bot_token and not settings.slack.oauth_enabled:
        raise ConfigError(
            "slack.bot_token",
            "missing: set SLACK_BOT_TOKEN (xoxb-…), or slack.client_id and slack.client_secret for OAuth installs",
        )
    metrics_dir = _metrics_dir()  # before anything counts (ecombot.metrics makes them at first use)
    from ecombot.server import EcombotWsgi, WsgiApp, run_gunicorn

    prepare_database(settings)
    host = args.host or settings.server.host
    port = args.port or settings.server.port
    workers = args.workers or settings.server.workers

    def factory() -> WsgiApp:
        from ecombot.app import create_app
        from ecombot.db import make_engine

        engine = make_engine(settings.database)
        app = create_app(settings, engine=engine)
        return EcombotWsgi(app, engine, signing_secret=settings.slack.signing_secret)

    sidecar = None
    if settings.scheduler.enabled:
        # One scheduler beside the workers, not one per worker: claims would keep posts single, but
        # per-channel pacing works best in one process.
        sidecar = subprocess.Popen([sys.executable, "-m", "ecombot", *_config_args(), "scheduler"])  # noqa: S603
    log.info("ecombot serving on http://%s:%s with %s workers", host, port, workers)
    master = os.getpid()
    try:
        run_gunicorn(factory, host=host, port=port, workers=workers)
    finally:
        # A gunicorn worker leaves through here too (SystemExit from its fork, at shutdown or when
        # it is replaced): only the master stops the scheduler and removes the metrics directory.
        if os.getpid() == master:
            if sidecar is not None:
                sidecar.terminate()
                sidecar.wait(timeout=30)
            if metrics_dir is not None:
                shutil.rmtree(metrics_dir, ignore_errors=True)
    return 0


# ecombot.metrics.MULTIPROC_ENV: prometheus-client reads it once, when it is imported.
MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"


def _metrics_dir() -> str | None:
    """Point every process of `serve` (workers, scheduler) at one directory for /metrics: the one in
    PROMETHEUS_MULTIPROC_DIR, emptied, or a new temporary one (returned, to be removed at exit)."""
    import tempfile

    given = os.environ.get(MULTIPROC_ENV)
    if given:
        # prometheus-client's rule: the directory is emptied between runs, or old counts add up.
        for stale in Path(given).glob("*.db"):
            stale.unlink(missing_ok=True)
        return None
    made = tempfile.mkdtemp(prefix="ecombot-metrics-")
    os.environ[MULTIPROC_ENV] = made
    return made


def _config_args() -> list[str]:
    """The `--config` this process was started with, for the processes it starts."""
    argv = sys.argv[1:]
    for i, arg in enumerate(argv):
        if arg == "--config" and i + 1 < len(argv):
            return ["--config", argv[i + 1]]
        if arg.startswith("--config="):
            return [arg]
    return []
