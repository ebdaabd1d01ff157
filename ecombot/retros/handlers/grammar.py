"""The grammar of `/retro`: each subcommand's whole line parsed before anything is written."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from ecombot.actor import Caller
from ecombot.retros.schedules import MAX_VOTES, ScheduleDraft
from ecombot.retros.service import NowOptions
from ecombot.slack.grammar import channel_of, count_of, on_off, split_options, user_of
from ecombot.slack.parsing import ParseError, Token, parse_time, parse_weekday
from ecombot.slack.router import UsageError, expect_at_most

SCHEDULE_OPTIONS: dict[str, tuple[str, ...]] = {
    "channel": ("频道",),
    "close": ("结束", "关闭"),
    "anonymous": ("匿名",),
    "votes": ("票数", "投票"),
}
NOW_OPTIONS: dict[str, tuple[str, ...]] = {k: v for k, v in SCHEDULE_OPTIONS.items() if k != "channel"}
ALL_WORDS = ("all", "全部", "所有")


@dataclass(frozen=True)
class ScheduleArgs:
    """`/retro schedule`, parsed."""

    draft: ScheduleDraft
    channel: str  # "" : the channel it was typed in


def _weekday(tok: Token) -> int:
    try:
        return parse_weekday(tok.value)
    except ParseError:
        raise UsageError("bad_weekday", tok.shown) from None


def _time(tok: Token, text: str | None = None) -> time:
    try:
        return parse_time(text if text is not None else tok.value)
    except ParseError:
        raise UsageError("bad_time", tok.shown) from None


def _looks_like_time(tok: Token) -> bool:
    try:
        parse_time(tok.value)
    except ParseError:
        return False
    return tok.kind == "word"


def _close(tokens: list[Token]) -> tuple[int | None, time | None, list[Token]]:
    """`close:mon 10:00` (the time is the word after the option) or `close:"mon 10:00"`."""
    rest: list[Token] = []
    weekday: int | None = None
    at: time | None = None
    index = 0
    while index < len(tokens):
        tok = tokens[index]
        if tok.kind == "option" and tok.key == "close":
            if weekday is not None:
                raise UsageError("duplicate_option", tok.shown)
            day, _, clock = tok.value.strip().partition(" ")
            weekday = _weekday(Token("word", day, tok.raw))
            if clock.strip():
                at = _time(tok, clock.strip())
            elif index + 1 < len(tokens) and _looks_like_time(tokens[index + 1]):
                at = _time(tokens[index + 1])
                index += 1
            else:
                at = time(10, 0)
        else:
            rest.append(tok)
        index += 1
    return weekday, at, rest


def _rules(options: dict[str, Token]) -> tuple[bool | None, int | None]:
    anonymous = on_off(options["anonymous"]) if "anonymous" in options else None
    votes = count_of(options["votes"], high=MAX_VOTES) if "votes" in options else None
    return anonymous, votes


def parse_schedule(tokens: list[Token], caller: Caller) -> ScheduleArgs:
    """`[<day>] [<time>] [channel:#c] [close:<day> <time>] [anonymous:on|off] [votes:<n>]`."""
    close_day, close_at, tokens = _close(tokens)
    words, options = split_options(tokens)
    expect_at_most(words, 2)
    weekday = at = None
    for tok in words:
        if weekday is None and at is None and not _looks_like_time(tok):
            weekday = _weekday(tok)
        elif at is None:
            at = _time(tok)
        else:
            raise UsageError("unexpected", tok.shown)
    anonymous, votes = _rules(options)
    channel = channel_of(options["channel"]) if "channel" in options else ""
    return ScheduleArgs(ScheduleDraft(weekday, at, close_day, close_at, anonymous, votes), channel)


def parse_now(tokens: list[Token], caller: Caller) -> NowOptions:
    """`[close:<day> <time>] [anonymous:on|off] [votes:<n>]`."""
    close_day, close_at, tokens = _close(tokens)
    words, options = split_options(tokens)
    expect_at_most(words, 0)
    anonymous, votes = _rules(options)
    return NowOptions(close_day, close_at, anonymous, votes)


@dataclass(frozen=True)
class Whose:
    """`/retro actions [all|@user]`: "" for the caller's own, "*" for everyone's, or a user id."""

    owner: str


def parse_actions(tokens: list[Token], caller: Caller) -> Whose:
    """`[all|@user]`."""
    expect_at_most(tokens, 1)
    if not tokens:
        return Whose("")
    tok = tokens[0]
    if tok.kind == "word" and tok.value.lower() in ALL_WORDS:
        return Whose("*")
    return Whose(user_of(tok))


def parse_history(tokens: list[Token], caller: Caller) -> int:
    """`[n]` (default 5, at most 50)."""
    expect_at_most(tokens, 1)
    return count_of(tokens[0], high=50) if tokens else 5
