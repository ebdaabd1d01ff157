"""The command router: every subcommand declared once, with its names, options, usage line, parser and
handler. `/ecom help`, each usage error, the manifest and the README's command reference all come
from these declarations.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session

from ecombot.actor import Caller
from ecombot.slack import blocks as bk
from ecombot.slack.i18n import add_messages, t
from ecombot.slack.parsing import ParseError, Token, tokenize
from ecombot.slack.reply import Reply
from ecombot.slack.text import code, echo

Parser = Callable[[list[Token], Caller], Any]
Handler = Callable[[Caller, Any, Session], Reply]
HELP_WORDS = ("help", "帮助", "?", "h")


class UsageError(Exception):
    """The command line cannot be understood: `code` names the problem, `part` the bad text (plain)."""

    def __init__(self, code: str, part: str) -> None:
        super().__init__(f"{code}: {part}")
        self.code = code
        self.part = part

    @classmethod
    def from_parse(cls, error: ParseError) -> UsageError:
        """The same problem, raised by the tokenizer or a value parser."""
        return cls(error.code, error.part)


def no_args(tokens: list[Token], caller: Caller) -> None:
    """The parser of a subcommand that takes nothing."""
    expect_at_most(tokens, 0)


def expect_at_most(tokens: Sequence[Token], count: int) -> None:
    """UsageError naming the first token past `count`."""
    if len(tokens) > count:
        raise UsageError("unexpected", tokens[count].shown)


@dataclass(frozen=True)
class Sub:
    """One subcommand: `/task add …`.

    `usage` follows the command name (`add <title> [@owner] [due:<date>]`); `summary` is the i18n key
    of its one-line description; `options` maps each `key:` to its aliases (`{"due": ("截止",)}`);
    `parse` turns the tokens after the subcommand into the handler's argument (raising UsageError or
    ParseError for bad input, before anything is written); `write` False runs it read-only.
    """

    name: str
    handler: Handler
    usage: str
    summary: str
    aliases: tuple[str, ...] = ()
    options: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    parse: Parser = no_args
    # False runs it read-only; a function decides from the text after the subcommand.
    write: bool | Callable[[str], bool] = True
    listed: bool = True  # shown in /ecom help and the README

    @property
    def names(self) -> tuple[str, ...]:
        """Every word that selects this subcommand."""
        return (self.name, *self.aliases)

    def option_keys(self) -> dict[str, str]:
        """Every spelling of every option key, mapped to its canonical key."""
        keys = {key: key for key in self.options}
        keys.update({alias: key for key, aliases in self.options.items() for alias in aliases})
        return keys


@dataclass(frozen=True)
class Command:
    """A slash command and its subcommands; `default` runs when the text is empty."""

    name: str
    description: str  # the manifest's short description (English, as Slack shows it)
    hint: str  # the manifest's usage hint
    subs: tuple[Sub, ...]
    default: Sub | None = None
    # Runs with the whole text when its first word is no subcommand (`/scorecard @li month`).
    fallback: Sub | None = None

    def __post_init__(self) -> None:
        seen: dict[str, str] = {}
        for sub in self.subs:
            for word in sub.names:
                if word.lower() in seen:
                    raise ValueError(f"{self.name}: `{word}` names two subcommands")
                seen[word.lower()] = sub.name

    def find(self, word: str) -> Sub | None:
        """The subcommand a word selects (any alias, any case)."""
        lowered = word.lower()
        return next((sub for sub in self.subs if lowered in (n.lower() for n in sub.names)), None)

    def usage_of(self, sub: Sub | None) -> str:
        """The usage line of one subcommand, or of the whole command."""
        if sub is not None:
            return f"{self.name} {sub.usage}".strip()
        return " | ".join(f"{self.name} {s.usage}".strip() for s in self.subs if s.listed)

    def help_lines(self) -> list[tuple[str, str]]:
        """(usage, summary key) for every listed subcommand, the default first."""
        lines: list[tuple[str, str]] = []
        if (
            self.default is not None
            and self.default.listed
            and self.default not in self.subs
            and self.default is not self.fallback
        ):
            lines.append((self.name, self.default.summary))
        if self.fallback is not None and self.fallback.listed and self.fallback not in self.subs:
            lines.append((f"{self.name} {self.fallback.usage}".strip(), self.fallback.summary))
        for sub in self.subs:
            if sub.listed:
                lines.append((self.usage_of(sub), sub.summary))
        return lines


@dataclass(frozen=True)
class Resolved:
    """A command line matched to its subcommand, before parsing."""

    command: Command
    sub: Sub | None  # None: the command's own help
    rest: str
    word: str  # the subcommand word as typed

    @property
    def write(self) -> bool:
        """Whether running it needs a write transaction."""
        if self.sub is None:
            return False
        return self.sub.write(self.rest) if callable(self.sub.write) else self.sub.write


def resolve(command: Command, text: str) -> Resolved:
    """The subcommand `text` asks for; UsageError when the first word is none of them."""
    text = text.strip()
    if not text:
        if command.default is None:
            return Resolved(command, None, "", "")
        return Resolved(command, command.default, "", "")
    # Any whitespace separates the subcommand, the ideographic space of Chinese input included.
    word, *more = text.split(None, 1)
    rest = more[0] if more else ""
    sub = command.find(word)
    if sub is None and word.lower() in HELP_WORDS:
        return Resolved(command, None, rest, word)
    if sub is None and command.fallback is not None:
        return Resolved(command, command.fallback, text, "")
    if sub is None:
        raise UsageError("unknown_subcommand", tokenize(word)[0].shown if word else word)
    return Resolved(command, sub, rest, word)


def run(resolved: Resolved, caller: Caller, session: Session) -> Reply:
    """Parse the whole line, then run its handler (UsageError/ParseError before anything is written)."""
    command, sub = resolved.command, resolved.sub
    if sub is None:
        if resolved.rest.strip():
            raise UsageError("unexpected", resolved.rest.strip())
        return Reply(message=command_help(command, caller.locale))
    keys = sub.option_keys()
    try:
        tokens = tokenize(resolved.rest, option_keys=keys)
        tokens = [
            Token(tok.kind, tok.value, tok.raw, keys[tok.key]) if tok.key in keys else tok for tok in tokens
        ]
        args = sub.parse(tokens, caller)
    except ParseError as exc:
        raise UsageError.from_parse(exc) from None
    return sub.handler(caller, args, session)


def usage_reply(locale: str, error: UsageError | ParseError, usage: str) -> bk.Message:
    """Ephemeral: what is wrong (the user's text quoted safely), then the usage line."""
    problem = t(locale, f"parse.{error.code}", part=echo(error.part))
    shown = code(usage)
    return bk.ephemeral(
        f"{problem} {t(locale, 'error.usage', usage=shown)}",
        [bk.section(f":warning: {problem}"), bk.context(t(locale, "error.usage", usage=shown))],
    )


def command_help(command: Command, locale: str) -> bk.Message:
    """Ephemeral: one command's subcommands with what each does."""
    lines = [f"{code(usage)}  {t(locale, key)}" for usage, key in command.help_lines()]
    title = t(locale, "help.command_title", command=command.name)
    return bk.ephemeral(title + "\n" + "\n".join(lines), [bk.header(title), *bk.sections(lines)])


def help_lines(commands: Sequence[Command], locale: str) -> list[str]:
    """Every command's help lines (mrkdwn), in the reader's language (made once per set of commands
    and language: they are declared at import and never change)."""
    key = (tuple(command.name for command in commands), locale)
    lines = _HELP_LINES.get(key)
    if lines is None:
        lines = tuple(
            f"{code(usage)}  {t(locale, k)}" for command in commands for usage, k in command.help_lines()
        )
        _HELP_LINES[key] = lines
    return list(lines)


_HELP_LINES: dict[tuple[tuple[str, ...], str], tuple[str, ...]] = {}


def markdown_reference(commands: Sequence[Command]) -> str:
    """The README's command reference: a table per command, from the same declarations."""
    out: list[str] = []
    for command in commands:
        out += [f"#### `{command.name}`", "", "| Command | What it does | Also written |", "|---|---|---|"]
        subs = {command.usage_of(sub): sub for sub in command.subs}
        for usage, key in command.help_lines():
            sub = subs.get(usage)
            words = [*sub.aliases] if sub is not None else []
            if sub is not None:
                words += [f"{alias}:" for aliases in sub.options.values() for alias in aliases]
            also = ", ".join(f"`{w}`" for w in words)
            out.append(f"| `{_cell(usage)}` | {t('en', key)} | {also} |")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


add_messages(
    {
        "help.command_title": ("{command} commands", "{command} 命令"),
    }
)
