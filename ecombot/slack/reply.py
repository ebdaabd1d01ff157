"""What a handler returns: the answer to the caller and what should happen after the ack."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ecombot.slack import blocks as bk

if TYPE_CHECKING:  # the outbox's message type; scheduling itself imports the domain contract
    from slack_sdk import WebClient
    from sqlalchemy.engine import Engine
    from sqlmodel import Session

    from ecombot.clock import Clock
    from ecombot.scheduling.service import Outgoing


@dataclass(frozen=True)
class AfterAck:
    """What work after the ack may use: Slack itself, and transactions of its own."""

    client: WebClient
    team_id: str
    user_id: str
    engine: Engine
    clock: Clock

    @contextmanager
    def session(self, *, write: bool = True) -> Iterator[Session]:
        """A transaction of its own (the request's is committed by now)."""
        from ecombot.db import session_scope

        with session_scope(self.engine, write=write) as session:
            yield session

    def now(self) -> datetime:
        """The current instant."""
        return self.clock.now()


@dataclass
class Reply:
    """A handler's whole answer; the listener adapter delivers each part where it belongs.

    - `message`: the answer to the caller. A command's reply rides on the ack (ephemeral); a click's
      goes back where the click came from (replacing the message when `replace`); a form's is posted
      ephemerally in `channel` (or by DM).
    - `open_view` / `push_view` / `update_view`: a modal, opened or changed after the ack.
    - `errors`: a form's field errors (`{block_id: text}`); the form stays open.
    - `outbox`: messages the bot sends on its own (a DM to a new owner), written in the same
      transaction as the change and sent by the delivery worker.
    - `home`: users whose App Home shows this change (refreshed after the ack).
    - `meet`: users the bot should look up in Slack after the ack (timezone, language, bot or not).
    - `then`: work that needs Slack itself (a channel's members, a file upload), run after the ack.
    """

    message: bk.Message | None = None
    replace: bool = False
    channel: str = ""
    open_view: dict[str, Any] | None = None
    push_view: dict[str, Any] | None = None
    update_view: dict[str, Any] | None = None
    errors: dict[str, str] | None = None
    outbox: list[Outgoing] = field(default_factory=list)
    home: set[str] = field(default_factory=set)
    meet: set[str] = field(default_factory=set)
    then: list[Callable[[AfterAck], None]] = field(default_factory=list)


def say(text: str) -> Reply:
    """A one-section answer (text is mrkdwn, already safe)."""
    return Reply(message=bk.message(text, [bk.section(text)]))
