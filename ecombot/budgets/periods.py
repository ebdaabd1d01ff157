"""Budget periods: a month (`2026-12`), a quarter (`2026-Q4`), a year (`2026`) or a range of days
(`2026-11-01..2026-11-15`). Pure."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from ecombot.slack.parsing import ParseError

_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
_QUARTER = re.compile(r"(\d{4})-?[qQ]([1-4])")
_YEAR = re.compile(r"(\d{4})")
_RANGE = re.compile(r"(\d{4}-\d{1,2}-\d{1,2})\.\.(\d{4}-\d{1,2}-\d{1,2})")
_ZH_MONTH = re.compile(r"(\d{4})年(\d{1,2})月")
_ZH_QUARTER = re.compile(r"(\d{4})年?[第]?([1-4一二三四])季度?")
_ZH_DIGITS = {"一": "1", "二": "2", "三": "3", "四": "4"}
MAX_DAYS = 366 * 2


@dataclass(frozen=True, order=True)
class Period:
    """A span of whole days, first and last included."""

    start: date
    end: date

    @property
    def days(self) -> int:
        """How many days it has."""
        return (self.end - self.start).days + 1

    def done(self, today: date) -> int:
        """Completed days by `today` (today itself is under way): 0 before it starts, all after."""
        return max(0, min(self.days, (today - self.start).days))

    def contains(self, day: date) -> bool:
        """Whether the day falls in it."""
        return self.start <= day <= self.end

    @property
    def label(self) -> str:
        """`2026-12`, `2026-Q4`, `2026`, or `2026-11-01..2026-11-15`."""
        if self == month_of(self.start):
            return f"{self.start.year}-{self.start.month:02d}"
        if self == quarter_of(self.start) and self.start.month in (1, 4, 7, 10):
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        if self.start == date(self.start.year, 1, 1) and self.end == date(self.start.year, 12, 31):
            return str(self.start.year)
        return f"{self.start.isoformat()}..{self.end.isoformat()}"


@lru_cache(maxsize=4096)
def month_of(day: date) -> Period:
    """The calendar month of a day (kept: every period label and KPI target lookup asks it)."""
    return Period(day.replace(day=1), day.replace(day=calendar.monthrange(day.year, day.month)[1]))


def quarter_of(day: date) -> Period:
    """The calendar quarter of a day."""
    first = (day.month - 1) // 3 * 3 + 1
    last = first + 2
    return Period(date(day.year, first, 1), date(day.year, last, calendar.monthrange(day.year, last)[1]))


def parse_period(text: str, today: date) -> Period:
    """A period as typed; `month`, `quarter` and `year` (本月, 本季度, 今年) mean the current one."""
    raw = text.strip()
    lowered = raw.lower()
    try:
        if lowered in ("month", "this-month", "本月"):
            return month_of(today)
        if lowered in ("next-month", "下月", "下个月"):
            return month_of(month_of(today).end + timedelta(days=1))
        if lowered in ("quarter", "本季度"):
            return quarter_of(today)
        if lowered in ("year", "今年"):
            return Period(date(today.year, 1, 1), date(today.year, 12, 31))
        if m := _RANGE.fullmatch(raw):
            first, last = date.fromisoformat(_iso(m.group(1))), date.fromisoformat(_iso(m.group(2)))
            if last < first or (last - first).days >= MAX_DAYS:
                raise ParseError("bad_budget_period", raw)
            return Period(first, last)
        if m := _QUARTER.fullmatch(raw):
            return quarter_of(date(int(m.group(1)), (int(m.group(2)) - 1) * 3 + 1, 1))
        if m := _ZH_QUARTER.fullmatch(raw):
            number = int(_ZH_DIGITS.get(m.group(2), m.group(2)))
            return quarter_of(date(int(m.group(1)), (number - 1) * 3 + 1, 1))
        if m := (_MONTH.fullmatch(raw) or _ZH_MONTH.fullmatch(raw)):
            return month_of(date(int(m.group(1)), int(m.group(2)), 1))
        if m := _YEAR.fullmatch(raw):
            year = int(m.group(1))
            return Period(date(year, 1, 1), date(year, 12, 31))
    except ValueError:
        raise ParseError("bad_budget_period", raw) from None
    raise ParseError("bad_budget_period", raw)


def _iso(text: str) -> str:
    year, month, day = text.split("-")
    return f"{year}-{int(month):02d}-{int(day):02d}"
