"""Tests for ecombot.slack.parsing: tokenizer, amounts, dates, times and local_today."""

from __future__ import annotations

import pickle
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecombot.slack.parsing import (
    ParseError,
    Token,
    local_today,
    parse_amount,
    parse_date,
    parse_time,
    tokenize,
    unescape,
)

WED = date(2026, 11, 25)  # a Wednesday
FRI = date(2026, 11, 27)
SUN = date(2026, 11, 29)
MON = date(2026, 11, 30)

KEYS = ("due", "p", "owner")

QUOTE_CHARS = '"“”「」'


def kinds(tokens: list[Token]) -> list[str]:
    return [t.kind for t in tokens]


def values(tokens: list[Token]) -> list[str]:
    return [t.value for t in tokens]


def slack_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# ---------------------------------------------------------------------------------------------
# ParseError
# ---------------------------------------------------------------------------------------------


def test_parse_error_fields_and_pickling() -> None:
    err = ParseError("bad_amount", "abc")
    assert isinstance(err, ValueError)
    assert (err.code, err.part) == ("bad_amount", "abc")
    assert "bad_amount" in str(err) and "abc" in str(err)
    clone = pickle.loads(pickle.dumps(err))
    assert (clone.code, clone.part) == ("bad_amount", "abc")


# ---------------------------------------------------------------------------------------------
# tokenize
# ---------------------------------------------------------------------------------------------


def test_tokenize_full_command() -> None:
    text = 'add "Fix banner" <@U123|alice> due:明天 #双11 p:high'
    tokens = tokenize(text, option_keys=KEYS)
    assert tokens == [
        Token("word", "add", "add"),
        Token("quoted", "Fix banner", '"Fix banner"'),
        Token("user", "U123", "<@U123|alice>"),
        Token("option", "明天", "due:明天", "due"),
        Token("tag", "双11", "#双11"),
        Token("option", "high", "p:high", "p"),
    ]


def test_tokenize_empty_and_whitespace_only() -> None:
    assert tokenize("") == []
    assert tokenize("  \t\n\u3000 ") == []


def test_tokenize_unicode_whitespace_separates() -> None:
    assert values(tokenize("a\u3000b\tc\nd\u00a0e")) == ["a", "b", "c", "d", "e"]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ('"Fix banner"', "Fix banner"),
        ("“双11 大促”", "双11 大促"),
        ("「双11 大促」", "双11 大促"),
        ('""', ""),
        ("“”", ""),
        ('"  keep  inner  space "', "  keep  inner  space "),
        ('"a\u3000b"', "a\u3000b"),
    ],
)
def test_tokenize_quoted(text: str, value: str) -> None:
    assert tokenize(text) == [Token("quoted", value, text)]


def test_tokenize_quote_ends_token() -> None:
    assert tokenize('"a b"c') == [Token("quoted", "a b", '"a b"'), Token("word", "c", "c")]


def test_tokenize_quote_inside_word_is_literal() -> None:
    assert tokenize('don"t') == [Token("word", 'don"t', 'don"t')]


@pytest.mark.parametrize(
    ("text", "part"),
    [
        ('add "Fix banner', '"Fix banner'),
        ("add “双11 大促", "“双11 大促"),
        ("「open", "「open"),
        ('"a &amp; b', '"a & b'),
        ('"', '"'),
    ],
)
def test_tokenize_unclosed_quote(text: str, part: str) -> None:
    with pytest.raises(ParseError) as exc:
        tokenize(text)
    assert exc.value.code == "unclosed_quote"
    assert exc.value.part == part


def test_tokenize_mismatched_chinese_quote_is_unclosed() -> None:
    with pytest.raises(ParseError) as exc:
        tokenize('“abc"')
    assert exc.value.code == "unclosed_quote"


