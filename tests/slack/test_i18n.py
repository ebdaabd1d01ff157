"""Every message exists in English and Simplified Chinese with the same placeholders."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from babel.numbers import format_currency, format_decimal, format_percent
from hypothesis import given
from hypothesis import strategies as st

import ecombot.app  # noqa: F401 - registers every domain's messages
from ecombot.slack import i18n

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_every_message_has_both_languages_with_the_same_placeholders() -> None:
    catalog = i18n.catalog()
    assert len(catalog) > 30
    for key, texts in catalog.items():
        assert texts["en"].strip(), key
        assert texts["zh-CN"].strip(), key
        assert i18n.placeholders(texts["en"]) == i18n.placeholders(texts["zh-CN"]), key
        assert CJK.search(texts["zh-CN"]), f"{key} has no Chinese text"


def test_slack_locales_map_to_the_languages_we_speak() -> None:
    assert i18n.normalize_locale("zh-CN") == "zh-CN"
    assert i18n.normalize_locale("zh-TW") == "zh-CN"
    assert i18n.normalize_locale("en-GB") == "en"
    assert i18n.normalize_locale("ja-JP") is None
    assert i18n.normalize_locale(None) is None


def test_unknown_locale_falls_back_to_english() -> None:
    assert i18n.t("fr", "common.yes") == "yes"
    assert i18n.t("zh-CN", "common.yes") == "是"


def test_money_numbers_and_dates_follow_the_locale() -> None:
    assert i18n.fmt_money(Decimal("12000"), "CNY", "zh-CN") == "¥12,000.00"
    assert i18n.fmt_money(Decimal("1200.5"), "USD", "en") == "$1,200.50"
    assert i18n.fmt_percent(Decimal("0.0345"), "en") == "3.5%"
    assert i18n.fmt_number(Decimal("1234567.125"), "zh-CN", digits=2) == "1,234,567.13"
    assert i18n.fmt_number(12000, "en") == "12,000"
    assert i18n.fmt_percent(None, "zh-CN") == "不适用"
    assert i18n.fmt_date(date(2026, 11, 27), "en") == "Nov 27, 2026"
    assert i18n.fmt_date(date(2026, 11, 27), "zh-CN") == "2026年11月27日"
    shown = i18n.fmt_datetime(datetime(2026, 11, 27, 1, 30, tzinfo=UTC), "Asia/Shanghai", "en")
    assert "9:30" in shown


@given(
    st.decimals(min_value=Decimal("-1e13"), max_value=Decimal("1e13"), allow_nan=False, places=4),
    st.sampled_from(["CNY", "USD", "EUR", "JPY", "GBP", "HKD", "KRW", "TWD", "SGD", "BHD"]),
    st.sampled_from(list(i18n.LANGUAGES)),
)
def test_money_is_written_exactly_as_babel_writes_it(amount: Decimal, currency: str, locale: str) -> None:
    expected = format_currency(amount, currency, locale=i18n._babel(locale))
    assert i18n.fmt_money(amount, currency, locale) == expected


@given(
    st.one_of(
        st.decimals(min_value=Decimal("-1e12"), max_value=Decimal("1e12"), allow_nan=False, places=6),
        st.integers(-(10**12), 10**12),
        st.floats(-1e9, 1e9, allow_nan=False),
    ),
    st.integers(0, 3),
    st.sampled_from(list(i18n.LANGUAGES)),
)
def test_numbers_and_percentages_are_written_as_babel_writes_them(
    value: Any, digits: int, locale: str
) -> None:
    rounded = i18n._half_up(value, digits)
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    assert i18n.fmt_number(value, locale, digits) == format_decimal(
        rounded, format=pattern, locale=i18n._babel(locale)
    )
    share = i18n._half_up(value, digits + 2)
    expected = format_percent(share, format=pattern + "%", locale=i18n._babel(locale))
    assert i18n.fmt_percent(value, locale, digits) == expected
