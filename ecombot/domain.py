"""The domain contract: one typed object per domain declares everything the platform binds for it.

A domain writes its models, service, views, messages, handlers and jobs, and one `Domain`; routing,
acking, sessions, refusals, escaping, the Home tab, the manifest and `/ecom help` come from here and
from `ecombot.slack`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from sqlmodel import Session

from ecombot.actor import Caller
from ecombot.slack import blocks as bk
from ecombot.slack.files import SharedFile
from ecombot.slack.inputs import ActionInput, EventInput, FormInput, ShortcutInput
from ecombot.slack.reply import AfterAck, Reply
from ecombot.slack.router import Command

if TYPE_CHECKING:  # the scheduling package declares its own Domain
    from ecombot.scheduling.service import JobRegistry

ValueReader = Callable[[ActionInput], Any]


@dataclass(frozen=True)
class HomeSection:
    """A domain's part of App Home: `build(viewer, session, budget)` returns at most `budget` blocks."""

    key: str
    build: Callable[[Caller, Session, int], list[bk.Block]]
    priority: int = 50  # lower comes first
    budget: int = 40  # the most blocks it may take when others need room


@dataclass(frozen=True)
class Upcoming:
    """One post the viewer will see soon, for the Home's "Coming up" list: when (aware) and what
    (mrkdwn the domain has escaped, in the viewer's language)."""

    at: datetime
    text: str


# A domain's finder of what it will post soon that concerns the viewer, up to `until`.
UpcomingFinder = Callable[[Caller, Session, datetime], list[Upcoming]]


def no_value(action: ActionInput) -> None:
    """For buttons that carry nothing the handler needs."""
    return None


@dataclass(frozen=True)
class Action:
    """A button or menu (`action_id`): `read` validates what it carries, then `handler` runs."""

    action_id: str
    handler: Callable[[Caller, Any, Session], Reply]
    read: ValueReader = no_value
    write: bool = True


@dataclass(frozen=True)
class Shortcut:
    """A global or message shortcut, as the manifest declares it."""

    callback_id: str
    name: str
    kind: Literal["global", "message"]
    description: str
    handler: Callable[[Caller, ShortcutInput, Session], Reply]
    write: bool = False


@dataclass(frozen=True)
class Form:
    """A modal's submission (`callback_id`); `read_metadata` validates its private metadata."""

    callback_id: str
    handler: Callable[[Caller, FormInput, Session], Reply]
    write: bool = True


@dataclass(frozen=True)
class Event:
    """An Events API event type this domain listens to (each event handled once, by event_id).

    `subscriptions` are the manifest's bot events that deliver it (`message.im` delivers `message`
    events from DMs); by default the type itself. A `message` handler never sees the bot's own
    messages, edits, deletions or other subtypes; with `files`, it sees only files people share
    (subtype `file_share`) instead of typed text. Several domains may listen to one type: each event
    is claimed once, and its handlers run in domain order until one returns a Reply. An event comes
    only from a workspace that has the app, so it marks one that had uninstalled it installed again;
    `installs=False` for the events that say it was uninstalled.
    """

    type: str
    handler: Callable[[EventInput, Session], Reply | None]
    write: bool = True
    subscriptions: tuple[str, ...] = ()
    files: bool = False
    installs: bool = True

    @property
    def bot_events(self) -> tuple[str, ...]:
        """The manifest's subscriptions for this event."""
        return self.subscriptions or (self.type,)


@dataclass(frozen=True)
class FileImporter:
    """A kind of file people drop in a DM with the bot (an ad report, an orders export).

    The platform answers "working on it", downloads the file after the ack, and gives it to the first
    importer (in domain order) that `recognises(content, filename)`; `run` imports it in transactions
    of its own and returns the message that says what it did.
    """

    label: str  # the i18n key of what it reads, for the reply to a file nobody recognises
    recognises: Callable[[bytes, str], bool]
    run: Callable[[AfterAck, Caller, SharedFile], bk.Message]


@dataclass(frozen=True)
class Domain:
    """Everything one domain binds: Slack listeners, Home sections, and scheduled work."""

    name: str
    commands: tuple[Command, ...] = ()
    actions: tuple[Action, ...] = ()
    shortcuts: tuple[Shortcut, ...] = ()
    forms: tuple[Form, ...] = ()
    events: tuple[Event, ...] = ()
    home: tuple[HomeSection, ...] = ()
    upcoming: tuple[UpcomingFinder, ...] = ()  # what it will post soon, for the Home's "Coming up"
    jobs: Callable[[JobRegistry], None] | None = None
    importers: tuple[FileImporter, ...] = ()
    has_models: bool = True  # ecombot.<name>.models holds tables for the migrations
