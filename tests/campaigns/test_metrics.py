"""The campaign formulas against values worked out by hand: ratios of sums, n/a for a zero
denominator, refunds, several sources, rows without the optional figures, a partial period."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from ecombot.campaigns import metrics
from ecombot.campaigns.service import Entry

D = Decimal


def row(day: int, source: str = "tmall", **figures: object) -> Entry:
    values: dict[str, object] = {"spend": D(0), "revenue": D(0), "orders": D(0), **figures}
    return Entry(day=date(2026, 11, day), source=source, **values)  # type: ignore[arg-type]


def test_ratios_are_ratios_of_sums_not_means_of_daily_ratios() -> None:
    rows = [
        row(1, spend=D(100), revenue=D(1000), orders=D(10), clicks=100, impressions=10_000, sessions=200),
        row(2, spend=D(900), revenue=D(1800), orders=D(30), clicks=300, impressions=20_000, sessions=1000),
    ]
    totals = metrics.total(rows)
    # By hand: spend 1000, revenue 2800, orders 40, clicks 400, impressions 30000, sessions 1200.
    assert totals.roas == D(2800) / D(1000) == D("2.8")  # the mean of daily ROAS would be (10 + 2) / 2 = 6
    assert totals.cpa == D(25)
    assert totals.aov == D(70)
    assert totals.ctr == D(400) / D(30000)
    assert totals.cpc == D("2.5")
    assert totals.cpm == D(1000) * 1000 / 30000
    assert totals.cvr == D(40) / D(1200)


def test_a_zero_denominator_is_none_never_zero() -> None:
    totals = metrics.total(
        [row(1, spend=D(0), revenue=D(0), orders=D(0), clicks=0, impressions=0, sessions=0)]
    )
    assert totals.roas is None
    assert totals.net_roas is None
    assert totals.cpa is None
    assert totals.aov is None
    assert totals.ctr is None
    assert totals.cpc is None
    assert totals.cpm is None
    assert totals.cvr is None
    assert totals.refund_rate is None  # no refunds given at all


def test_refunds_give_net_roas_and_the_refund_rate() -> None:
    rows = [
        row(1, spend=D(200), revenue=D(1000), orders=D(10), refunds=D(100)),
        row(2, spend=D(300), revenue=D(1500), orders=D(15), refunds=D(150)),
    ]
    totals = metrics.total(rows)
    assert totals.roas == D(5)
    assert totals.net_revenue == D(2250)
    assert totals.net_roas == D("4.5")
    assert totals.refund_rate == D("0.1")


def test_optional_figures_count_only_where_a_row_gave_both() -> None:
    rows = [
        row(1, spend=D(100), revenue=D(300), orders=D(3), clicks=50, impressions=1000),
        row(2, spend=D(100), revenue=D(300), orders=D(3), clicks=70),  # no impressions that day
    ]
    totals = metrics.total(rows)
    assert totals.ctr == D(50) / D(1000)  # day 2 would deflate it otherwise
    assert totals.cpc == D(200) / D(120)
    assert totals.cpm == D(100) * 1000 / 1000
    assert totals.count("clicks") == 120
    assert totals.count("sessions") is None
    assert totals.cvr is None


def test_several_sources_are_kept_apart_and_summed_only_as_labelled_totals() -> None:
    rows = [
        row(1, "tmall", spend=D(100), revenue=D(500), orders=D(5)),
        row(1, "google", spend=D(50), revenue=D(400), orders=D("2.5")),
        row(2, "google", spend=D(50), revenue=D(100), orders=D("1.5")),
    ]
    per = metrics.by_source(rows)
    assert list(per) == ["tmall", "google"]
    assert per["google"].roas == D(5)
    assert per["google"].cpa == D(25)
    assert metrics.total(rows).revenue == D(1000)
    days = metrics.by_day(rows)
    assert [d.day for d in days] == [1, 2] and days[date(2026, 11, 1)].spend == D(150)


def test_a_range_row_counts_in_totals_but_in_no_single_day() -> None:
    ranged = Entry(
        day=date(2026, 11, 1),
        last_day=date(2026, 11, 7),
        source="meta",
        spend=D(700),
        revenue=D(2100),
        orders=D(7),
    )
    daily = row(3, "tmall", spend=D(10), revenue=D(20), orders=D(1))
    assert metrics.total([ranged, daily]).spend == D(710)
    assert list(metrics.by_day([ranged, daily])) == [date(2026, 11, 3)]


def test_pacing_over_a_partial_period() -> None:
    # Budget 30,000 over Nov 1-30; on Nov 11 ten days are complete: expected 10,000.
    pace = metrics.pacing(D(30000), D(12000), date(2026, 11, 1), date(2026, 11, 30), date(2026, 11, 11))
    assert (pace.days_done, pace.days_total) == (10, 30)
    assert pace.expected == D(10000)
    assert pace.pace == D("1.2")
    assert pace.projected == D(36000)
    assert pace.used == D("0.4")
    before = metrics.pacing(D(30000), D(0), date(2026, 11, 1), date(2026, 11, 30), date(2026, 10, 20))
    assert before.days_done == 0 and before.projected is None and before.pace is None
    after = metrics.pacing(D(30000), D(31000), date(2026, 11, 1), date(2026, 11, 30), date(2026, 12, 20))
    assert after.days_done == 30 and after.projected == D(31000)
    assert metrics.pacing(D(1000), D(10), date(2026, 11, 1), None, date(2026, 11, 5)).expected is None


def test_targets_met_or_missed_by_how_much() -> None:
    assert metrics.against(D("3.5"), D(3)) == metrics.Verdict(True, D("0.5"), D("3.5") / D(3))
    missed = metrics.against(D("2.4"), D(3))
    assert missed is not None and not missed.met and missed.gap == D("-0.6")
    cpa = metrics.against(D(30), D(25), lower_is_better=True)  # CPA: lower is better
    assert cpa is not None and not cpa.met and cpa.gap == D(-5)
    assert metrics.against(None, D(3)) is None
    assert metrics.against(D(3), None) is None


money = st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False, allow_infinity=False)


@given(st.lists(st.tuples(money, money, st.integers(0, 10_000)), min_size=1, max_size=20))
def test_roas_is_always_total_revenue_over_total_spend(days: list[tuple[Decimal, Decimal, int]]) -> None:
    rows = [row(1 + i % 28, spend=s, revenue=r, orders=D(o)) for i, (s, r, o) in enumerate(days)]
    totals = metrics.total(rows)
    spend = sum((s for s, _, _ in days), D(0))
    revenue = sum((r for _, r, _ in days), D(0))
    assert totals.roas == (None if spend == 0 else revenue / spend)
    orders = sum(o for _, _, o in days)
    assert totals.cpa == (None if orders == 0 else spend / orders)
