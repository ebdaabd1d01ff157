"""The grammar of `/risk`: each subcommand's whole line parsed before anything is written."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from ecombot.actor import Caller
from ecombot.risks.models import CATEGORIES
from ecombot.risks.service import Filter, RiskDraft
from ecombot.slack.grammar import count_of, split_options, user_of
from ecombot.slack.parsing import ParseError, Token, parse_date
from ecombot.slack.router import UsageError, expect_at_most

RISK_OPTIONS: dict[str, tuple[str, ...]] = {
    "title": ("标题",),
    "category": ("类别", "分类"),
    "likelihood": ("可能性", "概率"),
    "impact": ("影响",),
    "owner": ("负责人",),
    "review": ("复查", "评审"),
    "plan": ("预案",),
}
DRILL_OPTIONS: dict[str, tuple[str, ...]] = {"result": ("结果",)}
_CATEGORIES = {
    **{c: c for c in CATEGORIES},
    "政策": "policy",
    "合规": "policy",
    "支付": "payment",
    "知识产权": "ip",
    "供应": "supply",
    "供应链": "supply",
    "平台": "platform",
    "平台规则": "platform",
    "数据": "data",
    "其他": "other",
}
_REVIEWS = {
    "weekly": "weekly",
    "每周": "weekly",
    "周": "weekly",
    "monthly": "monthly",
    "每月": "monthly",
    "月": "monthly",
}
_STATUSES = {
    "open": "open",
    "打开": "open",
    "mitigated": "mitigated",
    "已缓解": "mitigated",
    "缓解": "mitigated",
    "occurred": "occurred",
    "已发生": "occurred",
    "发生": "occurred",
    "closed": "closed",
    "关闭": "closed",
    "已关闭": "closed",
}
_REF = re.compile(r"[#rR]?(\d{1,9})")
ALL_WORDS = ("all", "全部")
OPEN_WORDS = ("open", "未关闭", "打开")


def _text(words: list[Token]) -> str:
    return " ".join(tok.value if tok.kind == "quoted" else tok.shown for tok in words)


def risk_ref(tok: Token) -> int:
    """`R3`, `r3`, `#3` or `3`."""
    found = _REF.fullmatch(tok.value.strip())
    if found is None or tok.kind not in ("word", "tag"):
        raise UsageError("bad_risk_id", tok.shown)
    return int(found.group(1))


def _level(tok: Token) -> int:
    return count_of(tok, low=1, high=5)


def _category(tok: Token) -> str:
    found = _CATEGORIES.get(tok.value.strip().lower())
    if found is None:
        raise UsageError("bad_risk_category", tok.shown)
    return found


def _review(tok: Token) -> str:
    found = _REVIEWS.get(tok.value.strip().lower())
    if found is None:
        raise UsageError("bad_risk_review", tok.shown)
    return found


def _values(options: dict[str, Token]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for key, tok in options.items():
        if key in ("likelihood", "impact"):
            values[key] = _level(tok)
        elif key == "category":
            values[key] = _category(tok)
        elif key == "review":
            values[key] = _review(tok)
        elif key == "owner":
            values[key] = user_of(tok)
        else:
            values[key] = tok.value
    return values


def parse_add(tokens: list[Token], caller: Caller) -> RiskDraft | None:
    """`<title> [category:] [likelihood:1-5] [impact:1-5] [owner:@u] [review:weekly|monthly] [plan:"…"]`;
    nothing: the form."""
    if not tokens:
        return None
    words, options = split_options(tokens)
    values = _values(options)
    title = values.pop("title", "") or _text(words)
    if not title.strip():
        raise UsageError("missing_argument", "<title>")
    return RiskDraft(
        title=title,
        category=values.get("category", "other"),
        likelihood=values.get("likelihood", 3),
        impact=values.get("impact", 3),
        owner_id=values.get("owner", ""),
        review=values.get("review", "monthly"),
        plan=values.get("plan", ""),
    )


def parse_list(tokens: list[Token], caller: Caller) -> Filter:
    """`[open|all|@user|category]`."""
    expect_at_most(tokens, 1)
    if not tokens:
        return Filter()
    tok = tokens[0]
    word = tok.value.strip().lower()
    if tok.kind == "user":
        return Filter(owner=tok.value)
    if word in ALL_WORDS:
        return Filter(status="all")
    if word in OPEN_WORDS:
        return Filter()
    if word in _CATEGORIES:
        return Filter(status="all", category=_CATEGORIES[word])
    raise UsageError("bad_risk_filter", tok.shown)


def parse_show(tokens: list[Token], caller: Caller) -> int:
    """`<id>`."""
    if not tokens:
        raise UsageError("missing_argument", "<id>")
    expect_at_most(tokens, 1)
    return risk_ref(tokens[0])


@dataclass(frozen=True)
class UpdateArgs:
    """`/risk update <id> key:value …`."""

    number: int
    values: dict[str, Any]


def parse_update(tokens: list[Token], caller: Caller) -> UpdateArgs:
    """`<id> key:value …` (title, category, likelihood, impact, owner, review, plan)."""
    words, options = split_options(tokens)
    if not words:
        raise UsageError("missing_argument", "<id>")
    expect_at_most(words, 1)
    if not options:
        raise UsageError("missing_argument", "key:value")
    return UpdateArgs(risk_ref(words[0]), _values(options))


@dataclass(frozen=True)
class StatusArgs:
    """`/risk status <id> open|mitigated|occurred|closed [note]`."""

    number: int
    status: str
    note: str


def parse_status(tokens: list[Token], caller: Caller) -> StatusArgs:
    """`<id> <status> [note]`."""
    words, _ = split_options(tokens)
    if len(words) < 2:
        raise UsageError("missing_argument", "<id> open|mitigated|occurred|closed")
    status = _STATUSES.get(words[1].value.strip().lower())
    if status is None:
        raise UsageError("bad_risk_status", words[1].shown)
    return StatusArgs(risk_ref(words[0]), status, _text(words[2:]))


@dataclass(frozen=True)
class DrillArgs:
    """`/risk drill <id> [date] [result:"…"]`."""

    number: int
    day: date
    result: str


def parse_drill(tokens: list[Token], caller: Caller) -> DrillArgs:
    """`<id> [date] [result:"…"]` (today by default)."""
    words, options = split_options(tokens)
    if not words:
        raise UsageError("missing_argument", "<id>")
    expect_at_most(words, 2)
    day = caller.today
    if len(words) == 2:
        try:
            day = parse_date(words[1].value, today=caller.today)
        except ParseError:
            raise UsageError("bad_date", words[1].shown) from None
    result = options["result"].value if "result" in options else ""
    return DrillArgs(risk_ref(words[0]), day, result)
