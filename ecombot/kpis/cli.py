"""`ecombot import orders|metrics FILE --team T`: orders and daily figures from the command line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ecombot.config import Settings

ORDER_LAYOUTS = ("generic", "shopify", "tmall")  # kpis.orders.ORDER_LAYOUTS, without importing pandas here


def add_arguments(kinds: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`import orders …` and `import metrics …`."""
    orders = kinds.add_parser(
        "orders", help="orders: a generic CSV, Shopify's orders export or Tmall's 订单报表"
    )
    orders.add_argument("file", help="CSV, TSV or XLSX (UTF-8, UTF-16 or GB18030)")
    orders.add_argument("--team", required=True, help="the workspace id (T…)")
    orders.add_argument(
        "--format", choices=ORDER_LAYOUTS, help="the layout (default: recognised from the header)"
    )
    metrics = kinds.add_parser(
        "metrics", help="daily shop figures: date, metric, value; or 生意参谋 店铺整体 (.xls/.xlsx)"
    )
    metrics.add_argument("file", help="CSV, XLS or XLSX")
    metrics.add_argument("--team", required=True, help="the workspace id (T…)")


def import_command(args: argparse.Namespace, settings: Settings) -> int:
    """Import and print what happened; 2 when the file or the workspace cannot be used."""
    from ecombot.errors import DomainError
    from ecombot.kpis import messages as _messages  # noqa: F401 - registers the strings
    from ecombot.kpis import service
    from ecombot.operator import OperatorError, read_file, refused, workspace_session
    from ecombot.slack.i18n import known, t

    path = Path(args.file)
    try:
        data = read_file(path)
        with workspace_session(settings, args.team) as (session, workspace, actor):
            if args.import_kind == "orders":
                done = service.import_orders(
                    session,
                    actor,
                    data,
                    path.name,
                    currency=workspace.currency,
                    workspace_tz=workspace.timezone,
                    layout=args.format,
                )
                summary = (
                    f"{path.name} ({done.layout}): {done.rows} orders from {done.first} to {done.last}: "
                    f"{done.new} new, {done.updated} already there (updated)."
                )
                skipped, count = done.skipped, done.skipped_count
            else:
                figures = service.import_figures(session, actor, data, path.name)
                summary = (
                    f"{path.name} ({figures.layout}): {figures.rows} daily figures from {figures.first} to "
                    f"{figures.last} ({', '.join(figures.metrics)})."
                )
                skipped, count = figures.skipped, len(figures.skipped)
    except (OperatorError, DomainError) as exc:
        return refused(path, exc)
    print(summary)
    if count:
        print(f"{count} lines skipped:")
        for skip in skipped:
            key = f"kpis.skip.{skip.code}"
            print(f"  line {skip.line}: {t('en', key, part=skip.part) if known(key) else skip.code}")
    return 0


def export_command(args: argparse.Namespace, settings: Settings) -> int:
    """Write the KPI CSV; 2 for a range or a workspace that is not there."""
    from ecombot.db import make_engine, session_scope
    from ecombot.kpis import export
    from ecombot.workspaces.models import Workspace

    if args.last < args.first:
        print("ecombot: --to is before --from", file=sys.stderr)
        return 2
    engine = make_engine(settings.database)
    try:
        with session_scope(engine, write=False) as session:
            if session.get(Workspace, args.team) is None:
                print(f"ecombot: no workspace {args.team!r} in this database", file=sys.stderr)
                return 2
            text, count = export.to_csv(session, args.team, args.first, args.last, args.grain)
    finally:
        engine.dispose()
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        print(f"{count} periods written to {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0
