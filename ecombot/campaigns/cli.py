"""`ecombot import ads FILE --team T`: an ad report imported from the command line (an operator's
tool: no Slack, no permission check beyond access to the database)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from ecombot.config import Settings

if TYPE_CHECKING:
    from ecombot.campaigns.importing import Imported

LAYOUTS = ("google", "meta", "douyin", "generic")  # reports.LAYOUTS, without importing the domain here


def add_arguments(kinds: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`import ads …`."""
    ads = kinds.add_parser("ads", help="an ad-platform report (Google Ads, Meta, 巨量千川, generic CSV/XLSX)")
    ads.add_argument("file", help="the report as downloaded (CSV, TSV or XLSX; UTF-8, UTF-16 or GB18030)")
    ads.add_argument("--team", required=True, help="the workspace id (T…)")
    ads.add_argument("--format", choices=LAYOUTS, help="the layout (default: recognised from the header)")
    ads.add_argument(
        "--campaign", help="record every row for this campaign (for files without a campaign column)"
    )


def _plain(text: str) -> str:
    """mrkdwn bold marks dropped for the terminal."""
    return text.replace("*", "")


def import_command(args: argparse.Namespace, settings: Settings) -> int:
    """Import and print what happened; 2 when the file or the workspace cannot be used."""
    from ecombot.campaigns import importing
    from ecombot.campaigns.handlers.common import over_budget_outbox
    from ecombot.errors import DomainError
    from ecombot.operator import OperatorError, read_file, refused, workspace_session
    from ecombot.scheduling.service import enqueue_many

    path = Path(args.file)
    try:
        data = read_file(path)
        with workspace_session(settings, args.team) as (session, workspace, actor):
            done = importing.run(
                session,
                actor,
                data,
                path.name,
                currency=workspace.currency,
                layout=args.format,
                campaign=args.campaign or "",
            )
            # Campaigns this import took past their budget: alerted through the outbox (the scheduler
            # process delivers it).
            alerts = [
                m
                for campaign, spent in done.over_budget
                for m in over_budget_outbox(session, campaign, spent, workspace.language, actor.now)
            ]
            enqueue_many(session, [(args.team, m) for m in alerts], now=actor.now)
    except (OperatorError, DomainError) as exc:
        return refused(path, exc)
    _print(done)
    return 0


def _print(done: Imported) -> None:
    from ecombot.campaigns import messages as _messages  # noqa: F401 - registers the strings
    from ecombot.slack.i18n import known, t

    print(
        _plain(
            t(
                "en",
                "campaigns.import_done",
                filename=done.filename,
                layout=t("en", f"campaigns.layout.{done.layout}"),
                created=done.created,
                changed=done.changed,
                unchanged=done.unchanged,
            )
        )
    )
    if done.campaigns:
        print(t("en", "campaigns.import_campaigns", names=", ".join(done.campaigns)))
    if done.before is not None:
        print(
            f"The same file was imported before ({done.before:%Y-%m-%d %H:%M} UTC): nothing is counted twice."
        )
    if done.combined:
        print(t("en", "campaigns.import_combined", count=done.combined))
    if done.totals_skipped:
        print(t("en", "campaigns.import_totals", count=done.totals_skipped))
    if done.skipped:
        print(_plain(t("en", "campaigns.import_skipped", count=len(done.skipped))))
        for skip in done.skipped:
            key = f"campaigns.skip.{skip.code}"
            reason = t("en", key, part=skip.part) if known(key) else skip.code
            print("  " + t("en", "campaigns.import_skip_line", line=skip.line, reason=reason))
    if done.unknown:
        print(
            f"{len(done.unknown)} campaigns are not in ecombot yet; their rows are kept until they are created:"
        )
        for name, rows in done.unknown.items():
            print(f"  {name} ({rows} rows): /campaign new {name} budget:<amount>, then import the file again")
