"""Parsing of slash-command text: tokens, amounts, dates and times.

Slack delivers command text HTML-escaped (only ``&amp;``, ``&lt;`` and ``&gt;``) with mentions
encoded as ``<@U123|name>`` / ``<#C123|name>``.  Token values are the plain text we store
(`text.from_slack`: entities decoded, special mentions and links made readable); `raw` keeps what
Slack sent.  Everything here is pure Python so the command handlers, the scheduler and the tests can
share it without a Slack client.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation, localcontext
from typing import Literal
from zoneinfo import ZoneInfo

from ecombot.slack.text import decode_entities, from_slack

__all__ = [
    "ParseError",
    "Token",
    "TokenKind",
    "local_today",
    "parse_amount",
    "parse_date",
    "parse_time",
    "parse_weekday",
    "tokenize",
    "unescape",
]

TokenKind = Literal["word", "quoted", "option", "user", "channel", "tag"]


class ParseError(ValueError):
    """Bad user input: `part` is the offending text as the user typed it, `code` names the problem."""

    def __init__(self, code: str, part: str) -> None:
        # Passing both to ValueError keeps ``args`` == (code, part), so the error pickles and
        # round-trips through logging/queues without a custom __reduce__.
        super().__init__(code, part)
        self.code = code
        self.part = part

    def __str__(self) -> str:
        return f"{self.code}: {self.part!r}"


@dataclass(frozen=True)
class Token:
    """One piece of command text; `raw` is exactly as it appeared in the (escaped) input."""

    kind: TokenKind
    value: str
    raw: str
    key: str | None = None

    @property
    def shown(self) -> str:
        """The token as the user typed it (plain text), for naming it in an error."""
        return from_slack(self.raw)


# ---------------------------------------------------------------------------------------------
# Tokenizer
# ---------------------------------------------------------------------------------------------

# Opening quote -> closing quote.  Chinese IMEs produce “…” and 「…」, so both are first-class.
_QUOTES: dict[str, str] = {'"': '"', "“": "”", "「": "」"}

# Real ids are [A-Z0-9]; the underscore admits the readable ids of the local fake (U_DEMO).
_USER_RE = re.compile(r"<@([UW][A-Z0-9_]+)(?:\|[^<>]*)?>")
# G-prefixed ids are legacy private channels; Slack still sends them in old workspaces.
_CHANNEL_RE = re.compile(r"<#([CG][A-Z0-9_]+)(?:\|[^<>]*)?>")
# Slack escapes a literal "<" as "&lt;", so any "<" in the text starts a Slack entity; labels
# inside may contain spaces (``<https://x|my page>``), hence no whitespace restriction here.
_ENTITY_RE = re.compile(r"<[^<>]*>")
_OPTION_SEP_RE = re.compile(r"[:：]")


def unescape(text: str) -> str:
    """Undo Slack's HTML escaping (only &amp; &lt; &gt;, as Slack documents)."""
    return decode_entities(text)


def _read_quoted(text: str, start: int) -> tuple[str, int]:
    """Return (inner text, index after closing quote) for the quote opening at `start`."""
    close = _QUOTES[text[start]]
    end = text.find(close, start + 1)
    if end < 0:
        raise ParseError("unclosed_quote", from_slack(text[start:]))
    return text[start + 1 : end], end + 1


def _word_end(text: str, start: int) -> int:
    i = start
    while i < len(text) and not text[i].isspace():
        i += 1
    return i


