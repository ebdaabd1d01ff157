"""The pure rules: which days are standup days (China's official calendar, 调休 make-up days, workspace
holidays), and the `/standup` grammar."""

from __future__ import annotations

from datetime import date

import pytest

from ecombot.slack.parsing import ParseError
from ecombot.standups.calendar import cn_holiday, cn_known_years, cn_makeup, default_calendar, is_standup_day
from ecombot.standups.handlers.grammar import (
    kind_of,
    parse_days,
    parse_period,
    parse_questions,
    parse_range,
    parse_reminder,
)

WEEKDAYS = (0, 1, 2, 3, 4)


def test_chinas_calendar_has_no_standup_on_official_holidays_and_one_on_make_up_days() -> None:
    # National Day 2026: 1–7 October off, Sunday 20 September and Saturday 10 October worked.
    assert cn_holiday(date(2026, 10, 5)) == "National Day"
    assert not is_standup_day(date(2026, 10, 5), WEEKDAYS, "cn", set())
    assert is_standup_day(date(2026, 10, 5), WEEKDAYS, "none", set())  # without the calendar: a Monday
    for makeup in (date(2026, 9, 20), date(2026, 10, 10)):
        assert cn_makeup(makeup)
        assert is_standup_day(makeup, WEEKDAYS, "cn", set())
        assert not is_standup_day(makeup, WEEKDAYS, "none", set())
    # An ordinary weekend is not a holiday by name, and not a standup day.
    assert cn_holiday(date(2026, 10, 17)) == "" and not is_standup_day(
        date(2026, 10, 17), WEEKDAYS, "cn", set()
    )
    # A workspace holiday wins over everything, even a make-up day.
    assert not is_standup_day(date(2026, 10, 10), WEEKDAYS, "cn", {date(2026, 10, 10)})


def test_a_year_the_calendar_does_not_know_follows_the_weekdays() -> None:
    first, last = cn_known_years()
    assert first <= 2026 <= last
    unknown = date(last + 1, 1, 1)
    assert cn_holiday(unknown) == "" and not cn_makeup(unknown)
    assert is_standup_day(unknown, tuple(range(7)), "cn", set())


def test_the_default_calendar_follows_the_workspace_zone() -> None:
    assert [default_calendar(z) for z in ("Asia/Shanghai", "Asia/Urumqi", "Asia/Chongqing")] == ["cn"] * 3
    assert default_calendar("Asia/Hong_Kong") == "none" and default_calendar("Europe/Berlin") == "none"


def test_days_questions_reminders_periods_and_ranges() -> None:
    assert parse_days("mon-fri") == (0, 1, 2, 3, 4)
    assert parse_days("周一-周五") == (0, 1, 2, 3, 4)
    assert parse_days("mon,wed,fri") == (0, 2, 4)
    assert parse_days("fri-mon") == (0, 4, 5, 6)
    assert parse_days("daily") == tuple(range(7))
    assert parse_questions("Yesterday?|Today?|!Any risk?") == (
        ("Yesterday?", "yesterday"),
        ("Today?", "today"),
        ("Any risk?", "blockers"),
    )
    assert parse_questions("昨天做了什么|今天做什么|有阻碍吗") == (
        ("昨天做了什么", "yesterday"),
        ("今天做什么", "today"),
        ("有阻碍吗", "blockers"),
    )
    assert kind_of("Anything blocking you?", blockers_marked=True) == ""
    assert parse_reminder("30m") == 30 and parse_reminder("1h") == 60 and parse_reminder("off") is None
    assert parse_reminder("15分钟") == 15
    assert parse_period("30d") == 30 and parse_period("8w") == 56 and parse_period("7") == 7
    assert parse_range("2026-10-01..2026-10-07", date(2026, 9, 1)) == (date(2026, 10, 1), date(2026, 10, 7))
    assert parse_range("2026-10-01至2026-10-07", date(2026, 9, 1)) == (date(2026, 10, 1), date(2026, 10, 7))


@pytest.mark.parametrize(
    ("parse", "text"),
    [
        (parse_days, "funday"),
        (parse_days, ""),
        (parse_questions, "a||b"),
        (parse_questions, "!"),
        (parse_reminder, "soon"),
        (parse_reminder, "13h"),
        (parse_period, "0d"),
        (parse_period, "forever"),
    ],
)
def test_bad_parts_are_named(parse: object, text: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse(text)  # type: ignore[operator]
    assert caught.value.part == text or text in str(caught.value.part)


def test_a_range_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(ParseError):
        parse_range("2026-10-07..2026-10-01", date(2026, 9, 1))
