"""A/B test statistics, computed with SciPy's distributions (pure functions, no database).

- Each variant's conversion rate with its 95 % Wilson score interval.
- The relative uplift of a variant over the control, (p_v − p_c) / p_c, with a 95 % interval by the
  log method for a ratio of proportions (Katz).
- Two variants: the pooled two-proportion z-test; more: Pearson's chi-square test of the k × 2 table.
- The sample per variant needed to detect the observed difference with 80 % power at α = 0.05
  (two-sided; normal approximation, Fleiss without continuity correction).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

ALPHA = 0.05
POWER = 0.80


@dataclass(frozen=True)
class Interval:
    """A 95 % interval."""

    low: float
    high: float


def rate(conversions: int, visitors: int) -> float | None:
    """conversions / visitors (None without visitors)."""
    return conversions / visitors if visitors else None


def wilson(conversions: int, visitors: int, alpha: float = ALPHA) -> Interval | None:
    """The Wilson score interval of a proportion."""
    from scipy import stats

    if not visitors:
        return None
    z = float(stats.norm.ppf(1 - alpha / 2))
    p = conversions / visitors
    denominator = 1 + z * z / visitors
    centre = (p + z * z / (2 * visitors)) / denominator
    half = z * math.sqrt(p * (1 - p) / visitors + z * z / (4 * visitors * visitors)) / denominator
    return Interval(max(0.0, centre - half), min(1.0, centre + half))


def uplift(
    c_conv: int, c_vis: int, v_conv: int, v_vis: int, alpha: float = ALPHA
) -> tuple[float, Interval | None] | None:
    """The relative uplift of the variant over the control, and its interval (None when undefined)."""
    from scipy import stats

    if not c_vis or not v_vis or not c_conv:
        return None
    pc, pv = c_conv / c_vis, v_conv / v_vis
    lift = pv / pc - 1
    if not v_conv:
        return lift, None
    z = float(stats.norm.ppf(1 - alpha / 2))
    se = math.sqrt((1 - pc) / c_conv + (1 - pv) / v_conv)
    log_ratio = math.log(pv / pc)
    return lift, Interval(math.exp(log_ratio - z * se) - 1, math.exp(log_ratio + z * se) - 1)


def z_test(c_conv: int, c_vis: int, v_conv: int, v_vis: int) -> tuple[float, float] | None:
    """The pooled two-proportion z statistic and its two-sided p-value."""
    from scipy import stats

    if not c_vis or not v_vis:
        return None
    pooled = (c_conv + v_conv) / (c_vis + v_vis)
    se = math.sqrt(pooled * (1 - pooled) * (1 / c_vis + 1 / v_vis))
    if se == 0:
        return None
    z = (v_conv / v_vis - c_conv / c_vis) / se
    return z, float(2 * stats.norm.sf(abs(z)))


def chi_square(table: list[tuple[int, int]]) -> tuple[float, float] | None:
    """Pearson's chi-square of conversions vs non-conversions across variants: (statistic, p)."""
    from scipy import stats

    rows = [(conv, vis - conv) for conv, vis in table if vis]
    if len(rows) < 2 or any(sum(col) == 0 for col in zip(*rows, strict=True)):
        return None
    result = stats.chi2_contingency(rows, correction=False)
    return float(result.statistic), float(result.pvalue)


def sample_needed(p1: float, p2: float, alpha: float = ALPHA, power: float = POWER) -> int | None:
    """Visitors per variant to detect p1 vs p2 with this power (None when they are equal)."""
    from scipy import stats

    if p1 == p2 or not 0 < p1 < 1 or not 0 < p2 < 1:
        return None
    z_a = float(stats.norm.ppf(1 - alpha / 2))
    z_b = float(stats.norm.ppf(power))
    mean = (p1 + p2) / 2
    top = z_a * math.sqrt(2 * mean * (1 - mean)) + z_b * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))
    return math.ceil(top * top / (p1 - p2) ** 2)