def tokenize(text: str, *, option_keys: Collection[str] = ()) -> list[Token]:
    """Split escaped slash-command text into words, quoted strings, options, mentions and tags."""
    keys = {k.lower() for k in option_keys}
    tokens: list[Token] = []
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        # str.isspace covers U+3000 (ideographic space) and the other Unicode separators.
        if ch.isspace():
            i += 1
            continue

        if ch in _QUOTES:
            inner, j = _read_quoted(text, i)
            tokens.append(Token("quoted", from_slack(inner), text[i:j]))
            i = j
            continue

        if ch == "<":
            m = _ENTITY_RE.match(text, i)
            if m is not None:
                raw = m.group(0)
                if um := _USER_RE.fullmatch(raw):
                    tokens.append(Token("user", um.group(1), raw))
                elif cm := _CHANNEL_RE.fullmatch(raw):
                    tokens.append(Token("channel", cm.group(1), raw))
                else:
                    tokens.append(Token("word", from_slack(raw), raw))
                i = m.end()
                continue

        end = _word_end(text, i)
        chunk = text[i:end]

        sep = _OPTION_SEP_RE.search(chunk)
        if sep is not None and sep.start() > 0 and chunk[: sep.start()].lower() in keys:
            key = chunk[: sep.start()].lower()
            vstart = i + sep.end()
            if vstart < end and text[vstart] in _QUOTES:
                # The value may be quoted and contain spaces: due:"next fri".
                inner, j = _read_quoted(text, vstart)
                tokens.append(Token("option", from_slack(inner), text[i:j], key))
                i = j
                continue
            if vstart >= end:
                raise ParseError("missing_value", from_slack(chunk))
            if text[vstart] == "<" and (em := _ENTITY_RE.match(text, vstart)) is not None:
                # owner:<@U1|Bob Smith> - the entity's label may contain spaces; keep it whole.
                tokens.append(Token("option", from_slack(em.group(0)), text[i : em.end()], key))
                i = em.end()
                continue
            tokens.append(Token("option", from_slack(text[vstart:end]), chunk, key))
            i = end
            continue

        if chunk.startswith("#") and len(chunk) > 1:
            tokens.append(Token("tag", from_slack(chunk[1:]), chunk))
        else:
            tokens.append(Token("word", from_slack(chunk), chunk))
        i = end
    return tokens


# ---------------------------------------------------------------------------------------------
# Shared normalisation
# ---------------------------------------------------------------------------------------------

# Chinese IMEs often emit full-width digits and punctuation; fold them to ASCII so "１２，０００"
# means the same as "12,000".  Deliberately narrower than NFKC, which would also turn "①" or
# "²" into digits.
_FULLWIDTH = str.maketrans(
    "０１２３４５６７８９，．＋－／：　",
    "0123456789,.+-/: ",
)


def _fold(text: str) -> str:
    return " ".join(text.translate(_FULLWIDTH).split())


# ---------------------------------------------------------------------------------------------
# Amounts
# ---------------------------------------------------------------------------------------------

_AMOUNT_RE = re.compile(
    r"""
    (?P<sign>[+-])?\s*
    (?P<cur>[¥￥$€£])?\s*
    (?P<num>[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?|\.[0-9]+)
    \s*(?P<unit>[kKmMwW万亿千])?
    """,
    re.VERBOSE,
)

_UNITS: dict[str, int] = {
    "k": 10**3,
    "千": 10**3,
    "m": 10**6,
    "w": 10**4,
    "万": 10**4,
    "亿": 10**8,
}


def _plain(value: Decimal) -> Decimal:
    """Drop trailing zeros without ever producing an exponent form such as 1.2E+3."""
    if value == 0:
        # "-0" and "0.00" both mean zero; a signed zero would print as "-0".
        return Decimal(0)
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def parse_amount(text: str) -> Decimal:
    """Parse a money amount like "¥12,000", "$1.2k", "1.2万" or "-3m" into an exact Decimal."""
    m = _AMOUNT_RE.fullmatch(_fold(text))
    if m is None:
        raise ParseError("bad_amount", text)
    num = m.group("num").replace(",", "")
    unit = m.group("unit")
    # Decimal(str) is exact, but * and quantize round to the context precision; widen it so a
    # long amount times 1e8 is never silently rounded (or made to raise InvalidOperation).
    with localcontext() as ctx:
        ctx.prec = max(28, len(num) + 20)
        value = Decimal(num)
        if unit is not None:
            value *= _UNITS[unit.lower()]
        if m.group("sign") == "-":
            value = -value
        try:
            return _plain(value)
        except InvalidOperation as exc:  # pragma: no cover - precision is sized above
            raise ParseError("bad_amount", text) from exc


# ---------------------------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------------------------

