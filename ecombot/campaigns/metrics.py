"""Campaign KPIs as DESIGN.md defines them: ratios of sums, never means of daily ratios; a zero (or
missing) denominator gives None, shown as "n/a". Pure: rows in, figures out."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Protocol

ZERO = Decimal(0)


class ResultRow(Protocol):
    """What the math reads from a result row (a CampaignResult, or an Entry parsed from a report);
    a daily row has no `last_day` or the same day."""

    @property
    def day(self) -> date: ...
    @property
    def last_day(self) -> date | None: ...
    @property
    def source(self) -> str: ...
    @property
    def spend(self) -> Decimal: ...
    @property
    def revenue(self) -> Decimal: ...
    @property
    def orders(self) -> Decimal: ...
    @property
    def clicks(self) -> int | None: ...
    @property
    def impressions(self) -> int | None: ...
    @property
    def sessions(self) -> int | None: ...
    @property
    def refunds(self) -> Decimal | None: ...
    @property
    def new_customers(self) -> int | None: ...


def ratio(numerator: Decimal | int | None, denominator: Decimal | int | None) -> Decimal | None:
    """numerator / denominator; None when either is missing or the denominator is zero."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return Decimal(numerator) / Decimal(denominator)


@dataclass
class Totals:
    """Sums over result rows. A ratio of two optional figures is taken over the rows that have both,
    so a day without impressions does not deflate the CTR."""

    spend: Decimal = ZERO
    revenue: Decimal = ZERO
    orders: Decimal = ZERO
    refunds: Decimal = ZERO
    new_customers: int = 0
    rows: int = 0
    # (numerator, denominator) sums over rows where both were given, per ratio.
    pairs: dict[str, tuple[Decimal, Decimal]] = field(default_factory=dict)
    given: set[str] = field(default_factory=set)  # optional figures at least one row gave

    def add(self, row: ResultRow) -> None:
        """Count one row in."""
        self.rows += 1
        self.spend += row.spend
        self.revenue += row.revenue
        self.orders += row.orders
        if row.refunds is not None:
            self.refunds += row.refunds
            self.given.add("refunds")
        if row.new_customers is not None:
            self.new_customers += row.new_customers
            self.given.add("new_customers")
        for name, value in (
            ("clicks", row.clicks),
            ("impressions", row.impressions),
            ("sessions", row.sessions),
        ):
            if value is not None:
                self.given.add(name)
        self._pair("ctr", row.clicks, row.impressions)
        self._pair("cpc", row.spend, row.clicks)
        self._pair("cpm", row.spend, row.impressions)
        self._pair("cvr", row.orders, row.sessions)
        self._pair("refund_rate", row.refunds, row.revenue if row.refunds is not None else None)
        self._pair("clicks", row.clicks, 1)
        self._pair("impressions", row.impressions, 1)
        self._pair("sessions", row.sessions, 1)

    def merge(self, other: Totals) -> None:
        """Count another group's rows in (sums add, as if its rows had been added one by one)."""
        self.rows += other.rows
        self.spend += other.spend
        self.revenue += other.revenue
        self.orders += other.orders
        self.refunds += other.refunds
        self.new_customers += other.new_customers
        self.given |= other.given
        for name, (num, den) in other.pairs.items():
            mine = self.pairs.get(name, (ZERO, ZERO))
            self.pairs[name] = (mine[0] + num, mine[1] + den)

    def _pair(self, name: str, numerator: Decimal | int | None, denominator: Decimal | int | None) -> None:
        if numerator is None or denominator is None:
            return
        num, den = self.pairs.get(name, (ZERO, ZERO))
        self.pairs[name] = (num + Decimal(numerator), den + Decimal(denominator))

    def count(self, name: str) -> int | None:
        """Clicks, impressions or sessions summed over the rows that gave them; None when none did."""
        pair = self.pairs.get(name)
        return int(pair[0]) if pair is not None else None

    def _of(self, name: str) -> Decimal | None:
        pair = self.pairs.get(name)
        return None if pair is None else ratio(pair[0], pair[1])

    @property
    def net_revenue(self) -> Decimal:
        """Revenue minus refunds."""
        return self.revenue - self.refunds

    @property
    def roas(self) -> Decimal | None:
        """Revenue / spend."""
        return ratio(self.revenue, self.spend)

    @property
    def net_roas(self) -> Decimal | None:
        """(Revenue − refunds) / spend."""
        return ratio(self.net_revenue, self.spend)

    @property
    def cpa(self) -> Decimal | None:
        """Spend / orders."""
        return ratio(self.spend, self.orders)

    @property
    def aov(self) -> Decimal | None:
        """Revenue / orders."""
        return ratio(self.revenue, self.orders)

    @property
    def refund_rate(self) -> Decimal | None:
        """Refunds / revenue, over the rows that gave refunds (None when none did)."""
        return self._of("refund_rate")

    @property
    def ctr(self) -> Decimal | None:
        """Clicks / impressions."""
        return self._of("ctr")

    @property
    def cpc(self) -> Decimal | None:
        """Spend / clicks."""
        return self._of("cpc")

    @property
    def cpm(self) -> Decimal | None:
        """1000 · spend / impressions."""
        value = self._of("cpm")
        return None if value is None else value * 1000

    @property
    def cvr(self) -> Decimal | None:
        """Orders / sessions."""
        return self._of("cvr")


