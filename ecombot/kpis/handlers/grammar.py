"""The grammar of `/kpi`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from ecombot.actor import Caller
from ecombot.budgets.periods import Period, month_of
from ecombot.errors import InvalidInput
from ecombot.kpis import service
from ecombot.kpis.service import TargetDraft
from ecombot.slack.grammar import channel_of
from ecombot.slack.parsing import ParseError, Token, parse_amount, parse_date
from ecombot.slack.router import UsageError

TARGET_OPTIONS: dict[str, tuple[str, ...]] = {"period": ("期间",), "vs": ("对比",)}
LOG_OPTIONS: dict[str, tuple[str, ...]] = {"date": ("日期", "day")}
_TARGET_PERIOD = re.compile(r"month|week|\d{4}-\d{2}|\d{4}-W\d{2}", re.IGNORECASE)


def workspace_today(caller: Caller) -> date:
    """KPIs live in the workspace's calendar."""
    return caller.now.astimezone(ZoneInfo(caller.workspace_tz)).date()


def parse_period(tokens: list[Token], caller: Caller) -> Period:
    """`[today|yesterday|week|month|2026-11|2026-W47]`: this month by default."""
    if not tokens:
        return month_of(workspace_today(caller))
    if len(tokens) > 1:
        raise UsageError("unexpected", tokens[1].shown)
    try:
        return service.parse_period_text(tokens[0].value, workspace_today(caller))
    except InvalidInput:
        raise UsageError("bad_budget_period", tokens[0].shown) from None


def parse_target(tokens: list[Token], caller: Caller) -> TargetDraft:
    """`target <kpi> <value> [period:month|week|2026-12|2026-W49] [vs:last_year|previous]`."""
    words = [t for t in tokens if t.kind != "option"]
    options = {t.key: t for t in tokens if t.kind == "option" and t.key}
    if any(t.kind == "option" and not t.key for t in tokens):
        raise UsageError("unknown_option", next(t for t in tokens if t.kind == "option" and not t.key).shown)
    if len(words) != 2:
        raise (
            UsageError("missing_argument", "<kpi> <value>")
            if len(words) < 2
            else UsageError("unexpected", words[2].shown)
        )
    metric = words[0].value.lower()
    raw = words[1].value.replace("％", "%")
    growth = raw.startswith(("+", "-")) and raw.endswith("%")
    try:
        value = Decimal(raw.rstrip("%").replace(",", "")) / 100 if raw.endswith("%") else parse_amount(raw)
    except (ParseError, InvalidOperation):
        raise UsageError("bad_kpi_value", words[1].shown) from None
    if not growth and value < 0:
        raise UsageError("bad_kpi_value", words[1].shown)
    period = "month"
    if "period" in options:
        text = options["period"].value
        if not _TARGET_PERIOD.fullmatch(text):
            raise UsageError("bad_target_period", options["period"].shown)
        period = text.lower() if text.lower() in ("month", "week") else text.upper().replace("w", "W")
    basis = "last_year"
    if "vs" in options:
        basis = options["vs"].value.lower().replace("-", "_")
        if basis not in ("last_year", "previous"):
            raise UsageError("bad_basis", options["vs"].shown)
    return TargetDraft(metric=metric, value=value, growth=growth, period=period, basis=basis)


@dataclass(frozen=True)
class LogArgs:
    """`log <metric> <value> [date:]`."""

    metric: str
    value: Decimal
    day: date


def parse_log(tokens: list[Token], caller: Caller) -> LogArgs:
    """A shop figure for a day (yesterday by default, in the workspace's calendar)."""
    words = [t for t in tokens if t.kind != "option"]
    options = {t.key: t for t in tokens if t.kind == "option" and t.key}
    if len(words) < 2:
        raise UsageError("missing_argument", "<metric> <value>")
    if len(words) > 2:
        raise UsageError("unexpected", words[2].shown)
    try:
        value = parse_amount(words[1].value)
    except ParseError:
        raise UsageError("bad_amount", words[1].shown) from None
    today = workspace_today(caller)
    day = today - timedelta(days=1)
    if "date" in options:
        try:
            day = parse_date(options["date"].value, today=today)
        except ParseError:
            raise UsageError("bad_date", options["date"].shown) from None
    return LogArgs(words[0].value, value, day)


DIGEST_OPTIONS: dict[str, tuple[str, ...]] = {"channel": ("频道",), "at": ("时间",), "day": ("星期",)}
_DIGEST_KINDS = {
    "daily": "daily",
    "每日": "daily",
    "日报": "daily",
    "weekly": "weekly",
    "每周": "weekly",
    "周报": "weekly",
    "monthly": "monthly",
    "每月": "monthly",
    "月报": "monthly",
}
_WEEKDAYS = {
    "mon": 1,
    "tue": 2,
    "wed": 3,
    "thu": 4,
    "fri": 5,
    "sat": 6,
    "sun": 0,
    "周一": 1,
    "周二": 2,
    "周三": 3,
    "周四": 4,
    "周五": 5,
    "周六": 6,
    "周日": 0,
}


@dataclass(frozen=True)
class DigestArgs:
    """`digest <kind> [channel:] [at:] [day:]`, `digest off <kind>`, `digest now <kind>`."""

    action: str  # set | off | now
    kind: str
    channel: str = ""
    hour: int = 9
    minute: int = 0
    weekday: int = 1  # cron: 0 = Sunday


def parse_digest(tokens: list[Token], caller: Caller) -> DigestArgs:
    """The digest's kind and, to set it, where and when."""
    from ecombot.slack.parsing import parse_time

    words = [t for t in tokens if t.kind != "option"]
    options = {t.key: t for t in tokens if t.kind == "option" and t.key}
    if not words:
        raise UsageError("missing_argument", "daily|weekly|monthly")
    action = "set"
    if words[0].value.lower() in ("off", "now", "关闭", "立即"):
        action = {"关闭": "off", "立即": "now"}.get(words[0].value, words[0].value.lower())
        words = words[1:]
    if len(words) != 1 or words[0].value.lower() not in _DIGEST_KINDS:
        raise UsageError(
            "unexpected" if words else "missing_argument", words[0].shown if words else "daily|weekly|monthly"
        )
    kind = _DIGEST_KINDS[words[0].value.lower()]
    channel = ""
    if "channel" in options:
        channel = channel_of(options["channel"])
    hour, minute = 9, 0
    if "at" in options:
        try:
            at = parse_time(options["at"].value)
        except ParseError:
            raise UsageError("bad_time", options["at"].shown) from None
        hour, minute = at.hour, at.minute
    weekday = 1
    if "day" in options:
        value = options["day"].value.lower()[:3] if options["day"].value.isascii() else options["day"].value
        if value not in _WEEKDAYS:
            raise UsageError("bad_days", options["day"].shown)
        weekday = _WEEKDAYS[value]
    return DigestArgs(
        action,
        kind,
        channel or (caller.channel if caller.channel.startswith(("C", "G")) else ""),
        hour,
        minute,
        weekday,
    )