_EN_WEEKDAY_NAMES: tuple[tuple[str, ...], ...] = (
    ("mon", "monday"),
    ("tue", "tues", "tuesday"),
    ("wed", "weds", "wednesday"),
    ("thu", "thur", "thurs", "thursday"),
    ("fri", "friday"),
    ("sat", "saturday"),
    ("sun", "sunday"),
)
_EN_WEEKDAYS: dict[str, int] = {name: idx for idx, names in enumerate(_EN_WEEKDAY_NAMES) for name in names}

_ZH_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}

_ZH_WEEKDAY_NAME_RE = re.compile(r"(?:周|星期|礼拜)([一二三四五六日天])")


def parse_weekday(text: str) -> int:
    """A day of the week (0 = Monday): `fri`, `Friday`, `周五`, `星期五`, `礼拜五`."""
    s = _fold(text).strip().lower()
    if s in _EN_WEEKDAYS:
        return _EN_WEEKDAYS[s]
    if m := _ZH_WEEKDAY_NAME_RE.fullmatch(s):
        return _ZH_WEEKDAYS[m.group(1)]
    raise ParseError("bad_weekday", text)


_KEYWORD_OFFSETS: dict[str, int] = {
    "today": 0,
    "tdy": 0,
    "tomorrow": 1,
    "tmr": 1,
    "tmrw": 1,
    "yesterday": -1,
    "今天": 0,
    "今日": 0,
    "明天": 1,
    "明日": 1,
    "后天": 2,
    "大后天": 3,
    "昨天": -1,
    "前天": -2,
}

_ISO_RE = re.compile(r"([0-9]{4})([-/.])([0-9]{1,2})\2([0-9]{1,2})")
_MONTH_DAY_RE = re.compile(r"([0-9]{1,2})([-/])([0-9]{1,2})")
_ZH_DATE_RE = re.compile(r"(?:([0-9]{4})年)?([0-9]{1,2})月([0-9]{1,2})[日号]?")
_RELATIVE_RE = re.compile(r"\+?\s*([0-9]{1,6})\s*([dwm])")
_ZH_WEEKDAY_RE = re.compile(r"(本|这|这个|下|下个)?(?:周|星期|礼拜)([一二三四五六日天])")
_EN_THIS_NEXT_RE = re.compile(r"(this|next)\s+([a-z]+)")


def _monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


def _next_weekday(today: date, weekday: int) -> date:
    # Strictly after today: asking for "fri" on a Friday means next week's Friday, since a
    # due date of "today" would have been written as "today".
    return today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)


