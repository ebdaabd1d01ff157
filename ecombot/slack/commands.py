"""Slash-command plumbing shared by every domain: specs for help, usage errors, error replies."""

from __future__ import annotations

from dataclasses import dataclass

from ecombot.errors import DomainError
from ecombot.slack import blocks as bk
from ecombot.slack.i18n import t
from ecombot.slack.parsing import ParseError


@dataclass(frozen=True)
class CommandSpec:
    """One line of `/ecom help`: the syntax and the i18n key of its one-line description."""

    usage: str
    summary_key: str


class UsageError(Exception):
    """The command line cannot be understood: `code` names the problem, `part` the bad text."""

    def __init__(self, code: str, part: str) -> None:
        super().__init__(f"{code}: {part}")
        self.code = code
        self.part = part

    @classmethod
    def from_parse(cls, error: ParseError) -> UsageError:
        """The same problem, raised by the tokenizer or a value parser."""
        return cls(error.code, error.part)


def usage_reply(locale: str, error: UsageError | ParseError, usage: str) -> bk.Message:
    """Ephemeral: what is wrong, then the usage line."""
    problem = t(locale, f"parse.{error.code}", part=error.part)
    return bk.ephemeral(
        f"{problem} {t(locale, 'error.usage', usage=usage)}",
        [bk.section(f":warning: {problem}"), bk.context(t(locale, "error.usage", usage=f"`{usage}`"))],
    )


def domain_error_reply(locale: str, error: DomainError) -> bk.Message:
    """Ephemeral: why the change was refused."""
    text = t(locale, error.message_key, **error.params)
    return bk.ephemeral(text, [bk.section(f":no_entry: {text}")])
