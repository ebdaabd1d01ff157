"""Which days are standup days: the standup's weekdays, mainland China's official holidays and make-up
working days (调休) when its calendar is `cn`, and the workspace's own holidays. No Slack here."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from functools import lru_cache

import chinese_calendar
from chinese_calendar import constants as _cn

CN_ZONES = ("Asia/Shanghai", "Asia/Chongqing", "Asia/Urumqi")


@lru_cache(maxsize=1)
def cn_known_years() -> tuple[int, int]:
    """The first and last year the installed holiday calendar knows."""
    years = {d.year for d in _cn.holidays} | {d.year for d in _cn.workdays}
    return min(years), max(years)


def cn_knows(day: date) -> bool:
    """True when the official calendar for this day's year is known (published and installed)."""
    first, last = cn_known_years()
    return first <= day.year <= last


def cn_holiday(day: date) -> str:
    """The official holiday's name ("National Day"), or "" (a weekend, a workday, an unknown year)."""
    if not cn_knows(day):
        return ""
    on_holiday, name = chinese_calendar.get_holiday_detail(day)
    return str(name) if on_holiday and name else ""


def cn_makeup(day: date) -> bool:
    """True for an official make-up working day (调休) on a weekend."""
    return cn_knows(day) and day.weekday() >= 5 and chinese_calendar.is_workday(day)


def is_standup_day(day: date, weekdays: Collection[int], calendar: str, holidays: Collection[date]) -> bool:
    """True when the standup runs on `day`.

    With the `cn` calendar an official holiday is never a standup day, and an official make-up
    working day always is (even on a Saturday); a year the calendar does not know yet falls back to
    the weekdays. Workspace holidays come on top of both.
    """
    if day in holidays:
        return False
    if calendar == "cn" and cn_knows(day):
        if cn_makeup(day):
            return True
        if cn_holiday(day):
            return False
    return day.weekday() in weekdays


def default_calendar(timezone: str) -> str:
    """`cn` for workspaces in mainland China's zones, else `none`."""
    return "cn" if timezone in CN_ZONES else "none"