def _add_months(d: date, months: int) -> date:
    total = d.year * 12 + (d.month - 1) + months
    year, month0 = divmod(total, 12)
    month = month0 + 1
    # Clamp so Jan 31 + 1 month is Feb 28/29 rather than an error.
    day = min(d.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


def _next_month_day(today: date, month: int, day: int) -> date | None:
    # Search a few years ahead so "2/29" finds the next leap year; None if never valid.
    for year in range(today.year, min(today.year + 9, date.max.year + 1)):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate >= today:
            return candidate
    return None


def _parse_date(s: str, today: date) -> date | None:
    if s in _KEYWORD_OFFSETS:
        return today + timedelta(days=_KEYWORD_OFFSETS[s])

    if s in _EN_WEEKDAYS:
        return _next_weekday(today, _EN_WEEKDAYS[s])

    if s in ("next week", "下周", "下星期", "下礼拜", "下个星期", "下个礼拜"):
        return _monday(today) + timedelta(days=7)
    if s in ("next month", "下个月", "下月"):
        return _add_months(today.replace(day=1), 1)

    if m := _EN_THIS_NEXT_RE.fullmatch(s):
        weekday = _EN_WEEKDAYS.get(m.group(2))
        if weekday is None:
            return None
        # "next fri" follows 下周五: the Friday of next (Monday-based) week.
        week = _monday(today) + timedelta(days=7 if m.group(1) == "next" else 0)
        return week + timedelta(days=weekday)

    if m := _ZH_WEEKDAY_RE.fullmatch(s):
        prefix, weekday = m.group(1), _ZH_WEEKDAYS[m.group(2)]
        if prefix is None:
            return _next_weekday(today, weekday)
        week = _monday(today) + timedelta(days=7 if prefix.startswith("下") else 0)
        return week + timedelta(days=weekday)

    if m := _RELATIVE_RE.fullmatch(s):
        count, unit = int(m.group(1)), m.group(2)
        if unit == "d":
            return today + timedelta(days=count)
        if unit == "w":
            return today + timedelta(weeks=count)
        return _add_months(today, count)

    if m := _ISO_RE.fullmatch(s):
        return date(int(m.group(1)), int(m.group(3)), int(m.group(4)))

    if m := _ZH_DATE_RE.fullmatch(s):
        if m.group(1) is not None:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        return _next_month_day(today, int(m.group(2)), int(m.group(3)))

    if m := _MONTH_DAY_RE.fullmatch(s):
        return _next_month_day(today, int(m.group(1)), int(m.group(3)))

    return None


def parse_date(text: str, *, today: date) -> date:
    """Parse a due date ("2026-11-27", "11/27", "tomorrow", "fri", "下周五", "+3d", …) relative to `today`."""
    try:
        # Overflow/ValueError come from impossible dates ("2026-02-30") or huge offsets.
        result = _parse_date(_fold(text).lower(), today)
    except (ValueError, OverflowError) as exc:
        raise ParseError("bad_date", text) from exc
    if result is None:
        raise ParseError("bad_date", text)
    return result


# ---------------------------------------------------------------------------------------------
# Times
# ---------------------------------------------------------------------------------------------

_EN_TIME_RE = re.compile(r"([0-9]{1,2})(?::([0-9]{2}))?\s*(am|pm|a\.m\.|p\.m\.)?")
_ZH_TIME_RE = re.compile(
    r"(凌晨|早上|早晨|上午|中午|下午|傍晚|晚上)?\s*([0-9]{1,2})\s*(?:点|時|时)\s*(?:(半)|([0-9]{1,2})\s*分?)?"
)
_ZH_PM = ("下午", "傍晚", "晚上")


def _parse_time(s: str) -> time | None:
    if s == "noon":
        return time(12, 0)
    if s == "midnight":
        return time(0, 0)

    if m := _EN_TIME_RE.fullmatch(s):
        hour = int(m.group(1))
        minute = int(m.group(2) or 0)
        meridiem = m.group(3)
        if meridiem is not None:
            # 12-hour clock: 1..12 only; 12am is midnight and 12pm is noon.
            if not 1 <= hour <= 12:
                return None
            hour %= 12
            if meridiem.startswith("p"):
                hour += 12
        return time(hour, minute)

    if m := _ZH_TIME_RE.fullmatch(s):
        period, hour = m.group(1), int(m.group(2))
        minute = 30 if m.group(3) else int(m.group(4) or 0)
        if period in _ZH_PM or (period == "中午" and hour < 6):
            # 下午5点 = 17:00, but 晚上20点 is already 24-hour; 中午1点 = 13:00.
            if hour < 12:
                hour += 12
        elif period == "凌晨" and hour == 12:
            hour = 0
        return time(hour, minute)

    return None


def parse_time(text: str) -> time:
    """Parse a clock time ("9:30", "9am", "5:30pm", "17:30", "上午9点", "下午5点半") into a time."""
    try:
        # time() raises ValueError for 25:00 or 9:75.
        result = _parse_time(_fold(text).lower())
    except ValueError as exc:
        raise ParseError("bad_time", text) from exc
    if result is None:
        raise ParseError("bad_time", text)
    return result


def local_today(now: datetime, tz: str | ZoneInfo) -> date:
    """Return the calendar date of the aware datetime `now` in time zone `tz`."""
    if now.tzinfo is None or now.utcoffset() is None:
        # A naive datetime has no defined instant, so its date in `tz` would be a guess.
        raise ValueError("now must be timezone-aware")
    zone = ZoneInfo(tz) if isinstance(tz, str) else tz
    return now.astimezone(zone).date()