def total(rows: Iterable[ResultRow]) -> Totals:
    """The totals of some rows."""
    totals = Totals()
    for row in rows:
        totals.add(row)
    return totals


def by_source(rows: Iterable[ResultRow]) -> dict[str, Totals]:
    """Totals per source, in the order sources first appear."""
    out: dict[str, Totals] = {}
    for row in rows:
        out.setdefault(row.source, Totals()).add(row)
    return out


def by_day(rows: Iterable[ResultRow]) -> dict[date, Totals]:
    """Totals per day, over daily rows only (a range row has no day of its own), sorted by day."""
    out: dict[date, Totals] = {}
    for row in rows:
        if row.last_day in (None, row.day):
            out.setdefault(row.day, Totals()).add(row)
    return dict(sorted(out.items()))


@dataclass(frozen=True)
class Pacing:
    """Spend against the budget so far: expected = B·d/D over the campaign's days."""

    budget: Decimal
    spent: Decimal
    days_done: int | None  # None: no end date, so no pace
    days_total: int | None

    @property
    def used(self) -> Decimal | None:
        """Spent / budget."""
        return ratio(self.spent, self.budget)

    @property
    def expected(self) -> Decimal | None:
        """What should be spent by now at an even pace."""
        if self.days_done is None or not self.days_total:
            return None
        return self.budget * self.days_done / self.days_total

    @property
    def pace(self) -> Decimal | None:
        """Spent / expected."""
        return ratio(self.spent, self.expected)

    @property
    def projected(self) -> Decimal | None:
        """Spend at the end at this pace: S·D/d."""
        if self.days_done is None or not self.days_done or not self.days_total:
            return None
        return self.spent * self.days_total / self.days_done


def pacing(budget: Decimal, spent: Decimal, start: date, end: date | None, today: date) -> Pacing:
    """Days done count completed days (today is under way); none before the start."""
    if end is None:
        return Pacing(budget, spent, None, None)
    days_total = (end - start).days + 1
    days_done = max(0, min(days_total, (today - start).days))
    return Pacing(budget, spent, days_done, days_total)


@dataclass(frozen=True)
class Verdict:
    """A result against its target: met or not, and by how much (signed, in the target's unit)."""

    met: bool
    gap: Decimal  # actual − target (for CPA, lower is better: target − actual)
    share: Decimal | None  # actual / target


def against(
    actual: Decimal | None, target: Decimal | int | None, *, lower_is_better: bool = False
) -> Verdict | None:
    """None without a target or an actual value (n/a)."""
    if target is None or actual is None:
        return None
    target_d = Decimal(target)
    gap = (target_d - actual) if lower_is_better else (actual - target_d)
    return Verdict(met=gap >= 0, gap=gap, share=ratio(actual, target_d))
