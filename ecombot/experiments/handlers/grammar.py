"""The grammar of `/abtest`: each subcommand's whole line parsed before anything is written."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from ecombot.actor import Caller
from ecombot.experiments.service import Draft, Entry
from ecombot.slack.grammar import channel_of, count_of, split_options, user_of
from ecombot.slack.parsing import ParseError, Token, parse_amount, parse_date
from ecombot.slack.router import UsageError

NEW_OPTIONS: dict[str, tuple[str, ...]] = {
    "hypothesis": ("假设",),
    "metric": ("指标",),
    "variants": ("版本",),
    "min_sample": ("样本", "最小样本"),
    "start": ("开始",),
    "end": ("结束",),
    "owner": ("负责人",),
    "channel": ("频道",),
}
LOG_OPTIONS: dict[str, tuple[str, ...]] = {
    "visitors": ("访客",),
    "conversions": ("转化",),
    "revenue": ("收入",),
    "date": ("日期",),
    "as": ("按",),
}
DECIDE_OPTIONS: dict[str, tuple[str, ...]] = {"reason": ("理由",)}
_METRICS = {"conversion": "conversion", "转化": "conversion", "转化率": "conversion",
            "revenue_per_visitor": "revenue_per_visitor", "rpv": "revenue_per_visitor", "每访客收入": "revenue_per_visitor"}  # fmt: skip
_KINDS = {
    "daily": False,
    "day": False,
    "当日": False,
    "total": True,
    "totals": True,
    "cumulative": True,
    "累计": True,
}


def _text(words: list[Token]) -> str:
    return " ".join(tok.value if tok.kind == "quoted" else tok.shown for tok in words)


def _date(tok: Token, caller: Caller) -> date:
    try:
        return parse_date(tok.value, today=caller.today)
    except ParseError:
        raise UsageError("bad_date", tok.shown) from None


def _count(tok: Token) -> int:
    return count_of(tok, low=0, high=10**12)


def parse_new(tokens: list[Token], caller: Caller) -> Draft:
    """`<name> hypothesis:"…" metric:… variants:A,B[,C] [min_sample:] [start:] [end:] [owner:] [channel:]`."""
    words, options = split_options(tokens)
    name = _text(words)
    if not name.strip():
        raise UsageError("missing_argument", "<name>")
    for key in ("hypothesis", "variants"):
        if key not in options:
            raise UsageError("missing_argument", f"{key}:")
    variants = tuple(v.strip() for v in re.split(r"[,，、/]", options["variants"].value) if v.strip())
    if not 2 <= len(variants) <= 6:
        raise UsageError("bad_variants", options["variants"].shown)
    metric = "conversion"
    if "metric" in options:
        raw = options["metric"].value.strip().lower()
        metric = _METRICS.get(raw, raw)
    return Draft(
        name=name,
        hypothesis=options["hypothesis"].value,
        metric=metric,
        variants=variants,
        min_sample=count_of(options["min_sample"], low=10, high=10**9) if "min_sample" in options else None,
        start=_date(options["start"], caller) if "start" in options else None,
        end=_date(options["end"], caller) if "end" in options else None,
        owner_id=user_of(options["owner"]) if "owner" in options else "",
        channel_id=channel_of(options["channel"]) if "channel" in options else caller.channel,
    )


@dataclass(frozen=True)
class LogArgs:
    """`/abtest log <name> <variant> …`."""

    name: str
    entry: Entry


def parse_log(tokens: list[Token], caller: Caller) -> LogArgs:
    """`<name> <variant> visitors:<n> conversions:<n> [revenue:] [date:] [as:daily|total]`."""
    words, options = split_options(tokens)
    if len(words) < 2:
        raise UsageError("missing_argument", "<name> <variant>")
    for key in ("visitors", "conversions"):
        if key not in options:
            raise UsageError("missing_argument", f"{key}:")
    revenue: Decimal | None = None
    if "revenue" in options:
        try:
            revenue = parse_amount(options["revenue"].value)
        except ParseError:
            raise UsageError("bad_amount", options["revenue"].shown) from None
    cumulative = False
    if "as" in options:
        kind = _KINDS.get(options["as"].value.strip().lower())
        if kind is None:
            raise UsageError("bad_log_kind", options["as"].shown)
        cumulative = kind
    day = _date(options["date"], caller) if "date" in options else caller.today - timedelta(days=1)
    if cumulative and "date" not in options:
        day = caller.today
    entry = Entry(
        variant=words[-1].value,
        day=day,
        visitors=_count(options["visitors"]),
        conversions=_count(options["conversions"]),
        revenue=revenue,
        cumulative=cumulative,
    )
    return LogArgs(_text(words[:-1]), entry)


def parse_name(tokens: list[Token], caller: Caller) -> str:
    """`<name>`."""
    words, _ = split_options(tokens)
    if not words:
        raise UsageError("missing_argument", "<name>")
    return _text(words)


@dataclass(frozen=True)
class DecideArgs:
    """`/abtest decide <name> <variant|none> reason:"…"`."""

    name: str
    variant: str
    reason: str


def parse_decide(tokens: list[Token], caller: Caller) -> DecideArgs:
    """`<name> <variant|none> reason:"…"`."""
    words, options = split_options(tokens)
    if len(words) < 2:
        raise UsageError("missing_argument", "<name> <variant|none>")
    if "reason" not in options:
        raise UsageError("missing_argument", 'reason:"…"')
    return DecideArgs(_text(words[:-1]), words[-1].value, options["reason"].value)