def test_tokenize_html_unescape() -> None:
    tokens = tokenize('R&amp;D &lt;tag&gt; "a &amp; b" #x&amp;y', option_keys=KEYS)
    assert tokens == [
        Token("word", "R&D", "R&amp;D"),
        Token("word", "<tag>", "&lt;tag&gt;"),
        Token("quoted", "a & b", '"a &amp; b"'),
        Token("tag", "x&y", "#x&amp;y"),
    ]


def test_unescape_amp_last() -> None:
    assert unescape("&amp;lt;") == "&lt;"
    assert unescape("&lt;&gt;&amp;") == "<>&"
    assert unescape("&copy; &quot;") == "&copy; &quot;"


@pytest.mark.parametrize(
    ("raw", "kind", "value"),
    [
        ("<@U123|alice>", "user", "U123"),
        ("<@U123>", "user", "U123"),
        ("<@W0ABC9>", "user", "W0ABC9"),
        ("<@W0ABC9|Bob Smith>", "user", "W0ABC9"),
        ("<#C123|general>", "channel", "C123"),
        ("<#C123>", "channel", "C123"),
        ("<#C0XYZ|双11-作战室>", "channel", "C0XYZ"),
        # Stored as readable text: a label never hides where a link goes, special mentions cannot ping.
        ("<https://example.com|label>", "word", "label (https://example.com)"),
        ("<https://example.com/?a=1&amp;b=2>", "word", "https://example.com/?a=1&b=2"),
        ("<!here>", "word", "@here"),
        ("<!subteam^S123|@ops>", "word", "@ops"),
    ],
)
def test_tokenize_mentions_and_links(raw: str, kind: str, value: str) -> None:
    assert tokenize(f"x {raw} y") == [
        Token("word", "x", "x"),
        Token(kind, value, raw),  # type: ignore[arg-type]
        Token("word", "y", "y"),
    ]


def test_tokenize_link_label_with_spaces_is_one_token() -> None:
    raw = "<https://example.com|my page>"
    assert tokenize(f"see {raw}") == [
        Token("word", "see", "see"),
        Token("word", "my page (https://example.com)", raw),
    ]


def test_tokenize_adjacent_mentions() -> None:
    assert kinds(tokenize("<@U1><@U2>")) == ["user", "user"]
    assert values(tokenize("<@U1><#C2>")) == ["U1", "C2"]


def test_tokenize_unterminated_angle_is_word() -> None:
    assert tokenize("<@U1 x") == [Token("word", "<@U1", "<@U1"), Token("word", "x", "x")]


def test_tokenize_tags() -> None:
    assert tokenize("#双11 #promo # #") == [
        Token("tag", "双11", "#双11"),
        Token("tag", "promo", "#promo"),
        Token("word", "#", "#"),
        Token("word", "#", "#"),
    ]
    assert tokenize("##x") == [Token("tag", "#x", "##x")]


def test_tokenize_options() -> None:
    tokens = tokenize("DUE:tomorrow p：high owner:<@U1>", option_keys=KEYS)
    assert tokens == [
        Token("option", "tomorrow", "DUE:tomorrow", "due"),
        Token("option", "high", "p：high", "p"),
        Token("option", "<@U1>", "owner:<@U1>", "owner"),
    ]


def test_tokenize_option_keys_case_insensitive_on_both_sides() -> None:
    assert tokenize("Due:x", option_keys=["DUE"]) == [Token("option", "x", "Due:x", "due")]


@pytest.mark.parametrize(
    ("text", "value", "raw"),
    [
        ('due:"next fri"', "next fri", 'due:"next fri"'),
        ("due:“下 周五”", "下 周五", "due:“下 周五”"),
        ("due:「11/27」", "11/27", "due:「11/27」"),
        ('due:""', "", 'due:""'),
        ('due:"a &amp; b"', "a & b", 'due:"a &amp; b"'),
    ],
)
def test_tokenize_option_with_quoted_value(text: str, value: str, raw: str) -> None:
    assert tokenize(f"{text} tail", option_keys=KEYS) == [
        Token("option", value, raw, "due"),
        Token("word", "tail", "tail"),
    ]


