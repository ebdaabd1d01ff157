"""The grammar of `/campaign`: each subcommand's whole line parsed before anything is written."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from ecombot.actor import Caller
from ecombot.campaigns import sources
from ecombot.campaigns.service import Draft, Entry, Which
from ecombot.slack.grammar import channel_of, split_options, user_of
from ecombot.slack.parsing import ParseError, Token, parse_amount, parse_date
from ecombot.slack.router import UsageError

_CLEAR = {"none", "off", "-", "无", "清除", "clear"}

CAMPAIGN_OPTIONS: dict[str, tuple[str, ...]] = {
    "budget": ("预算",),
    "start": ("开始", "from"),
    "end": ("结束", "until"),
    "channel": ("频道",),
    "owner": ("负责人",),
    "category": ("类别", "预算类别"),
    "target_roas": ("目标roas", "roas目标"),
    "target_revenue": ("目标销售额", "销售额目标"),
    "target_cpa": ("目标cpa", "cpa目标"),
    "target_orders": ("目标订单", "订单目标"),
}
EDIT_OPTIONS: dict[str, tuple[str, ...]] = {"name": ("名称",), **CAMPAIGN_OPTIONS}
LOG_OPTIONS: dict[str, tuple[str, ...]] = {
    "date": ("日期", "day"),
    "source": ("来源", "平台", "platform"),
    "spend": ("花费", "消耗", "cost"),
    "revenue": ("销售额", "成交", "gmv"),
    "orders": ("订单", "conversions"),
    "clicks": ("点击",),
    "impressions": ("展现", "曝光"),
    "sessions": ("访客", "会话"),
    "refunds": ("退款",),
    "new_customers": ("新客",),
}
LIST_WORDS: dict[str, Which] = {
    "active": "active",
    "进行中": "active",
    "ended": "ended",
    "已结束": "ended",
    "结束": "ended",
    "all": "all",
    "全部": "all",
}


def _name(tokens: list[Token]) -> str:
    return " ".join(
        tok.value if tok.kind == "quoted" else tok.shown for tok in tokens if tok.kind != "option"
    )


def _split(tokens: list[Token]) -> tuple[str, dict[str, Token]]:
    """The campaign name (every word that is not an option) and the options, each given once."""
    words, options = split_options(tokens)
    return _name(words), options


def _money(tok: Token) -> Decimal:
    try:
        value = parse_amount(tok.value)
    except ParseError:
        raise UsageError("bad_amount", tok.shown) from None
    if value < 0:
        raise UsageError("bad_amount", tok.shown)
    return value


def _ratio(tok: Token) -> Decimal:
    try:
        value = Decimal(tok.value.rstrip("xX"))
    except ArithmeticError:
        raise UsageError("bad_number", tok.shown) from None
    if not value.is_finite() or value <= 0:
        raise UsageError("bad_number", tok.shown)
    return value


def _count(tok: Token) -> int:
    value = _money(tok)
    if value != value.to_integral_value():
        raise UsageError("bad_number", tok.shown)
    return int(value)


def _date(tok: Token, caller: Caller) -> date:
    try:
        return parse_date(tok.value, today=caller.today)
    except ParseError:
        raise UsageError("bad_date", tok.shown) from None


def _cleared(tok: Token) -> bool:
    return tok.value.strip().lower() in _CLEAR


def _field_values(options: dict[str, Token], caller: Caller, *, editing: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, tok in options.items():
        clear = editing and _cleared(tok) and key not in ("name", "budget", "start", "owner")
        if key == "name":
            out["name"] = tok.value
        elif key == "budget":
            out["budget"] = _money(tok)
        elif key in ("start", "end"):
            out[key] = None if clear else _date(tok, caller)
        elif key == "channel":
            out["channel_id"] = "" if clear else channel_of(tok)
        elif key == "owner":
            out["owner_id"] = user_of(tok)
        elif key == "category":
            out["category"] = "" if clear else tok.value
        elif key == "target_roas":
            out[key] = None if clear else _ratio(tok)
        elif key in ("target_revenue", "target_cpa"):
            out[key] = None if clear else _money(tok)
        elif key == "target_orders":
            out[key] = None if clear else _count(tok)
    return out


def parse_new(tokens: list[Token], caller: Caller) -> Draft | None:
    """`new <name> budget:<amount> [start:] [end:] [channel:#c] [owner:@u] [category:] [target_…:]`;
    no text at all: None (the form)."""
    if not tokens:
        return None
    name, options = _split(tokens)
    if not name:
        raise UsageError("missing_argument", "<name>")
    if "budget" not in options:
        raise UsageError("missing_argument", "budget:<amount>")
    values = _field_values(options, caller, editing=False)
    channel = values.pop("channel_id", None)
    if channel is None and caller.channel.startswith(("C", "G")):
        channel = caller.channel  # the channel it was created in reports its results
    return Draft(name=name, currency=caller.currency, channel_id=channel or "", **values)


@dataclass(frozen=True)
class EditArgs:
    """`edit <name> key:value …`."""

    name: str
    changes: dict[str, Any]


def parse_edit(tokens: list[Token], caller: Caller) -> EditArgs:
    """The campaign and at least one change."""
    name, options = _split(tokens)
    if not name:
        raise UsageError("missing_argument", "<name>")
    if not options:
        raise UsageError("missing_argument", "key:value")
    return EditArgs(name, _field_values(options, caller, editing=True))


@dataclass(frozen=True)
class LogArgs:
    """`log <name> [date:] [source:] spend: revenue: orders: …`."""

    name: str
    entry: Entry


def parse_log(tokens: list[Token], caller: Caller) -> LogArgs:
    """A day of results; the date defaults to yesterday in the caller's timezone."""
    name, options = _split(tokens)
    if not name:
        raise UsageError("missing_argument", "<name>")
    for required in ("spend", "revenue", "orders"):
        if required not in options:
            raise UsageError("missing_argument", f"{required}:")
    day = _date(options["date"], caller) if "date" in options else caller.today - timedelta(days=1)
    source = sources.DEFAULT
    if "source" in options:
        found = sources.find(options["source"].value)
        if found is None:
            raise UsageError("bad_source", options["source"].shown)
        source = found
    counts: dict[str, int | None] = {
        key: _count(options[key]) if key in options else None
        for key in ("clicks", "impressions", "sessions", "new_customers")
    }
    orders = _money(options["orders"])
    return LogArgs(
        name,
        Entry(
            day=day,
            source=source,
            spend=_money(options["spend"]),
            revenue=_money(options["revenue"]),
            orders=orders,
            refunds=_money(options["refunds"]) if "refunds" in options else None,
            clicks=counts["clicks"],
            impressions=counts["impressions"],
            sessions=counts["sessions"],
            new_customers=counts["new_customers"],
        ),
    )


def parse_name(tokens: list[Token], caller: Caller) -> str:
    """A campaign's name and nothing else."""
    name, options = _split(tokens)
    if options:
        raise UsageError("unexpected", next(iter(options.values())).shown)
    if not name:
        raise UsageError("missing_argument", "<name>")
    return name


def parse_list(tokens: list[Token], caller: Caller) -> Which:
    """`list [active|ended|all]` (active by default)."""
    if not tokens:
        return "active"
    if len(tokens) > 1:
        raise UsageError("unexpected", tokens[1].shown)
    which = LIST_WORDS.get(tokens[0].value.lower())
    if which is None:
        raise UsageError("unexpected", tokens[0].shown)
    return which
