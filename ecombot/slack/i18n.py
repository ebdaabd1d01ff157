"""Every user-facing string in English and Simplified Chinese, plus locale-aware formatting."""

from __future__ import annotations

import string
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date as _babel_date
from babel.dates import format_datetime as _babel_datetime
from babel.numbers import (
    format_currency,
    format_decimal,
    format_percent,
    get_currency_precision,
    get_currency_symbol,
)

LANGUAGES = ("en", "zh-CN")
_BABEL_LOCALE = {"en": "en_US", "zh-CN": "zh_Hans_CN"}

# key -> {"en": ..., "zh-CN": ...}; each domain adds its own with `add_messages`.
_CATALOG: dict[str, dict[str, str]] = {}


def add_messages(messages: dict[str, tuple[str, str]]) -> None:
    """Register (English, Chinese) pairs; a key registered twice with other text is a bug."""
    for key, (en, zh) in messages.items():
        entry = {"en": en, "zh-CN": zh}
        if key in _CATALOG and _CATALOG[key] != entry:
            raise ValueError(f"message {key!r} registered twice with different text")
        _CATALOG[key] = entry


def catalog() -> dict[str, dict[str, str]]:
    """A copy of every registered message."""
    return {k: dict(v) for k, v in _CATALOG.items()}


def known(key: str) -> bool:
    """Whether a message `key` is registered (for codes that may come from elsewhere)."""
    return key in _CATALOG


def normalize_locale(locale: str | None) -> str | None:
    """Map a Slack locale (`zh-CN`, `zh-TW`, `en-US`, `ja-JP`) to one we speak, or None when unknown."""
    if not locale:
        return None
    lower = locale.replace("_", "-").lower()
    if lower.startswith("zh"):
        return "zh-CN"
    if lower.startswith("en"):
        return "en"
    return None


def t(locale: str, key: str, **params: object) -> str:
    """The message `key` in `locale` (English when the locale is unknown), formatted with params."""
    entry = _CATALOG.get(key)
    if entry is None:
        raise KeyError(f"no message {key!r}")
    text = entry.get(locale) or entry["en"]
    return text.format(**params) if params else text


def placeholders(text: str) -> set[str]:
    """The `{names}` a message expects."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _babel(locale: str) -> str:
    return _BABEL_LOCALE.get(locale, "en_US")


def fmt_money(amount: Decimal, currency: str, locale: str) -> str:
    """`¥12,000.00` / `US$1,200.00` in the reader's locale (as Babel's `format_currency` writes it)."""
    plain = _plain_money(currency, _babel(locale))
    if plain is None or not isinstance(amount, Decimal) or not amount.is_finite():
        return str(format_currency(amount, currency, locale=_babel(locale)))
    symbol, digits = plain
    sign = "-" if amount < 0 else ""
    return f"{sign}{symbol}{abs(amount):,.{digits}f}"


@lru_cache(maxsize=256)
def _plain_money(currency: str, babel_locale: str) -> tuple[str, int] | None:
    """(symbol, decimals) when the locale writes money as `¤#,##0.00` with `,` and `.` (en_US and
    zh_CN do): then Python's own formatting gives Babel's text, rounded the same way (half to even),
    at a twentieth of the cost, which a status with a dozen amounts notices. None: ask Babel."""
    pattern = Locale.parse(babel_locale).currency_formats["standard"].pattern
    if pattern != "¤#,##0.00" or not _plain_numbers(babel_locale):
        return None
    return get_currency_symbol(currency, babel_locale), get_currency_precision(currency)


@lru_cache(maxsize=16)
def _plain_numbers(babel_locale: str) -> bool:
    """The locale groups with `,`, and writes `.`, `-` and `%` (en_US and zh_CN do): Python's own
    formatting then gives Babel's text for a grouped number or a percentage."""
    symbols = Locale.parse(babel_locale).number_symbols.get("latn", {})
    wanted = {"group": ",", "decimal": ".", "minusSign": "-", "percentSign": "%"}
    return all(symbols.get(name) == value for name, value in wanted.items())


def _half_up(value: Decimal | int | float, digits: int) -> Decimal:
    # Babel rounds half to even; people reading a report expect 3.45% to show as 3.5%.
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def fmt_number(value: Decimal | int | float, locale: str, digits: int = 0) -> str:
    """A grouped number with a fixed count of decimals (rounded half up)."""
    rounded = _half_up(value, digits)
    if _plain_numbers(_babel(locale)):
        return f"{rounded:,.{digits}f}"
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return str(format_decimal(rounded, format=pattern, locale=_babel(locale)))


def fmt_percent(value: Decimal | float | None, locale: str, digits: int = 1) -> str:
    """A ratio as a percentage; None (a zero denominator) shows as n/a."""
    if value is None:
        return t(locale, "common.na")
    rounded = _half_up(value, digits + 2)
    if _plain_numbers(_babel(locale)):
        return f"{rounded * 100:,.{digits}f}%"
    pattern = "#,##0" + ("." + "0" * digits if digits else "") + "%"
    return str(format_percent(rounded, format=pattern, locale=_babel(locale)))