def test_tokenize_option_value_mention_with_spaces() -> None:
    assert tokenize("owner:<@U1|Bob Smith> x", option_keys=KEYS) == [
        Token("option", "<@U1>", "owner:<@U1|Bob Smith>", "owner"),
        Token("word", "x", "x"),
    ]


def test_tokenize_option_value_keeps_later_colons() -> None:
    assert tokenize("due:a:b", option_keys=KEYS) == [Token("option", "a:b", "due:a:b", "due")]


def test_tokenize_option_unclosed_quoted_value() -> None:
    with pytest.raises(ParseError) as exc:
        tokenize('due:"next fri', option_keys=KEYS)
    assert (exc.value.code, exc.value.part) == ("unclosed_quote", '"next fri')


@pytest.mark.parametrize("text", ["due:", "due：", "DUE: tomorrow"])
def test_tokenize_option_missing_value(text: str) -> None:
    with pytest.raises(ParseError) as exc:
        tokenize(text, option_keys=KEYS)
    assert exc.value.code == "missing_value"
    assert exc.value.part == text.split()[0]


@pytest.mark.parametrize("text", ["Fix:banner", "http://x", "due:tomorrow", ":due", "备注：文案"])
def test_tokenize_unknown_key_is_word(text: str) -> None:
    assert tokenize(text, option_keys=("p",)) == [Token("word", text, text)]


def test_tokenize_unknown_key_with_empty_value_is_word() -> None:
    assert tokenize("note:") == [Token("word", "note:", "note:")]


def test_tokenize_no_option_keys_means_no_options() -> None:
    assert kinds(tokenize("due:tomorrow p:high")) == ["word", "word"]


# ---------------------------------------------------------------------------------------------
# parse_amount
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12000", "12000"),
        ("12,000", "12000"),
        ("12000.50", "12000.5"),
        ("1,234,567.89", "1234567.89"),
        ("¥12,000", "12000"),
        ("￥12,000", "12000"),
        ("$1.2k", "1200"),
        ("1.2K", "1200"),
        ("3m", "3000000"),
        ("3M", "3000000"),
        ("1.2万", "12000"),
        ("1.2w", "12000"),
        ("1.2W", "12000"),
        ("2亿", "200000000"),
        ("€5", "5"),
        ("£5", "5"),
        ("+5", "5"),
        ("-5", "-5"),
        ("-¥1,200.5", "-1200.5"),
        ("  ¥ 12,000  ", "12000"),
        ("1.2 万", "12000"),
        (".5", "0.5"),
        ("0", "0"),
        ("-0", "0"),
        ("0.00", "0"),
        ("1.23456", "1.23456"),
        ("1.23456k", "1234.56"),
        ("１２，０００", "12000"),
    ],
)
def test_parse_amount_valid(text: str, expected: str) -> None:
    result = parse_amount(text)
    assert result == Decimal(expected)
    assert str(result) == expected


def test_parse_amount_no_exponent_form() -> None:
    assert str(parse_amount("$1.2k")) == "1200"
    assert str(parse_amount("2亿")) == "200000000"
    assert str(parse_amount("1000000")) == "1000000"
    assert "E" not in str(parse_amount("99999999999999999999999999999999亿"))


def test_parse_amount_is_exact_for_long_numbers() -> None:
    # Beyond the default 28-digit context, so a naive multiply would round.
    result = parse_amount("123456789012345678901234567890.123456789万")
    assert str(result) == "1234567890123456789012345678901234.56789"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "abc",
        "1.2.3",
        "k",
        "万",
        "NaN",
        "nan",
        "inf",
        "Infinity",
        "1,2,3",
        "12,00",
        "1,0000",
        ",100",
        "100,",
        "1.",
        "1e3",
        "$",
        "--5",
        "+-5",
        "5kk",
        "CNY 5",
        "5 USD",
        "1.2.3k",
        "0x10",
        "١٢",
    ],
)
def test_parse_amount_invalid(text: str) -> None:
    with pytest.raises(ParseError) as exc:
        parse_amount(text)
    assert exc.value.code == "bad_amount"
    assert exc.value.part == text


