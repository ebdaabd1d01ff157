"""Cron rules: parsing, the vixie day rule, and above all what fires around DST transitions."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from ecombot.scheduling.rules import CronRule, RuleError

NY = "America/New_York"
BERLIN = "Europe/Berlin"
SHANGHAI = "Asia/Shanghai"
ZONES = ["UTC", SHANGHAI, NY, BERLIN, "Australia/Lord_Howe"]


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def between(expr: str, after: datetime, until: datetime, tz: str) -> list[datetime]:
    return list(CronRule.parse(expr).fires_between(after, until, tz))


def local_of(instant: datetime, tz: str) -> datetime:
    return instant.astimezone(ZoneInfo(tz)).replace(tzinfo=None)


# -- concrete schedules ------------------------------------------------------------------------


def test_weekday_morning_in_shanghai_from_friday_evening_is_monday() -> None:
    friday_evening = datetime(2026, 5, 15, 20, 0, tzinfo=ZoneInfo(SHANGHAI))
    rule = CronRule.parse("0 9 * * mon-fri")
    assert rule.next_fire(friday_evening, SHANGHAI) == utc(2026, 5, 18, 1, 0)
    assert rule.next_fire(friday_evening, ZoneInfo(SHANGHAI)) == utc(2026, 5, 18, 1, 0)


def test_shanghai_is_plain_plus_eight_all_year() -> None:
    fires = between("0 9 * * *", utc(2026, 1, 1), utc(2027, 1, 1), SHANGHAI)
    assert len(fires) == 365
    assert {t.time().isoformat() for t in fires} == {"01:00:00"}


def test_result_is_aware_utc_and_after_may_be_in_any_zone() -> None:
    after = datetime(2026, 6, 1, 12, 0, tzinfo=ZoneInfo("Asia/Tokyo"))  # 03:00 UTC
    fired = CronRule.parse("0 * * * *").next_fire(after, BERLIN)
    assert fired == utc(2026, 6, 1, 4, 0)
    assert fired.tzinfo is UTC


def test_next_fire_is_strictly_after() -> None:
    rule = CronRule.parse("0 9 * * *")
    assert rule.next_fire(utc(2026, 5, 1, 9, 0), "UTC") == utc(2026, 5, 2, 9, 0)
    assert rule.next_fire(utc(2026, 5, 1, 9, 0) - timedelta(microseconds=1), "UTC") == utc(2026, 5, 1, 9, 0)


def test_naive_instants_are_refused() -> None:
    rule = CronRule.parse("0 9 * * *")
    with pytest.raises(ValueError, match="timezone-aware"):
        rule.next_fire(datetime(2026, 5, 1, 9, 0), "UTC")
    with pytest.raises(ValueError, match="timezone-aware"):
        list(rule.fires_between(utc(2026, 5, 1), datetime(2026, 5, 2), "UTC"))
    with pytest.raises(ValueError, match="timezone-aware"):
        rule.last_fire(datetime(2026, 5, 1), "UTC")


def test_new_york_spring_forward_week_fires_once_a_day() -> None:
    fires = between("30 2 * * *", utc(2026, 3, 5), utc(2026, 3, 12), NY)
    assert fires == [
        utc(2026, 3, 5, 7, 30),  # EST, -05:00
        utc(2026, 3, 6, 7, 30),
        utc(2026, 3, 7, 7, 30),
        # 02:30 does not exist on 03-08; fold=0 reads it with EST and fires at 03:30 EDT.
        utc(2026, 3, 8, 7, 30),
        utc(2026, 3, 9, 6, 30),  # EDT, -04:00
        utc(2026, 3, 10, 6, 30),
        utc(2026, 3, 11, 6, 30),
    ]
    assert local_of(fires[3], NY) == datetime(2026, 3, 8, 3, 30)


def test_gap_minute_may_fire_after_the_next_minute_and_order_still_holds() -> None:
    # 02:30 (gap) -> 07:30 UTC, 03:00 -> 07:00 UTC: the later candidate is the earlier instant.
    rule = CronRule.parse("0,30 2,3 * * *")
    assert rule.next_fire(utc(2026, 3, 8, 6, 0), NY) == utc(2026, 3, 8, 7, 0)
    assert rule.next_fire(utc(2026, 3, 8, 7, 0), NY) == utc(2026, 3, 8, 7, 30)
    # 02:00 and 03:00 land on 07:00, 02:30 and 03:30 on 07:30: each instant fires once.
    assert between("0,30 2,3 * * *", utc(2026, 3, 8), utc(2026, 3, 9), NY) == [
        utc(2026, 3, 8, 7, 0),
        utc(2026, 3, 8, 7, 30),
    ]
    assert between("30 2 * * *", utc(2026, 3, 8, 7, 0), utc(2026, 3, 8, 8, 0), NY) == [utc(2026, 3, 8, 7, 30)]


def test_new_york_fall_back_week_fires_the_repeated_hour_once() -> None:
    fires = between("30 1 * * *", utc(2026, 10, 29), utc(2026, 11, 5), NY)
    assert len(fires) == 7
    assert [t for t in fires if t.date() == date(2026, 11, 1)] == [utc(2026, 11, 1, 5, 30)]  # 01:30 EDT
    assert utc(2026, 11, 1, 6, 30) not in fires  # the second 01:30, EST
    assert fires[:3] == [utc(2026, 10, 29, 5, 30), utc(2026, 10, 30, 5, 30), utc(2026, 10, 31, 5, 30)]
    assert fires[4:] == [utc(2026, 11, 2, 6, 30), utc(2026, 11, 3, 6, 30), utc(2026, 11, 4, 6, 30)]
    # Asking from between the two 01:30s must not produce the second one either (APScheduler does).
    assert CronRule.parse("30 1 * * *").next_fire(utc(2026, 11, 1, 5, 30), NY) == utc(2026, 11, 2, 6, 30)


def test_every_quarter_hour_over_the_fall_back_night() -> None:
    fires = between("*/15 * * * *", utc(2026, 11, 1, 4, 50), utc(2026, 11, 1, 7, 20), NY)
    assert [t.strftime("%H:%M") for t in fires] == [
        "05:00",  # 01:00 EDT
        "05:15",
        "05:30",
        "05:45",  # 01:45 EDT; the repeated 01:00-01:45 EST (06:00-06:45 UTC) do not fire
        "07:00",  # 02:00 EST
        "07:15",
    ]


def test_berlin_spring_forward() -> None:
    fires = between("30 2 * * *", utc(2026, 3, 27), utc(2026, 3, 31), BERLIN)
    assert fires == [
        utc(2026, 3, 27, 1, 30),  # CET, +01:00
        utc(2026, 3, 28, 1, 30),
        utc(2026, 3, 29, 1, 30),  # 02:30 does not exist; read with CET, it is 03:30 CEST
        utc(2026, 3, 30, 0, 30),  # CEST, +02:00
    ]


def test_berlin_fall_back() -> None:
    fires = between("30 2 * * *", utc(2026, 10, 23), utc(2026, 10, 27), BERLIN)
    assert fires == [
        utc(2026, 10, 23, 0, 30),  # CEST
        utc(2026, 10, 24, 0, 30),
        utc(2026, 10, 25, 0, 30),  # the first 02:30 (CEST) only; not 01:30 UTC (02:30 CET)
        utc(2026, 10, 26, 1, 30),  # CET
    ]
    night = between("0,30 * * * *", utc(2026, 10, 24, 23, 0), utc(2026, 10, 25, 2, 0), BERLIN)
    assert [local_of(t, BERLIN).strftime("%H:%M") for t in night] == ["01:30", "02:00", "02:30", "03:00"]
    assert [t.strftime("%H:%M") for t in night] == ["23:30", "00:00", "00:30", "02:00"]


def test_lord_howe_half_hour_shift() -> None:
    # 2026-10-04 02:00 +10:30 jumps to 02:30 +11:00: 02:15 is in the gap and fires at 02:45 +11:00.
    fired = CronRule.parse("15 2 * * *").next_fire(utc(2026, 10, 3, 12), "Australia/Lord_Howe")
    assert fired == utc(2026, 10, 3, 15, 45)
    assert local_of(fired, "Australia/Lord_Howe") == datetime(2026, 10, 4, 2, 45)


def test_weekly_friday_afternoon_keeps_local_time_across_dst() -> None:
    fires = between("0 16 * * fri", utc(2026, 2, 25), utc(2026, 3, 21), NY)
    assert fires == [
        utc(2026, 2, 27, 21, 0),
        utc(2026, 3, 6, 21, 0),
        utc(2026, 3, 13, 20, 0),
        utc(2026, 3, 20, 20, 0),
    ]
    assert {local_of(t, NY).strftime("%a %H:%M") for t in fires} == {"Fri 16:00"}
    autumn = between("0 16 * * FRI", utc(2026, 10, 19), utc(2026, 11, 14), BERLIN)
    assert {local_of(t, BERLIN).strftime("%a %H:%M") for t in autumn} == {"Fri 16:00"}
    assert [t.hour for t in autumn] == [14, 15, 15, 15]


def test_fires_between_is_exclusive_then_inclusive_and_empty_when_reversed() -> None:
    assert between("0 9 * * *", utc(2026, 5, 1, 9), utc(2026, 5, 3, 9), "UTC") == [
        utc(2026, 5, 2, 9),
        utc(2026, 5, 3, 9),
    ]
    assert between("0 9 * * *", utc(2026, 5, 3), utc(2026, 5, 1), "UTC") == []


def test_last_fire() -> None:
    daily = CronRule.parse("0 9 * * *")
    assert daily.last_fire(utc(2026, 5, 3, 9, 0), "UTC") == utc(2026, 5, 3, 9, 0)  # inclusive
    assert daily.last_fire(utc(2026, 5, 3, 8, 59), "UTC") == utc(2026, 5, 2, 9, 0)
    assert CronRule.parse("30 2 * * *").last_fire(utc(2026, 3, 8, 12), NY) == utc(2026, 3, 8, 7, 30)
    assert CronRule.parse("30 1 * * *").last_fire(utc(2026, 11, 1, 7), NY) == utc(2026, 11, 1, 5, 30)
    # 02:30 (gap, 07:30 UTC) has not happened yet at 07:15 UTC, 03:00 (07:00 UTC) has.
    assert CronRule.parse("0,30 2,3 * * *").last_fire(utc(2026, 3, 8, 7, 15), NY) == utc(2026, 3, 8, 7, 0)
    leap = CronRule.parse("0 0 29 2 *")
    assert leap.last_fire(utc(2028, 3, 1), "UTC") == utc(2028, 2, 29)
    assert leap.last_fire(utc(2027, 6, 1), "UTC") is None  # 2024-02-29 is more than 400 days back
    assert CronRule.parse("@yearly").last_fire(utc(2026, 12, 31), "UTC") == utc(2026, 1, 1)


def test_february_29_is_found_quickly() -> None:
    leap = CronRule.parse("0 0 29 2 *")
    started = time.perf_counter()
    assert leap.next_fire(utc(2026, 3, 1), "UTC") == utc(2028, 2, 29)
    assert leap.next_fire(utc(2097, 1, 1), "UTC") == utc(2104, 2, 29)  # 2100 is not a leap year
    assert time.perf_counter() - started < 0.5


def test_day_31_skips_short_months() -> None:
    fires = between("0 9 31 * *", utc(2026, 1, 1), utc(2027, 1, 1), "UTC")
    assert [t.month for t in fires] == [1, 3, 5, 7, 8, 10, 12]


def test_day_of_month_or_day_of_week_when_both_are_restricted() -> None:
    fires = between("0 9 13 * fri", utc(2026, 2, 1), utc(2026, 3, 1), "UTC")
    assert [t.day for t in fires] == [6, 13, 20, 27]  # Fridays, plus Friday the 13th once
    fires = between("0 9 1 * mon", utc(2026, 6, 1), utc(2026, 7, 1), "UTC")
    assert [t.day for t in fires] == [1, 8, 15, 22, 29]
    fires = between("0 9 2 * mon", utc(2026, 6, 1), utc(2026, 7, 1), "UTC")
    assert [t.day for t in fires] == [1, 2, 8, 15, 22, 29]


def test_a_star_prefixed_day_field_counts_as_unrestricted() -> None:
    rule = CronRule.parse("0 9 */2 * mon")  # vixie: odd days AND Mondays
    assert (rule.dom_restricted, rule.dow_restricted) == (False, True)
    assert [t.day for t in between(rule.expr, utc(2026, 6, 1), utc(2026, 7, 1), "UTC")] == [1, 15, 29]


# -- parsing -------------------------------------------------------------------------------------


def test_parse_fields() -> None:
    rule = CronRule.parse("  */20  9-17/4 1,15 jan-MAR Mon-Fri ")
    assert rule.expr == "*/20 9-17/4 1,15 jan-MAR Mon-Fri"
    assert rule.minutes == {0, 20, 40}
    assert rule.hours == {9, 13, 17}
    assert rule.days == {1, 15}
    assert rule.months == {1, 2, 3}
    assert rule.weekdays == {0, 1, 2, 3, 4}
    assert rule.dom_restricted and rule.dow_restricted
    assert str(rule) == rule.expr


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("0", {6}),
        ("7", {6}),
        ("sun", {6}),
        ("1", {0}),
        ("5-7", {4, 5, 6}),
        ("fri-sun", {4, 5, 6}),
        ("sun-sat", set(range(7))),
        ("*", set(range(7))),
        ("*/2", {6, 1, 3, 5}),
        ("3/2", {2, 4}),
        ("SAT,Sun", {5, 6}),
    ],
)
def test_weekdays_are_stored_python_style(field: str, expected: set[int]) -> None:
    assert CronRule.parse(f"0 0 * * {field}").weekdays == expected


def test_step_from_a_start_value_runs_to_the_maximum() -> None:
    assert CronRule.parse("10/15 * * * *").minutes == {10, 25, 40, 55}
    assert CronRule.parse("* 20/2 * * *").hours == {20, 22}
    assert CronRule.parse("* * * 11/1 *").months == {11, 12}


@pytest.mark.parametrize(
    ("alias", "same_as"),
    [
        ("@hourly", "0 * * * *"),
        ("@daily", "0 0 * * *"),
        ("@weekly", "0 0 * * 0"),
        ("@monthly", "0 0 1 * *"),
        ("@yearly", "0 0 1 1 *"),
        ("@DAILY", "0 0 * * *"),
    ],
)
def test_aliases(alias: str, same_as: str) -> None:
    rule, plain = CronRule.parse(alias), CronRule.parse(same_as)
    assert rule.expr == alias
    assert (rule.minutes, rule.hours, rule.days, rule.months, rule.weekdays) == (
        plain.minutes,
        plain.hours,
        plain.days,
        plain.months,
        plain.weekdays,
    )
    assert (rule.dom_restricted, rule.dow_restricted) == (plain.dom_restricted, plain.dow_restricted)


def test_weekly_alias_is_sunday_midnight() -> None:
    assert CronRule.parse("@weekly").next_fire(utc(2026, 5, 13), "UTC") == utc(2026, 5, 17)  # a Sunday


@pytest.mark.parametrize(
    ("expr", "message"),
    [
        ("0 25 * * *", "hour: 25 is out of range 0-23"),
        ("60 * * * *", "minute: 60 is out of range 0-59"),
        ("0 0 0 * *", "day-of-month: 0 is out of range 1-31"),
        ("0 0 32 * *", "day-of-month: 32 is out of range 1-31"),
        ("0 0 * 13 *", "month: 13 is out of range 1-12"),
        ("0 0 * * 8", "day-of-week: 8 is out of range 0-7"),
        ("0 0 * foo *", "month: 'foo' is not a number or month name"),
        ("0 0 * * funday", "day-of-week: 'funday' is not a number or day name"),
        ("x * * * *", "minute: 'x' is not a number"),
        ("-1 * * * *", "minute: missing value"),
        ("1,,2 * * * *", "minute: empty item"),
        ("1, * * * *", "minute: empty item"),
        ("*/0 * * * *", "minute: step 0"),
        ("* */x * * *", "hour: step 'x'"),
        ("* */25 * * *", "hour: step 25"),
        ("* 5-3 * * *", "hour: range '5-3' is reversed"),
        ("* * * dec-jan *", "month: range 'dec-jan' is reversed"),
        ("* * * * 1-", "day-of-week: missing value"),
        ("* * * *", "expected 5 fields"),
        ("* * * * * *", "expected 5 fields"),
        ("", "empty rule"),
        ("   ", "empty rule"),
        ("@reboot", "unknown alias"),
        ("0 0 30 2 *", "day-of-month: '30' never occurs"),
        ("0 0 31 4,6,9,11 *", "day-of-month: '31' never occurs"),
        ("* ² * * *", "hour: '²' is not a number"),
    ],
)
def test_parse_errors_name_the_field(expr: str, message: str) -> None:
    with pytest.raises(RuleError, match="^" + message.replace("*", r"\*")):
        CronRule.parse(expr)


def test_rule_error_is_a_value_error() -> None:
    assert issubclass(RuleError, ValueError)


def test_impossible_day_is_fine_when_the_weekday_can_match() -> None:
    rule = CronRule.parse("0 0 30 2 mon")  # OR rule: every Monday in February
    assert rule.next_fire(utc(2026, 1, 1), "UTC") == utc(2026, 2, 2)


def test_matches_reads_the_wall_clock() -> None:
    rule = CronRule.parse("30 2 * * mon-fri")
    assert rule.matches(datetime(2026, 3, 9, 2, 30, 59))
    assert not rule.matches(datetime(2026, 3, 8, 2, 30))  # a Sunday
    assert not rule.matches(datetime(2026, 3, 9, 2, 31))


# -- properties ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Drawn:
    """A rule drawn field by field, with the values each field should pick (an independent oracle)."""

    expr: str
    fields: tuple[frozenset[int], ...]  # minute, hour, dom, month, dow (cron style, 7 folded to 0)
    dom_star: bool
    dow_star: bool

    def picks(self, local: datetime) -> bool:
        minutes, hours, days, months, dows = self.fields
        cron_dow = (local.weekday() + 1) % 7
        if local.minute not in minutes or local.hour not in hours or local.month not in months:
            return False
        if not self.dom_star and not self.dow_star:
            return local.day in days or cron_dow in dows
        return local.day in days and cron_dow in dows


@st.composite
def field(draw: st.DrawFn, low: int, high: int, star_high: int) -> tuple[str, frozenset[int]]:
    kind = draw(st.sampled_from(["star", "step", "one", "list", "range", "range_step", "from_step"]))
    if kind == "star":
        return "*", frozenset(range(low, star_high + 1))
    if kind == "step":
        n = draw(st.integers(1, star_high - low + 1))
        return f"*/{n}", frozenset(range(low, star_high + 1, n))
    if kind == "one":
        v = draw(st.integers(low, high))
        return str(v), frozenset({v})
    if kind == "list":
        vs = draw(st.lists(st.integers(low, high), min_size=1, max_size=4))
        return ",".join(map(str, vs)), frozenset(vs)
    a = draw(st.integers(low, high))
    b = draw(st.integers(a, high))
    if kind == "range":
        return f"{a}-{b}", frozenset(range(a, b + 1))
    n = draw(st.integers(1, star_high - low + 1))
    if kind == "range_step":
        return f"{a}-{b}/{n}", frozenset(range(a, b + 1, n))
    return f"{a}/{n}", frozenset(range(a, max(a, star_high) + 1, n))


@st.composite
def drawn_rules(draw: st.DrawFn) -> Drawn:
    parts = [
        draw(field(0, 59, 59)),
        draw(field(0, 23, 23)),
        draw(field(1, 31, 31)),
        draw(field(1, 12, 12)),
        draw(field(0, 7, 6)),
    ]
    expr = " ".join(text for text, _ in parts)
    values = [vals for _, vals in parts]
    values[4] = frozenset(v % 7 for v in values[4])
    return Drawn(expr, tuple(values), parts[2][0].startswith("*"), parts[4][0].startswith("*"))


def _transitions(tz: str) -> list[datetime]:
    """The UTC instants in 2025-2028 where `tz` changes its offset (found by bisection)."""
    zone = ZoneInfo(tz)
    found: list[datetime] = []
    day = utc(2025, 1, 1)
    while day < utc(2029, 1, 1):
        nxt = day + timedelta(days=1)
        if day.astimezone(zone).utcoffset() != nxt.astimezone(zone).utcoffset():
            lo, hi = day, nxt
            while hi - lo > timedelta(minutes=1):
                mid = lo + (hi - lo) / 2
                if mid.astimezone(zone).utcoffset() == lo.astimezone(zone).utcoffset():
                    lo = mid
                else:
                    hi = mid
            found.append(hi)
        day = nxt
    return found


TRANSITIONS = {tz: _transitions(tz) for tz in ZONES}


def test_the_property_zones_have_transitions() -> None:
    assert len(TRANSITIONS[NY]) == 8 and len(TRANSITIONS["Australia/Lord_Howe"]) == 8
    assert TRANSITIONS["UTC"] == [] and TRANSITIONS[SHANGHAI] == []


@st.composite
def zone_and_after(draw: st.DrawFn) -> tuple[str, datetime]:
    """A zone and an instant in 2025-2028, half the time within two days of one of its DST transitions."""
    tz = draw(st.sampled_from(ZONES))
    near_transition: bool = draw(st.booleans())
    if TRANSITIONS[tz] and near_transition:
        near = draw(st.sampled_from(TRANSITIONS[tz]))
        offset = draw(st.integers(-2 * 24 * 60, 24 * 60))
        return tz, near + timedelta(minutes=offset, seconds=draw(st.sampled_from([0, 0, 30])))
    moment = draw(st.datetimes(datetime(2025, 1, 1), datetime(2028, 12, 1), timezones=st.just(UTC)))
    return tz, moment


def parse_or_reject(expr: str) -> CronRule:
    try:
        return CronRule.parse(expr)
    except RuleError:
        assume(False)
        raise


PROPS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPS
@given(drawn=drawn_rules(), where=zone_and_after(), hours=st.integers(1, 60))
def test_fires_between_equals_a_minute_by_minute_oracle(
    drawn: Drawn, where: tuple[str, datetime], hours: int
) -> None:
    tz, after = where
    zone = ZoneInfo(tz)
    rule = parse_or_reject(drawn.expr)
    until = after + timedelta(hours=hours)
    # Every wall-clock minute that could land in the window, mapped with fold=0.
    minute = after.astimezone(zone).replace(tzinfo=None, second=0, microsecond=0) - timedelta(hours=4)
    last = until.astimezone(zone).replace(tzinfo=None) + timedelta(hours=4)
    expected: set[datetime] = set()
    while minute <= last:
        assert rule.matches(minute) == drawn.picks(minute)
        if drawn.picks(minute):
            instant = minute.replace(tzinfo=zone, fold=0).astimezone(UTC)
            if after < instant <= until:
                expected.add(instant)
        minute += timedelta(minutes=1)
    assert list(rule.fires_between(after, until, tz)) == sorted(expected)


@PROPS
@given(drawn=drawn_rules(), where=zone_and_after())
def test_next_fire_is_after_and_is_the_first_of_fires_between(
    drawn: Drawn, where: tuple[str, datetime]
) -> None:
    tz, after = where
    rule = parse_or_reject(drawn.expr)
    fired = rule.next_fire(after, tz)
    assert fired > after
    assert fired.tzinfo is UTC
    first = next(iter(rule.fires_between(after, after + timedelta(days=400), tz)), None)
    if first is not None:
        assert first == fired
    else:
        assert fired > after + timedelta(days=400)
    # Nothing fires in between: the instant just before has the same next firing.
    assert rule.next_fire(fired - timedelta(microseconds=1), tz) == fired
    assert rule.last_fire(fired, tz) == fired


def _source(rule: CronRule, instant: datetime, zone: ZoneInfo) -> datetime:
    """The naive candidate an instant came from: its own wall-clock time, or a gap minute before it."""
    local = instant.astimezone(zone).replace(tzinfo=None)
    for back in range(0, 181):
        candidate = local - timedelta(minutes=back)
        if rule.matches(candidate) and candidate.replace(tzinfo=zone, fold=0).astimezone(UTC) == instant:
            return candidate
    raise AssertionError(f"{instant} ({local}) comes from no matching local minute")


@PROPS
@given(drawn=drawn_rules(), where=zone_and_after(), days=st.integers(1, 6))
def test_firings_are_unique_increasing_and_each_comes_from_a_matching_minute(
    drawn: Drawn, where: tuple[str, datetime], days: int
) -> None:
    tz, after = where
    zone = ZoneInfo(tz)
    rule = parse_or_reject(drawn.expr)
    fires = list(rule.fires_between(after, after + timedelta(days=days), tz))
    assert all(a < b for a, b in pairwise(fires))
    assert all(t.tzinfo is UTC for t in fires)
    for instant in fires:
        source = _source(rule, instant, zone)
        assert drawn.picks(source)
    # No wall-clock time fires twice: the repeated hour of a fall-back night fires on its first pass only.
    locals_ = [t.astimezone(zone).replace(tzinfo=None) for t in fires]
    assert len(set(locals_)) == len(locals_)


@PROPS
@given(drawn=drawn_rules(), where=zone_and_after(), cut=st.integers(1, 48 * 60))
def test_fires_between_splits_cleanly_and_last_fire_agrees(
    drawn: Drawn, where: tuple[str, datetime], cut: int
) -> None:
    tz, after = where
    rule = parse_or_reject(drawn.expr)
    middle, until = after + timedelta(minutes=cut), after + timedelta(days=2)
    whole = list(rule.fires_between(after, until, tz))
    assert whole == [*rule.fires_between(after, middle, tz), *rule.fires_between(middle, until, tz)]
    for previous, current in list(pairwise(whole))[:20]:
        assert rule.last_fire(current - timedelta(seconds=1), tz) == previous
        assert rule.last_fire(current, tz) == current
    before = rule.last_fire(after, tz)
    assert before is None or before <= after
    if whole:
        just_before = whole[0] - timedelta(microseconds=1)
        found = rule.last_fire(just_before, tz)
        # Same answer, unless `before` fell out of the 400-day look-back in the meantime.
        assert found == before or (
            found is None and before is not None and before <= just_before - timedelta(days=400)
        )
