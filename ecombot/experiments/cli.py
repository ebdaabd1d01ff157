"""`ecombot import abtest FILE --team T [--test NAME]`: A/B test figures from the command line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ecombot.config import Settings


def add_arguments(kinds: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`import abtest …`."""
    parser = kinds.add_parser(
        "abtest", help="A/B test figures: test, date, variant, visitors, conversions[, revenue][, kind]"
    )
    parser.add_argument("file", help="a CSV (UTF-8 or GB18030)")
    parser.add_argument("--team", required=True, help="the workspace id (T…)")
    parser.add_argument("--test", default="", help="the test every row is for (files without a test column)")


def import_command(args: argparse.Namespace, settings: Settings) -> int:
    """Import and print what happened; 2 when nothing could be imported."""
    from ecombot.errors import DomainError
    from ecombot.experiments import importing
    from ecombot.experiments import messages as _messages  # noqa: F401 - registers the strings
    from ecombot.operator import OperatorError, read_file, workspace_session
    from ecombot.slack.errors import refusal_text

    path = Path(args.file)
    try:
        data = read_file(path)
        with workspace_session(settings, args.team) as (session, _, actor):
            done = importing.run(session, actor, data, args.test)
    except OperatorError as exc:
        print(f"ecombot: {exc}", file=sys.stderr)
        return 2
    except DomainError as exc:
        cause = exc.__cause__
        detail = f" ({refusal_text('en', cause)})" if isinstance(cause, DomainError) else ""
        print(f"ecombot: {path.name}: {refusal_text('en', exc)}{detail}", file=sys.stderr)
        return 2
    tests = ", ".join(done.tests)
    print(
        f"{path.name}: {done.rows} rows recorded ({done.replaced} replaced a day logged before) for {tests}"
    )
    return 0