_SYMBOLS = st.sampled_from(["", "¥", "￥", "$", "€", "£"])


@given(
    cents=st.integers(min_value=-(10**15), max_value=10**15),
    symbol=_SYMBOLS,
    decimals=st.sampled_from([0, 1, 2]),
    plus=st.booleans(),
)
def test_parse_amount_property_formatted(cents: int, symbol: str, decimals: int, plus: bool) -> None:
    value = Decimal(cents).scaleb(-decimals)
    body = f"{abs(value):,.{decimals}f}"
    sign = "-" if value < 0 else ("+" if plus else "")
    assert parse_amount(f"{sign}{symbol}{body}") == value


@given(
    value=st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False),
    unit=st.sampled_from(
        [("k", 1000), ("K", 1000), ("m", 10**6), ("万", 10**4), ("w", 10**4), ("亿", 10**8)]
    ),
)
def test_parse_amount_property_scaling(value: Decimal, unit: tuple[str, int]) -> None:
    suffix, factor = unit
    result = parse_amount(f"{value}{suffix}")
    assert result == value * factor
    if result == result.to_integral_value():
        assert "E" not in str(result) and "." not in str(result)


@given(st.text())
def test_parse_amount_property_only_parse_error(text: str) -> None:
    try:
        result = parse_amount(text)
    except ParseError as exc:
        assert exc.code == "bad_amount"
        assert exc.part == text
    else:
        assert result.is_finite()


# ---------------------------------------------------------------------------------------------
# parse_date
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-27", date(2026, 11, 27)),
        ("2026/11/27", date(2026, 11, 27)),
        ("2026.11.27", date(2026, 11, 27)),
        ("2027-1-5", date(2027, 1, 5)),
        ("2026年11月27日", date(2026, 11, 27)),
        ("11-27", date(2026, 11, 27)),
        ("11/27", date(2026, 11, 27)),
        ("11/25", WED),  # on or after today: today itself
        ("11/24", date(2027, 11, 24)),
        ("1/5", date(2027, 1, 5)),
        ("2/29", date(2028, 2, 29)),  # next leap year
        ("12月1日", date(2026, 12, 1)),
        ("12月1号", date(2026, 12, 1)),
        ("today", WED),
        ("TODAY", WED),
        ("tomorrow", date(2026, 11, 26)),
        ("Tomorrow", date(2026, 11, 26)),
        ("tmr", date(2026, 11, 26)),
        ("yesterday", date(2026, 11, 24)),
        ("今天", WED),
        ("明天", date(2026, 11, 26)),
        ("后天", date(2026, 11, 27)),
        ("昨天", date(2026, 11, 24)),
        ("  tomorrow ", date(2026, 11, 26)),
    ],
)
def test_parse_date_absolute_and_keywords(text: str, expected: date) -> None:
    assert parse_date(text, today=WED) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mon", date(2026, 11, 30)),
        ("tue", date(2026, 12, 1)),
        ("wed", date(2026, 12, 2)),  # today is Wednesday -> a week later
        ("thu", date(2026, 11, 26)),
        ("fri", date(2026, 11, 27)),
        ("sat", date(2026, 11, 28)),
        ("sun", date(2026, 11, 29)),
        ("Friday", date(2026, 11, 27)),
        ("WEDNESDAY", date(2026, 12, 2)),
        ("sunday", date(2026, 11, 29)),
        ("周五", date(2026, 11, 27)),
        ("星期五", date(2026, 11, 27)),
        ("礼拜五", date(2026, 11, 27)),
        ("周三", date(2026, 12, 2)),
        ("周日", date(2026, 11, 29)),
        ("周天", date(2026, 11, 29)),
        ("星期天", date(2026, 11, 29)),
        ("星期日", date(2026, 11, 29)),
        ("本周五", date(2026, 11, 27)),
        ("这周一", date(2026, 11, 23)),  # this week's Monday, already past
        ("下周五", date(2026, 12, 4)),
        ("下星期五", date(2026, 12, 4)),
        ("下周一", date(2026, 11, 30)),
        ("next fri", date(2026, 12, 4)),
        ("next week", date(2026, 11, 30)),
        ("Next  Week", date(2026, 11, 30)),
        ("下周", date(2026, 11, 30)),
        ("next month", date(2026, 12, 1)),
    ],
)
def test_parse_date_weekdays_from_wednesday(text: str, expected: date) -> None:
    assert parse_date(text, today=WED) == expected


