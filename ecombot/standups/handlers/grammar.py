"""The `/standup` grammar: options of `config`, day ranges, weekday sets, question lists, periods."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta

from ecombot.actor import Caller
from ecombot.slack.parsing import ParseError, Token, parse_date, parse_time
from ecombot.slack.router import UsageError, expect_at_most
from ecombot.standups.service import StandupConfig

CONFIG_OPTIONS = {
    "time": ("时间", "prompt"),
    "summary": ("汇总",),
    "days": ("日期", "星期"),
    "questions": ("问题",),
    "mode": ("方式",),
    "reminder": ("提醒",),
    "calendar": ("日历",),
}
_WEEKDAYS = {
    "mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6,
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
    "周一": 0, "周二": 1, "周三": 2, "周四": 3, "周五": 4, "周六": 5, "周日": 6, "周天": 6,
    "一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6,
}  # fmt: skip
_DAY_SETS = {
    "weekdays": (0, 1, 2, 3, 4),
    "工作日": (0, 1, 2, 3, 4),
    "daily": tuple(range(7)),
    "每天": tuple(range(7)),
}
_MODES = {"thread": "thread", "话题": "thread", "channel": "channel", "频道": "channel"}
_CALENDARS = {"cn": "cn", "china": "cn", "中国": "cn", "none": "none", "off": "none", "无": "none"}
_OFF = ("off", "none", "no", "关", "关闭", "无")
_KIND_HINTS = (
    ("blockers", ("block", "阻碍", "卡住", "困难", "障碍", "blocker")),
    ("yesterday", ("yesterday", "昨天", "昨日")),
    ("today", ("today", "今天", "今日")),
)


def _weekday(word: str) -> int:
    value = _WEEKDAYS.get(word.lower().strip())
    if value is None:
        raise ValueError(word)
    return value


def parse_days(text: str) -> tuple[int, ...]:
    """`mon-fri`, `mon,wed,fri`, `周一-周五`, `weekdays`, `daily`."""
    word = text.lower().strip()
    if word in _DAY_SETS:
        return _DAY_SETS[word]
    days: set[int] = set()
    try:
        for part in filter(None, re.split(r"[,，、]", word)):
            span = re.fullmatch(r"(.+?)[-–~至到](.+)", part)
            if span is None:
                days.add(_weekday(part))
                continue
            start, end = _weekday(span.group(1)), _weekday(span.group(2))
            days |= {(start + i) % 7 for i in range((end - start) % 7 + 1)}
    except ValueError:
        raise ParseError("bad_days", text) from None
    if not days:
        raise ParseError("bad_days", text)
    return tuple(sorted(days))


def parse_questions(text: str) -> tuple[tuple[str, str], ...]:
    """`Yesterday?|Today?|!Blockers?`: `!` marks the blockers question; without one, its words tell."""
    parts = [p.strip() for p in re.split(r"[|｜]", text)]
    if not parts or not all(parts):
        raise ParseError("bad_questions", text)
    marked = [p.startswith(("!", "！")) for p in parts]
    questions = []
    for part, is_blockers in zip(parts, marked, strict=True):
        question = part.lstrip("!！").strip()
        if not question:
            raise ParseError("bad_questions", text)
        kind = "blockers" if is_blockers else kind_of(question, blockers_marked=any(marked))
        questions.append((question, kind))
    seen: set[str] = set()
    unique = []
    for (question, kind), is_blockers in zip(questions, marked, strict=True):
        # Only the first of a kind counts (two "today" questions cannot both be "today"); two marked
        # as blockers stay so, and are refused as such.
        unique.append((question, kind if kind not in seen or is_blockers else ""))
        seen.add(kind)
    return tuple(unique)


def kind_of(question: str, *, blockers_marked: bool) -> str:
    """What a question asks about, from its words: yesterday, today, blockers (unless another one is
    marked as the blockers question), or ""."""
    lowered = question.lower()
    for kind, hints in _KIND_HINTS:
        if kind == "blockers" and blockers_marked:
            continue
        if any(hint in lowered for hint in hints):
            return kind
    return ""


def parse_reminder(text: str) -> int | None:
    """Minutes before the summary (`30m`, `1h`, `45`); None for `off`."""
    word = text.lower().strip()
    if word in _OFF:
        return None
    match = re.fullmatch(r"([0-9]{1,3})\s*(m|min|mins|minutes|分钟|h|hour|hours|小时)?", word)
    if match is None:
        raise ParseError("bad_reminder", text)
    minutes = int(match.group(1)) * (60 if (match.group(2) or "m").startswith(("h", "小")) else 1)
    if not 1 <= minutes <= 12 * 60:
        raise ParseError("bad_reminder", text)
    return minutes


def parse_period(text: str) -> int:
    """Days in a period: `30d`, `8w`, `30`."""
    match = re.fullmatch(r"([0-9]{1,3})\s*(d|w|天|周)?", text.lower().strip())
    if match is None or not 1 <= int(match.group(1)) <= 366:
        raise ParseError("bad_period", text)
    return int(match.group(1)) * (7 if match.group(2) in ("w", "周") else 1)


def parse_range(text: str, today: date) -> tuple[date, date]:
    """`2026-10-01..2026-10-07` (also `~`, `至`), or one day."""
    parts = re.split(r"\.\.|~|～|至|到", text, maxsplit=1)
    try:
        first = parse_date(parts[0].strip(), today=today)
        last = parse_date(parts[1].strip(), today=first) if len(parts) > 1 else first
    except ParseError:
        raise ParseError("bad_range", text) from None
    if last < first:
        raise ParseError("bad_range", text)
    return first, last


def parse_config(tokens: list[Token], caller: Caller) -> StandupConfig:
    """`config time:09:30 summary:11:00 days:mon-fri questions:"…|…|!…" mode:thread reminder:30m calendar:cn`."""
    config = StandupConfig()
    for token in tokens:
        if token.kind != "option" or token.key is None:
            raise UsageError("unexpected", token.shown)
        key, value = token.key, token.value
        if key == "time":
            config = replace(config, prompt_time=parse_time(value))
        elif key == "summary":
            config = replace(config, summary_time=parse_time(value))
        elif key == "days":
            config = replace(config, days=parse_days(value))
        elif key == "questions":
            config = replace(config, questions=parse_questions(value))
        elif key == "mode":
            if value.lower() not in _MODES:
                raise UsageError("bad_mode", token.shown)
            config = replace(config, mode=_MODES[value.lower()])
        elif key == "calendar":
            if value.lower() not in _CALENDARS:
                raise UsageError("bad_calendar", token.shown)
            config = replace(config, calendar=_CALENDARS[value.lower()])
        elif key == "reminder":
            minutes = parse_reminder(value)
            config = replace(config, reminder_minutes=minutes, reminder_off=minutes is None)
    return config


@dataclass(frozen=True)
class Away:
    """`skip [today|<date>]` or `vacation <from>..<to>` / `until:<date>`."""

    first: date
    last: date


def parse_skip(tokens: list[Token], caller: Caller) -> Away:
    """`skip`, `skip today`, `skip fri`, `skip 2026-12-24`."""
    expect_at_most(tokens, 1)
    day = parse_date(tokens[0].value, today=caller.today) if tokens else caller.today
    return Away(day, day)


def parse_vacation(tokens: list[Token], caller: Caller) -> Away:
    """`vacation 2026-12-21..2026-12-31` or `vacation until:fri`."""
    if not tokens:
        raise UsageError("missing_argument", "<from>..<to>")
    expect_at_most(tokens, 1)
    token = tokens[0]
    if token.kind == "option" and token.key == "until":
        return Away(caller.today, parse_date(token.value, today=caller.today))
    first, last = parse_range(token.value, caller.today)
    return Away(first, last)


@dataclass(frozen=True)
class HolidayArgs:
    """`holiday <range> "name"`, `holiday list`, `holiday remove <date>`."""

    action: str  # add | list | remove
    first: date | None = None
    last: date | None = None
    name: str = ""


def parse_holiday(tokens: list[Token], caller: Caller) -> HolidayArgs:
    """The holiday subcommand's own grammar."""
    if not tokens:
        raise UsageError("missing_argument", '<from>..<to> "name" | list | remove <date>')
    head = tokens[0].value.lower()
    if head in ("list", "ls", "列表"):
        expect_at_most(tokens, 1)
        return HolidayArgs("list")
    if head in ("remove", "rm", "delete", "删除"):
        if len(tokens) < 2:
            raise UsageError("missing_argument", "<date>")
        expect_at_most(tokens, 2)
        day = parse_date(tokens[1].value, today=caller.today)
        return HolidayArgs("remove", day, day)
    first, last = parse_range(tokens[0].value, caller.today)
    expect_at_most(tokens, 2)
    name = tokens[1].value if len(tokens) > 1 else ""
    return HolidayArgs("add", first, last, name)


@dataclass(frozen=True)
class ReportArgs:
    """`report [@user] [<from>..<to>]`."""

    user: str
    first: date
    last: date


def parse_report(tokens: list[Token], caller: Caller) -> ReportArgs:
    """Someone's (or everyone's) answers over a range; the last two weeks by default."""
    user = ""
    first, last = caller.today - timedelta(days=13), caller.today
    for token in tokens:
        if token.kind == "user":
            user = token.value
        else:
            first, last = parse_range(token.value, caller.today)
    expect_at_most(tokens, 2)
    return ReportArgs(user, first, last)


def parse_stats(tokens: list[Token], caller: Caller) -> int:
    """`stats [30d]`."""
    expect_at_most(tokens, 1)
    return parse_period(tokens[0].value) if tokens else 30


def parse_export(tokens: list[Token], caller: Caller) -> tuple[date, date]:
    """`export [<from>..<to>]`: the last 30 days by default."""
    expect_at_most(tokens, 1)
    if tokens:
        return parse_range(tokens[0].value, caller.today)
    return caller.today - timedelta(days=29), caller.today
