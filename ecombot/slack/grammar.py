"""What every command grammar needs after the tokenizer: the words and the options (each given once),
and the common option values (a channel, a user, on/off, a count). Each raises UsageError naming the
token as typed."""

from __future__ import annotations

import re

from ecombot.slack.parsing import Token
from ecombot.slack.router import UsageError

# As Slack sends them: `<#C123|ops>`, `<@U123|li.na>` (G… is a legacy private channel).
_CHANNEL = re.compile(r"<#([CG][A-Z0-9_]+)(?:\|[^<>]*)?>")
_USER = re.compile(r"<@([UW][A-Z0-9_]+)(?:\|[^<>]*)?>")

ON = ("on", "yes", "true", "开", "开启", "是")
OFF = ("off", "no", "false", "关", "关闭", "否")


def split_options(tokens: list[Token]) -> tuple[list[Token], dict[str, Token]]:
    """The words (everything that is not an option) and the options by key, each given once."""
    options: dict[str, Token] = {}
    words: list[Token] = []
    for tok in tokens:
        if tok.kind == "option" and tok.key is not None:
            if tok.key in options:
                raise UsageError("duplicate_option", tok.shown)
            options[tok.key] = tok
        elif tok.kind == "option":
            raise UsageError("unknown_option", tok.shown)
        else:
            words.append(tok)
    return words, options


def channel_of(tok: Token) -> str:
    """A `#channel` picked in Slack (`<#C123|name>`, alone or as an option's value), as its id."""
    found = _CHANNEL.search(tok.raw)
    if found is None:
        raise UsageError("bad_channel", tok.shown)
    return found.group(1)


def user_of(tok: Token) -> str:
    """An `@user` picked in Slack (`<@U123|name>`, alone or as an option's value), as their id."""
    if tok.kind == "user":
        return tok.value
    found = _USER.search(tok.raw)
    if found is None:
        raise UsageError("bad_user", tok.shown)
    return found.group(1)


def on_off(tok: Token) -> bool:
    """`on` / `off` (and their Chinese forms)."""
    word = tok.value.strip().lower()
    if word in ON:
        return True
    if word in OFF:
        return False
    raise UsageError("bad_on_off", tok.shown)


def count_of(tok: Token, *, low: int = 1, high: int = 1000) -> int:
    """A whole number between `low` and `high`."""
    text = tok.value.strip()
    if not text.isascii() or not text.isdigit() or not low <= int(text) <= high:
        raise UsageError("bad_count", tok.shown)
    return int(text)