def test_parse_date_weekday_is_today_goes_to_next_week() -> None:
    assert parse_date("fri", today=FRI) == FRI + timedelta(days=7)
    assert parse_date("friday", today=FRI) == FRI + timedelta(days=7)
    assert parse_date("周五", today=FRI) == FRI + timedelta(days=7)
    assert parse_date("本周五", today=FRI) == FRI


def test_parse_date_chinese_week_from_sunday() -> None:
    # Weeks are Monday-based, so on Sunday "next week" starts tomorrow.
    assert parse_date("下周五", today=SUN) == date(2026, 12, 4)
    assert parse_date("下周一", today=SUN) == MON
    assert parse_date("本周五", today=SUN) == date(2026, 11, 27)
    assert parse_date("周五", today=SUN) == date(2026, 12, 4)
    assert parse_date("周日", today=SUN) == date(2026, 12, 6)
    assert parse_date("下周", today=SUN) == MON
    assert parse_date("next week", today=SUN) == MON


def test_parse_date_chinese_week_from_monday() -> None:
    assert parse_date("下周五", today=MON) == date(2026, 12, 11)
    assert parse_date("下周一", today=MON) == date(2026, 12, 7)
    assert parse_date("本周五", today=MON) == date(2026, 12, 4)
    assert parse_date("这周一", today=MON) == MON
    assert parse_date("周五", today=MON) == date(2026, 12, 4)
    assert parse_date("下周", today=MON) == date(2026, 12, 7)


@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [
        ("+3d", WED, date(2026, 11, 28)),
        ("3d", WED, date(2026, 11, 28)),
        ("+0d", WED, WED),
        ("+2w", WED, date(2026, 12, 9)),
        ("2W", WED, date(2026, 12, 9)),
        ("+1m", WED, date(2026, 12, 25)),
        ("+1m", date(2026, 1, 31), date(2026, 2, 28)),  # clamp to month end
        ("+1m", date(2028, 1, 31), date(2028, 2, 29)),  # leap year
        ("+1m", date(2026, 3, 31), date(2026, 4, 30)),
        ("+12m", date(2024, 2, 29), date(2025, 2, 28)),
        ("+2m", date(2026, 12, 31), date(2027, 2, 28)),  # year rollover
        ("next month", date(2026, 12, 31), date(2027, 1, 1)),
        ("next month", date(2026, 1, 31), date(2026, 2, 1)),
    ],
)
def test_parse_date_relative(text: str, today: date, expected: date) -> None:
    assert parse_date(text, today=today) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "someday",
        "2026-02-30",
        "2026-13-01",
        "2026-11/27",
        "13/01",
        "02/30",
        "0-0",
        "2026-11-27T10:00",
        "周八",
        "下下",
        "next fortnight",
        "next",
        "+d",
        "-3d",
        "3y",
        "+999999w",
        "+999999m",
        "0000-01-01",
        "11.27",
    ],
)
def test_parse_date_invalid(text: str) -> None:
    with pytest.raises(ParseError) as exc:
        parse_date(text, today=WED)
    assert exc.value.code == "bad_date"
    assert exc.value.part == text


def test_parse_date_overflow_near_max_is_bad_date() -> None:
    with pytest.raises(ParseError) as exc:
        parse_date("tomorrow", today=date.max)
    assert exc.value.code == "bad_date"


