"""`ecombot import abtest FILE --team T [--test NAME]`: A/B test figures from the command line."""

from __future__ import annotations

import argparse
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
    from ecombot.operator import OperatorError, read_file, refused, workspace_session

    path = Path(args.file)
    try:
        data = read_file(path)
        with workspace_session(settings, args.team) as (session, _, actor):
            done = importing.run(session, actor, data, args.test)
    except (OperatorError, DomainError) as exc:
        return refused(path, exc)
    tests = ", ".join(done.tests)
    print(
        f"{path.name}: {done.rows} rows recorded ({done.replaced} replaced a day logged before) for {tests}"
    )
    return 0
