"""The fake's data shapes: JSON aliases, the recorded ``Call``, Slack's refusals and the records it keeps."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

JSONDict = dict[str, Any]
Handler = Callable[[JSONDict], JSONDict]


@dataclass(frozen=True)
class Call:
    """One Web API call as the fake received and answered it."""

    method: str
    args: JSONDict
    token: str | None
    time: float
    ok: bool
    error: str | None
    http_status: int
    messages: tuple[str, ...] = ()  # the problems the fake found, for a rejection


class _SlackError(Exception):
    """An ``ok: false`` answer with Slack's error code and human-readable detail."""

    def __init__(self, error: str, *messages: str) -> None:
        super().__init__(error)
        self.error = error
        self.messages = list(messages) or [f"[ERROR] {error}"]


class _RateLimited(Exception):
    """The per-channel rate limit refused a post."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after)
        self.retry_after = retry_after


@dataclass
class _Conversation:
    id: str
    name: str
    kind: Literal["public", "private", "im", "mpim"]
    members: list[str]
    created: int
    user: str | None = None  # the other party of a DM


@dataclass
class _Injection:
    status: int
    retry_after: int
    error: str | None
    remaining: int


@dataclass
class _PendingUpload:
    file_id: str
    filename: str
    length: int
    alt_txt: str | None
    data: bytes | None = None


@dataclass
class _ResponseUrl:
    url: str
    channel: str | None
    user: str | None
    message_ts: str | None
    uses: int = 0