@lru_cache(maxsize=4096)
def fmt_date(value: date, locale: str) -> str:
    """A date such as `Nov 27, 2026` / `2026年11月27日` (cached: lists show the same few dates)."""
    return str(_babel_date(value, format="medium", locale=_babel(locale)))


def fmt_datetime(value: datetime, tz: str, locale: str) -> str:
    """An aware datetime shown in the reader's zone."""
    if value.tzinfo is None:
        raise ValueError("naive datetime")
    local = value.astimezone(ZoneInfo(tz))
    return str(_babel_datetime(local, format="medium", tzinfo=ZoneInfo(tz), locale=_babel(locale)))


def fmt_when(value: datetime, tz: str, locale: str) -> str:
    """A moment of the coming days, short: `Tue, Nov 24, 10:00` / `11月24日 周二 10:00`."""
    if value.tzinfo is None:
        raise ValueError("naive datetime")
    pattern = "M月d日 EEE HH:mm" if _babel(locale).startswith("zh") else "EEE, MMM d, HH:mm"
    return str(_babel_datetime(value, format=pattern, tzinfo=ZoneInfo(tz), locale=_babel(locale)))


add_messages(
    {
        "common.na": ("n/a", "不适用"),
        "common.yes": ("yes", "是"),
        "common.no": ("no", "否"),
        "common.none": ("none", "无"),
        "error.unexpected": (
            ":warning: Something went wrong on our side (ref {ref}). Nothing you did was lost; "
            "please try again, and quote the ref if you report it.",
            ":warning: 系统出了点问题（编号 {ref}）。您的数据没有丢失，请重试；如需反馈，请附上该编号。",
        ),
        "error.database": (
            ":hourglass: ecombot could not reach its database just now (ref {ref}), so nothing was "
            "saved. Please try again in a minute.",
            ":hourglass: ecombot 暂时连不上数据库（编号 {ref}），这次操作没有保存。请稍后再试。",
        ),
        "error.database_commit": (
            ":hourglass: ecombot lost its database connection while saving (ref {ref}): the change "
            "may or may not have been saved. Please check (for example with the list or show "
            "command) before you try again.",
            ":hourglass: ecombot 在保存时与数据库断开了连接（编号 {ref}）：这次操作可能已保存，也可能没有。"
            "请先查看（例如用 list 或 show 命令）再决定是否重试。",
        ),
        "error.usage": ("Usage: {usage}", "用法：{usage}"),
        "parse.unclosed_quote": ("The quote in `{part}` is never closed.", "`{part}` 中的引号没有闭合。"),
        "parse.bad_amount": (
            "`{part}` is not an amount. Try `12000`, `12,000`, `¥12,000`, `$1.2k` or `1.2万`.",
            "`{part}` 不是有效金额。可以写 `12000`、`12,000`、`¥12,000`、`$1.2k` 或 `1.2万`。",
        ),
        "parse.bad_date": (
            "`{part}` is not a date. Try `2026-11-27`, `today`, `tomorrow`, `fri`, `+3d` or `下周五`.",
            "`{part}` 不是有效日期。可以写 `2026-11-27`、`今天`、`明天`、`fri`、`+3d` 或 `下周五`。",
        ),
        "parse.bad_time": (
            "`{part}` is not a time of day. Try `09:30` or `5:30pm`.",
            "`{part}` 不是有效时间。可以写 `09:30` 或 `下午5点半`。",
        ),
        "parse.duplicate_option": ("`{part}` is given twice.", "`{part}` 重复出现。"),
        "parse.bad_channel": (
            "`{part}` is not a channel (type # and pick one so Slack links it).",
            "`{part}` 不是频道（输入 # 并选择频道）。",
        ),
        "parse.bad_weekday": (
            "`{part}` is not a day of the week. Try `fri`, `friday` or `周五`.",
            "`{part}` 不是星期几。可以写 `fri`、`friday` 或 `周五`。",
        ),
        "parse.bad_on_off": ("`{part}` should be `on` or `off`.", "`{part}` 应为 `on` 或 `off`。"),
        "parse.bad_count": ("`{part}` is not a whole number in range.", "`{part}` 不是范围内的整数。"),
        "parse.unknown_option": ("`{part}` is not an option of this command.", "`{part}` 不是此命令的选项。"),
        "parse.missing_value": (
            "`{part}` needs a value after the colon.",
            "`{part}` 的冒号后面需要填写内容。",
        ),
        "parse.unknown_subcommand": ("`{part}` is not a subcommand I know.", "不认识子命令 `{part}`。"),
        "parse.missing_argument": ("Something is missing: {part}.", "缺少参数：{part}。"),
        "parse.unexpected": ("I did not expect `{part}` here.", "这里不应出现 `{part}`。"),
        "parse.bad_user": (
            "`{part}` is not a user mention (type @ and pick someone).",
            "`{part}` 不是成员（输入 @ 选择成员）。",
        ),
    }
)
