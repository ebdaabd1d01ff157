"""The grammar of `/scorecard`: each line parsed before anything is written."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

from ecombot.actor import Caller
from ecombot.budgets.periods import Period
from ecombot.errors import InvalidInput
from ecombot.kpis.service import parse_period_text, period_key
from ecombot.scorecards.service import TARGET_METRICS
from ecombot.slack.grammar import on_off, split_options, user_of
from ecombot.slack.parsing import ParseError, Token, parse_amount
from ecombot.slack.router import UsageError, expect_at_most


def workspace_today(caller: Caller) -> date:
    """Scorecards count days in the workspace's calendar."""
    return caller.now.astimezone(ZoneInfo(caller.workspace_tz)).date()


@dataclass(frozen=True)
class Span:
    """A period and its kind (month | week | "")."""

    period: Period
    kind: str


def span_of(tok: Token | None, caller: Caller) -> Span:
    """`month` (the default), `week`, `last-month`, `last-week`, `2026-11`, `2026-W47`."""
    today = workspace_today(caller)
    if tok is None:
        period = parse_period_text("month", today)
    else:
        try:
            period = parse_period_text(tok.value, today)
        except InvalidInput:
            raise UsageError("bad_scorecard_period", tok.shown) from None
    kind, _ = period_key(period)
    return Span(period, kind)


@dataclass(frozen=True)
class ShowArgs:
    """`/scorecard [@user] [period]`."""

    user: str
    span: Span


def parse_show(tokens: list[Token], caller: Caller) -> ShowArgs:
    """`[@user] [month|week|<YYYY-MM>]`, in either order."""
    expect_at_most(tokens, 2)
    user, period_tok = "", None
    for tok in tokens:
        if tok.kind == "user" and not user:
            user = tok.value
        elif period_tok is None and tok.kind == "word":
            period_tok = tok
        else:
            raise UsageError("unexpected", tok.shown)
    return ShowArgs(user or caller.user_id, span_of(period_tok, caller))


def parse_team(tokens: list[Token], caller: Caller) -> Span:
    """`[period]`."""
    expect_at_most(tokens, 1)
    return span_of(tokens[0] if tokens else None, caller)


@dataclass(frozen=True)
class TargetArgs:
    """`/scorecard target @user <metric> <value> [period]`."""

    user: str
    metric: str
    value: Decimal
    period: str


def parse_target(tokens: list[Token], caller: Caller) -> TargetArgs:
    """`@user <metric> <value> [month|week]`."""
    words, _ = split_options(tokens)
    if len(words) < 3:
        raise UsageError("missing_argument", "@user <metric> <value>")
    expect_at_most(words, 4)
    user = user_of(words[0])
    metric = words[1].value.strip().lower()
    if metric not in TARGET_METRICS:
        raise UsageError("bad_target_metric", words[1].shown)
    raw = words[2].value.strip()
    try:
        if TARGET_METRICS[metric] == "rate":
            value = Decimal(raw.rstrip("%")) / (
                100 if raw.endswith("%") or Decimal(raw.rstrip("%")) > 1 else 1
            )
        else:
            value = parse_amount(raw)
    except (ArithmeticError, ParseError, ValueError):
        raise UsageError("bad_target_value", words[2].shown) from None
    if not value.is_finite():
        raise UsageError("bad_target_value", words[2].shown)
    period = "month"
    if len(words) == 4:
        period = {"month": "month", "月": "month", "week": "week", "周": "week"}.get(
            words[3].value.lower(), ""
        )
        if not period:
            raise UsageError("bad_scorecard_period", words[3].shown)
    return TargetArgs(user, metric, value, period)


def parse_schedule(tokens: list[Token], caller: Caller) -> bool:
    """`monthly on|off`."""
    words, _ = split_options(tokens)
    if len(words) != 2 or words[0].value.lower() not in ("monthly", "每月"):
        raise UsageError("missing_argument", "monthly on|off")
    return on_off(words[1])
