"""Budget pacing as DESIGN.md defines it, with a festival curve as an option. Pure.

expected = B·d/D (d completed days of D); pacing = S/expected; projected = S·D/d; over = projected − B.
Along a curve, expected = B·share(d/D), where share(x) is the part of a reference campaign's total
spend spent by the same relative day; projected = S/share.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from ecombot.campaigns.metrics import ratio

ZERO = Decimal(0)
# Overspend tolerance by the part of the period gone: generous early, when a projection rests on
# few days, strict near the end.
TOLERANCES: tuple[tuple[Decimal, Decimal], ...] = (
    (Decimal("0.25"), Decimal("0.25")),
    (Decimal("0.5"), Decimal("0.15")),
    (Decimal("0.75"), Decimal("0.10")),
    (Decimal(1), Decimal("0.05")),
)
UNDERSPEND_AFTER = Decimal(1) / 3  # of the period gone
UNDERSPEND_BELOW = Decimal("0.5")  # of the expected spend


def curve_share(cumulative: Sequence[Decimal], elapsed: Decimal) -> Decimal:
    """The share of the reference campaign's total spent by the same relative point (0..1), linear
    between its days. `cumulative[i]` is the share spent by the end of its day i (the last is 1)."""
    days = len(cumulative)
    if days == 0:
        return elapsed
    position = elapsed * days  # days of the reference campaign gone
    whole = int(position)
    if whole >= days:
        return Decimal(1)
    before = cumulative[whole - 1] if whole > 0 else ZERO
    return before + (cumulative[whole] - before) * (position - whole)


def cumulative_shares(daily: Sequence[Decimal]) -> list[Decimal]:
    """Each day's share of the total, summed so far; [] when nothing was spent."""
    total = sum(daily, ZERO)
    if total <= 0:
        return []
    out: list[Decimal] = []
    running = ZERO
    for amount in daily:
        running += amount
        out.append(running / total)
    return out


@dataclass(frozen=True)
class Pace:
    """Where a line stands: budget B, spent S, d of D days done, and the curve if it follows one."""

    budget: Decimal
    spent: Decimal
    done: int
    days: int
    curve: tuple[Decimal, ...] = ()

    @property
    def elapsed(self) -> Decimal:
        """The part of the period gone (0..1)."""
        return Decimal(self.done) / Decimal(self.days) if self.days else Decimal(1)

    @property
    def share(self) -> Decimal:
        """The part of the budget that should be spent by now: d/D, or the curve's share."""
        return curve_share(self.curve, self.elapsed) if self.curve else self.elapsed

    @property
    def expected(self) -> Decimal:
        """Expected spend to date: B·d/D, or B × the curve's share."""
        if self.curve:
            return self.budget * self.share
        return self.budget * self.done / self.days if self.days else self.budget

    @property
    def pacing(self) -> Decimal | None:
        """Spent / expected (None before anything is expected)."""
        return ratio(self.spent, self.expected)

    @property
    def projected(self) -> Decimal | None:
        """End-of-period spend at this pace (None before any day is done)."""
        if self.done == 0 or self.share == 0:
            return None
        return self.spent / self.share if self.curve else self.spent * self.days / self.done

    @property
    def over(self) -> Decimal | None:
        """Projected − budget: positive over, negative under."""
        return None if self.projected is None else self.projected - self.budget

    @property
    def remaining(self) -> Decimal:
        """Budget − spent."""
        return self.budget - self.spent

    @property
    def used(self) -> Decimal | None:
        """Spent / budget."""
        return ratio(self.spent, self.budget)

    @property
    def per_day_to_land(self) -> Decimal | None:
        """What may be spent each remaining day to end exactly on budget (None when none remain)."""
        left = self.days - self.done
        return None if left <= 0 else max(ZERO, self.remaining) / left

    @property
    def tolerance(self) -> Decimal:
        """How far over budget a projection may go before it is an alert, by the part gone."""
        for until, allowed in TOLERANCES:
            if self.elapsed <= until:
                return allowed
        return TOLERANCES[-1][1]

    @property
    def overspending(self) -> bool:
        """Projected beyond the budget by more than the tolerance."""
        return self.projected is not None and self.projected > self.budget * (1 + self.tolerance)

    @property
    def underspending(self) -> bool:
        """After a third of the period, less than half of the expected spend is spent."""
        return self.elapsed >= UNDERSPEND_AFTER and self.spent < self.expected * UNDERSPEND_BELOW
