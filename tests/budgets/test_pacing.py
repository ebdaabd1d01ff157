"""Budget pacing against values worked out by hand: periods (a month's first, middle and last day, a
quarter, a custom range), the shrinking overspend tolerance, underspend, and a festival curve."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ecombot.budgets import pacing
from ecombot.budgets.periods import Period, month_of, parse_period, quarter_of
from ecombot.slack.parsing import ParseError

D = Decimal


def test_periods_as_typed() -> None:
    today = date(2026, 11, 24)
    assert parse_period("2026-12", today) == Period(date(2026, 12, 1), date(2026, 12, 31))
    assert parse_period("2026-Q4", today) == Period(date(2026, 10, 1), date(2026, 12, 31))
    assert parse_period("2026", today) == Period(date(2026, 1, 1), date(2026, 12, 31))
    assert parse_period("2026-11-01..2026-11-15", today) == Period(date(2026, 11, 1), date(2026, 11, 15))
    assert parse_period("2026年2月", today) == Period(date(2026, 2, 1), date(2026, 2, 28))
    assert parse_period("本月", today) == month_of(today) == parse_period("month", today)
    assert parse_period("quarter", today) == quarter_of(today)
    assert [p.label for p in (month_of(today), quarter_of(today))] == ["2026-11", "2026-Q4"]
    for bad in ("2026-13", "2026-Q5", "soon", "2026-11-15..2026-11-01"):
        with pytest.raises(ParseError):
            parse_period(bad, today)


def pace(
    budget: int, spent: int, period: Period, today: date, curve: tuple[Decimal, ...] = ()
) -> pacing.Pace:
    return pacing.Pace(D(budget), D(spent), period.done(today), period.days, curve)


def test_a_month_on_its_first_middle_and_last_day() -> None:
    november = month_of(date(2026, 11, 1))  # 30 days
    first = pace(30000, 0, november, date(2026, 11, 1))
    assert (first.done, first.expected, first.projected, first.pacing) == (0, 0, None, None)
    # The 16th: 15 days done; expected 30,000 × 15/30 = 15,000; 18,000 spent: pace 1.2, projected 36,000.
    middle = pace(30000, 18000, november, date(2026, 11, 16))
    assert middle.expected == D(15000) and middle.pacing == D("1.2") and middle.projected == D(36000)
    assert middle.over == D(6000) and middle.per_day_to_land == D(12000) / 15
    # The 30th: 29 days done; the day after the period every day is done.
    last = pace(30000, 29000, november, date(2026, 11, 30))
    assert last.expected == D(29000) and last.projected == D(29000) * 30 / 29
    after = pace(30000, 31000, november, date(2026, 12, 3))
    assert after.done == 30 and after.projected == D(31000) and after.per_day_to_land is None


def test_a_quarter_and_a_custom_range() -> None:
    q4 = quarter_of(date(2026, 10, 1))  # 92 days
    assert q4.days == 92
    mid = pace(92000, 50000, q4, date(2026, 11, 16))  # 46 days done
    assert mid.expected == D(46000) and mid.projected == D(100000)
    presale = parse_period("2026-11-01..2026-11-15", date(2026, 11, 1))
    assert presale.days == 15
    day5 = pace(15000, 3000, presale, date(2026, 11, 6))  # 5 done
    assert day5.expected == D(5000) and day5.projected == D(9000)


def test_the_overspend_tolerance_shrinks_as_the_period_ends() -> None:
    november = month_of(date(2026, 11, 1))
    # Day 5 of 30 (a sixth gone): 25 % allowed. Projected 1.2 × budget: no alert; 1.3 ×: alert.
    assert pace(30000, 6000, november, date(2026, 11, 6)).tolerance == D("0.25")
    assert not pace(30000, 6000, november, date(2026, 11, 6)).overspending
    assert pace(30000, 6500, november, date(2026, 11, 6)).overspending
    # Day 28 of 30: 5 % allowed; projected 1.07 × budget is an alert.
    late = pace(30000, 29960, november, date(2026, 11, 29))
    assert late.tolerance == D("0.05") and late.projected == D(29960) * 30 / 28 and late.overspending
    assert pace(30000, 12000, november, date(2026, 11, 13)).tolerance == D("0.15")
    assert pace(30000, 12000, november, date(2026, 11, 20)).tolerance == D("0.10")


def test_underspend_after_a_third_of_the_period() -> None:
    november = month_of(date(2026, 11, 1))
    # Day 9 done (less than a third): no underspend alert however little is spent.
    assert not pace(30000, 0, november, date(2026, 11, 10)).underspending
    # Day 10 done (a third): 10,000 expected; 4,999 spent is under half.
    assert pace(30000, 4999, november, date(2026, 11, 11)).underspending
    assert not pace(30000, 5000, november, date(2026, 11, 11)).underspending


def test_a_festival_curve_moves_the_expected_spend() -> None:
    # Last year's Double 11 over 10 days: 40 % on the presale day 2, 30 % on day 10 (尾款).
    daily = [D(5), D(40), D(2), D(2), D(3), D(3), D(5), D(5), D(5), D(30)]
    curve = tuple(pacing.cumulative_shares(daily))
    assert curve[1] == D("0.45") and curve[-1] == 1
    period = Period(date(2026, 11, 1), date(2026, 11, 10))
    # After day 2: a straight line expects 20 %; the curve expects 45 %.
    straight = pace(100000, 44000, period, date(2026, 11, 3))
    shaped = pace(100000, 44000, period, date(2026, 11, 3), curve)
    assert straight.expected == D(20000) and shaped.expected == D(45000)
    assert straight.overspending and not shaped.overspending  # the straight line cries wolf on day 2
    # After day 9 the curve expects 70 %: 50,000 spent projects to 71,428.57, far under.
    late = pace(100000, 50000, period, date(2026, 11, 10), curve)
    assert late.expected == D(70000) and late.underspending is False
    # The same spend on a straight line (90 % expected) is no alert either; under the curve it
    # projects to 50,000 / 0.7.
    assert late.projected == D(50000) / D("0.7")
    # Between days the curve is read linearly: half of day 1 gone → 2.5 %.
    assert pacing.curve_share(curve, D("0.05")) == D("0.025")