_EN_DAYS = [
    ("mon", "monday"),
    ("tue", "tuesday"),
    ("wed", "wednesday"),
    ("thu", "thursday"),
    ("fri", "friday"),
    ("sat", "saturday"),
    ("sun", "sunday"),
]
_ZH_DAYS = "一二三四五六日"
_DATES = st.dates(min_value=date(1900, 1, 1), max_value=date(9000, 12, 31))


@given(
    today=_DATES,
    weekday=st.integers(0, 6),
    full=st.booleans(),
    zh_prefix=st.sampled_from(["周", "星期", "礼拜"]),
)
def test_parse_date_property_weekdays(today: date, weekday: int, full: bool, zh_prefix: str) -> None:
    for text in (_EN_DAYS[weekday][int(full)], zh_prefix + _ZH_DAYS[weekday]):
        result = parse_date(text, today=today)
        assert 1 <= (result - today).days <= 7
        assert result.weekday() == weekday
    # 下周X always lands in the Monday-based week after today's.
    nxt = parse_date("下周" + _ZH_DAYS[weekday], today=today)
    assert nxt.weekday() == weekday
    assert 1 <= (nxt - today).days <= 13
    assert nxt - timedelta(days=nxt.weekday()) == today - timedelta(days=today.weekday()) + timedelta(days=7)


@given(today=_DATES, n=st.integers(0, 3000), plus=st.booleans())
def test_parse_date_property_relative_days(today: date, n: int, plus: bool) -> None:
    assert parse_date(f"{'+' if plus else ''}{n}d", today=today) == today + timedelta(days=n)


@given(today=_DATES, n=st.integers(0, 240))
def test_parse_date_property_months_clamp(today: date, n: int) -> None:
    result = parse_date(f"+{n}m", today=today)
    assert (result.year * 12 + result.month) - (today.year * 12 + today.month) == n
    assert result.day == today.day or (result.day < today.day and (result + timedelta(days=1)).day == 1)


@given(d=st.dates(min_value=date(1000, 1, 1)), today=_DATES, sep=st.sampled_from("-/."))
def test_parse_date_property_iso_round_trip(d: date, today: date, sep: str) -> None:
    assert parse_date(d.isoformat(), today=today) == d
    assert parse_date(d.strftime(f"%Y{sep}%m{sep}%d"), today=today) == d


@given(text=st.text(), today=_DATES)
def test_parse_date_property_only_parse_error(text: str, today: date) -> None:
    try:
        parse_date(text, today=today)
    except ParseError as exc:
        assert exc.code == "bad_date"
        assert exc.part == text


# ---------------------------------------------------------------------------------------------
# parse_time
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("9:30", time(9, 30)),
        ("09:30", time(9, 30)),
        ("9", time(9, 0)),
        ("0", time(0, 0)),
        ("9am", time(9, 0)),
        ("9AM", time(9, 0)),
        ("9 am", time(9, 0)),
        ("5:30pm", time(17, 30)),
        ("5:30 PM", time(17, 30)),
        ("12am", time(0, 0)),
        ("12pm", time(12, 0)),
        ("12:15am", time(0, 15)),
        ("17:30", time(17, 30)),
        ("23:59", time(23, 59)),
        ("00:00", time(0, 0)),
        ("9：30", time(9, 30)),
        ("上午9点", time(9, 0)),
        ("下午5点半", time(17, 30)),
        ("下午5点", time(17, 0)),
        ("下午5点15分", time(17, 15)),
        ("晚上8点", time(20, 0)),
        ("晚上20点", time(20, 0)),
        ("中午12点", time(12, 0)),
        ("中午1点", time(13, 0)),
        ("凌晨12点", time(0, 0)),
        ("9点", time(9, 0)),
        ("9点30", time(9, 30)),
        ("noon", time(12, 0)),
        ("midnight", time(0, 0)),
    ],
)
def test_parse_time_valid(text: str, expected: time) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", "abc", "24:00", "9:60", "9:5", "13pm", "0am", "25", "9:30:00", "下午", "点", "9点61分", "-1"],
)
def test_parse_time_invalid(text: str) -> None:
    with pytest.raises(ParseError) as exc:
        parse_time(text)
    assert (exc.value.code, exc.value.part) == ("bad_time", text)


