"""What the operator's command-line tools share (`ecombot import …`): reading the file, and one
transaction in one workspace, as an operator with every right. A refusal raised inside rolls the
whole transaction back: a file is imported whole or not at all."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlmodel import Session

from ecombot.actor import Actor
from ecombot.config import Settings
from ecombot.workspaces.models import Workspace


class OperatorError(Exception):
    """A file or a workspace that cannot be used: the message is for the terminal."""


def read_file(path: Path) -> bytes:
    """The file's bytes, or OperatorError saying why not."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise OperatorError(f"cannot read {path}: {exc.strerror}") from None


@contextmanager
def workspace_session(settings: Settings, team_id: str) -> Iterator[tuple[Session, Workspace, Actor]]:
    """A write transaction in the workspace, with the operator as the actor (an admin, no user id)."""
    from ecombot.clock import SystemClock
    from ecombot.db import make_engine, session_scope

    engine = make_engine(settings.database)
    try:
        with session_scope(engine) as session:
            workspace = session.get(Workspace, team_id)
            if workspace is None:
                raise OperatorError(f"no workspace {team_id!r} in this database")
            actor = Actor(
                team_id=team_id, user_id="", now=SystemClock().now(), tz=workspace.timezone, is_manager=True
            )
            yield session, workspace, actor
    finally:
        engine.dispose()


def refused(path: Path, exc: Exception) -> int:
    """Say on stderr why the file was not imported (with the refusal behind it, when there is one);
    returns the exit status, 2."""
    import sys

    from ecombot.errors import DomainError
    from ecombot.slack.errors import refusal_text

    if isinstance(exc, DomainError):
        cause = exc.__cause__
        detail = f" ({refusal_text('en', cause)})" if isinstance(cause, DomainError) else ""
        print(f"ecombot: {path.name}: {refusal_text('en', exc)}{detail}", file=sys.stderr)
    else:
        print(f"ecombot: {exc}", file=sys.stderr)
    return 2
