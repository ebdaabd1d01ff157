"""`ecombot workspace list | delete T [--yes]`: the operator's view of the workspaces, and removing one
with every row it has (after it uninstalled the app, its data is kept until then)."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from ecombot.config import Settings

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine


def add_arguments(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`workspace list` and `workspace delete T [--yes]`."""
    workspace = sub.add_parser(
        "workspace", help="the workspaces in the database; delete one with all its data"
    )
    actions = workspace.add_subparsers(dest="workspace_command", required=True, metavar="ACTION")
    actions.add_parser("list", help="every workspace: installed or uninstalled (since when), and its rows")
    delete = actions.add_parser(
        "delete", help="delete every row of a workspace from every table (prints the counts without --yes)"
    )
    delete.add_argument("team", help="the workspace id (T…)")
    delete.add_argument("--yes", action="store_true", help="really delete (without it: what would go)")


def workspace_command(args: argparse.Namespace, settings: Settings) -> int:
    """Dispatch one `ecombot workspace` action."""
    from ecombot.db import make_engine

    engine = make_engine(settings.database)
    try:
        if args.workspace_command == "list":
            return _list(engine)
        return _delete(engine, args.team, yes=args.yes)
    finally:
        engine.dispose()


def _list(engine: Engine) -> int:
    import sqlalchemy as sa

    from ecombot.workspaces.models import Workspace

    table = Workspace.__table__  # type: ignore[attr-defined]
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(table.c.team_id, table.c.name, table.c.uninstalled_at).order_by(table.c.team_id)
        ).all()
    if not rows:
        print("No workspaces yet.")
        return 0
    print(f"{'team':<14} {'name':<30} state")
    for row in rows:
        when = row.uninstalled_at
        state = f"uninstalled since {when:%Y-%m-%d %H:%M} UTC" if when is not None else "installed"
        print(f"{row.team_id:<14} {row.name[:30]:<30} {state}")
    return 0


def _delete(engine: Engine, team_id: str, *, yes: bool) -> int:
    import sqlalchemy as sa

    from ecombot.workspaces.models import Workspace
    from ecombot.workspaces.removal import count_rows, delete_workspace

    table = Workspace.__table__  # type: ignore[attr-defined]
    with engine.connect() as conn:
        counts = count_rows(conn, team_id)
        row = conn.execute(sa.select(table.c.uninstalled_at).where(table.c.team_id == team_id)).first()
    total = sum(counts.values())
    if total == 0:
        print(f"ecombot: no rows of workspace {team_id!r} in this database", file=sys.stderr)
        return 2
    if row is not None and row.uninstalled_at is None:
        print(
            f"Note: {team_id} has not uninstalled the app: a request from it makes the workspace again, "
            "empty, with the default settings."
        )
    if not yes:
        print(f"Would delete {total} row(s) of workspace {team_id}:")
        _print_counts(counts)
        print(
            "Nothing was deleted. Run again with --yes to delete them; this cannot be undone, so back up "
            "first (`ecombot db backup PATH`, or pg_dump)."
        )
        return 1
    with engine.begin() as conn:
        deleted = delete_workspace(conn, team_id)
    print(f"Deleted {sum(deleted.values())} row(s) of workspace {team_id}:")
    _print_counts(deleted)
    return 0


def _print_counts(counts: dict[str, int]) -> None:
    width = max(len(name) for name in counts)
    for name, count in sorted(counts.items()):
        if count:
            print(f"  {name:<{width}}  {count:>8}")
