"""`ecombot export standups`: a workspace's standup answers as CSV, from the command line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ecombot.config import Settings
from ecombot.db import make_engine, session_scope
from ecombot.standups import export, service
from ecombot.standups.models import Standup
from ecombot.workspaces import service as workspaces
from ecombot.workspaces.models import Workspace


def export_command(args: argparse.Namespace, settings: Settings) -> int:
    """Write the CSV; 2 for a range or a workspace or channel that is not there."""
    if args.last < args.first:
        print("ecombot: --to is before --from", file=sys.stderr)
        return 2
    engine = make_engine(settings.database)
    try:
        with session_scope(engine, write=False) as session:
            if session.get(Workspace, args.team) is None:
                print(f"ecombot: no workspace {args.team!r} in this database", file=sys.stderr)
                return 2
            chosen: list[Standup] = [
                s
                for s in service.workspace_standups(session, args.team, include_off=True)
                if not args.channel or s.channel_id == args.channel
            ]
            if args.channel and not chosen:
                print(f"ecombot: {args.team} has no standup in {args.channel}", file=sys.stderr)
                return 2
            rows = export.export_rows(session, chosen, args.first, args.last)
            text = export.to_csv(rows, workspaces.member_names(session, args.team))
    finally:
        engine.dispose()
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        print(f"{len(rows)} answers written to {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0
