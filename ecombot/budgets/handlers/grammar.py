"""The grammar of `/budget`: each subcommand's whole line parsed before anything is written."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

from ecombot.actor import Caller
from ecombot.budgets.periods import Period, month_of, parse_period
from ecombot.budgets.service import LineDraft
from ecombot.slack.grammar import channel_of, split_options, user_of
from ecombot.slack.parsing import ParseError, Token, parse_amount, parse_date
from ecombot.slack.router import UsageError

_THRESHOLDS = re.compile(r"\d{1,3}%?(?:[,，、]\d{1,3}%?)*")

SET_OPTIONS: dict[str, tuple[str, ...]] = {
    "period": ("期间", "周期"),
    "owner": ("负责人",),
    "channel": ("频道",),
}
SPEND_OPTIONS: dict[str, tuple[str, ...]] = {"date": ("日期", "day"), "note": ("备注",)}
MOVE_OPTIONS: dict[str, tuple[str, ...]] = {"from": ("从",), "to": ("到", "至"), "period": ("期间", "周期")}
PERIOD_OPTIONS: dict[str, tuple[str, ...]] = {"period": ("期间", "周期")}
ALERT_OPTIONS: dict[str, tuple[str, ...]] = {"channel": ("频道",)}
CURVE_OPTIONS: dict[str, tuple[str, ...]] = {"like": ("参照", "按"), "period": ("期间", "周期")}


def _text(words: list[Token]) -> str:
    return " ".join(tok.value if tok.kind == "quoted" else tok.shown for tok in words)


def _amount(tok: Token) -> Decimal:
    try:
        value = parse_amount(tok.value)
    except ParseError:
        raise UsageError("bad_amount", tok.shown) from None
    if value <= 0:
        raise UsageError("bad_amount", tok.shown)
    return value


def workspace_today(caller: Caller) -> date:
    """Budgets live in the workspace's calendar: "today" and "this month" are the workspace's."""
    return caller.now.astimezone(ZoneInfo(caller.workspace_tz)).date()


def _period(tok: Token, caller: Caller) -> Period:
    try:
        return parse_period(tok.value, workspace_today(caller))
    except ParseError:
        raise UsageError("bad_budget_period", tok.shown) from None


def _date(tok: Token, caller: Caller) -> date:
    try:
        return parse_date(tok.value, today=workspace_today(caller))
    except ParseError:
        raise UsageError("bad_date", tok.shown) from None


def parse_set(tokens: list[Token], caller: Caller) -> LineDraft:
    """`set <category> <amount> [period:] [owner:@u] [channel:#c]`."""
    words, options = split_options(tokens)
    if len(words) < 2:
        raise UsageError("missing_argument", "<category> <amount>")
    amount = _amount(words[-1])
    owner = ""
    if "owner" in options:
        owner = user_of(options["owner"])
    return LineDraft(
        category=_text(words[:-1]),
        amount=amount,
        period=_period(options["period"], caller)
        if "period" in options
        else month_of(workspace_today(caller)),
        currency=caller.currency,
        owner_id=owner,
        channel_id=channel_of(options["channel"]) if "channel" in options else "",
        set_in=caller.channel if caller.channel.startswith(("C", "G")) else "",
    )


@dataclass(frozen=True)
class SpendArgs:
    """`spend|refund <category> <amount> [date:] [note:]`."""

    category: str
    amount: Decimal
    day: date
    note: str


def parse_spend(tokens: list[Token], caller: Caller) -> SpendArgs:
    """The category, the amount, the day (today by default) and a note."""
    words, options = split_options(tokens)
    if len(words) < 2:
        raise UsageError("missing_argument", "<category> <amount>")
    return SpendArgs(
        category=_text(words[:-1]),
        amount=_amount(words[-1]),
        day=_date(options["date"], caller) if "date" in options else workspace_today(caller),
        note=options["note"].value.strip() if "note" in options else "",
    )


@dataclass(frozen=True)
class MoveArgs:
    """`move <amount> from:<category> to:<category> [reason] [period:]`."""

    amount: Decimal
    source: str
    target: str
    reason: str
    period: Period | None


def parse_move(tokens: list[Token], caller: Caller) -> MoveArgs:
    """The amount first; the rest of the words are the reason."""
    words, options = split_options(tokens)
    if not words:
        raise UsageError("missing_argument", "<amount>")
    for required in ("from", "to"):
        if required not in options:
            raise UsageError("missing_argument", f"{required}:<category>")
    return MoveArgs(
        amount=_amount(words[0]),
        source=options["from"].value,
        target=options["to"].value,
        reason=_text(words[1:]),
        period=_period(options["period"], caller) if "period" in options else None,
    )


def _is_period(tok: Token, caller: Caller) -> Period | None:
    try:
        return parse_period(tok.value, workspace_today(caller))
    except ParseError:
        return None


@dataclass(frozen=True)
class LogArgs:
    """`log [category] [period]`."""

    category: str
    period: Period | None


def parse_log(tokens: list[Token], caller: Caller) -> LogArgs:
    """A period is any word that reads as one; the other words name the category."""
    words, options = split_options(tokens)
    period = _period(options["period"], caller) if "period" in options else None
    rest: list[Token] = []
    for tok in words:
        found = _is_period(tok, caller) if period is None else None
        if found is not None:
            period = found
        else:
            rest.append(tok)
    return LogArgs(_text(rest), period)


def parse_status(tokens: list[Token], caller: Caller) -> Period | None:
    """`status [period]` (the lines running today by default)."""
    words, options = split_options(tokens)
    if "period" in options:
        if words:
            raise UsageError("unexpected", words[0].shown)
        return _period(options["period"], caller)
    if not words:
        return None
    if len(words) > 1:
        raise UsageError("unexpected", words[1].shown)
    return _period(words[0], caller)


@dataclass(frozen=True)
class AlertsArgs:
    """`alerts [50,80,100] [channel:#c]`: nothing to show them."""

    thresholds: tuple[int, ...]
    channel: str


def parse_alerts(tokens: list[Token], caller: Caller) -> AlertsArgs | None:
    """Thresholds as `50,80,100` (or `50 80 100`)."""
    words, options = split_options(tokens)
    if not words and not options:
        return None
    numbers: list[int] = []
    for tok in words:
        if not _THRESHOLDS.fullmatch(tok.value):
            raise UsageError("bad_thresholds", tok.shown)
        numbers += [int(n.rstrip("%")) for n in re.split(r"[,，、]", tok.value)]
    if not numbers:
        raise UsageError("missing_argument", "50,80,100")
    return AlertsArgs(tuple(numbers), channel_of(options["channel"]) if "channel" in options else "")


@dataclass(frozen=True)
class CurveArgs:
    """`curve <category> like:"<campaign>" [period:]` or `curve <category> off`."""

    category: str
    campaign: str | None
    period: Period | None


def parse_curve(tokens: list[Token], caller: Caller) -> CurveArgs:
    """A campaign to follow, or `off`."""
    words, options = split_options(tokens)
    off = bool(words) and words[-1].value.lower() in ("off", "none", "关闭", "straight")
    if off:
        words = words[:-1]
    if not words:
        raise UsageError("missing_argument", "<category>")
    if not off and "like" not in options:
        raise UsageError("missing_argument", 'like:"<campaign>"')
    return CurveArgs(
        category=_text(words),
        campaign=None if off else options["like"].value,
        period=_period(options["period"], caller) if "period" in options else None,
    )


@dataclass(frozen=True)
class Rename:
    """`categories rename <category> <new name>`."""

    category: str
    name: str


def parse_categories(tokens: list[Token], caller: Caller) -> Rename | None:
    """Nothing lists them; `rename <category> <new name>` renames one."""
    words, options = split_options(tokens)
    if options:
        raise UsageError("unexpected", next(iter(options.values())).shown)
    if not words:
        return None
    if words[0].value.lower() not in ("rename", "改名", "重命名"):
        raise UsageError("unexpected", words[0].shown)
    if len(words) < 3:
        raise UsageError("missing_argument", "<category> <new name>")
    return Rename(words[1].value, _text(words[2:]))
