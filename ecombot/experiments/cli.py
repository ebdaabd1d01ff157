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
    from ecombot.actor import Actor
    from ecombot.clock import SystemClock
    from ecombot.db import make_engine, session_scope
    from ecombot.errors import DomainError
    from ecombot.experiments import importing
    from ecombot.experiments import messages as _messages  # noqa: F401 - registers the strings
    from ecombot.slack.errors import refusal_text
    from ecombot.workspaces.models import Workspace

    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as exc:
        print(f"ecombot: cannot read {path}: {exc.strerror}", file=sys.stderr)
        return 2
    engine = make_engine(settings.database)
    try:
        with session_scope(engine) as session:
            workspace = session.get(Workspace, args.team)
            if workspace is None:
                print(f"ecombot: no workspace {args.team!r} in this database", file=sys.stderr)
                return 2
            actor = Actor(
                team_id=args.team, user_id="", now=SystemClock().now(), tz=workspace.timezone, is_manager=True
            )
            # A bad line raises out of the transaction: nothing of the file is kept.
            done = importing.run(session, actor, data, args.test)
    except DomainError as exc:
        cause = exc.__cause__
        detail = f" ({refusal_text('en', cause)})" if isinstance(cause, DomainError) else ""
        print(f"ecombot: {path.name}: {refusal_text('en', exc)}{detail}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    print(
        f"{path.name}: {done.rows} rows recorded ({done.replaced} replaced a day logged before) for {', '.join(done.tests)}"
    )
    return 0