@given(st.text())
def test_parse_time_property_only_parse_error(text: str) -> None:
    try:
        parse_time(text)
    except ParseError as exc:
        assert exc.code == "bad_time"


@given(h=st.integers(0, 23), m=st.integers(0, 59))
def test_parse_time_property_24h_round_trip(h: int, m: int) -> None:
    assert parse_time(f"{h}:{m:02d}") == time(h, m)
    assert parse_time(f"{h:02d}:{m:02d}") == time(h, m)


# ---------------------------------------------------------------------------------------------
# local_today
# ---------------------------------------------------------------------------------------------


def test_local_today_crosses_date_line() -> None:
    now = datetime(2026, 11, 10, 17, 30, tzinfo=UTC)
    assert local_today(now, "Asia/Shanghai") == date(2026, 11, 11)
    assert local_today(now, ZoneInfo("America/Los_Angeles")) == date(2026, 11, 10)
    assert local_today(now, "UTC") == date(2026, 11, 10)


def test_local_today_rejects_naive() -> None:
    with pytest.raises(ValueError, match="aware"):
        local_today(datetime(2026, 11, 10, 12, 0), "Asia/Shanghai")


# ---------------------------------------------------------------------------------------------
# tokenize properties
# ---------------------------------------------------------------------------------------------

_PLAIN_WORD = st.text(
    alphabet=st.characters(
        categories=("L", "N", "Pd", "Po", "S"),
        exclude_characters=QUOTE_CHARS + "#<>&:：「」『』",
    ),
    min_size=1,
    max_size=12,
)
_SEPARATOR = st.text(alphabet=" \t\n\u3000\u00a0", min_size=1, max_size=3)


@given(st.text().filter(lambda s: not any(c in s for c in QUOTE_CHARS)))
def test_tokenize_property_never_raises_without_quotes(text: str) -> None:
    for token in tokenize(text):
        assert token.kind in ("word", "user", "channel", "tag")
        assert token.raw in text
        if not token.raw.startswith("<"):
            # Only Slack entities (<https://x|my page>) may span whitespace.
            assert not any(c.isspace() for c in token.raw)


@given(words=st.lists(_PLAIN_WORD, max_size=8), seps=st.lists(_SEPARATOR, min_size=9, max_size=9))
def test_tokenize_property_words_round_trip(words: list[str], seps: list[str]) -> None:
    text = seps[0] + "".join(w + s for w, s in zip(words, seps[1:], strict=False))
    tokens = tokenize(text, option_keys=KEYS)
    assert kinds(tokens) == ["word"] * len(words)
    assert values(tokens) == words
    assert [t.raw for t in tokens] == words


@given(
    # Control characters (NUL included) are never stored, so the round trip is over printable text.
    inner=st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs"))).filter(
        lambda s: not any(c in s for c in QUOTE_CHARS)
    ),
    quotes=st.sampled_from([('"', '"'), ("“", "”"), ("「", "」")]),
)
def test_tokenize_property_quoted_round_trip(inner: str, quotes: tuple[str, str]) -> None:
    opener, closer = quotes
    raw = f"{opener}{slack_escape(inner)}{closer}"
    assert tokenize(f"x {raw} y") == [
        Token("word", "x", "x"),
        Token("quoted", inner, raw),
        Token("word", "y", "y"),
    ]


@given(key=st.sampled_from(KEYS), inner=_PLAIN_WORD, upper=st.booleans())
def test_tokenize_property_options(key: str, inner: str, upper: bool) -> None:
    typed = key.upper() if upper else key
    assert tokenize(f"{typed}:{inner}", option_keys=KEYS) == [Token("option", inner, f"{typed}:{inner}", key)]
    assert tokenize(f"{typed}:{inner}") == [Token("word", f"{typed}:{inner}", f"{typed}:{inner}")]
