"""`ecombot workspace delete T`: every row of one workspace, in every table, found from the metadata.

A table belongs to a workspace through its `team_id` column, or through a foreign key to a table that
does (standup members through their standup, retro votes through their retro). Walking the metadata
rather than listing tables means a new domain's tables are covered the day they are added.
"""

from __future__ import annotations

from functools import cache

import sqlalchemy as sa

from ecombot import migrations


def owned_by(table: sa.Table, team_id: str) -> sa.ColumnElement[bool] | None:
    """In SQL, whether a row of `table` belongs to workspace `team_id`; None for tables that hold no
    workspace's rows (OAuth states, which last ten minutes and name no workspace)."""
    return _owned(table, team_id, frozenset())


def _owned(table: sa.Table, team_id: str, seen: frozenset[str]) -> sa.ColumnElement[bool] | None:
    if "team_id" in table.c:
        return table.c.team_id == team_id
    through: list[sa.ColumnElement[bool]] = []
    for fk in table.foreign_keys:
        parent = fk.column.table
        if parent.name in seen | {table.name} or not isinstance(parent, sa.Table):
            continue
        owned = _owned(parent, team_id, seen | {table.name})
        if owned is not None:
            through.append(fk.parent.in_(sa.select(fk.column).where(owned)))
    return sa.or_(*through) if through else None


@cache
def workspace_tables() -> tuple[sa.Table, ...]:
    """Every table that holds workspace rows, children before their parents (the order to delete in)."""
    tables = reversed(migrations.target_metadata().sorted_tables)
    return tuple(t for t in tables if owned_by(t, "") is not None)


def count_rows(conn: sa.Connection, team_id: str) -> dict[str, int]:
    """The rows of `team_id` in each table that holds workspace rows (zeros included)."""
    counts = {}
    for table in workspace_tables():
        owned = owned_by(table, team_id)
        assert owned is not None
        counts[table.name] = int(
            conn.execute(sa.select(sa.func.count()).select_from(table).where(owned)).scalar_one()
        )
    return counts


def delete_workspace(conn: sa.Connection, team_id: str) -> dict[str, int]:
    """Delete every row of `team_id`, children first, in the caller's transaction; returns the rows
    deleted per table."""
    before = count_rows(conn, team_id)
    for table in workspace_tables():
        owned = owned_by(table, team_id)
        assert owned is not None
        conn.execute(sa.delete(table).where(owned))
    return before
